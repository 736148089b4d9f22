package abiversions

// V0_2_1 is Proxy-Wasm ABI 0.2.1: the env host functions proxy-wasm-cpp-host
// registers for a module that declares it, and the exports it looks up, each with
// the signature cpp-host registers or checks (which is what links or loads).
//
// Spec: https://github.com/proxy-wasm/spec/blob/155da15d93ac2c56537711586b925f193734122a/abi-versions/v0.2.1/README.md
// cpp-host: https://github.com/proxy-wasm/proxy-wasm-cpp-host/tree/52a02917b301c679ff43565064cffd2c3c750f6d
// (include/proxy-wasm/exports.h signatures, src/wasm.cc registerCallbacks and
// getFunctions, include/proxy-wasm/wasm.h callback types); transcribed from
// wasmlint reference abi.json and re-checked against exports.h at that commit.
var V0_2_1 = &Version{
	Name:     "0.2.1",
	Marker:   "proxy_abi_version_0_2_1",
	Accepted: true,
	Spec:     "proxy-wasm/spec@155da15d93ac2c56537711586b925f193734122a abi-versions/v0.2.1/README.md",
	HostFuncs: []Func{
		fn("proxy_add_header_map_value", "i32 i32 i32 i32 i32 -> i32"),
		fn("proxy_call_foreign_function", "i32 i32 i32 i32 i32 i32 -> i32"),
		fn("proxy_close_stream", "i32 -> i32"),
		fn("proxy_continue_stream", "i32 -> i32"),
		fn("proxy_define_metric", "i32 i32 i32 i32 -> i32"),
		fn("proxy_dequeue_shared_queue", "i32 i32 i32 -> i32"),
		fn("proxy_done", "-> i32"),
		fn("proxy_enqueue_shared_queue", "i32 i32 i32 -> i32"),
		fn("proxy_get_buffer_bytes", "i32 i32 i32 i32 i32 -> i32"),
		fn("proxy_get_buffer_status", "i32 i32 i32 -> i32"),
		fn("proxy_get_current_time_nanoseconds", "i32 -> i32"),
		fn("proxy_get_header_map_pairs", "i32 i32 i32 -> i32"),
		fn("proxy_get_header_map_size", "i32 i32 -> i32"),
		fn("proxy_get_header_map_value", "i32 i32 i32 i32 i32 -> i32"),
		fn("proxy_get_log_level", "i32 -> i32"),
		fn("proxy_get_metric", "i32 i32 -> i32"),
		fn("proxy_get_property", "i32 i32 i32 i32 -> i32"),
		fn("proxy_get_shared_data", "i32 i32 i32 i32 i32 -> i32"),
		fn("proxy_get_status", "i32 i32 i32 -> i32"),
		fn("proxy_grpc_call", "i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 -> i32"),
		fn("proxy_grpc_cancel", "i32 -> i32"),
		fn("proxy_grpc_close", "i32 -> i32"),
		fn("proxy_grpc_send", "i32 i32 i32 i32 -> i32"),
		fn("proxy_grpc_stream", "i32 i32 i32 i32 i32 i32 i32 i32 i32 -> i32"),
		fn("proxy_http_call", "i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 -> i32"),
		fn("proxy_increment_metric", "i32 i64 -> i32"),
		fn("proxy_log", "i32 i32 i32 -> i32"),
		fn("proxy_record_metric", "i32 i64 -> i32"),
		fn("proxy_register_shared_queue", "i32 i32 i32 -> i32"),
		fn("proxy_remove_header_map_value", "i32 i32 i32 -> i32"),
		fn("proxy_replace_header_map_value", "i32 i32 i32 i32 i32 -> i32"),
		fn("proxy_resolve_shared_queue", "i32 i32 i32 i32 i32 -> i32"),
		fn("proxy_send_local_response", "i32 i32 i32 i32 i32 i32 i32 i32 -> i32"),
		fn("proxy_set_buffer_bytes", "i32 i32 i32 i32 i32 -> i32"),
		fn("proxy_set_effective_context", "i32 -> i32"),
		fn("proxy_set_header_map_pairs", "i32 i32 i32 -> i32"),
		fn("proxy_set_property", "i32 i32 i32 i32 -> i32"),
		fn("proxy_set_shared_data", "i32 i32 i32 i32 i32 -> i32"),
		fn("proxy_set_tick_period_milliseconds", "i32 -> i32"),
	},
	Callbacks: []Func{
		fn("_initialize", "->"),
		fn("main", "i32 i32 -> i32"),
		// looked up only since cpp-host e55d150 (2026-03-03, Envoy 1.39).
		fn("__main_void", "-> i32"),
		fn("_start", "->"),
		fn("malloc", "i32 -> i32"),
		fn("proxy_on_memory_allocate", "i32 -> i32"),
		// not in the spec; cpp-host looks it up for every version.
		fn("proxy_validate_configuration", "i32 i32 -> i32"),
		fn("proxy_on_vm_start", "i32 i32 -> i32"),
		fn("proxy_on_configure", "i32 i32 -> i32"),
		fn("proxy_on_tick", "i32 ->"),
		fn("proxy_on_context_create", "i32 i32 ->"),
		fn("proxy_on_new_connection", "i32 -> i32"),
		fn("proxy_on_downstream_data", "i32 i32 i32 -> i32"),
		fn("proxy_on_upstream_data", "i32 i32 i32 -> i32"),
		fn("proxy_on_downstream_connection_close", "i32 i32 ->"),
		fn("proxy_on_upstream_connection_close", "i32 i32 ->"),
		fn("proxy_on_request_body", "i32 i32 i32 -> i32"),
		fn("proxy_on_request_trailers", "i32 i32 -> i32"),
		// not in the spec; cpp-host looks it up for every version.
		fn("proxy_on_request_metadata", "i32 i32 -> i32"),
		fn("proxy_on_response_body", "i32 i32 i32 -> i32"),
		fn("proxy_on_response_trailers", "i32 i32 -> i32"),
		// not in the spec; cpp-host looks it up for every version.
		fn("proxy_on_response_metadata", "i32 i32 -> i32"),
		fn("proxy_on_http_call_response", "i32 i32 i32 i32 i32 ->"),
		fn("proxy_on_grpc_receive", "i32 i32 i32 ->"),
		fn("proxy_on_grpc_close", "i32 i32 i32 ->"),
		fn("proxy_on_grpc_receive_initial_metadata", "i32 i32 i32 ->"),
		fn("proxy_on_grpc_receive_trailing_metadata", "i32 i32 i32 ->"),
		fn("proxy_on_queue_ready", "i32 i32 ->"),
		fn("proxy_on_done", "i32 -> i32"),
		fn("proxy_on_log", "i32 ->"),
		fn("proxy_on_delete", "i32 ->"),
		fn("proxy_on_request_headers", "i32 i32 i32 -> i32"),
		fn("proxy_on_response_headers", "i32 i32 i32 -> i32"),
		fn("proxy_on_foreign_function", "i32 i32 i32 ->"),
	},
}
