package toolchain_test

import (
	"strings"
	"testing"

	"github.com/wasmlint/wasmlint/analyzer/toolchain"
	"github.com/wasmlint/wasmlint/analyzer/wasm"
	"github.com/wasmlint/wasmlint/internal/wasmtest"
)

// mod builds a module literal: exports are "name" (function) or
// "global:name"; imports are "module.name".
func mod(exports, imports []string, opts ...func(*wasm.Module)) *wasm.Module {
	m := &wasm.Module{Size: 50000}
	for _, e := range exports {
		kind := wasm.KindFunc
		if name, ok := strings.CutPrefix(e, "global:"); ok {
			kind, e = wasm.KindGlobal, name
		}
		m.Exports = append(m.Exports, wasm.Export{Name: e, Kind: kind})
	}
	for _, im := range imports {
		module, name, _ := strings.Cut(im, ".")
		m.Imports = append(m.Imports, wasm.Import{Module: module, Name: name, Kind: wasm.KindFunc})
	}
	for _, o := range opts {
		o(m)
	}
	return m
}

func producers(field, name, version string) func(*wasm.Module) {
	return func(m *wasm.Module) {
		if m.Producers == nil {
			m.Producers = wasm.Producers{}
		}
		m.Producers[field] = append(m.Producers[field], wasm.Producer{Name: name, Version: version})
		m.Customs = append(m.Customs, wasm.Section{Name: "producers"})
	}
}

func names(ns ...string) func(*wasm.Module) {
	return func(m *wasm.Module) {
		for i, n := range ns {
			m.FuncNames = append(m.FuncNames, wasm.FuncName{Index: uint32(i), Name: n})
		}
		m.Customs = append(m.Customs, wasm.Section{Name: "name"})
	}
}

func custom(name string) func(*wasm.Module) {
	return func(m *wasm.Module) { m.Customs = append(m.Customs, wasm.Section{Name: name}) }
}

func tiny(m *wasm.Module) { m.Size = 300; m.Funcs = make([]uint32, 5) }

// dispatcherExports is what an SDK's dispatcher exports.
var dispatcherExports = []string{
	"proxy_abi_version_0_2_1", "proxy_on_memory_allocate", "proxy_on_vm_start", "proxy_on_configure", "proxy_on_tick",
	"proxy_on_queue_ready", "proxy_on_context_create", "proxy_on_new_connection", "proxy_on_downstream_data",
	"proxy_on_upstream_data", "proxy_on_request_headers", "proxy_on_response_headers",
	"proxy_on_http_call_response", "proxy_on_done", "proxy_on_log", "proxy_on_delete",
}

func with(list []string, more ...string) []string {
	return append(append([]string{}, list...), more...)
}

func TestDetect(t *testing.T) {
	marker := []string{"proxy_abi_version_0_2_1", "proxy_on_request_headers"}
	tests := []struct {
		name  string
		m     *wasm.Module
		want  toolchain.Info
		iface string
	}{
		{"nothing", mod(nil, nil), toolchain.Info{}, toolchain.NoInterface},
		{"rustc producers", mod(marker, nil, producers("processed-by", "rustc", "1.79.0 (129f3b996 2024-06-10)")),
			toolchain.Info{Toolchain: "Rust", ToolchainVersion: "1.79.0"}, toolchain.ProxyWasm},
		{"TinyGo producers", mod(marker, nil, producers("language", "C99", ""), producers("processed-by", "TinyGo", "0.28.1")),
			toolchain.Info{Toolchain: "TinyGo", ToolchainVersion: "0.28.1"}, toolchain.ProxyWasm},
		{"Go producers", mod(marker, nil, producers("processed-by", "Go cmd/compile", "go1.24.1")),
			toolchain.Info{Toolchain: "Go", ToolchainVersion: "1.24.1"}, toolchain.ProxyWasm},
		{"Debian clang", mod(marker, nil, producers("processed-by", "Debian clang", "10.0.1-++20200708124224+ef32c611aa2-1~exp1")),
			toolchain.Info{Toolchain: "clang", ToolchainVersion: "10.0.1"}, toolchain.ProxyWasm},
		{"clang of tinygo-org", mod(marker, nil, producers("processed-by", "clang", "11.0.0 (https://github.com/tinygo-org/llvm-project 9ecb19f)")),
			toolchain.Info{Toolchain: "TinyGo"}, toolchain.ProxyWasm},
		{"go:buildid", mod(marker, nil, custom("go:buildid")), toolchain.Info{Toolchain: "Go"}, toolchain.ProxyWasm},
		{"Go wasip1 imports", mod(marker, []string{"wasi_snapshot_preview1.sched_yield", "wasi_snapshot_preview1.proc_exit"}),
			toolchain.Info{Toolchain: "Go"}, toolchain.ProxyWasm},
		{"AssemblyScript runtime", mod(with(marker, "__new", "__pin"), nil),
			toolchain.Info{Toolchain: "AssemblyScript", SDK: toolchain.SDKAssemblyScript}, toolchain.ProxyWasm},
		{"Emscripten and cpp SDK", mod(with(marker, "stackSave", "stackAlloc", "proxy_validate_configuration"), nil),
			toolchain.Info{Toolchain: "Emscripten", SDK: toolchain.SDKCpp}, toolchain.ProxyWasm},
		{"Emscripten without SDK", mod(with(marker, "emscripten_stack_init"), nil),
			toolchain.Info{Toolchain: "Emscripten"}, toolchain.ProxyWasm},
		{"rustc exports", mod(with(marker, "global:__data_end", "global:__heap_base"), nil),
			toolchain.Info{Toolchain: "Rust"}, toolchain.ProxyWasm},
		{"rustc exports, SDK dispatcher", mod(with(dispatcherExports, "global:__data_end", "global:__heap_base"), nil),
			toolchain.Info{Toolchain: "Rust", SDK: toolchain.SDKRust}, toolchain.ProxyWasm},
		{"TinyGo exports __data_end too", mod(with(marker, "global:__data_end", "global:__heap_base", "global:__dso_handle"), nil),
			toolchain.Info{}, toolchain.ProxyWasm},
		{"proxy_wasm crate names", mod(marker, nil, names("_ZN10proxy_wasm10dispatcher10DISPATCHER7__getit17h5615c30d0cebec9eE", "_ZN4core3fmt5write17h0123456789abcdefE")),
			toolchain.Info{Toolchain: "Rust", SDK: toolchain.SDKRust}, toolchain.ProxyWasm},
		{"TinyGo and tetratelabs SDK", mod(marker, nil, names("runtime.alloc", "github.com/tetratelabs/proxy-wasm-go-sdk/proxywasm.SetEffectiveContext")),
			toolchain.Info{Toolchain: "TinyGo", SDK: toolchain.SDKGoTetrate}, toolchain.ProxyWasm},
		{"Go and proxy-wasm SDK, mangled", mod(marker, nil, custom("go:buildid"), names("github.com_proxy_wasm_proxy_wasm_go_sdk_proxywasm.SetVMContext")),
			toolchain.Info{Toolchain: "Go", SDK: toolchain.SDKGoProxyWasm}, toolchain.ProxyWasm},
		{"Go dispatcher, path unknown", mod(dispatcherExports, nil, custom("go:buildid")),
			toolchain.Info{Toolchain: "Go", SDK: toolchain.SDKGo}, toolchain.ProxyWasm},
		{"AssemblyScript names", mod(marker, nil, names("~lib/rt/tlsf/allocateBlock")),
			toolchain.Info{Toolchain: "AssemblyScript", SDK: toolchain.SDKAssemblyScript}, toolchain.ProxyWasm},
		{"Zig", mod(dispatcherExports, nil, names("heap.WasmAllocator.alloc")),
			toolchain.Info{Toolchain: "Zig", SDK: toolchain.SDKZig}, toolchain.ProxyWasm},
		{"http-wasm", mod([]string{"handle_request"}, []string{"http_handler.get_uri"}, names("runtime.alloc", "github.com/http-wasm/http-wasm-guest-tinygo/handler.Host")),
			toolchain.Info{Toolchain: "TinyGo", SDK: toolchain.SDKHTTPWasmGo}, toolchain.HTTPWasm},
		{"MOSN protocol", mod([]string{"proxy_decode_buffer_bytes", "proxy_on_vm_start"}, nil),
			toolchain.Info{}, toolchain.MOSNProtocol},
		{"camelCase callbacks", mod([]string{"proxy_onStart", "stackSave", "stackAlloc"}, nil),
			toolchain.Info{Toolchain: "Emscripten", SDK: toolchain.SDKEnvoyWasm, SDKVersion: "2019 (camelCase callbacks)"}, toolchain.ProxyWasmPreABI},
		{"2018 envoy-wasm API", mod([]string{"_onStart"}, []string{"env._envoy_log", "global.NaN"}),
			toolchain.Info{Toolchain: "Emscripten", SDK: toolchain.SDKEnvoyWasm, SDKVersion: "2018 (_envoy_* host functions)"}, toolchain.ProxyWasmPreABI},
		{"no marker", mod([]string{"proxy_on_vm_start"}, []string{"env.proxy_log"}), toolchain.Info{}, toolchain.ProxyWasmNoMarker},
		{"no marker, SDK", mod([]string{"proxy_on_vm_start", "proxy_validate_configuration", "stackSave", "stackAlloc"}, nil),
			toolchain.Info{Toolchain: "Emscripten", SDK: toolchain.SDKCpp, SDKVersion: "pre-ABI"}, toolchain.ProxyWasmNoMarker},
		{"tiny hand-written", mod(marker, nil, tiny), toolchain.Info{Toolchain: "WAT"}, toolchain.ProxyWasm},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := toolchain.Analyze(tc.m, nil)
			if r.Info != tc.want || r.Interface != tc.iface {
				t.Errorf("got %+v, interface %q; want %+v, %q\nevidence: %+v", r.Info, r.Interface, tc.want, tc.iface, r.Evidence)
			}
			if d := toolchain.Detect(tc.m); d != r.Info {
				t.Errorf("Detect = %+v, Analyze = %+v", d, r.Info)
			}
			if tc.want.Toolchain != "" && !hasEvidence(r, "toolchain", tc.want.Toolchain) {
				t.Errorf("no evidence for toolchain %s: %+v", tc.want.Toolchain, r.Evidence)
			}
		})
	}
}

func hasEvidence(r toolchain.Report, field, value string) bool {
	for _, e := range r.Evidence {
		if e.Field == field && e.Value == value && e.Source != "" {
			return true
		}
	}
	return false
}

// TestAnalyzeStrings checks the clues read from the bytes: Go build
// information, Cargo paths, UTF-16 AssemblyScript paths, DWARF producers.
func TestAnalyzeStrings(t *testing.T) {
	utf16 := func(s string) []byte {
		var b []byte
		for _, c := range s {
			b = append(b, byte(c), 0)
		}
		return b
	}
	tests := []struct {
		name string
		bin  []byte
		want toolchain.Info
	}{
		{"Go build information", wasmtest.Filter(wasmtest.Custom("go:buildid", []byte("x")),
			wasmtest.Custom("data", []byte("path\tx\nmod\tx\t(devel)\t\ndep\tgithub.com/tetratelabs/proxy-wasm-go-sdk\tv0.24.0\th1:abc=\n"))),
			toolchain.Info{Toolchain: "Go", SDK: toolchain.SDKGoTetrate, SDKVersion: "v0.24.0"}},
		{"replaced Go module", wasmtest.Filter(wasmtest.Custom("go:buildid", []byte("x")),
			wasmtest.Custom("data", []byte("dep\tgithub.com/tetratelabs/proxy-wasm-go-sdk\tv0.22.0\th1:x=\n=>\tgithub.com/higress-group/proxy-wasm-go-sdk\tv0.0.0-2024\th1:y=\n"))),
			toolchain.Info{Toolchain: "Go", SDK: toolchain.SDKGoTetrate, SDKVersion: "v0.0.0-2024"}},
		{"Cargo path", wasmtest.Filter(wasmtest.Custom("producers-less", []byte("/home/u/.cargo/registry/src/index.crates.io-6f17d22bba15001f/proxy-wasm-0.2.1/src/hostcalls.rs"))),
			toolchain.Info{Toolchain: "Rust", SDK: toolchain.SDKRust, SDKVersion: "0.2.1"}},
		{"AssemblyScript UTF-16", wasmtest.Filter(wasmtest.Custom("strings", utf16("~lib/rt/pure.ts ~lib/@solo-io/proxy-runtime/runtime.ts"))),
			toolchain.Info{Toolchain: "AssemblyScript", SDK: toolchain.SDKAssemblyScript}},
		{"Zig DWARF producer", wasmtest.Filter(wasmtest.Custom(".debug_str", []byte("zig 0.14.0\x00/src/proxy-wasm-zig-sdk/lib/contexts.zig"))),
			toolchain.Info{Toolchain: "Zig", ToolchainVersion: "0.14.0", SDK: toolchain.SDKZig}},
		{"TinyGo Homebrew path", wasmtest.Filter(wasmtest.Custom(".debug_line", []byte("/usr/local/Cellar/tinygo/0.12.0/src/runtime"))),
			toolchain.Info{Toolchain: "TinyGo", ToolchainVersion: "0.12.0"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := wasm.Decode(tc.bin)
			if err != nil {
				t.Fatal(err)
			}
			if r := toolchain.Analyze(m, tc.bin); r.Info != tc.want {
				t.Errorf("got %+v, want %+v\nevidence: %+v", r.Info, tc.want, r.Evidence)
			}
		})
	}
}

func TestAnalyzeNil(t *testing.T) {
	if r := toolchain.Analyze(nil, []byte("not wasm")); r.Interface != toolchain.NotWasm || r.Info != (toolchain.Info{}) {
		t.Errorf("Analyze(nil) = %+v", r)
	}
}
