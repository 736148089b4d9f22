package abiversions

import "github.com/wasmlint/wasmlint/analyzer/wasm"

// Detect returns the marker export the host picks and the ABI version it
// runs the module as, as the host's own detection does it:
// proxy-wasm-cpp-host (src/bytecode_util.cc getAbiVersion) and Kong take the
// first function export, in export order, whose name is a marker of a
// version they accept; APISIX takes the highest accepted version present.
// Exports that are not functions, and markers the host does not accept, are
// ignored like ordinary exports. marker is nil when the host finds none;
// a host that runs such a module as its newest ABI (AssumeLatestABI) then
// still yields that version.
func Detect(m *wasm.Module, p *Profile) (marker *wasm.Export, version string) {
	for i := range m.Exports {
		e := &m.Exports[i]
		if e.Kind != wasm.KindFunc {
			continue
		}
		v, ok := MarkerVersion(e.Name)
		if !ok || !p.AcceptsABI(v) {
			continue
		}
		if p.Detection == FirstMarker {
			return e, v
		}
		if marker == nil || compareRelease(v, version) > 0 {
			marker, version = e, v
		}
	}
	if marker == nil && p.AssumeLatestABI {
		version = p.ABIs[len(p.ABIs)-1]
	}
	return marker, version
}

// Markers returns every export whose name begins with proxy_abi_version_,
// in export order, whatever its kind.
func Markers(m *wasm.Module) []*wasm.Export {
	var out []*wasm.Export
	for i := range m.Exports {
		if len(m.Exports[i].Name) > len(MarkerPrefix) && m.Exports[i].Name[:len(MarkerPrefix)] == MarkerPrefix {
			out = append(out, &m.Exports[i])
		}
	}
	return out
}

// Table returns the ABI table a version is checked against: its own, or for
// Higress's 0.2.100 extension, 0.2.1's (Higress registers the 0.2.1 set,
// plus its extra env functions, for 0.2.100). nil when unknown.
func Table(version string) *Version {
	if version == "0.2.100" {
		return V0_2_1
	}
	return Lookup(version)
}
