package rules_test

import (
	"testing"

	wt "github.com/wasmlint/wasmlint/internal/wasmtest"
	"github.com/wasmlint/wasmlint/rules"
)

// Export rules: PW301-PW305, PW307, PW309 (start-up rules are in
// rules_startup_test.go).

// pwAllocate replaces malloc by proxy_on_memory_allocate.
var pwAllocate = wt.Edit(func(m *wt.Module) {
	for i := range m.Funcs {
		if m.Funcs[i].ID == "malloc" {
			m.Funcs[i].Exports = []string{"proxy_on_memory_allocate"}
		}
	}
})

func TestAllocatorMissing(t *testing.T) {
	noMalloc := wt.Filter(wt.Without("malloc"))
	pwCheck(t, rules.AllocatorMissing, []pwCase{
		{name: "no allocator", bin: noMalloc,
			want: []pwWant{pwF(pwE, "export malloc", "the module exports no allocator (malloc or proxy_on_memory_allocate)", `envoy@1.39: "Wasm module is missing malloc function."`)}},
		{name: "no allocator", host: "kong", bin: noMalloc,
			want: []pwWant{pwF(pwE, "export malloc", "no allocator", `kong@0.6.0: "\"<filter>\" filter missing malloc"`)}},
		{name: "no allocator", host: "apisix", bin: noMalloc,
			want: []pwWant{pwF(pwE, "export malloc", "(proxy_on_memory_allocate or malloc)", `apisix@0.7: "failed to malloc"`)}},
		{name: "proxy_on_memory_allocate", bin: wt.Filter(pwAllocate)},
		{name: "proxy_on_memory_allocate", host: "kong", bin: wt.Filter(pwAllocate)},
		{name: "proxy_on_memory_allocate", host: "envoy@1.17", bin: wt.Filter(pwAllocate)},
		// The proxy_on_memory_allocate fallback came after Envoy 1.16; MOSN never had it.
		{name: "proxy_on_memory_allocate", host: "envoy@1.16", bin: wt.Filter(pwAllocate),
			want: []pwWant{pwF(pwE, "export malloc", "(proxy_on_memory_allocate is exported, but envoy@1.16 looks up only malloc)", `envoy@1.16: "Wasm missing malloc"`)}},
		{name: "proxy_on_memory_allocate", host: "mosn", bin: wt.Filter(wt.ABI("0.2.0"), pwAllocate),
			want: []pwWant{pwF(pwE, "export malloc", "mosn@0.2 looks up only malloc", "!mosn@0.2:")}},
		{name: "malloc of the wrong type is PW302's", bin: wt.Filter(wt.Retype("malloc", "i32 i32 -> i32"))},
		{name: "malloc is a global", bin: wt.Filter(wt.Without("malloc"), pwGlobalExport("malloc")),
			want: []pwWant{pwF(pwE, "export malloc", "no allocator")}},
		{name: "empty module", bin: wt.Header,
			want: []pwWant{pwF(pwE, "export malloc", "no allocator")}},
	})
}

func TestCallbackSignature(t *testing.T) {
	twoParams := wt.Retype("proxy_on_request_headers", "i32 i32 -> i32")
	pwCheck(t, rules.CallbackSignature, []pwCase{
		{name: "0.1.0 header callback in a 0.2.1 module", bin: wt.Filter(twoParams),
			want: []pwWant{pwF(pwE, "export proxy_on_request_headers", "export proxy_on_request_headers has type i32 i32 -> i32, but ABI 0.2.1 defines i32 i32 i32 -> i32",
				"(the ABI 0.1.0 signature: the SDK and the marker disagree)",
				`envoy@1.39: "Bad function signature for: proxy_on_request_headers, want: i32 i32 i32 -> i32, but the module exports: i32 i32 -> i32"`)}},
		{name: "0.2.x header callback in a 0.1.0 module", bin: wt.Filter(wt.ABI("0.1.0"), wt.Retype("proxy_on_request_headers", "i32 i32 i32 -> i32")),
			want: []pwWant{pwF(pwE, "export proxy_on_request_headers", "but ABI 0.1.0 defines i32 i32 -> i32", "(the ABI 0.2.0 signature")}},
		{name: "forced ABI", abi: "0.1.0", bin: wt.Filter(),
			want: []pwWant{pwF(pwE, "export proxy_on_request_headers", "but ABI 0.1.0 defines i32 i32 -> i32")}},
		{name: "legacy wording", host: "envoy@1.16", bin: wt.Filter(twoParams),
			want: []pwWant{pwF(pwE, "export proxy_on_request_headers", `envoy@1.16: "Bad function signature for: proxy_on_request_headers"`)}},
		// Hosts that do not check types call the function anyway.
		{name: "0.1.0 header callback in a 0.2.0 module", host: "mosn", bin: wt.Filter(wt.ABI("0.2.0"), twoParams),
			want: []pwWant{pwF(pwW, "export proxy_on_request_headers", "but ABI 0.2.0 defines i32 i32 i32 -> i32")}},
		{name: "0.1.0 header callback in a 0.2.1 module", host: "apisix", bin: wt.Filter(twoParams),
			want: []pwWant{pwF(pwW, "export proxy_on_request_headers", "defines i32 i32 i32 -> i32")}},
		{name: "0.1.0 header callback in a 0.2.1 module", host: "kong", bin: wt.Filter(twoParams),
			want: []pwWant{pwF(pwW, "export proxy_on_request_headers", "defines i32 i32 i32 -> i32")}},
		{name: "malloc", bin: wt.Filter(wt.Retype("malloc", "i32 i32 -> i32")),
			want: []pwWant{pwF(pwE, "export malloc", "export malloc has type i32 i32 -> i32, but ABI 0.2.1 defines i32 -> i32")}},
		{name: "malloc", host: "envoy@1.16", bin: wt.Filter(wt.Retype("malloc", "i64 -> i64")),
			want: []pwWant{pwF(pwE, "export malloc", "i64 -> i64")}},
		{name: "proxy_on_memory_allocate", bin: wt.Filter(pwAllocate, wt.Retype("proxy_on_memory_allocate", "i64 -> i64")),
			want: []pwWant{pwF(pwE, "export proxy_on_memory_allocate", "i64 -> i64")}},
		// Envoy 1.16 never looks proxy_on_memory_allocate up.
		{name: "proxy_on_memory_allocate", host: "envoy@1.16", bin: wt.Filter(pwAllocate, wt.Retype("proxy_on_memory_allocate", "i64 -> i64"))},
		{name: "callback with a result too many", bin: wt.Filter(wt.Export("proxy_on_tick", "i32 -> i32")),
			want: []pwWant{pwF(pwE, "export proxy_on_tick", "has type i32 -> i32, but ABI 0.2.1 defines i32 -> void")}},
		{name: "_initialize", bin: wt.Filter(wt.Export("_initialize", "i32 ->")),
			want: []pwWant{pwF(pwE, "export _initialize", "defines void -> void")}},
		{name: "main of a reactor", bin: wt.Filter(wt.Export("_initialize", "->"), wt.Export("main", "-> i32")),
			want: []pwWant{pwF(pwE, "export main", "has type void -> i32, but ABI 0.2.1 defines i32 i32 -> i32")}},
		{name: "__main_void of a reactor", bin: wt.Filter(wt.Export("_initialize", "->"), wt.Export("__main_void", "->")),
			want: []pwWant{pwF(pwE, "export __main_void", "has type void -> void, but ABI 0.2.1 defines void -> i32")}},
		{name: "__main_void before cpp-host looked it up", host: "envoy@1.38", bin: wt.Filter(wt.Export("_initialize", "->"), wt.Export("__main_void", "->"))},
		// main is looked up only after _initialize.
		{name: "main without _initialize", bin: wt.Filter(wt.Export("main", "-> i32"))},
		{name: "_start of a command", bin: wt.Filter(wt.Export("_start", "-> i32")),
			want: []pwWant{pwF(pwE, "export _start", "has type void -> i32")}},
		// cpp-host does not look _start up when _initialize is exported.
		{name: "_start beside _initialize", bin: wt.Filter(wt.Export("_initialize", "->"), wt.Export("_start", "-> i32"))},
		{name: "0.2.x-only callback in a 0.1.0 module is PW303's", bin: wt.Filter(wt.ABI("0.1.0"), wt.Export("proxy_on_foreign_function", "->"))},
		{name: "no marker, no ABI", bin: wt.Filter(pwMarker(), twoParams)},
	})
}

func TestCallbackUnknown(t *testing.T) {
	pwCheck(t, rules.CallbackUnknown, []pwCase{
		{name: "proxy_on_start", bin: wt.Filter(wt.Export("proxy_on_start", "i32 i32 -> i32")),
			want: []pwWant{pwF(pwN, "export proxy_on_start", "export proxy_on_start is not a callback of ABI 0.2.1; no host calls it (pre-0.1.0 name of proxy_on_vm_start)")}},
		{name: "proxy_on_create", bin: wt.Filter(wt.Export("proxy_on_create", "i32 i32 ->")),
			want: []pwWant{pwF(pwN, "export proxy_on_create", "(pre-0.1.0 name of proxy_on_context_create)")}},
		{name: "0.2.x callback in a 0.1.0 module", bin: wt.Filter(wt.ABI("0.1.0"), wt.Export("proxy_on_foreign_function", "i32 i32 i32 ->")),
			want: []pwWant{pwF(pwN, "export proxy_on_foreign_function", "not a callback of ABI 0.1.0", "(ABI 0.2.0 defines it)")}},
		{name: "typo", bin: wt.Filter(wt.Export("proxy_on_request_header", "i32 i32 i32 -> i32")),
			want: []pwWant{pwF(pwN, "export proxy_on_request_header", "no host calls it", "!(")}},
		{name: "Higress redis callback", host: "higress", bin: wt.Filter(wt.Export("proxy_on_redis_call_response", "i32 i32 i32 i32 ->"))},
		{name: "Higress redis callback outside Higress", bin: wt.Filter(wt.Export("proxy_on_redis_call_response", "i32 i32 i32 i32 ->")),
			want: []pwWant{pwF(pwN, "export proxy_on_redis_call_response", "not a callback of ABI 0.2.1")}},
		{name: "global named like a callback", bin: wt.Filter(pwGlobalExport("proxy_on_whatever"))},
		{name: "other exports", bin: wt.Filter(wt.Export("proxy_validate_configuration", "i32 i32 -> i32"), wt.Export("on_tick", "->"))},
		{name: "no marker, no ABI", bin: wt.Filter(pwMarker(), wt.Export("proxy_on_start", "i32 i32 -> i32"))},
		{name: "all 0.2.1 callbacks", bin: wt.Filter(wt.Export("proxy_on_vm_start", "i32 i32 -> i32"), wt.Export("proxy_on_configure", "i32 i32 -> i32"),
			wt.Export("proxy_on_foreign_function", "i32 i32 i32 ->"), wt.Export("proxy_on_done", "i32 -> i32"))},
	})
}

func TestContextCreateMissing(t *testing.T) {
	noCreate := wt.Filter(wt.Without("proxy_on_context_create"))
	pwCheck(t, rules.ContextCreateMissing, []pwCase{
		{name: "missing", bin: noCreate,
			want: []pwWant{pwF(pwW, "export proxy_on_context_create", "proxy_on_context_create is not exported: no context is ever created, so the filter does nothing", "!envoy@1.39:")}},
		{name: "missing", host: "kong", bin: noCreate,
			want: []pwWant{pwF(pwE, "export proxy_on_context_create", "not exported", `kong@0.6.0: "filter missing one of: on_context_create, on_vm_start, on_plugin_start"`)}},
		{name: "missing", host: "apisix", bin: noCreate,
			want: []pwWant{pwF(pwW, "export proxy_on_context_create", "not exported")}},
		{name: "missing", host: "mosn", bin: wt.Filter(wt.ABI("0.2.0"), wt.Without("proxy_on_context_create")),
			want: []pwWant{pwF(pwW, "export proxy_on_context_create", "not exported")}},
		{name: "exported as a global", bin: wt.Filter(wt.Without("proxy_on_context_create"), pwGlobalExport("proxy_on_context_create")),
			want: []pwWant{pwF(pwW, "export proxy_on_context_create", "not exported")}},
		{name: "no marker, no ABI", bin: wt.Filter(pwMarker(), wt.Without("proxy_on_context_create"))},
		{name: "present", host: "kong", bin: wt.Filter()},
	})
}

func TestNoStreamCallbacks(t *testing.T) {
	rootOnly := wt.Without("proxy_on_request_headers")
	pwCheck(t, rules.NoStreamCallbacks, []pwCase{
		{name: "root-only plugin", bin: wt.Filter(rootOnly, wt.Export("proxy_on_tick", "i32 ->")),
			want: []pwWant{pwF(pwN, "module", "no HTTP or network stream callback is exported: a root-only plugin")}},
		{name: "root-only plugin", host: "kong", bin: wt.Filter(rootOnly),
			want: []pwWant{pwF(pwN, "module", "root-only plugin")}},
		{name: "network filter", bin: wt.Filter(rootOnly, wt.Export("proxy_on_new_connection", "i32 -> i32"))},
		{name: "response body only", bin: wt.Filter(rootOnly, wt.Export("proxy_on_response_body", "i32 i32 i32 -> i32"))},
		{name: "upstream connection close only", bin: wt.Filter(rootOnly, wt.Export("proxy_on_upstream_connection_close", "i32 i32 ->"))},
		{name: "no context create either", bin: wt.Filter(rootOnly, wt.Without("proxy_on_context_create"))},
		{name: "no marker, no ABI", bin: wt.Filter(pwMarker(), rootOnly)},
	})
}

func TestMemoryNotExported(t *testing.T) {
	hidden := wt.Filter(wt.MemoryExport(""))
	renamed := wt.Filter(wt.MemoryExport("mem"))
	imported := wt.Filter(wt.ImportMemory("env", "memory", wt.Mem{Min: 3}), wt.MemoryExport(""))
	pwCheck(t, rules.MemoryNotExported, []pwCase{
		{name: "not exported", bin: hidden,
			want: []pwWant{pwF(pwW, "memory 0", "the memory is not exported: the host cannot copy data into the module", "!envoy@1.39:")}},
		{name: "not exported", host: "kong", bin: hidden,
			want: []pwWant{pwF(pwW, "memory 0", "not exported")}},
		{name: "not exported", host: "apisix", bin: hidden,
			want: []pwWant{pwF(pwE, "memory 0", "not exported", `apisix@0.7: "the wasm plugin doesn't export memory"`)}},
		{name: "exported as mem", bin: renamed},
		{name: "exported as mem", host: "kong", bin: renamed},
		{name: "exported as mem", host: "apisix", bin: renamed,
			want: []pwWant{pwF(pwE, "export mem", `the memory is exported as "mem", but apisix@0.7 requires the name "memory"`, "doesn't export memory")}},
		{name: "exported as mem and memory", host: "apisix", bin: wt.Filter(wt.MemoryExport("mem"), wt.Edit(func(m *wt.Module) {
			m.Exports = append(m.Exports, wt.RawExport{Name: "memory", Kind: wt.KindMemory})
		}))},
		{name: "imported", bin: imported,
			want: []pwWant{pwF(pwN, "memory 0", "the memory is imported, not exported; envoy@1.39 creates it from the declared limits (3 pages)")}},
		{name: "imported", host: "kong", bin: imported,
			want: []pwWant{pwF(pwE, "memory 0", "the memory is imported, not exported, and kong@0.6.0 does not provide one")}},
		{name: "imported", host: "apisix", bin: imported,
			want: []pwWant{pwF(pwE, "memory 0", "does not provide one", "doesn't export memory")}},
		{name: "imported and re-exported", host: "kong", bin: wt.Filter(wt.ImportMemory("env", "memory", wt.Mem{Min: 1}))},
		{name: "no memory", bin: wt.Filter(wt.NoMemory()),
			want: []pwWant{pwF(pwW, "module", "the module has no linear memory")}},
		{name: "no memory", host: "apisix", bin: wt.Filter(wt.NoMemory()),
			want: []pwWant{pwF(pwW, "module", "no linear memory")}},
	})
}

func TestRequiredCallbackMissing(t *testing.T) {
	kongReady := []wt.Option{wt.Export("proxy_on_vm_start", "i32 i32 -> i32"), wt.Export("proxy_on_configure", "i32 i32 -> i32")}
	kongMsg := `kong@0.6.0: "filter missing one of: on_context_create, on_vm_start, on_plugin_start"`
	pwCheck(t, rules.RequiredCallbackMissing, []pwCase{
		{name: "baseline", host: "kong", bin: wt.Filter(),
			want: []pwWant{
				pwF(pwE, "export proxy_on_vm_start", "proxy_on_vm_start is not exported, and kong@0.6.0 refuses filters without it", kongMsg),
				pwF(pwE, "export proxy_on_configure", "proxy_on_configure is not exported", kongMsg),
			}},
		{name: "configure only", host: "kong@0.1.0", bin: wt.Filter(kongReady[1]),
			want: []pwWant{pwF(pwE, "export proxy_on_vm_start", "kong@0.1.0 refuses")}},
		{name: "both", host: "kong", bin: wt.Filter(kongReady...)},
		// proxy_on_context_create is PW304's.
		{name: "both without context create", host: "kong", bin: wt.Filter(append(kongReady, wt.Without("proxy_on_context_create"))...)},
		{name: "baseline", host: "apisix", bin: wt.Filter(),
			want: []pwWant{pwF(pwE, "export proxy_on_configure", "apisix@0.7 refuses", `apisix@0.7: "failed to run proxy_on_configure"`)}},
		{name: "configure as a global", host: "apisix", bin: wt.Filter(pwGlobalExport("proxy_on_configure")),
			want: []pwWant{pwF(pwE, "export proxy_on_configure", "not exported")}},
		{name: "configure", host: "apisix", bin: wt.Filter(kongReady[1])},
		{name: "baseline", host: "mosn", bin: wt.Filter(wt.ABI("0.2.0"))},
		{name: "baseline", host: "envoy@1.16", bin: wt.Filter()},
		{name: "no marker, no ABI", host: "kong", bin: wt.Filter(pwMarker())},
	})
}
