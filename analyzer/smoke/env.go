package smoke

import "context"

// envFuncs are the implementations of the env host functions, by name. The
// signatures come from the ABI table of the module's version (or the
// profile's extra env functions); a name of the table missing here would
// link to a function that returns Unimplemented, which a test prevents.
var envFuncs = map[string]hostFunc{
	"proxy_log":                          hostLog,
	"proxy_get_log_level":                hostGetLogLevel,
	"proxy_get_status":                   hostGetStatus,
	"proxy_set_property":                 hostSetProperty,
	"proxy_get_property":                 hostGetProperty,
	"proxy_get_configuration":            hostGetConfiguration,
	"proxy_continue_request":             hostOK,
	"proxy_continue_response":            hostOK,
	"proxy_clear_route_cache":            hostOK,
	"proxy_continue_stream":              hostStream,
	"proxy_close_stream":                 hostStream,
	"proxy_send_local_response":          hostSendLocalResponse,
	"proxy_set_effective_context":        hostSetEffectiveContext,
	"proxy_done":                         hostOK,
	"proxy_call_foreign_function":        hostCallForeignFunction,
	"proxy_get_shared_data":              hostGetSharedData,
	"proxy_set_shared_data":              hostSetSharedData,
	"proxy_register_shared_queue":        hostRegisterSharedQueue,
	"proxy_resolve_shared_queue":         hostResolveSharedQueue,
	"proxy_enqueue_shared_queue":         hostEnqueueSharedQueue,
	"proxy_dequeue_shared_queue":         hostDequeueSharedQueue,
	"proxy_get_header_map_value":         hostGetHeaderMapValue,
	"proxy_add_header_map_value":         hostAddHeaderMapValue,
	"proxy_replace_header_map_value":     hostReplaceHeaderMapValue,
	"proxy_remove_header_map_value":      hostRemoveHeaderMapValue,
	"proxy_get_header_map_pairs":         hostGetHeaderMapPairs,
	"proxy_set_header_map_pairs":         hostSetHeaderMapPairs,
	"proxy_get_header_map_size":          hostGetHeaderMapSize,
	"proxy_get_buffer_bytes":             hostGetBufferBytes,
	"proxy_get_buffer_status":            hostGetBufferStatus,
	"proxy_set_buffer_bytes":             hostSetBufferBytes,
	"proxy_http_call":                    hostHTTPCall,
	"proxy_grpc_call":                    hostGRPCCall("grpc", 5),
	"proxy_grpc_stream":                  hostGRPCCall("grpc_stream", 4),
	"proxy_grpc_send":                    hostGRPCToken,
	"proxy_grpc_cancel":                  hostGRPCToken,
	"proxy_grpc_close":                   hostGRPCToken,
	"proxy_define_metric":                hostDefineMetric,
	"proxy_increment_metric":             hostIncrementMetric,
	"proxy_record_metric":                hostRecordMetric,
	"proxy_get_metric":                   hostGetMetric,
	"proxy_set_tick_period_milliseconds": hostSetTickPeriod,
	"proxy_get_current_time_nanoseconds": hostGetCurrentTime,

	// Extras outside the ABI tables (abiversions EnvExtras).
	"pthread_equal": func(_ *host, _ context.Context, a []uint64) uint32 {
		if u32(a[0]) == u32(a[1]) {
			return 1
		}
		return 0
	},
	"emscripten_notify_memory_growth": hostOK,
	// Envoy's DNS resolution needs a cluster; the emulated host has none.
	"envoy_resolve_dns": func(*host, context.Context, []uint64) uint32 { return stBadArgument },
}

// envFunc returns the implementation of env.name, or one that returns
// Unimplemented for a name the emulated host does not know.
func envFunc(name string) hostFunc {
	if f, ok := envFuncs[name]; ok {
		return f
	}
	return func(*host, context.Context, []uint64) uint32 { return stUnimplemented }
}
