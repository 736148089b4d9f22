package rules_test

import (
	"testing"

	wabin "github.com/tetratelabs/wabin/wasm"
	wt "github.com/wasmlint/wasmlint/internal/wasmtest"
	"github.com/wasmlint/wasmlint/rules"
)

// Host import rules: PW201-PW205.

// pwEnv imports env.name with the given signature.
func pwEnv(name, sig string) wt.Option { return wt.ImportFunc("env", name, sig) }

const pwMissingImport = `envoy@1.39: "Failed to load Wasm module due to a missing import: `

func TestHostFunctionUnknown(t *testing.T) {
	pwCheck(t, rules.HostFunctionUnknown, []pwCase{
		{name: "0.1.0 function in a 0.2.1 module", bin: wt.Filter(pwEnv("proxy_continue_request", "-> i32")),
			want: []pwWant{pwF(pwE, "import env.proxy_continue_request", "import env.proxy_continue_request is not part of ABI 0.2.1",
				"(it belongs to ABI 0.1.0: the SDK and the marker disagree)", pwMissingImport+`env.proxy_continue_request"`)}},
		{name: "0.2.1 function in a 0.2.0 module", bin: wt.Filter(wt.ABI("0.2.0"), pwEnv("proxy_get_log_level", "i32 -> i32")),
			want: []pwWant{pwF(pwE, "import env.proxy_get_log_level", "not part of ABI 0.2.0", "belongs to ABI 0.2.1")}},
		{name: "0.2.x function in a 0.1.0 module", bin: wt.Filter(wt.ABI("0.1.0"), pwEnv("proxy_continue_stream", "i32 -> i32")),
			want: []pwWant{pwF(pwE, "import env.proxy_continue_stream", "not part of ABI 0.1.0", "belongs to ABI 0.2.0")}},
		{name: "forced ABI", abi: "0.1.0", bin: wt.Filter(pwEnv("proxy_continue_stream", "i32 -> i32")),
			want: []pwWant{pwF(pwE, "import env.proxy_continue_stream", "not part of ABI 0.1.0")}},
		{name: "AssemblyScript abort", bin: wt.Filter(pwEnv("abort", "i32 i32 i32 i32 ->")),
			want: []pwWant{pwF(pwE, "import env.abort", "AssemblyScript runtime glue")}},
		{name: "syscall/js", bin: wt.Filter(pwEnv("syscall/js.valueGet", "i32 i32 i32 ->")),
			want: []pwWant{pwF(pwE, "import env.syscall/js.valueGet", "built with -target=wasm")}},
		{name: "emscripten growth hook before its stub", host: "envoy@1.22", bin: wt.Filter(pwEnv("emscripten_notify_memory_growth", "i32 ->")),
			want: []pwWant{pwF(pwE, "import env.emscripten_notify_memory_growth", "this host release predates its no-op stub")}},
		{name: "emscripten growth hook", host: "envoy@1.23", bin: wt.Filter(pwEnv("emscripten_notify_memory_growth", "i32 ->"))},
		{name: "emscripten growth hook", bin: wt.Filter(pwEnv("emscripten_notify_memory_growth", "i32 ->"))},
		{name: "emscripten glue", bin: wt.Filter(pwEnv("emscripten_memcpy_big", "i32 i32 i32 -> i32")),
			want: []pwWant{pwF(pwE, "import env.emscripten_memcpy_big", "build with -s STANDALONE_WASM")}},
		{name: "invented proxy function", bin: wt.Filter(pwEnv("proxy_foo_bar", "-> i32")),
			want: []pwWant{pwF(pwE, "import env.proxy_foo_bar", "no Proxy-Wasm ABI version defines it")}},
		{name: "invented proxy function", host: "kong", bin: wt.Filter(pwEnv("proxy_foo_bar", "-> i32")),
			want: []pwWant{pwF(pwE, "import env.proxy_foo_bar", `kong@0.6.0: "failed importing \"env.proxy_foo_bar\": missing host function"`)}},
		{name: "invented proxy function", host: "mosn", bin: wt.Filter(wt.ABI("0.2.0"), pwEnv("proxy_foo_bar", "-> i32")),
			want: []pwWant{pwF(pwE, "import env.proxy_foo_bar", "not part of ABI 0.2.0", "!mosn@0.2:")}},
		{name: "pthread_equal", bin: wt.Filter(pwEnv("pthread_equal", "i32 i32 -> i32"))},
		{name: "envoy_resolve_dns", bin: wt.Filter(pwEnv("envoy_resolve_dns", "i32 i32 i32 -> i32"))},
		// Kong links every proxy_* name of every ABI version.
		{name: "0.1.0 function in a 0.2.1 module", host: "kong", bin: wt.Filter(pwEnv("proxy_continue_request", "-> i32"))},
		{name: "Higress extension", host: "higress", bin: wt.Filter(pwEnv("proxy_redis_call", "i32 i32 i32 i32 i32 -> i32"))},
		{name: "Higress extension outside Higress", bin: wt.Filter(pwEnv("proxy_redis_call", "i32 i32 i32 i32 i32 -> i32")),
			want: []pwWant{pwF(pwE, "import env.proxy_redis_call", "not part of ABI 0.2.1")}},
		// MOSN's go-host links its own 0.2.0 draft names.
		{name: "MOSN draft name", host: "mosn", bin: wt.Filter(wt.ABI("0.2.0"), pwEnv("proxy_resume_stream", "i32 -> i32"))},
		{name: "0.2.1 function on MOSN 0.2.0", host: "mosn", bin: wt.Filter(wt.ABI("0.2.0"), pwEnv("proxy_get_log_level", "i32 -> i32")),
			want: []pwWant{pwF(pwE, "import env.proxy_get_log_level", "belongs to ABI 0.2.1")}},
		// A function of the ABI that the host lacks is PW203's.
		{name: "ABI function the host lacks", host: "apisix", bin: wt.Filter(pwEnv("proxy_get_log_level", "i32 -> i32"))},
		{name: "no marker, no ABI", bin: wt.Filter(pwMarker(), pwEnv("proxy_foo_bar", "-> i32"))},
		{name: "WASI and other modules are not env", bin: wt.Filter(pwWASI("fd_write"), wt.ImportFunc("istio_ext", "foo", "->"))},
		{name: "env memory is not a function", bin: wt.Filter(wt.ImportMemory("env", "memory", wt.Mem{Min: 1}))},
	})
}

func TestHostFunctionSignature(t *testing.T) {
	pwCheck(t, rules.HostFunctionSignature, []pwCase{
		{name: "proxy_log with two parameters", bin: wt.Filter(wt.Edit(func(m *wt.Module) { m.Imports[0].Sig = "i32 i32 -> i32" })),
			want: []pwWant{pwF(pwE, "import env.proxy_log", "import env.proxy_log has type i32 i32 -> i32, but the host function is i32 i32 i32 -> i32",
				`envoy@1.39: "Failed to load Wasm module due to an import type mismatch: env.proxy_log, want: i32 i32 -> i32, but host exports: i32 i32 i32 -> i32"`)}},
		{name: "proxy_grpc_call of early 2020", bin: wt.Filter(pwEnv("proxy_grpc_call", "i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 -> i32")),
			want: []pwWant{pwF(pwE, "import env.proxy_grpc_call", "but the host function is i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 -> i32")}},
		{name: "i32 where the host has i64", bin: wt.Filter(pwEnv("proxy_increment_metric", "i32 i32 -> i32")),
			want: []pwWant{pwF(pwE, "import env.proxy_increment_metric", "has type i32 i32 -> i32, but the host function is i32 i64 -> i32")}},
		{name: "missing result", bin: wt.Filter(pwEnv("proxy_done", "->")),
			want: []pwWant{pwF(pwE, "import env.proxy_done", "has type void -> void, but the host function is void -> i32")}},
		{name: "0.1.0 function", bin: wt.Filter(wt.ABI("0.1.0"), pwEnv("proxy_clear_route_cache", "->")),
			want: []pwWant{pwF(pwE, "import env.proxy_clear_route_cache", "void -> i32")}},
		{name: "0.1.0 function", bin: wt.Filter(wt.ABI("0.1.0"), pwEnv("proxy_clear_route_cache", "-> i32"))},
		{name: "envoy_resolve_dns", bin: wt.Filter(pwEnv("envoy_resolve_dns", "i32 i32 -> i32")),
			want: []pwWant{pwF(pwE, "import env.envoy_resolve_dns", "but the host function is i32 i32 i32 -> i32")}},
		{name: "pthread_equal", bin: wt.Filter(pwEnv("pthread_equal", "i64 i64 -> i32")),
			want: []pwWant{pwF(pwE, "import env.pthread_equal", "has type i64 i64 -> i32")}},
		{name: "Higress extension", host: "higress", bin: wt.Filter(pwEnv("proxy_redis_call", "i32 -> i32")),
			want: []pwWant{pwF(pwE, "import env.proxy_redis_call", "but the host function is i32 i32 i32 i32 i32 -> i32")}},
		{name: "no host words", host: "kong", bin: wt.Filter(pwEnv("proxy_done", "->")),
			want: []pwWant{pwF(pwE, "import env.proxy_done", "void -> i32", "!kong@0.6.0:")}},
		{name: "unknown function is PW201's", bin: wt.Filter(pwEnv("proxy_foo_bar", "i64 ->"))},
		{name: "no marker, no ABI", bin: wt.Filter(pwMarker(), pwEnv("proxy_done", "->"))},
		{name: "right types", bin: wt.Filter(pwEnv("proxy_done", "-> i32"), pwEnv("proxy_increment_metric", "i32 i64 -> i32"))},
		{name: "WASI fd_seek with a 32-bit offset", bin: wt.Filter(wt.ImportFunc(pwP1, "fd_seek", "i32 i32 i32 i32 -> i32")),
			want: []pwWant{pwF(pwE, "import wasi_snapshot_preview1.fd_seek", "has type i32 i32 i32 i32 -> i32, but the host function is i32 i64 i32 i32 -> i32",
				`envoy@1.39: "Failed to load Wasm module due to an import type mismatch: wasi_snapshot_preview1.fd_seek`)}},
		{name: "WASI under wasi_unstable", bin: wt.Filter(wt.ImportFunc("wasi_unstable", "proc_exit", "i32 -> i32")),
			want: []pwWant{pwF(pwE, "import wasi_unstable.proc_exit", "but the host function is i32 -> void")}},
		{name: "WASI the host lacks is PW501's", host: "envoy@1.32", bin: wt.Filter(wt.ImportFunc(pwP1, "sched_yield", "i32 -> i32"))},
		{name: "WASI right types", bin: wt.Filter(pwWASI("fd_seek", "sched_yield", "path_open", "proc_exit"))},
	})
}

func TestHostFunctionUnsupported(t *testing.T) {
	logLevel := pwEnv("proxy_get_log_level", "i32 -> i32")
	pwCheck(t, rules.HostFunctionUnsupported, []pwCase{
		{name: "proxy_get_log_level", host: "apisix", bin: wt.Filter(logLevel),
			want: []pwWant{pwF(pwE, "import env.proxy_get_log_level", "import env.proxy_get_log_level is part of ABI 0.2.1 but apisix@0.7 does not provide it",
				"apisix@0.7: \"failed to new instance: unknown import: `env::proxy_get_log_level` has not been defined\"")}},
		{name: "no marker runs as 0.2.1", host: "apisix", bin: wt.Filter(pwMarker(), logLevel),
			want: []pwWant{pwF(pwE, "import env.proxy_get_log_level", "part of ABI 0.2.1")}},
		{name: "two missing functions", host: "apisix", bin: wt.Filter(pwEnv("proxy_get_header_map_size", "i32 i32 -> i32"), pwEnv("proxy_get_buffer_status", "i32 i32 i32 -> i32")),
			want: []pwWant{
				pwF(pwE, "import env.proxy_get_header_map_size", "does not provide it"),
				pwF(pwE, "import env.proxy_get_buffer_status", "does not provide it"),
			}},
		{name: "proxy_get_log_level", host: "kong", bin: wt.Filter(logLevel),
			want: []pwWant{pwF(pwW, "import env.proxy_get_log_level", "import env.proxy_get_log_level links on kong@0.6.0 but is not implemented: the first call traps",
				`kong@0.6.0: "host trap (function not yet implemented): proxy_get_log_level"`)}},
		{name: "gRPC call", host: "kong@0.3.0", bin: wt.Filter(pwEnv("proxy_grpc_call", "i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 -> i32")),
			want: []pwWant{pwF(pwW, "import env.proxy_grpc_call", "links on kong@0.3.0 but is not implemented")}},
		{name: "implemented function", host: "kong", bin: wt.Filter(pwEnv("proxy_get_property", "i32 i32 i32 i32 -> i32"))},
		{name: "proxy_get_log_level", bin: wt.Filter(logLevel)},
		{name: "proxy_get_log_level", host: "higress", bin: wt.Filter(logLevel)},
		// Envoy 1.16 registers the 0.2.0 set whatever the marker.
		{name: "0.1.0 module", host: "envoy@1.16", bin: wt.Filter(wt.ABI("0.1.0"), pwEnv("proxy_continue_request", "-> i32")),
			want: []pwWant{pwF(pwE, "import env.proxy_continue_request", "part of ABI 0.1.0 but envoy@1.16 does not provide it", `"Failed to load Wasm module due to a missing import: env.proxy_continue_request"`)}},
		{name: "proxy_get_log_level", host: "envoy@1.16", bin: wt.Filter(logLevel),
			want: []pwWant{pwF(pwE, "import env.proxy_get_log_level", "envoy@1.16 does not provide it")}},
		{name: "0.2.0 function", host: "envoy@1.16", bin: wt.Filter(pwEnv("proxy_continue_stream", "i32 -> i32"))},
		{name: "0.2.0 function MOSN lacks", host: "mosn", bin: wt.Filter(wt.ABI("0.2.0"), pwEnv("proxy_get_buffer_status", "i32 i32 i32 -> i32")),
			want: []pwWant{pwF(pwE, "import env.proxy_get_buffer_status", "part of ABI 0.2.0 but mosn@0.2 does not provide it")}},
		{name: "0.1.0 function MOSN lacks", host: "mosn", bin: wt.Filter(wt.ABI("0.1.0"), pwEnv("proxy_get_header_map_size", "i32 i32 -> i32")),
			want: []pwWant{pwF(pwE, "import env.proxy_get_header_map_size", "mosn@0.2 does not provide it")}},
		{name: "proxy_log", host: "mosn", bin: wt.Filter(wt.ABI("0.2.0"))},
		// MOSN refuses the 0.2.1 marker (PW104): the imports are not checked.
		{name: "unsupported marker", host: "mosn", bin: wt.Filter(logLevel)},
		{name: "function of another ABI is PW201's", host: "apisix", bin: wt.Filter(pwEnv("proxy_foo_bar", "-> i32"))},
		{name: "extra env function", host: "higress", bin: wt.Filter(pwEnv("proxy_redis_init", "i32 i32 i32 i32 i32 i32 i32 -> i32"))},
	})
}

func TestImportModuleUnknown(t *testing.T) {
	pwCheck(t, rules.ImportModuleUnknown, []pwCase{
		{name: "wasm-bindgen", bin: wt.Filter(wt.ImportFunc("__wbindgen_placeholder__", "__wbindgen_describe", "i32 ->")),
			want: []pwWant{pwF(pwE, "import __wbindgen_placeholder__.__wbindgen_describe", `comes from module "__wbindgen_placeholder__", which Proxy-Wasm hosts do not provide`,
				"wasm-bindgen glue", pwMissingImport+`__wbindgen_placeholder__.__wbindgen_describe"`)}},
		{name: "gojs", bin: wt.Filter(wt.ImportFunc("gojs", "runtime.ticks", "i32 ->")),
			want: []pwWant{pwF(pwE, "import gojs.runtime.ticks", "Go's js/wasm runtime")}},
		{name: "go", bin: wt.Filter(wt.ImportFunc("go", "debug", "i32 ->")),
			want: []pwWant{pwF(pwE, "import go.debug", "build with GOOS=wasip1")}},
		{name: "http-wasm", bin: wt.Filter(wt.ImportFunc("http_handler", "get_uri", "i32 i32 -> i32")),
			want: []pwWant{pwF(pwE, "import http_handler.get_uri", "an http-wasm guest")}},
		{name: "vendor extension", bin: wt.Filter(wt.ImportFunc("istio_ext", "foo", "->")),
			want: []pwWant{pwF(pwE, "import istio_ext.foo", `comes from module "istio_ext"`)}},
		{name: "vendor extension", host: "kong", bin: wt.Filter(wt.ImportFunc("istio_ext", "foo", "->")),
			want: []pwWant{pwF(pwE, "import istio_ext.foo", `comes from module "istio_ext"`)}},
		{name: "Fermyon experimental HTTP", bin: wt.Filter(wt.ImportFunc("wasi_experimental_http", "req", "i32 i32 -> i32")),
			want: []pwWant{pwF(pwE, "import wasi_experimental_http.req", `comes from module "wasi_experimental_http"`, "Fermyon's experimental HTTP: use proxy_http_call")}},
		{name: "two imports from one module", bin: wt.Filter(wt.ImportFunc("istio_ext", "a", "->"), wt.ImportFunc("istio_ext", "b", "->")),
			want: []pwWant{pwF(pwE, "import istio_ext.a"), pwF(pwE, "import istio_ext.b")}},
		{name: "global from a dynamic-linking module", bin: wt.Filter(wt.AddImport(wt.Import{Module: "GOT.mem", Name: "__heap_base", Kind: wt.KindGlobal, Global: wabin.ValueTypeI32})),
			want: []pwWant{pwF(pwE, "import GOT.mem.__heap_base", `comes from module "GOT.mem"`)}},
		{name: "env and WASI", bin: wt.Filter(pwWASI("fd_write"), pwWASIFrom("wasi_unstable", "fd_write"), wt.ImportFunc("wasi:cli/environment@0.2.0", "get-environment", "i32 ->"))},
	})
}

func TestNonFunctionImport(t *testing.T) {
	memBase := wt.AddImport(wt.Import{Module: "env", Name: "__memory_base", Kind: wt.KindGlobal, Global: wabin.ValueTypeI32})
	table := wt.AddImport(wt.Import{Module: "env", Name: "__indirect_function_table", Kind: wt.KindTable, TableMin: 1})
	memory := wt.ImportMemory("env", "memory", wt.Mem{Min: 1})
	pwCheck(t, rules.NonFunctionImport, []pwCase{
		{name: "global", bin: wt.Filter(memBase),
			want: []pwWant{pwF(pwE, "import env.__memory_base", "import env.__memory_base is a global, which envoy@1.39 does not provide", pwMissingImport+`env.__memory_base"`)}},
		{name: "global", host: "kong", bin: wt.Filter(memBase),
			want: []pwWant{pwF(pwE, "import env.__memory_base", "is a global", `kong@0.6.0: "NYI: module import type not supported"`)}},
		{name: "memory", bin: wt.Filter(memory)},
		{name: "memory", host: "envoy@1.16", bin: wt.Filter(memory)},
		{name: "memory", host: "kong", bin: wt.Filter(memory),
			want: []pwWant{pwF(pwE, "import env.memory", "is a memory, which kong@0.6.0 does not provide", "NYI: module import type not supported")}},
		{name: "memory", host: "mosn", bin: wt.Filter(wt.ABI("0.2.0"), memory),
			want: []pwWant{pwF(pwE, "import env.memory", "is a memory, which mosn@0.2 does not provide", "!mosn@0.2:")}},
		{name: "table", bin: wt.Filter(table)},
		{name: "table", host: "apisix", bin: wt.Filter(table),
			want: []pwWant{pwF(pwE, "import env.__indirect_function_table", "is a table, which apisix@0.7 does not provide",
				"apisix@0.7: \"failed to new instance: unknown import: `env::__indirect_function_table` has not been defined\"")}},
		// An exception tag (written by wasmtest: wabin has no tag imports).
		{name: "tag", bin: wt.Filter(wt.AddImport(wt.Import{Module: "env", Name: "__cpp_exception", Kind: wt.KindTag})),
			want: []pwWant{pwF(pwE, "import env.__cpp_exception", "is a tag, which envoy@1.39 does not provide")}},
		{name: "WASI global", bin: wt.Filter(wt.AddImport(wt.Import{Module: pwP1, Name: "g", Kind: wt.KindGlobal, Global: wabin.ValueTypeI32})),
			want: []pwWant{pwF(pwE, "import wasi_snapshot_preview1.g", "is a global")}},
		{name: "unknown module is PW204's", bin: wt.Filter(wt.AddImport(wt.Import{Module: "GOT.mem", Name: "__heap_base", Kind: wt.KindGlobal, Global: wabin.ValueTypeI32}))},
		{name: "functions only", host: "kong", bin: wt.Filter(pwWASI("fd_write"))},
	})
}
