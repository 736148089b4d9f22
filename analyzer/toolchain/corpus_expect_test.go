package toolchain_test

import (
	"strings"

	"github.com/wasmlint/wasmlint/analyzer/toolchain"
)

// expect turns a manifest entry into an expectation: corpus entries by
// their toolchain and sdk fields, wild entries by their sdk_guess phrase,
// producers and notes.
func expect(e manifestEntry) expectation {
	if e.SDKGuess == "" {
		return corpusExpect(e)
	}
	return wildExpect(e)
}

// corpusToolchains maps corpus/manifest.json's toolchain field.
var corpusToolchains = map[string]string{
	"AssemblyScript": toolchain.AssemblyScript, "c": toolchain.Clang, "go": toolchain.Go,
	"rust": toolchain.Rust, "wat": toolchain.WAT, "tinygo": toolchain.TinyGo,
}

func corpusExpect(e manifestEntry) expectation {
	x := expectation{toolchain: corpusToolchains[e.Toolchain], tcVer: core(e.ToolchainVersion), iface: toolchain.ProxyWasm}
	if e.Toolchain == "cpp" {
		x.toolchain = toolchain.Clang
		if strings.HasPrefix(e.ToolchainVersion, "emscripten") {
			x.toolchain = toolchain.Emscripten
		}
	}
	switch e.SDK {
	case "none", "":
	case "@solo-io/proxy-runtime":
		x.sdk = "assemblyscript"
	case "github.com/tetratelabs/proxy-wasm-go-sdk", "github.com/proxy-wasm/proxy-wasm-go-sdk":
		x.sdk = "go"
	default:
		x.sdk = e.SDK
	}
	if e.SDKVersion != "-" {
		x.sdkVer = e.SDKVersion
	}
	return x
}

func wildExpect(e manifestEntry) expectation {
	g := e.SDKGuess
	if strings.Contains(g, "not wasm") {
		return expectation{notWasm: true}
	}
	return expectation{toolchain: wildToolchain(g), tcVer: producersVersion(e.Producers), sdk: wildSDK(g), iface: wildInterface(e)}
}

// wildToolchain reads the toolchain from an sdk_guess phrase such as
// "TinyGo proxy-wasm-go-sdk", "C++ proxy-wasm-cpp-sdk (emscripten)" or
// "http-wasm guest (NOT proxy-wasm, WAT/hand)".
func wildToolchain(g string) string {
	switch {
	case strings.HasPrefix(g, "Go "):
		return toolchain.Go
	case strings.Contains(g, "TinyGo"):
		return toolchain.TinyGo
	case strings.HasPrefix(g, "Rust"):
		return toolchain.Rust
	case strings.HasPrefix(g, "Zig"):
		return toolchain.Zig
	case strings.Contains(g, "WAT/hand"):
		return toolchain.WAT
	case strings.Contains(g, "emscripten"):
		return toolchain.Emscripten
	}
	return "unrecognised sdk_guess " + g
}

// wildSDK reads the SDK family from an sdk_guess phrase; sdkAny when the
// phrase does not name one ("C++ (Istio, emscripten)").
func wildSDK(g string) string {
	switch {
	case strings.Contains(g, "proxy-wasm-cpp-sdk"):
		return "cpp"
	case strings.Contains(g, "envoy-wasm SDK"), strings.Contains(g, "Istio/envoy-wasm"):
		return "envoy-wasm"
	case strings.Contains(g, "Rust proxy-wasm crate"), strings.Contains(g, "proxy-wasm-rust-sdk"):
		return "rust"
	case strings.Contains(g, "no SDK"), strings.Contains(g, "WAT/hand"):
		return ""
	case strings.Contains(g, "proxy-wasm-go-sdk"):
		return "go"
	case strings.Contains(g, "http-wasm guest") && strings.Contains(g, "TinyGo"):
		return "http-wasm-go"
	case strings.Contains(g, "proxy-wasm-zig-sdk"):
		return "zig"
	}
	return sdkAny
}

// wildInterface: http-wasm guests and MOSN's protocol extension say so in
// sdk_guess; test modules that are no filter say so in notes; files named
// preabi predate the ABI marker.
func wildInterface(e manifestEntry) string {
	switch {
	case strings.Contains(e.SDKGuess, "http-wasm"):
		return toolchain.HTTPWasm
	case strings.Contains(e.SDKGuess, "MOSN wasm protocol"):
		return toolchain.MOSNProtocol
	case strings.Contains(e.Notes, "not a proxy-wasm filter"):
		return toolchain.NoInterface
	case strings.Contains(e.File, "preabi"):
		return toolchain.ProxyWasmPreABI
	}
	return toolchain.ProxyWasm
}

// producersVersion reads the toolchain version from the wild manifest's
// producers summary ("language: Rust; processed-by: rustc 1.42.0 (…)").
func producersVersion(p string) string {
	for _, key := range []string{"TinyGo ", "rustc ", "Go cmd/compile go"} {
		if i := strings.Index(p, key); i >= 0 {
			return core(p[i+len(key):])
		}
	}
	return ""
}
