package rules

import (
	"strings"

	"github.com/wasmlint/wasmlint/abiversions"
	"github.com/wasmlint/wasmlint/analyzer"
	"github.com/wasmlint/wasmlint/analyzer/wasm"
)

// funcExport returns the function export of that name, or nil.
func funcExport(m *wasm.Module, name string) *wasm.Export {
	if e := m.Export(name); e != nil && e.Kind == wasm.KindFunc {
		return e
	}
	return nil
}

func exportType(m *wasm.Module, e *wasm.Export) abiversions.Sig {
	if ft := m.FuncType(e.Index); ft != nil {
		return abiversions.Sig{Params: ft.Params, Results: ft.Results}
	}
	return abiversions.Sig{}
}

// AllocatorMissing reports a module without an allocator the host uses.
var AllocatorMissing = &analyzer.Rule{
	ID: "PW301", Name: "allocator-missing", Severity: analyzer.Error,
	Title: "no allocator export the host can use",
	What:  "The module exports neither `malloc` nor `proxy_on_memory_allocate` as an `(i32) -> i32` function (or, on hosts that look up `malloc` only, no `malloc`).",
	Why:   "The host copies headers, bodies and configuration into the VM through the module's allocator; it refuses a module without one when it initialises the VM.",
	Fix:   "Export the SDK's allocator: C/C++ `-Wl,--export=malloc`; Rust SDK exports `proxy_on_memory_allocate`; for Envoy 1.16 and MOSN also export `malloc`.",
	Host:  "proxy-wasm-cpp-host: `Wasm module is missing malloc function.`, then `Failed to initialize Wasm code`; Kong: `\"<name>\" filter missing malloc`; APISIX: `failed to malloc`.",
	Tags:  []string{"exports", "availability"},
	Run: func(p *analyzer.Pass) {
		for _, name := range p.Host.Allocators {
			if funcExport(p.Module, name) != nil {
				return // a wrong type is PW302's finding
			}
		}
		hint := ""
		for _, name := range []string{"malloc", "proxy_on_memory_allocate"} {
			if funcExport(p.Module, name) != nil {
				hint = " (" + name + " is exported, but " + p.Host.Name() + " looks up only " + strings.Join(p.Host.Allocators, " and ") + ")"
			}
		}
		p.Reportf(analyzer.Error, exportSpan(p.Module), "export malloc", "the module exports no allocator (%s)%s%s",
			strings.Join(p.Host.Allocators, " or "), hint, hostSays(p, p.Host.Msg.MissingMalloc))
	},
}

// lookedUp reports whether the host looks up the export name given the
// module's other exports (entry points depend on each other).
func lookedUp(p *analyzer.Pass, name string) bool {
	hasInit := funcExport(p.Module, "_initialize") != nil
	switch name {
	case "main":
		return p.Host.Entry == abiversions.EntryReactor && hasInit
	case "__main_void":
		return p.Host.Entry == abiversions.EntryReactor && hasInit && p.Host.MainVoid && funcExport(p.Module, "main") == nil
	case "_initialize":
		return p.Host.Entry != abiversions.EntryLegacy && p.Host.Entry != abiversions.EntryStartOnly
	case "_start":
		return !hasInit || p.Host.Entry != abiversions.EntryReactor
	case "malloc", "proxy_on_memory_allocate":
		for _, a := range p.Host.Allocators {
			if a == name {
				return true
			}
		}
		return false
	}
	return true
}

// CallbackSignature reports callbacks and entry points of the wrong type.
var CallbackSignature = &analyzer.Rule{
	ID: "PW302", Name: "callback-signature-mismatch", Severity: analyzer.Error,
	Title: "an exported callback has the wrong signature for the ABI version",
	What:  "A function the host looks up (`proxy_on_*`, `malloc`, `_initialize`, `main` ...) is exported with a type different from the one the module's ABI version defines. The classic case: `proxy_on_request_headers(i32, i32)` of 0.1.0 in a module whose marker says 0.2.x (which adds `end_of_stream`), or the reverse.",
	Why:   "proxy-wasm-cpp-host checks the type of every export it looks up and fails the VM on the first mismatch.",
	Fix:   "Make the marker and the callbacks agree: build with one SDK release, and export the marker that release writes.",
	Host:  "proxy-wasm-cpp-host: `Bad function signature for: <name>, want: <types>, but the module exports: <types>`, then `Failed to initialize Wasm code`. Hosts that do not check types call the function with the wrong arguments.",
	Tags:  []string{"exports", "availability"},
	Run: func(p *analyzer.Pass) {
		if p.ABI == nil {
			return
		}
		for _, cb := range p.ABI.Callbacks {
			e := funcExport(p.Module, cb.Name)
			if e == nil || !lookedUp(p, cb.Name) {
				continue
			}
			got := exportType(p.Module, e)
			if cb.Sig.Equal(wasm.FuncType{Params: got.Params, Results: got.Results}) {
				continue
			}
			sev := errorIf(p.Host.ChecksCallbackSigs, analyzer.Warning)
			p.Reportf(sev, e.Span, "export "+cb.Name, "export %s has type %s, but ABI %s defines %s%s%s",
				cb.Name, got, p.ABI.Name, cb.Sig, otherVersionHint(p, cb.Name, got), hostSays(p, p.Host.Msg.BadExportSig, cb.Name, cb.Sig, got))
		}
	},
}

func otherVersionHint(p *analyzer.Pass, name string, got abiversions.Sig) string {
	for _, v := range abiversions.Versions() {
		if c := v.Callback(name); c != nil && v != p.ABI && v.Accepted && c.Sig.String() == got.String() {
			return " (the ABI " + v.Name + " signature: the SDK and the marker disagree)"
		}
	}
	return ""
}

// CallbackUnknown reports proxy_on_* exports the ABI never calls.
var CallbackUnknown = &analyzer.Rule{
	ID: "PW303", Name: "callback-unknown", Severity: analyzer.Note,
	Title: "a proxy_on_* export is never called by the host",
	What:  "The module exports a `proxy_on_*` function that its ABI version does not define, so no host calls it: a callback of another version (`proxy_on_foreign_function` is 0.2.x only), a legacy name (`proxy_on_start`, `proxy_on_create`), or a typo.",
	Why:   "Code that relies on it never runs; the event it was meant to handle is silently dropped.",
	Fix:   "Rename the export to the ABI's callback, or remove it.",
	Host:  "Hosts look callbacks up by name and skip any they do not know, without a message.",
	Tags:  []string{"exports"},
	Run: func(p *analyzer.Pass) {
		if p.ABI == nil {
			return
		}
		for i := range p.Module.Exports {
			e := &p.Module.Exports[i]
			if e.Kind != wasm.KindFunc || !strings.HasPrefix(e.Name, "proxy_on_") || p.ABI.Callback(e.Name) != nil || extraCallback(p, e.Name) {
				continue
			}
			p.Reportf(analyzer.Note, e.Span, "export "+e.Name, "export %s is not a callback of ABI %s; no host calls it%s", e.Name, p.ABI.Name, callbackHint(p, e.Name))
		}
	},
}

func extraCallback(p *analyzer.Pass, name string) bool {
	return p.Host.Host == "higress" && name == "proxy_on_redis_call_response"
}

func callbackHint(p *analyzer.Pass, name string) string {
	for _, v := range abiversions.Versions() {
		if v != p.ABI && v.Callback(name) != nil {
			return " (ABI " + v.Name + " defines it)"
		}
	}
	switch name {
	case "proxy_on_start":
		return " (pre-0.1.0 name of proxy_on_vm_start)"
	case "proxy_on_create":
		return " (pre-0.1.0 name of proxy_on_context_create)"
	}
	return ""
}

// ContextCreateMissing reports a filter without proxy_on_context_create.
var ContextCreateMissing = &analyzer.Rule{
	ID: "PW304", Name: "context-create-missing", Severity: analyzer.Error,
	Title: "proxy_on_context_create is not exported",
	What:  "The module does not export `proxy_on_context_create`, the callback through which the host announces every root context and every stream.",
	Why:   "Without it the SDK never learns about contexts, so every later callback finds no context to dispatch to: the filter does nothing, or traps on the first request. Kong refuses such a filter outright.",
	Fix:   "Export the SDK's dispatcher (all SDKs do); a linker that dropped it (missing `--export`) is the usual cause.",
	Host:  "Kong: `filter missing one of: on_context_create, on_vm_start, on_plugin_start`. proxy-wasm-cpp-host skips the missing callback silently.",
	Tags:  []string{"exports"},
	Run: func(p *analyzer.Pass) {
		if p.ABI == nil || funcExport(p.Module, "proxy_on_context_create") != nil {
			return
		}
		required := containsStr(p.Host.RequiredCallbacks, "proxy_on_context_create")
		p.Reportf(errorIf(required, analyzer.Warning), exportSpan(p.Module), "export proxy_on_context_create",
			"proxy_on_context_create is not exported: no context is ever created, so the filter does nothing%s", hostSays(p, ifTrue(required, p.Host.Msg.MissingCallbks)))
	},
}

// RequiredCallbackMissing reports callbacks a host requires.
var RequiredCallbackMissing = &analyzer.Rule{
	ID: "PW309", Name: "required-callback-missing", Severity: analyzer.Error,
	Title: "a callback this host requires is not exported",
	What:  "The selected host refuses filters that lack certain callbacks: Kong requires `proxy_on_vm_start` and `proxy_on_configure` (and `proxy_on_context_create`, PW304); APISIX runs `proxy_on_configure` for every plugin.",
	Why:   "Envoy treats every callback as optional, so a filter tested only on Envoy can lack them.",
	Fix:   "Export the callback; SDKs do so when the root context implements it (an empty implementation returning true is enough).",
	Host:  "Kong: `filter missing one of: on_context_create, on_vm_start, on_plugin_start`; APISIX: `failed to run proxy_on_configure`.",
	Tags:  []string{"exports", "availability"},
	Run: func(p *analyzer.Pass) {
		if p.ABI == nil {
			return
		}
		for _, name := range p.Host.RequiredCallbacks {
			if name == "proxy_on_context_create" || funcExport(p.Module, name) != nil {
				continue
			}
			p.Reportf(analyzer.Error, exportSpan(p.Module), "export "+name, "%s is not exported, and %s refuses filters without it%s",
				name, p.Host.Name(), hostSays(p, p.Host.Msg.MissingCallbks))
		}
	},
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func ifTrue(cond bool, s string) string {
	if cond {
		return s
	}
	return ""
}

var (
	httpCallbacks = []string{"proxy_on_request_headers", "proxy_on_request_body", "proxy_on_request_trailers",
		"proxy_on_request_metadata", "proxy_on_response_headers", "proxy_on_response_body",
		"proxy_on_response_trailers", "proxy_on_response_metadata"}
	networkCallbacks = []string{"proxy_on_new_connection", "proxy_on_downstream_data", "proxy_on_upstream_data",
		"proxy_on_downstream_connection_close", "proxy_on_upstream_connection_close"}
)

// NoStreamCallbacks reports a root-only plugin.
var NoStreamCallbacks = &analyzer.Rule{
	ID: "PW305", Name: "no-stream-callbacks", Severity: analyzer.Note,
	Title: "the module has no HTTP or network stream callbacks",
	What:  "The module exports none of the HTTP (`proxy_on_request_headers` ...) or network (`proxy_on_new_connection` ...) stream callbacks: it is a root-only plugin (a singleton service: timers, HTTP calls, shared data).",
	Why:   "Installed as an HTTP or network filter it sees no traffic; Envoy runs it but it never acts on a request.",
	Fix:   "Deploy it as a bootstrap/singleton service (Envoy `envoy.bootstrap.wasm`), or implement the stream callbacks in the SDK's HTTP or stream context.",
	Host:  "No message: the host skips the callbacks that are not exported.",
	Tags:  []string{"exports"},
	Run: func(p *analyzer.Pass) {
		if p.ABI == nil || funcExport(p.Module, "proxy_on_context_create") == nil {
			return
		}
		for _, n := range append(append([]string{}, httpCallbacks...), networkCallbacks...) {
			if funcExport(p.Module, n) != nil {
				return
			}
		}
		p.Reportf(analyzer.Note, exportSpan(p.Module), "module", "no HTTP or network stream callback is exported: a root-only plugin, which sees no traffic when installed as a filter")
	},
}

// MemoryNotExported reports a module whose memory the host cannot reach.
var MemoryNotExported = &analyzer.Rule{
	ID: "PW307", Name: "memory-not-exported", Severity: analyzer.Error,
	Title: "the linear memory is not exported as the host expects",
	What:  "The module does not export its linear memory (it imports it, has none, or exports it under a name the host does not accept).",
	Why:   "Every host call passes pointers into the module's memory. proxy-wasm-cpp-host uses any exported memory and creates an imported one from its limits; APISIX requires an export named `memory`; Kong resolves no memory import.",
	Fix:   "Link with the memory exported (`--export-memory`, the default for wasm-ld executables and Rust cdylibs) under the name `memory`.",
	Host:  "APISIX: `the wasm plugin doesn't export memory`; Kong: `NYI: module import type not supported` for an imported memory.",
	Tags:  []string{"exports", "memory"},
	Run: func(p *analyzer.Pass) {
		m := p.Module
		var exported *wasm.Export
		for i := range m.Exports {
			e := &m.Exports[i]
			if e.Kind != wasm.KindMemory {
				continue
			}
			if exported == nil || e.Name == p.Host.MemoryExport {
				exported = e
			}
		}
		switch {
		case exported != nil && (p.Host.MemoryExport == "" || exported.Name == p.Host.MemoryExport):
		case exported != nil:
			p.Reportf(analyzer.Error, exported.Span, "export "+exported.Name, "the memory is exported as %q, but %s requires the name %q%s",
				exported.Name, p.Host.Name(), p.Host.MemoryExport, hostSays(p, p.Host.Msg.MissingMemory))
		case len(m.Memories) > 0 && m.Memories[0].Imported:
			if p.Host.ImportedMemoryOK {
				p.Reportf(analyzer.Note, m.Memories[0].Span, "memory 0", "the memory is imported, not exported; %s creates it from the declared limits (%d pages)",
					p.Host.Name(), m.Memories[0].Min)
				return
			}
			p.Reportf(analyzer.Error, m.Memories[0].Span, "memory 0", "the memory is imported, not exported, and %s does not provide one%s",
				p.Host.Name(), hostSays(p, p.Host.Msg.MissingMemory))
		case len(m.Memories) == 0:
			p.Reportf(analyzer.Warning, wasm.Span{}, "module", "the module has no linear memory: every host call that passes data fails")
		default:
			p.Reportf(errorIf(p.Host.MemoryExport != "", analyzer.Warning), m.Memories[0].Span, "memory 0",
				"the memory is not exported: the host cannot copy data into the module%s", hostSays(p, p.Host.Msg.MissingMemory))
		}
	},
}
