package toolchain

import (
	"sort"

	"github.com/wasmlint/wasmlint/analyzer/wasm"
)

// Info is what built a module. An empty field is unknown (or, for SDK,
// none found).
type Info struct{ Toolchain, ToolchainVersion, SDK, SDKVersion string }

// Toolchain names, as Info.Toolchain reports them.
const (
	Rust           = "Rust"
	Go             = "Go" // the standard Go toolchain (GOOS=wasip1)
	TinyGo         = "TinyGo"
	Emscripten     = "Emscripten"
	Clang          = "clang" // clang with wasi-libc or wasi-sdk, no Emscripten
	AssemblyScript = "AssemblyScript"
	Zig            = "Zig"
	WAT            = "WAT" // WebAssembly text assembled by hand (wabt)
)

// SDK names, as Info.SDK reports them. Go SDKs are named by their module
// path, which is what the binary shows.
const (
	SDKRust           = "proxy-wasm (Rust)"
	SDKGoProxyWasm    = "github.com/proxy-wasm/proxy-wasm-go-sdk"
	SDKGoTetrate      = "github.com/tetratelabs/proxy-wasm-go-sdk"
	SDKGoMathetake    = "github.com/mathetake/proxy-wasm-go" // the Go SDK before it moved to tetratelabs
	SDKGo             = "proxy-wasm-go-sdk"                  // a Go SDK whose module path the binary does not show
	SDKCpp            = "proxy-wasm-cpp-sdk"
	SDKEnvoyWasm      = "envoy-wasm C++ SDK" // the C++ API inside envoy-wasm, before the ABI was versioned
	SDKAssemblyScript = "@solo-io/proxy-runtime"
	SDKZig            = "proxy-wasm-zig-sdk"
	SDKHTTPWasmGo     = "github.com/http-wasm/http-wasm-guest-tinygo"
	SDKMOSNProtocol   = "github.com/zonghaishang/proxy-wasm-sdk-go" // MOSN's protocol-extension SDK
)

// Guest interfaces, as Report.Interface reports them.
const (
	ProxyWasm         = "proxy-wasm"
	ProxyWasmPreABI   = "proxy-wasm (pre-ABI)"       // envoy-wasm's 2018-2019 API (camelCase callbacks)
	ProxyWasmNoMarker = "proxy-wasm (no ABI marker)" // proxy_on_* callbacks, no proxy_abi_version_* export
	HTTPWasm          = "http-wasm"                  // imports http_handler, exports handle_request
	MOSNProtocol      = "mosn-protocol"              // MOSN's protocol codec extension
	NoInterface       = "none"                       // a plain module: no known guest interface
	NotWasm           = "not wasm"                   // Analyze(nil, ...): the input did not decode
)

// Evidence fields.
const (
	fieldToolchain  = "toolchain"
	fieldTCVersion  = "toolchain_version"
	fieldSDK        = "sdk"
	fieldSDKVersion = "sdk_version"
	fieldLanguage   = "language"
	fieldInterface  = "interface"
	fieldFramework  = "framework"
)

// Evidence is one clue behind a conclusion.
type Evidence struct {
	// Field is what the clue supports: "toolchain", "toolchain_version",
	// "sdk", "sdk_version", "language", "interface" or "framework".
	Field string
	// Value is the conclusion it supports ("Rust", "0.2.1").
	Value string
	// Source says what in the binary was read.
	Source string
}

// Report is Info with the source language, the guest interface and the
// evidence for each conclusion.
type Report struct {
	Info
	// Language is the source language ("Rust", "Go", "C99", "C++").
	Language string
	// Interface is the guest interface: ProxyWasm, HTTPWasm ...
	Interface string
	// Evidence lists the clues, grouped by field, strongest first.
	Evidence []Evidence
}

// Detect tells the toolchain and SDK of a decoded module from its module
// facts alone (producers, custom sections, names, imports and exports).
// Analyze, given the bytes too, also reads strings in the data and custom
// sections, which finds versions and the SDK of stripped Go builds.
func Detect(m *wasm.Module) Info { return Analyze(m, nil).Info }

// Analyze tells what built the module, with the evidence. bin, when not
// nil, must be the bytes m was decoded from.
func Analyze(m *wasm.Module, bin []byte) Report {
	var r Report
	if m == nil {
		r.Interface = NotWasm
		return r
	}
	f := gather(m, bin)
	r.Toolchain = f.pickToolchain(&r)
	r.ToolchainVersion = f.toolchainVersion(r.Toolchain, &r)
	r.SDK = f.pickSDK(r.Toolchain, &r)
	r.Interface = f.guestInterface(r.SDK, &r)
	r.SDKVersion = f.sdkVersion(r.SDK, r.Interface, &r)
	r.Language = f.language(r.Toolchain, &r)
	sort.SliceStable(r.Evidence, func(i, j int) bool { return fieldRank[r.Evidence[i].Field] < fieldRank[r.Evidence[j].Field] })
	return r
}

// fieldRank orders the evidence by field.
var fieldRank = map[string]int{fieldToolchain: 0, fieldTCVersion: 1, fieldLanguage: 2, fieldSDK: 3, fieldSDKVersion: 4, fieldFramework: 5, fieldInterface: 6}

func (r *Report) add(field, value, source string) {
	for _, e := range r.Evidence {
		if e.Field == field && e.Source == source {
			return
		}
	}
	r.Evidence = append(r.Evidence, Evidence{Field: field, Value: value, Source: source})
}
