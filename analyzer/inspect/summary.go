package inspect

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"

	"github.com/wasmlint/wasmlint/abiversions"
	"github.com/wasmlint/wasmlint/analyzer/toolchain"
	"github.com/wasmlint/wasmlint/analyzer/wasm"
)

// Summary is the ABI-aware summary of one input.
type Summary struct {
	Path   string `json:"path"`
	Size   int    `json:"size"`
	SHA256 string `json:"sha256"`
	// Format is "wasm" (a core module), "component", "not wasm", "unknown
	// version" or "malformed"; only a core module has the other facts.
	Format string `json:"format"`
	// Error is the decode error when Format is not "wasm".
	Error        string    `json:"error,omitempty"`
	ABI          ABI       `json:"abi"`
	Toolchain    Toolchain `json:"toolchain"`
	Filter       Filter    `json:"filter"`
	Capabilities []Group   `json:"capabilities"`
	WASI         WASI      `json:"wasi"`
	Memory       *Memory   `json:"memory"`
	Sections     Sizes     `json:"sections"`
	Imports      []Extern  `json:"imports"`
	Exports      []Extern  `json:"exports"`
}

// ABI is the guest interface and the Proxy-Wasm ABI version the module
// declares, independent of any host.
type ABI struct {
	// Interface is "proxy-wasm", "proxy-wasm (pre-ABI)", "proxy-wasm (no
	// ABI marker)", "http-wasm", "mosn-protocol" or "none".
	Interface string `json:"interface"`
	// Version is the version of the first function export naming a known
	// ABI version (as proxy-wasm-cpp-host picks it); null when none does.
	Version *string `json:"version"`
	// Markers are every proxy_abi_version_* export, in export order.
	Markers []string `json:"markers"`
}

// Toolchain is what built the module, with the evidence.
type Toolchain struct {
	Name       string     `json:"name"`
	Version    string     `json:"version"`
	Language   string     `json:"language"`
	SDK        string     `json:"sdk"`
	SDKVersion string     `json:"sdk_version"`
	Evidence   []Evidence `json:"evidence"`
}

// Evidence is one clue behind a toolchain conclusion.
type Evidence struct {
	Field  string `json:"field"`
	Value  string `json:"value"`
	Source string `json:"source"`
}

// Extern is an import ("env.proxy_log") or export, with its kind and,
// for a function, its signature as hosts print it ("i32 i32 -> i32").
type Extern struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
	Type string `json:"type,omitempty"`
}

// Summarize decodes bin and summarises it. It never fails: an input that
// does not decode yields a Summary with Format and Error set.
func Summarize(path string, bin []byte) *Summary {
	sum := sha256.Sum256(bin)
	s := &Summary{Path: path, Size: len(bin), SHA256: hex.EncodeToString(sum[:]), Format: "wasm",
		Capabilities: []Group{}, Imports: []Extern{}, Exports: []Extern{}}
	s.ABI.Markers = []string{}
	s.Filter = Filter{Kinds: []string{}, Callbacks: []string{}}
	s.WASI = WASI{Modules: []string{}, Groups: []Group{}, Entry: "none"}
	s.Toolchain.Evidence = []Evidence{}
	m, err := wasm.Decode(bin)
	if err != nil {
		s.Format, s.Error = decodeFormat(err), err.Error()
		s.ABI.Interface = toolchain.NoInterface
		if s.Format == "not wasm" {
			s.ABI.Interface = toolchain.NotWasm
		}
		return s
	}
	s.fill(m, bin)
	return s
}

func (s *Summary) fill(m *wasm.Module, bin []byte) {
	r := toolchain.Analyze(m, bin)
	s.ABI = abiOf(m, r.Interface)
	s.Toolchain = Toolchain{Name: r.Toolchain, Version: r.ToolchainVersion, Language: r.Language,
		SDK: r.SDK, SDKVersion: r.SDKVersion, Evidence: []Evidence{}}
	for _, e := range r.Evidence {
		s.Toolchain.Evidence = append(s.Toolchain.Evidence, Evidence(e))
	}
	s.Filter = filterOf(m, r.SDK)
	s.Capabilities = capabilities(m)
	s.WASI = wasiOf(m)
	s.Memory = memoryOf(m)
	s.Sections = sizesOf(m)
	s.Imports, s.Exports = externs(m)
}

func decodeFormat(err error) string {
	var de *wasm.DecodeError
	if !errors.As(err, &de) {
		return "malformed"
	}
	switch de.Kind {
	case wasm.NotWasm:
		return "not wasm"
	case wasm.Component:
		return "component"
	case wasm.UnknownVersion:
		return "unknown version"
	}
	return "malformed"
}

func abiOf(m *wasm.Module, iface string) ABI {
	a := ABI{Interface: iface, Markers: []string{}}
	for _, e := range abiversions.Markers(m) {
		a.Markers = append(a.Markers, e.Name)
		v, ok := abiversions.MarkerVersion(e.Name)
		if ok && a.Version == nil && e.Kind == wasm.KindFunc && abiversions.Table(v) != nil {
			a.Version = &v
		}
	}
	return a
}

func externs(m *wasm.Module) (imports, exports []Extern) {
	imports, exports = []Extern{}, []Extern{}
	for _, im := range m.Imports {
		x := Extern{Name: im.Module + "." + im.Name, Kind: wasm.KindName(im.Kind)}
		if im.Kind == wasm.KindFunc {
			x.Type = sigOf(m.FuncType(im.Func))
		}
		imports = append(imports, x)
	}
	for _, e := range m.Exports {
		x := Extern{Name: e.Name, Kind: wasm.KindName(e.Kind)}
		if e.Kind == wasm.KindFunc {
			x.Type = sigOf(m.FuncType(e.Index))
		}
		exports = append(exports, x)
	}
	return imports, exports
}

func sigOf(ft *wasm.FuncType) string {
	if ft == nil {
		return "?"
	}
	return abiversions.Sig{Params: ft.Params, Results: ft.Results}.String()
}
