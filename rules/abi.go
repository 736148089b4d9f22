package rules

import (
	"strings"

	"github.com/wasmlint/wasmlint/abiversions"
	"github.com/wasmlint/wasmlint/analyzer"
	"github.com/wasmlint/wasmlint/analyzer/wasm"
)

// ABIMarkerMissing reports a module with no proxy_abi_version_* export.
var ABIMarkerMissing = &analyzer.Rule{
	ID: "PW101", Name: "abi-marker-missing", Severity: analyzer.Error,
	Title: "no Proxy-Wasm ABI version marker is exported",
	What:  "The module exports no function named `proxy_abi_version_<major>_<minor>_<patch>`, the marker by which a host learns which Proxy-Wasm ABI the module speaks.",
	Why:   "Hosts pick the host functions to link and the callback signatures to expect from the marker; without one they refuse the module before linking it. Modules built for the pre-0.1.0 envoy-wasm ABI (camelCase `proxy_onStart`, `_proxy_*` exports, 2019–2020), non-Proxy-Wasm modules (http-wasm guests, plain WASI programs) and SDK builds whose marker was stripped show up here.",
	Fix:   "Build with a current Proxy-Wasm SDK (it exports the marker), or keep the marker export alive through the linker (`-Wl,--export=proxy_abi_version_0_2_1`). Pre-ABI modules must be ported to a current SDK.",
	Host:  "proxy-wasm-cpp-host: `Missing or unknown Proxy-Wasm ABI version`, then `Failed to load Wasm code` (Envoy/Istio before late 2020: `WASM missing Proxy-Wasm ABI version or requires an unsupported version.`); Kong: `unknown ABI version`; APISIX runs the module as the newest ABI.",
	Tags:  []string{"abi", "availability"},
	Run: func(p *analyzer.Pass) {
		for _, e := range abiversions.Markers(p.Module) {
			if e.Kind == wasm.KindFunc {
				return // PW102 or PW104 reports it
			}
		}
		if len(abiversions.Markers(p.Module)) > 0 {
			return // PW105 reports a marker that is not a function
		}
		sev := analyzer.Error
		if p.Host.AssumeLatestABI {
			sev = analyzer.Warning
		}
		p.Reportf(sev, exportSpan(p.Module), "module", "no proxy_abi_version_* export: the module declares no Proxy-Wasm ABI version%s%s",
			preABIHint(p.Module), hostSays(p, p.Host.Msg.MissingABI))
	},
}

// exportSpan is the export section, or the module when there is none.
func exportSpan(m *wasm.Module) wasm.Span {
	if s := m.Section(wasm.SecExport); s != nil {
		return s.Span
	}
	return wasm.Span{}
}

// preABIHint recognises the export and import names of modules that are
// not Proxy-Wasm 0.1.0+ filters.
func preABIHint(m *wasm.Module) string {
	for _, im := range m.Imports {
		if im.Module == "http_handler" {
			return " (imports from http_handler: this is an http-wasm guest, a different ABI, not a Proxy-Wasm filter)"
		}
	}
	snake := 0
	for _, e := range m.Exports {
		n := strings.TrimLeft(e.Name, "_")
		switch {
		case strings.HasPrefix(n, "proxy_on") && len(n) > 8 && n[8] >= 'A' && n[8] <= 'Z',
			strings.HasPrefix(n, "onStart"), strings.HasPrefix(e.Name, "_proxy_"):
			return " (exports like " + e.Name + " are the pre-0.1.0 envoy-wasm ABI of 2019-2020, which no current host speaks: port the filter to a current SDK)"
		case strings.HasPrefix(e.Name, "proxy_abi_revision_"):
			return " (" + e.Name + " is not a marker hosts recognise; the marker is proxy_abi_version_<x>_<y>_<z>)"
		case strings.HasPrefix(e.Name, "proxy_on_"):
			snake++
		}
	}
	if snake > 0 {
		return " although it exports proxy_on_* callbacks: built by an SDK from before the marker existed, or the marker was stripped by the linker"
	}
	return ""
}

// ABIMarkerUnknown reports marker exports naming a version the host does
// not know.
var ABIMarkerUnknown = &analyzer.Rule{
	ID: "PW102", Name: "abi-marker-unknown", Severity: analyzer.Error,
	Title: "an ABI marker names a version the host does not know",
	What:  "A function export is named like an ABI marker but names a version the selected host does not recognise: the spec's `proxy_abi_version_0_x_x` placeholder of vNEXT, Higress's `proxy_abi_version_0_2_100` outside Higress, or a version that does not exist.",
	Why:   "Hosts compare marker names with the versions they implement and ignore any other name. When no marker they recognise remains, they refuse the module.",
	Fix:   "Build with an SDK release that targets ABI 0.2.1 (or 0.1.0 for old hosts). Higress-only plugins (0.2.100) run on Higress alone.",
	Host:  "proxy-wasm-cpp-host: `Missing or unknown Proxy-Wasm ABI version`; Kong: `incompatible ABI version`; MOSN: `unknown ABI: <name>`.",
	Tags:  []string{"abi", "availability"},
	Run: func(p *analyzer.Pass) {
		for _, e := range abiversions.Markers(p.Module) {
			v, ok := abiversions.MarkerVersion(e.Name)
			if t := abiversions.Table(v); e.Kind != wasm.KindFunc || (ok && t != nil && t.Accepted && v != "0.2.100") || p.Host.AcceptsABI(v) {
				continue // accepted versions the host lacks are PW104's
			}
			what := "a version no host implements"
			switch {
			case v == "0.x.x":
				what = "the vNEXT draft's placeholder, which no released host accepts"
			case v == "0.2.100":
				what = "Higress's extension of 0.2.1, accepted by Higress only"
			case !ok:
				what = "not a version at all"
			}
			if p.Marker != nil {
				p.Reportf(analyzer.Note, e.Span, "export "+e.Name, "export %s names %s; %s ignores it and uses %s", e.Name, what, p.Host.Name(), p.Marker.Name)
				continue
			}
			p.Reportf(errorIf(!p.Host.AssumeLatestABI, analyzer.Warning), e.Span, "export "+e.Name,
				"export %s names %s, and no other marker is exported%s", e.Name, what, hostSays(p, p.Host.Msg.UnknownABI, e.Name))
		}
	},
}

// ABIMarkersMultiple reports more than one recognised marker.
var ABIMarkersMultiple = &analyzer.Rule{
	ID: "PW103", Name: "abi-markers-multiple", Severity: analyzer.Warning,
	Title: "several ABI version markers are exported",
	What:  "The module exports more than one marker the host recognises, e.g. both `proxy_abi_version_0_2_0` and `proxy_abi_version_0_2_1`.",
	Why:   "A module speaks one ABI. The host silently picks one marker (proxy-wasm-cpp-host and Kong: the first in export order; APISIX: the highest) and links and calls the module as that version; callbacks or imports written for the other version then misbehave or fail to link.",
	Fix:   "Export exactly one marker, the one matching the SDK the filter is built with.",
	Host:  "No message: the host uses the marker named in the finding without a word.",
	Tags:  []string{"abi"},
	Run: func(p *analyzer.Pass) {
		if p.Marker == nil {
			return
		}
		var others []string
		for _, e := range abiversions.Markers(p.Module) {
			v, ok := abiversions.MarkerVersion(e.Name)
			if e != p.Marker && e.Kind == wasm.KindFunc && ok && p.Host.AcceptsABI(v) {
				others = append(others, e.Name)
			}
		}
		if len(others) == 0 {
			return
		}
		p.Reportf(analyzer.Warning, p.Marker.Span, "export "+p.Marker.Name,
			"the module exports %d ABI markers (%s and %s); %s uses %s and checks the module as ABI %s",
			len(others)+1, p.Marker.Name, strings.Join(others, ", "), p.Host.Name(), p.Marker.Name, p.ABI.Name)
	},
}

// ABIVersionUnsupported reports a real ABI version this host does not speak.
var ABIVersionUnsupported = &analyzer.Rule{
	ID: "PW104", Name: "abi-version-unsupported-by-host", Severity: analyzer.Error,
	Title: "the module's ABI version is not supported by this host",
	What:  "The module's marker names a real Proxy-Wasm ABI version (0.1.0, 0.2.0 or 0.2.1) that the selected host release does not implement, e.g. 0.2.1 on MOSN's proxy-wasm-go-host, which accepts 0.1.0 and 0.2.0 only.",
	Why:   "The host refuses a module whose marker it does not implement.",
	Fix:   "Build with an SDK release targeting a version the host implements, or deploy to a host release that implements this one (`wasmlint hosts` lists them).",
	Host:  "proxy-wasm-cpp-host: `Missing or unknown Proxy-Wasm ABI version`; MOSN: `unknown ABI: <marker>`; Kong: `incompatible ABI version`.",
	Tags:  []string{"abi", "availability"},
	Run: func(p *analyzer.Pass) {
		if p.Marker != nil || p.Host.AssumeLatestABI {
			return
		}
		for _, e := range abiversions.Markers(p.Module) {
			v, ok := abiversions.MarkerVersion(e.Name)
			if e.Kind != wasm.KindFunc || !ok || abiversions.Lookup(v) == nil || !abiversions.Lookup(v).Accepted {
				continue
			}
			p.Reportf(analyzer.Error, e.Span, "export "+e.Name, "ABI %s (export %s) is not supported by %s, which speaks %s%s",
				v, e.Name, p.Host.Name(), strings.Join(p.Host.ABIs, ", "), hostSays(p, p.Host.Msg.UnknownABI, e.Name))
			return
		}
	},
}

// ABIMarkerMalformed reports marker exports of the wrong kind or type.
var ABIMarkerMalformed = &analyzer.Rule{
	ID: "PW105", Name: "abi-marker-malformed", Severity: analyzer.Error,
	Title: "an ABI marker export is not a () -> () function",
	What:  "An export named like an ABI marker is not a function (a global or memory), or is a function whose type is not `() -> ()`.",
	Why:   "Hosts look for the marker among function exports only, so a marker of another kind is ignored and, without another marker, the module is refused. The function's type is not checked by hosts (the marker is never called), so a wrong type is only a sign of a hand-made export.",
	Fix:   "Export the marker as an empty function, as the SDKs do: `void proxy_abi_version_0_2_1(void) {}` with `__attribute__((export_name(...)))`, or `#[no_mangle] pub extern \"C\" fn proxy_abi_version_0_2_1() {}`.",
	Host:  "proxy-wasm-cpp-host (src/bytecode_util.cc) skips non-function exports when it looks for the marker: `Missing or unknown Proxy-Wasm ABI version` if no other marker is found.",
	Tags:  []string{"abi"},
	Run: func(p *analyzer.Pass) {
		for _, e := range abiversions.Markers(p.Module) {
			if e.Kind != wasm.KindFunc {
				p.Reportf(errorIf(p.Marker == nil && !p.Host.AssumeLatestABI, analyzer.Note), e.Span, "export "+e.Name,
					"export %s is a %s, not a function: hosts ignore it as a marker%s", e.Name, wasm.KindName(e.Kind), hostSays(p, ifNoMarker(p, p.Host.Msg.MissingABI)))
				continue
			}
			if ft := p.Module.FuncType(e.Index); ft != nil && (len(ft.Params) > 0 || len(ft.Results) > 0) {
				p.Reportf(analyzer.Note, e.Span, "export "+e.Name, "marker %s has type %s, not void -> void; hosts do not check it, but SDKs export an empty function",
					e.Name, abiversions.Sig{Params: ft.Params, Results: ft.Results})
			}
		}
	},
}

func ifNoMarker(p *analyzer.Pass, msg string) string {
	if p.Marker != nil {
		return ""
	}
	return msg
}
