package abiversions

import (
	"strings"

	"github.com/wasmlint/wasmlint/analyzer/wasm"
)

// Sig is the exact Wasm signature of a host function or callback.
type Sig struct {
	Params  []wasm.ValType
	Results []wasm.ValType
}

// ParseSig parses the compact form "i32 i32 -> i32" ("->" alone, or "-> "
// for a function with no parameters and no results). It is used by the
// literal tables in this package; it panics on a malformed literal, which a
// test catches.
func ParseSig(s string) Sig {
	left, right, ok := strings.Cut(s, "->")
	if !ok {
		panic("abiversions: signature without '->': " + s)
	}
	return Sig{Params: parseTypes(left), Results: parseTypes(right)}
}

func parseTypes(s string) []wasm.ValType {
	var out []wasm.ValType
	for _, f := range strings.Fields(s) {
		t, ok := wasm.ParseValType(f)
		if !ok {
			panic("abiversions: unknown value type " + f)
		}
		out = append(out, t)
	}
	return out
}

// String renders the signature the way proxy-wasm-cpp-host prints it in its
// errors: "i32 i32 -> i32", with "void" for an empty list.
func (s Sig) String() string {
	return typesString(s.Params) + " -> " + typesString(s.Results)
}

func typesString(ts []wasm.ValType) string {
	if len(ts) == 0 {
		return "void"
	}
	var b strings.Builder
	for i, t := range ts {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(wasm.ValTypeName(t))
	}
	return b.String()
}

// Equal reports whether the module's function type matches s exactly.
func (s Sig) Equal(ft wasm.FuncType) bool {
	return string(s.Params) == string(ft.Params) && string(s.Results) == string(ft.Results)
}

// Func is a named function with its signature: a host function the module
// imports from env, or a callback the host looks up among the exports.
type Func struct {
	Name string
	Sig  Sig
}

// Version is one Proxy-Wasm ABI version: its marker export, the env host
// functions a host registers for it, and the exports the host looks up.
type Version struct {
	// Name is the dotted version, e.g. "0.2.1".
	Name string
	// Marker is the export that declares the version, e.g. "proxy_abi_version_0_2_1".
	Marker string
	// Accepted is false for a version no released host accepts (vNEXT).
	Accepted bool
	// Spec cites the spec text the table was taken from.
	Spec string
	// HostFuncs are the env functions proxy-wasm-cpp-host registers for this
	// version, with the signature it registers (what links).
	HostFuncs []Func
	// Callbacks are the exports the host looks up and calls, with the
	// signature it checks ("Bad function signature for: ...").
	Callbacks []Func
}

// HostFunc returns the env host function of that name, or nil.
func (v *Version) HostFunc(name string) *Func { return find(v.HostFuncs, name) }

// Callback returns the looked-up export of that name, or nil.
func (v *Version) Callback(name string) *Func { return find(v.Callbacks, name) }

func find(fs []Func, name string) *Func {
	for i := range fs {
		if fs[i].Name == name {
			return &fs[i]
		}
	}
	return nil
}

// MarkerPrefix begins the name of every ABI version marker export.
const MarkerPrefix = "proxy_abi_version_"

// Versions lists every known ABI version, oldest first; vNEXT is last.
func Versions() []*Version { return []*Version{V0_1_0, V0_2_0, V0_2_1, VNext} }

// Lookup returns the version with the given dotted name ("0.2.1") or marker
// export name, or nil.
func Lookup(name string) *Version {
	for _, v := range Versions() {
		if v.Name == name || v.Marker == name {
			return v
		}
	}
	return nil
}

// MarkerVersion turns a marker export name into the version it names, e.g.
// "proxy_abi_version_0_2_100" into "0.2.100". ok is false when the name is
// not of the form proxy_abi_version_<n>_<n>_<n>.
func MarkerVersion(export string) (version string, ok bool) {
	rest, found := strings.CutPrefix(export, MarkerPrefix)
	if !found {
		return "", false
	}
	parts := strings.Split(rest, "_")
	if len(parts) != 3 {
		return "", false
	}
	for _, p := range parts {
		if p == "" {
			return "", false
		}
		for _, c := range p {
			if c < '0' || c > '9' {
				if p != "x" {
					return "", false
				}
			}
		}
	}
	return strings.Join(parts, "."), true
}
