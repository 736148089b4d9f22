package toolchain

import (
	"fmt"
	"strings"
)

// sdkClue is one test for an SDK; tc is the detected toolchain.
type sdkClue struct {
	sdk  string
	test func(f *facts, tc string) string
}

// sdkClues are in priority order, like toolchainClues.
var sdkClues = []sdkClue{
	{SDKHTTPWasmGo, pathClue(SDKHTTPWasmGo)},
	{SDKMOSNProtocol, pathClue(SDKMOSNProtocol)},
	{SDKGoProxyWasm, pathClue(SDKGoProxyWasm)},
	{SDKGoTetrate, pathClue(SDKGoTetrate)},
	{SDKGoMathetake, pathClue(SDKGoMathetake)},
	{SDKRust, rustSDKName},
	{SDKRust, rustSDKCargo},
	{SDKAssemblyScript, anyTC(utf16Clue("~lib/@solo-io/proxy-runtime/", "proxy-runtime source path"))},
	{SDKAssemblyScript, assemblyScriptFilter},
	{SDKZig, anyTC(stringClue("proxy-wasm-zig-sdk", "", "SDK source path"))},
	{SDKEnvoyWasm, envoyWasmAPI},
	{SDKCpp, cppSDK},
	{SDKRust, dispatcherOf(Rust)},
	{SDKGo, dispatcherOf(Go, TinyGo)},
	{SDKZig, dispatcherOf(Zig)},
}

// pickSDK returns the SDK of the first clue that holds, with evidence.
func (f *facts) pickSDK(tc string, r *Report) string {
	winner := ""
	for _, c := range sdkClues {
		if winner != "" && c.sdk != winner {
			continue
		}
		if src := c.test(f, tc); src != "" {
			winner = c.sdk
			r.add(fieldSDK, winner, src)
		}
	}
	if src := pathClue("github.com/alibaba/higress/plugins/wasm-go")(f, tc); src != "" {
		r.add(fieldFramework, "Higress wasm-go", src)
	}
	return winner
}

func anyTC(test func(*facts) string) func(*facts, string) string {
	return func(f *facts, _ string) string { return test(f) }
}

// pathClue finds a Go module path in function names (as TinyGo writes
// them, or as Go mangles them: github.com_proxy_wasm_proxy_wasm_go_sdk)
// or in the data and custom sections (build information, DWARF).
func pathClue(path string) func(*facts, string) string {
	mangled := strings.NewReplacer("/", "_", "-", "_").Replace(path)
	return func(f *facts, _ string) string {
		n := f.name(func(s string) bool { return strings.Contains(s, path) || strings.Contains(s, mangled) })
		if n != "" {
			return fmt.Sprintf("function name %q", clip(n))
		}
		if where := f.text.contains(path); where != "" {
			return fmt.Sprintf("string %q in %s", path, where)
		}
		return ""
	}
}

// rustSDKName: the proxy-wasm crate's functions (proxy_wasm::dispatcher,
// proxy_wasm::traits, proxy_wasm::hostcalls), mangled or demangled.
func rustSDKName(f *facts, _ string) string {
	n := f.name(func(s string) bool {
		return strings.Contains(s, "_ZN10proxy_wasm") || strings.Contains(s, "proxy_wasm::") || strings.Contains(s, "proxy_wasm..")
	})
	if n != "" {
		return fmt.Sprintf("function name %q (the proxy-wasm crate)", clip(n))
	}
	return ""
}

// rustSDKCargo: a Cargo registry path of the proxy-wasm crate, which
// panic messages and DWARF carry ("…/proxy-wasm-0.2.1/src/hostcalls.rs").
func rustSDKCargo(f *facts, _ string) string {
	_, src := f.cargoVersion("proxy-wasm")
	return src
}

// assemblyScriptFilter: proxy-runtime is the AssemblyScript Proxy-Wasm SDK.
func assemblyScriptFilter(f *facts, tc string) string {
	if tc != AssemblyScript {
		return ""
	}
	if e := f.exportWithPrefix("proxy_on_", "proxy_abi_version_"); e != "" {
		return fmt.Sprintf("AssemblyScript module exporting %s (proxy-runtime is the AssemblyScript SDK)", e)
	}
	return ""
}

// envoyWasmAPI: envoy-wasm's C++ API before the ABI was versioned:
// camelCase callbacks (proxy_onStart, _proxy_onConfigure) or the 2018
// host functions (_envoy_log, _wasmLog).
func envoyWasmAPI(f *facts, tc string) string {
	if tc != Emscripten && tc != Clang {
		return ""
	}
	if e := f.exportWithPrefix("proxy_on", "_proxy_on", "proxy_validateConfiguration"); e != "" && isCamelCallback(e) {
		return fmt.Sprintf("camelCase callback export %s (envoy-wasm's C++ API, 2019)", e)
	}
	if im := f.importWithPrefix("env", "_envoy_", "_wasmLog", "_proxy_"); im != "" {
		return fmt.Sprintf("import %s (envoy-wasm's C++ API, 2018)", im)
	}
	return ""
}

// cppSDK: proxy-wasm-cpp-sdk exports proxy_validate_configuration and
// every callback of its dispatcher; its source file is
// proxy_wasm_intrinsics.cc.
func cppSDK(f *facts, tc string) string {
	if tc != Emscripten && tc != Clang {
		return ""
	}
	if f.exported("proxy_validate_configuration") {
		return "export proxy_validate_configuration (proxy-wasm-cpp-sdk)"
	}
	if n := f.name(func(s string) bool { return strings.Contains(s, "proxy_wasm_intrinsics") }); n != "" {
		return fmt.Sprintf("function name %q (proxy-wasm-cpp-sdk)", clip(n))
	}
	return dispatcherOf(Emscripten, Clang)(f, tc)
}

// dispatcher holds callbacks only an SDK exports all of: a filter written
// without one exports what it handles, an SDK its whole dispatcher.
var dispatcher = []string{
	"proxy_on_vm_start", "proxy_on_configure", "proxy_on_tick", "proxy_on_queue_ready",
	"proxy_on_context_create", "proxy_on_new_connection", "proxy_on_downstream_data",
	"proxy_on_upstream_data", "proxy_on_request_headers", "proxy_on_response_headers",
	"proxy_on_http_call_response", "proxy_on_done", "proxy_on_log", "proxy_on_delete",
}

func dispatcherOf(toolchains ...string) func(*facts, string) string {
	return func(f *facts, tc string) string {
		for _, t := range toolchains {
			if t == tc && f.exported(dispatcher...) {
				return fmt.Sprintf("exports every HTTP, network and root callback (%d of them), as an SDK's dispatcher does", len(dispatcher))
			}
		}
		return ""
	}
}

// isCamelCallback reports whether an export is a pre-ABI camelCase
// callback: proxy_onStart, _proxy_onRequestHeaders.
func isCamelCallback(name string) bool {
	rest := strings.TrimPrefix(strings.TrimPrefix(name, "_"), "proxy_")
	return len(rest) > 2 && (strings.HasPrefix(rest, "on") || strings.HasPrefix(rest, "validate")) &&
		!strings.HasPrefix(rest, "on_") && strings.ContainsAny(rest, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
}
