package toolchain

import (
	"fmt"
	"strings"

	"github.com/wasmlint/wasmlint/abiversions"
)

// language is the source language: the toolchain's own, else the first
// producers language, else C++ when C++ symbols show.
func (f *facts) language(tc string, r *Report) string {
	own := map[string]string{Rust: "Rust", Go: "Go", TinyGo: "Go", AssemblyScript: "AssemblyScript", Zig: "Zig", WAT: "WebAssembly text"}
	if l, ok := own[tc]; ok {
		return l
	}
	if ls := f.m.Producers["language"]; len(ls) > 0 {
		r.add(fieldLanguage, ls[0].Name, fmt.Sprintf("producers language %q", ls[0].Name))
		return ls[0].Name
	}
	if tc != Emscripten && tc != Clang {
		return ""
	}
	if e := f.exportWithPrefix("_Z", "__Z", "__cxa_", "___cxa_"); e != "" {
		r.add(fieldLanguage, "C++", "export "+e+" (a C++ symbol)")
		return "C++"
	}
	return "C/C++"
}

// guestInterface tells what the module was built to plug into.
func (f *facts) guestInterface(sdk string, r *Report) string {
	v, src := f.interfaceOf(sdk)
	r.add(fieldInterface, v, src)
	return v
}

func (f *facts) interfaceOf(sdk string) (string, string) {
	if f.modules["http_handler"] {
		return HTTPWasm, "imports from module http_handler"
	}
	if e := f.exportWithPrefix("proxy_decode_buffer_bytes", "proxy_encode_buffer_bytes"); e != "" {
		return MOSNProtocol, "export " + e + " (MOSN protocol codec hook)"
	}
	if e := f.exportWithPrefix(abiversions.MarkerPrefix); e != "" {
		return ProxyWasm, "export " + e
	}
	if e := f.exportWithPrefix("proxy_on", "_proxy_on"); e != "" && isCamelCallback(e) {
		return ProxyWasmPreABI, "camelCase callback export " + e
	}
	if im := f.importWithPrefix("env", "_envoy_", "_wasmLog", "_proxy_"); im != "" {
		return ProxyWasmPreABI, "import " + im + " (envoy-wasm's 2018 host functions)"
	}
	if e := f.exportWithPrefix("proxy_on_"); e != "" {
		return ProxyWasmNoMarker, "export " + e + " without a proxy_abi_version_* marker"
	}
	if im := f.importWithPrefix("env", "proxy_"); im != "" {
		return ProxyWasmNoMarker, "import " + im + " without a proxy_abi_version_* marker"
	}
	if sdk != "" && sdk != SDKHTTPWasmGo && sdk != SDKMOSNProtocol {
		return ProxyWasm, "links " + sdk + ", but exports no Proxy-Wasm callback"
	}
	if strings.HasPrefix(sdk, "github.com/http-wasm/") {
		return HTTPWasm, "links " + sdk
	}
	return NoInterface, "no Proxy-Wasm, http-wasm or MOSN exports or imports"
}
