package abiversions

// Kong ngx_wasm_module, MOSN proxy-wasm-go-host and APISIX wasm-nginx-module.
// Facts from wasmlint reference hosts.md §3-5, hosts.json and failures.md
// (read there at Kong 3bed2783 and release tags, go-host 25a9e13,
// wasm-nginx-module 0b4b31d); not re-read at the source for this package.

// Kong: which WASI list. ngx_wasm_module links WASI differently per engine:
// on V8 only its own ngx_wasi functions exist (15, 18 from 0.6.0; anything
// else fails with NYI - unhandled WASI function "<name>"), on Wasmtime and
// Wasmer the engine's complete preview1 is defined and the ngx_wasi functions
// shadow it. hosts.json picks the V8 list as "most restrictive", but Kong
// Gateway, the product behind --host kong, bundles ngx_wasm_module with
// Wasmtime (hosts.md §3 "Wasmtime 26.0.0 (Kong Gateway default)"). With the
// V8 list, modules that link on every Kong Gateway (e.g. a TinyGo module
// importing fd_filestat_get, or Go 1.24 wasip1 modules on 0.5.0, Kong#682)
// would get a link error, and a wrong error blocks a deploy. So the profiles
// describe the Wasmtime build: the full preview1 list, with the ngx_wasi
// stubs that shadow it. V8 builds of ngx_wasm_module are not modelled.
var (
	featWasmtime26 = []string{"bulk-memory", "extended-const", "multi-memory", "multi-value", "mutable-globals",
		"reference-types", "relaxed-simd", "saturating-float-to-int", "sign-extension", "simd128", "tail-call", "threads-atomics"}

	// ngx_wasi functions that fail or do nothing (src/wasm/wasi/ngx_wasi_preview1_host.c).
	kongStubs = map[string]Stub{
		"fd_close":            returns(8, "returns EBADF (8)"),
		"fd_fdstat_get":       returns(8, "returns EBADF (8)"),
		"fd_prestat_get":      returns(8, "returns EBADF (8): there are no preopened directories"),
		"fd_prestat_dir_name": returns(58, "returns ENOTSUP (58)"),
		"fd_read":             returns(8, "returns EBADF (8)"),
		"fd_seek":             returns(8, "returns EBADF (8)"),
		"path_open":           returns(54, "returns ENOTDIR (54)"),
		"proc_exit":           traps("traps: not yet implemented"),
	}
	// prerelease-0.6.0 (49735f59, after Kong#682) shadows three more; before
	// it Wasmtime's own implementations answered them.
	kongStubs060 = mergeStubs(kongStubs, map[string]Stub{
		"fd_fdstat_set_flags": returns(8, "returns EBADF (8)"),
		"sched_yield":         returns(58, "returns ENOTSUP (58)"),
		"poll_oneoff":         returns(58, "returns ENOTSUP (58)"),
	})

	// Host functions that link but trap with "host trap (function not yet
	// implemented)" (src/common/proxy_wasm/ngx_proxy_wasm_host.c at HEAD;
	// older builds also trapped on proxy_define_metric, Kong#454, 2023,
	// which is not modelled). proxy_resume_downstream/upstream are old
	// vNEXT-draft names in no Version table.
	kongNYI = []string{
		"proxy_get_log_level", "proxy_done", "proxy_resume_downstream", "proxy_resume_upstream",
		"proxy_close_stream", "proxy_continue_response", "proxy_grpc_call", "proxy_grpc_stream",
		"proxy_grpc_send", "proxy_grpc_cancel", "proxy_grpc_close", "proxy_get_status",
		"proxy_resolve_shared_queue", "proxy_clear_route_cache",
	}

	msgKong = Messages{
		// ngx_wavm resolves env itself, whatever the engine.
		MissingImport:  `failed importing "%s": missing host function`,
		MissingMalloc:  `"<filter>" filter missing malloc`,
		MissingABI:     "unknown ABI version",
		UnknownABI:     "incompatible ABI version%.0s",
		NonFuncImport:  "NYI: module import type not supported%.0s",
		NotYetImpl:     "host trap (function not yet implemented): %s",
		MissingCallbks: "filter missing one of: on_context_create, on_vm_start, on_plugin_start",
		// UnknownModule: V8 builds say cannot resolve unknown module "<m>";
		// the Wasmtime wording was not read, so it is left empty.
	}
)

var kongReleases = []struct{ release, date string }{
	{"0.1.0", "2023-07-30"},
	{"0.2.0", "date unknown"},
	{"0.3.0", "2024-02-23"},
	{"0.4.0", "2024-06-25"},
	{"0.5.0", "2024-10-23"},
	{"0.6.0", "2025-02-24"},
}

func kongProfiles() []*Profile {
	var out []*Profile
	for _, r := range kongReleases {
		stubs := kongStubs
		if r.release == "0.6.0" {
			stubs = kongStubs060
		}
		out = append(out, &Profile{
			Host:    "kong",
			Release: r.release,
			Family:  Kong,
			Source: "Kong/ngx_wasm_module prerelease-" + r.release + " (" + r.date + "), read at 3bed2783 and the release tags: " +
				"src/common/proxy_wasm/ngx_proxy_wasm.c (ABI detection, required callbacks, allocator), " +
				"src/common/proxy_wasm/ngx_proxy_wasm_host.c (NYI host functions), src/wasm/wasi/ngx_wasi_preview1_host.c, " +
				"src/wasm/wrt/ngx_wrt_wasmtime.c (wasmtime_linker_define_wasi), docs/PROXY_WASM.md (hosts.md §3); " +
				"Wasmtime 26.0.0 is the CI pin at 3bed2783, older releases' pins were not read",
			ABIs:              abisCppHost, // vNEXT only in debug builds
			Detection:         FirstMarker,
			LinksAllVersions:  true,
			NotImplemented:    kongNYI,
			WASIModules:       []string{wasiPreview1},
			WASI:              wasiPreview1Full,
			WASIStubs:         stubs,
			Imports:           ImportKinds{},
			Allocators:        []string{"malloc", "proxy_on_memory_allocate"},
			Entry:             EntryFirstOf,
			RequiredCallbacks: []string{"proxy_on_context_create", "proxy_on_vm_start", "proxy_on_configure"},
			Engine:            "wasmtime",
			EngineVersion:     "26.0.0",
			Features:          featWasmtime26,
			Msg:               msgKong,
		})
	}
	return out
}

// MOSN: mosn/proxy-wasm-go-host v0.2.0. Its import sets follow neither
// Envoy's 0.1.0 nor 0.2.x (mosn/proxy-wasm-go-host#10); the 0.2.0 set is an
// early vNEXT draft.
func mosnProfile() *Profile {
	return &Profile{
		Host:    "mosn",
		Release: "0.2",
		Family:  MOSN,
		Source: "mosn/proxy-wasm-go-host v0.2.0 (HEAD 25a9e13, 2023-06-26): proxywasm/v1 and proxywasm/v2 " +
			"RegisterImports, wazero and wasmer-go engines (hosts.md §4, hosts.json proxy_imports); how MOSN " +
			"itself (mosn/mosn pkg/wasm) wraps the library was not verified",
		ABIs:      []string{"0.1.0", "0.2.0"},
		Detection: FirstMarker,
		ProxyFuncs: map[string][]string{
			"0.1.0": {
				"proxy_log", "proxy_set_effective_context", "proxy_get_property", "proxy_set_property",
				"proxy_get_buffer_bytes", "proxy_set_buffer_bytes", "proxy_get_header_map_pairs",
				"proxy_set_header_map_pairs", "proxy_get_header_map_value", "proxy_replace_header_map_value",
				"proxy_add_header_map_value", "proxy_remove_header_map_value", "proxy_set_tick_period_milliseconds",
				"proxy_get_current_time_nanoseconds", "proxy_resume_downstream", "proxy_resume_upstream",
				"proxy_open_grpc_stream", "proxy_send_grpc_call_message", "proxy_cancel_grpc_call",
				"proxy_close_grpc_call", "proxy_grpc_call", "proxy_dispatch_grpc_call", "proxy_resume_http_request",
				"proxy_resume_http_response", "proxy_send_http_response", "proxy_http_call", "proxy_dispatch_http_call",
				"proxy_define_metric", "proxy_remove_metric", "proxy_increment_metric", "proxy_record_metric",
				"proxy_get_metric", "proxy_register_shared_queue", "proxy_remove_shared_queue",
				"proxy_resolve_shared_queue", "proxy_dequeue_shared_queue", "proxy_enqueue_shared_queue",
				"proxy_get_shared_data", "proxy_set_shared_data", "proxy_done", "proxy_call_foreign_function",
			},
			"0.2.0": {
				"proxy_log", "proxy_set_effective_context", "proxy_context_finalize", "proxy_resume_stream",
				"proxy_close_stream", "proxy_send_http_response", "proxy_resume_http_stream", "proxy_close_http_stream",
				"proxy_get_buffer_bytes", "proxy_get_buffer", "proxy_set_buffer", "proxy_get_header_map_pairs",
				"proxy_get_header_map_value", "proxy_replace_header_map_value", "proxy_open_shared_kvstore",
				"proxy_get_shared_kvstore_key_values", "proxy_set_shared_kvstore_key_values",
				"proxy_add_shared_kvstore_key_values", "proxy_remove_shared_kvstore_key", "proxy_delete_shared_kvstore",
				"proxy_open_shared_queue", "proxy_dequeue_shared_queue_item", "proxy_enqueue_shared_queue_item",
				"proxy_delete_shared_queue", "proxy_create_timer", "proxy_delete_timer", "proxy_create_metric",
				"proxy_get_metric_value", "proxy_set_metric_value", "proxy_increment_metric_value",
				"proxy_delete_metric", "proxy_http_call", "proxy_dispatch_http_call", "proxy_dispatch_grpc_call",
				"proxy_open_grpc_stream", "proxy_send_grpc_stream_message", "proxy_cancel_grpc_call",
				"proxy_close_grpc_call", "proxy_call_custom_function",
			},
		},
		// The engine's full preview1; wazero also registers wasi_unstable
		// when the ABI is 0.1.0. Both are listed so that no module is
		// refused for a module name one of the engines provides.
		WASIModules: []string{wasiPreview1, wasiUnstable},
		WASI:        wasiPreview1Full,
		// Only host functions are defined in env; non-function imports do
		// not resolve (engine link error).
		Imports:    ImportKinds{},
		Allocators: []string{"malloc"}, // no proxy_on_memory_allocate fallback
		Entry:      EntryStartOnly,
		// Exports are called without a load-time type check.
		ChecksCallbackSigs: false,
		Engine:             "wazero",
		EngineVersion:      "1.2.1",
		Features:           []string{"mutable-globals", "sign-extension", "saturating-float-to-int", "multi-value", "bulk-memory", "reference-types", "simd128"},
		Msg: Messages{
			UnknownABI: "unknown ABI: %s",
		},
	}
}

// APISIX: api7/wasm-nginx-module 0.7.0 (HEAD 0b4b31d, 2024-02-20).
var apisixProxyFuncs = []string{
	"proxy_add_header_map_value", "proxy_call_foreign_function", "proxy_clear_route_cache", "proxy_close_stream",
	"proxy_continue_request", "proxy_continue_response", "proxy_continue_stream", "proxy_define_metric",
	"proxy_dequeue_shared_queue", "proxy_done", "proxy_enqueue_shared_queue", "proxy_get_buffer_bytes",
	"proxy_get_configuration", "proxy_get_current_time_nanoseconds", "proxy_get_header_map_pairs",
	"proxy_get_header_map_value", "proxy_get_metric", "proxy_get_property", "proxy_get_shared_data",
	"proxy_get_status", "proxy_grpc_call", "proxy_grpc_cancel", "proxy_grpc_close", "proxy_grpc_send",
	"proxy_grpc_stream", "proxy_http_call", "proxy_increment_metric", "proxy_log", "proxy_record_metric",
	"proxy_register_shared_queue", "proxy_remove_header_map_value", "proxy_replace_header_map_value",
	"proxy_resolve_shared_queue", "proxy_send_http_response", "proxy_send_local_response",
	"proxy_set_buffer_bytes", "proxy_set_effective_context", "proxy_set_header_map_pairs", "proxy_set_property",
	"proxy_set_shared_data", "proxy_set_tick_period_milliseconds",
}

func apisixProfile() *Profile {
	// The same env functions link whatever the declared version (no
	// proxy_get_log_level, proxy_get_header_map_size, proxy_get_buffer_status).
	funcs := map[string][]string{}
	for _, v := range abisCppHost {
		funcs[v] = apisixProxyFuncs
	}
	wasmtimeUnknown := "failed to new instance: unknown import: `%s` has not been defined"
	return &Profile{
		Host:    "apisix",
		Release: "0.7",
		Family:  APISIX,
		Source: "api7/wasm-nginx-module 0.7.0 (HEAD 0b4b31d, 2024-02-20): src/ (ABI detection, env host functions, " +
			"memory and allocator lookup), lib/resty/proxy-wasm.lua, install-wasmtime.sh (Wasmtime 0.38.1) " +
			"(hosts.md §5, hosts.json)",
		ABIs:               abisCppHost,
		Detection:          HighestMarker,
		AssumeLatestABI:    true,
		ProxyFuncs:         funcs,
		WASIModules:        []string{wasiPreview1},
		WASI:               wasiPreview1Full, // wasmtime_linker_define_wasi, inheriting env and stdio
		Imports:            ImportKinds{},
		MemoryExport:       "memory",
		Allocators:         []string{"proxy_on_memory_allocate", "malloc"},
		Entry:              EntryStartFirst,
		RequiredCallbacks:  []string{"proxy_on_configure"},
		ChecksCallbackSigs: false,
		Engine:             "wasmtime",
		EngineVersion:      "0.38.1",
		Features:           []string{"bulk-memory", "multi-value", "mutable-globals", "reference-types", "saturating-float-to-int", "sign-extension", "simd128"},
		Msg: Messages{
			// Wasmtime prints the import as `module::name`; the format
			// gets "module.name".
			MissingImport:  wasmtimeUnknown,
			ImportSep:      "::",
			NonFuncImport:  wasmtimeUnknown,
			MissingMalloc:  "failed to malloc",
			MissingMemory:  "the wasm plugin doesn't export memory",
			MissingCallbks: "failed to run proxy_on_configure",
		},
	}
}
