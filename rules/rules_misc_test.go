package rules_test

import (
	"testing"

	wt "github.com/wasmlint/wasmlint/internal/wasmtest"
	"github.com/wasmlint/wasmlint/rules"
)

// Engine and cost rules: PW601, PW701-PW704.

// pwV128Const is `v128.const 0; drop`: 0xfd 12 with a 16-byte immediate.
var pwV128Const = []wt.Op{wt.Raw(0xfd, 0x0c), wt.Raw(make([]byte, 16)...), wt.Raw(0x1a)}

// pwMallocDoing makes malloc run ops before returning 0.
func pwMallocDoing(ops ...wt.Op) wt.Option {
	return wt.Body("malloc", append(append([]wt.Op{}, ops...), wt.Raw(0x41, 0x00))...)
}

// pwGCType appends a GC struct type (0x5f, no fields) to the type section;
// wabin has no GC types, so the section is patched (its count is < 128).
var pwGCType = wt.Patch(func(b []byte) []byte {
	for _, s := range wt.Sections(b) {
		if s.ID == 1 {
			p := append([]byte{b[s.Payload] + 1}, b[s.Payload+1:s.End]...)
			return wt.ReplaceSection(b, 1, append(p, 0x5f, 0x00))
		}
	}
	panic("no type section")
})

func TestFeatureUnsupported(t *testing.T) {
	simd := wt.Filter(pwMallocDoing(pwV128Const...))
	// i32.const 0; return_call malloc (function 4)
	tail := wt.Filter(wt.AddFunc(wt.Func{ID: "tc", Sig: "-> i32", Body: []wt.Op{wt.Raw(0x41, 0x00, 0x12, 0x04)}}))
	// The tag section of the exception-handling proposal: one tag of type 0.
	tags := wt.Filter(wt.Section(wt.SecTag, []byte{0x01, 0x00, 0x00}))
	// i8x16.relaxed_swizzle is 0xfd 0x100 (LEB128 0x80 0x02).
	relaxed := wt.Filter(pwMallocDoing(wt.Raw(0xfd, 0x80, 0x02, 0x1a)))
	// atomic.fence: 0xfe 0x03 0x00.
	fence := wt.Filter(wt.ABI("0.2.0"), pwMallocDoing(wt.Raw(0xfe, 0x03, 0x00)))
	pwCheck(t, rules.FeatureUnsupported, []pwCase{
		{name: "SIMD instruction", host: "envoy@1.18", bin: simd,
			want: []pwWant{pwF(pwE, "feature simd128", "the module uses simd128, which envoy@1.18's engine (v8 9.0.257.17) does not enable", `envoy@1.18: "Failed to load Wasm code"`)}},
		{name: "SIMD instruction", host: "envoy@1.16", bin: simd,
			want: []pwWant{pwF(pwE, "feature simd128", `envoy@1.16: "Failed to initialize Wasm code"`)}},
		{name: "SIMD instruction", host: "istio@1.10", bin: simd,
			want: []pwWant{pwF(pwE, "feature simd128", "istio@1.10's engine")}},
		{name: "SIMD instruction", host: "envoy@1.19", bin: simd},
		{name: "SIMD instruction", bin: simd},
		{name: "SIMD instruction", host: "kong", bin: simd},
		{name: "v128 parameter", host: "envoy@1.18", bin: wt.Filter(wt.AddFunc(wt.Func{ID: "f", Sig: "v128 ->"})),
			want: []pwWant{pwF(pwE, "feature simd128", "uses simd128")}},
		{name: "v128 local", host: "envoy@1.18", bin: wt.Filter(wt.AddFunc(wt.Func{ID: "f", Sig: "->", Locals: []wt.ValueType{wt.V128}})),
			want: []pwWant{pwF(pwE, "feature simd128", "uses simd128")}},
		{name: "relaxed SIMD", host: "envoy@1.34", bin: relaxed,
			want: []pwWant{pwF(pwE, "feature relaxed-simd", "uses relaxed-simd")}},
		{name: "relaxed SIMD", host: "envoy@1.18", bin: relaxed,
			want: []pwWant{pwF(pwE, "feature simd128", "uses simd128"), pwF(pwE, "feature relaxed-simd", "uses relaxed-simd")}},
		{name: "relaxed SIMD", host: "envoy@1.35", bin: relaxed},
		{name: "tail call", host: "envoy@1.34", bin: tail,
			want: []pwWant{pwF(pwE, "feature tail-call", "uses tail-call, which envoy@1.34's engine (v8 10.7.193.13) does not enable")}},
		{name: "tail call", host: "envoy@1.35", bin: tail},
		{name: "tail call", host: "apisix", bin: tail,
			want: []pwWant{pwF(pwE, "feature tail-call", "apisix@0.7's engine (wasmtime 0.38.1)", "!apisix@0.7:")}},
		{name: "tail call", host: "kong", bin: tail},
		{name: "tag section", host: "envoy@1.20", bin: tags,
			want: []pwWant{pwF(pwE, "feature exceptions-legacy", "uses exceptions-legacy")}},
		{name: "tag section", host: "envoy@1.21", bin: tags},
		{name: "tag section", host: "kong", bin: tags,
			want: []pwWant{pwF(pwE, "feature exceptions-legacy", "kong@0.6.0's engine (wasmtime 26.0.0)")}},
		{name: "GC type", host: "envoy@1.34", bin: wt.Filter(pwGCType),
			want: []pwWant{pwF(pwE, "feature gc", "uses gc")}},
		{name: "GC type", host: "envoy@1.35", bin: wt.Filter(pwGCType)},
		{name: "atomics", host: "mosn", bin: fence,
			want: []pwWant{pwF(pwE, "feature threads-atomics", "mosn@0.2's engine (wazero 1.2.1)")}},
		{name: "atomics", host: "envoy@1.16", bin: fence},
		{name: "two features", host: "envoy@1.18", bin: wt.Filter(pwMallocDoing(pwV128Const...), wt.AddFunc(wt.Func{ID: "tc", Sig: "-> i32", Body: []wt.Op{wt.Raw(0x41, 0x00, 0x12, 0x04)}})),
			want: []pwWant{pwF(pwE, "feature simd128"), pwF(pwE, "feature tail-call")}},
		// memory.size of memory 1: multi-memory is PW405's.
		{name: "memory index 1", host: "envoy@1.20", bin: wt.Filter(wt.Memory(wt.Mem{Min: 1}, wt.Mem{Min: 1}), pwMallocDoing(wt.Raw(0x3f, 0x01, 0x1a)))},
		// Sign extension, bulk memory and multi-value are in every engine.
		{name: "Wasm 2.0 features", host: "envoy@1.16", bin: wt.Filter(pwMallocDoing(wt.Raw(0x41, 0x00, 0xc0, 0x1a)), wt.Section(wt.SecDataCount, []byte{0x00}),
			wt.AddFunc(wt.Func{ID: "pair", Sig: "-> i32 i32"}))},
		{name: "body does not decode", host: "envoy@1.18", bin: wt.Filter(pwMallocDoing(wt.Raw(0xfd, 0x0c)))},
	})
}

func TestDebugInfo(t *testing.T) {
	pwCheck(t, rules.DebugInfo, []pwCase{
		{name: "debug_info", bin: wt.Filter(wt.Custom(".debug_info", make([]byte, 100))),
			want: []pwWant{pwF(pwN, "section .debug_info", "KiB of DWARF debug sections", "% of the module)")}},
		{name: "two sections", host: "kong", bin: wt.Filter(wt.Custom(".debug_info", make([]byte, 100)), wt.Custom(".debug_line", make([]byte, 100))),
			want: []pwWant{pwF(pwN, "section .debug_info", "DWARF")}},
		{name: "two MiB", bin: wt.Filter(wt.Custom(".debug_str", make([]byte, 2<<20))),
			want: []pwWant{pwF(pwN, "section .debug_str", "2.0 MiB of DWARF debug sections (100% of the module)")}},
		{name: "name section", bin: wt.Filter(wt.Named())},
		{name: "other custom sections", bin: wt.Filter(wt.Custom("debug_info", []byte{1}), wt.Custom("external_debug_info", []byte{1}), wt.Custom("sourceMappingURL", []byte{1}))},
	})
}

// pwSized builds the baseline padded with a custom section to exactly size bytes.
func pwSized(t *testing.T, size int) []byte {
	n := size - len(wt.Filter(wt.Custom("pad", nil)))
	for i := 0; i < 3; i++ {
		b := wt.Filter(wt.Custom("pad", make([]byte, n)))
		if len(b) == size {
			return b
		}
		n -= len(b) - size
	}
	t.Fatalf("cannot build a module of %d bytes", size)
	return nil
}

func TestLargeModule(t *testing.T) {
	const limit = 10 << 20
	pwCheck(t, rules.LargeModule, []pwCase{
		{name: "one byte over 10 MiB", bin: pwSized(t, limit+1),
			want: []pwWant{pwF(pwN, "module", "the module is 10.0 MiB; each VM load compiles all of it")}},
		{name: "12 MiB", host: "mosn", bin: pwSized(t, 12<<20),
			want: []pwWant{pwF(pwN, "module", "the module is 12.0 MiB")}},
		{name: "exactly 10 MiB", bin: pwSized(t, limit)},
	})
}

func TestToolchainRisk(t *testing.T) {
	producers := func(triples ...[3]string) []byte {
		return wt.Filter(wt.Custom("producers", wt.Producers(triples...)))
	}
	tinygo := producers([3]string{"processed-by", "TinyGo", "0.33.0"})
	golang := producers([3]string{"language", "Go", "1.24"}, [3]string{"processed-by", "Go cmd/compile", "go1.24.0"})
	pwCheck(t, rules.ToolchainRisk, []pwCase{
		{name: "TinyGo", bin: tinygo,
			want: []pwWant{pwF(pwN, "section producers", "built with TinyGo (TinyGo 0.33.0): its conservative GC grows the heap under load")}},
		{name: "TinyGo", host: "kong", bin: tinygo,
			want: []pwWant{pwF(pwN, "section producers", "built with TinyGo")}},
		{name: "TinyGo as the sdk field", bin: producers([3]string{"sdk", "tinygo", "0.30.0"}),
			want: []pwWant{pwF(pwN, "section producers", "(tinygo 0.30.0)")}},
		{name: "Go wasip1", host: "envoy@1.33", bin: golang,
			want: []pwWant{pwF(pwW, "section producers", "built with Go wasip1 (Go cmd/compile go1.24.0), whose runtime aborts when poll_oneoff fails, and on envoy@1.33 poll_oneoff returns ENOSYS (52)")}},
		{name: "Go wasip1", host: "istio@1.26", bin: golang,
			want: []pwWant{pwF(pwW, "section producers", "on istio@1.26 poll_oneoff returns ENOSYS")}},
		{name: "Go wasip1", host: "kong@0.6.0", bin: golang,
			want: []pwWant{pwF(pwW, "section producers", "on kong@0.6.0 poll_oneoff returns ENOTSUP (58)")}},
		{name: "Go wasip1", bin: golang},
		{name: "Go wasip1", host: "kong@0.5.0", bin: golang},
		// poll_oneoff does not exist at all before 1.33 (PW501's).
		{name: "Go wasip1", host: "envoy@1.32", bin: golang},
		{name: "clang", host: "envoy@1.33", bin: producers([3]string{"processed-by", "clang", "18.1.0"})},
		{name: "malformed producers", bin: wt.Filter(wt.Custom("producers", []byte{0x01, 0x05}))},
	})
}

func TestBodyCopy(t *testing.T) {
	getBytes := pwEnv("proxy_get_buffer_bytes", "i32 i32 i32 i32 i32 -> i32")
	setBytes := pwEnv("proxy_set_buffer_bytes", "i32 i32 i32 i32 i32 -> i32")
	reqBody := wt.Export("proxy_on_request_body", "i32 i32 i32 -> i32")
	respBody := wt.Export("proxy_on_response_body", "i32 i32 i32 -> i32")
	pwCheck(t, rules.BodyCopy, []pwCase{
		{name: "request body read", bin: wt.Filter(reqBody, getBytes),
			want: []pwWant{pwF(pwN, "import env.proxy_get_buffer_bytes", "proxy_on_request_body with proxy_get_buffer_bytes: every body chunk read or written is copied between the proxy and the VM")}},
		{name: "both bodies read and written", host: "kong", bin: wt.Filter(reqBody, respBody, getBytes, setBytes),
			want: []pwWant{
				pwF(pwN, "import env.proxy_get_buffer_bytes", "proxy_on_request_body and proxy_on_response_body with proxy_get_buffer_bytes"),
				pwF(pwN, "import env.proxy_set_buffer_bytes", "proxy_on_request_body and proxy_on_response_body with proxy_set_buffer_bytes"),
			}},
		{name: "response body written", bin: wt.Filter(respBody, setBytes),
			want: []pwWant{pwF(pwN, "import env.proxy_set_buffer_bytes", "proxy_on_response_body with proxy_set_buffer_bytes")}},
		{name: "body callback without buffer access", bin: wt.Filter(reqBody)},
		{name: "buffer access without body callback", bin: wt.Filter(getBytes)},
		{name: "body callback as a global", bin: wt.Filter(pwGlobalExport("proxy_on_request_body"), getBytes)},
		{name: "buffer access from another module", bin: wt.Filter(reqBody, wt.ImportFunc("istio_ext", "proxy_get_buffer_bytes", "i32 i32 i32 i32 i32 -> i32"))},
	})
}
