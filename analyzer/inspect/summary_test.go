package inspect_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/wasmlint/wasmlint/analyzer/inspect"
	"github.com/wasmlint/wasmlint/internal/wasmtest"
)

func TestSummarizeABIAndFilter(t *testing.T) {
	tests := []struct {
		name    string
		bin     []byte
		iface   string
		version string // "" = null
		kinds   []string
		note    bool
	}{
		{"baseline", wasmtest.Filter(), "proxy-wasm", "0.2.1", []string{"http"}, false},
		{"ABI 0.1.0", wasmtest.Filter(wasmtest.ABI("0.1.0")), "proxy-wasm", "0.1.0", []string{"http"}, false},
		{"unknown marker", wasmtest.Filter(wasmtest.ABI("9.9.9")), "proxy-wasm", "", []string{"http"}, false},
		{"network", wasmtest.Filter(wasmtest.Without("proxy_on_request_headers"), wasmtest.Export("proxy_on_downstream_data", "i32 i32 i32 -> i32")),
			"proxy-wasm", "0.2.1", []string{"network"}, false},
		{"root only", wasmtest.Filter(wasmtest.Without("proxy_on_request_headers"), wasmtest.Export("proxy_on_tick", "i32 ->")),
			"proxy-wasm", "0.2.1", []string{"root-only"}, false},
		{"pre-ABI camelCase", wasmtest.Filter(wasmtest.Without(wasmtest.Marker("0.2.1"), "proxy_on_request_headers", "proxy_on_context_create"),
			wasmtest.Export("proxy_onRequestHeaders", "i32 -> i32")), "proxy-wasm (pre-ABI)", "", []string{"http"}, false},
		{"no callbacks", wasmtest.Empty(wasmtest.Export("f", "->")), "none", "", []string{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := inspect.Summarize("x.wasm", tc.bin)
			if s.Format != "wasm" || s.ABI.Interface != tc.iface {
				t.Fatalf("format %q, interface %q; want wasm, %q (%s)", s.Format, s.ABI.Interface, tc.iface, s.Error)
			}
			if got := deref(s.ABI.Version); got != tc.version {
				t.Errorf("ABI version %q, want %q", got, tc.version)
			}
			if !reflect.DeepEqual(s.Filter.Kinds, tc.kinds) || (s.Filter.Note != "") != tc.note {
				t.Errorf("filter %+v, want kinds %v", s.Filter, tc.kinds)
			}
		})
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func TestSummarizeCapabilitiesAndWASI(t *testing.T) {
	bin := wasmtest.Filter(
		wasmtest.ImportFunc("env", "proxy_http_call", "i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 -> i32"),
		wasmtest.ImportFunc("env", "proxy_get_header_map_value", "i32 i32 i32 i32 i32 -> i32"),
		wasmtest.ImportFunc("env", "emscripten_notify_memory_growth", "i32 ->"),
		wasmtest.ImportFunc("wasi_snapshot_preview1", "fd_write", "i32 i32 i32 i32 -> i32"),
		wasmtest.ImportFunc("wasi_snapshot_preview1", "path_open", "i32 i32 i32 i32 i32 i64 i64 i32 i32 -> i32"),
		wasmtest.ImportFunc("wasi_snapshot_preview1", "sched_yield", "-> i32"),
		wasmtest.Export("_start", "->"),
	)
	s := inspect.Summarize("x.wasm", bin)
	want := []inspect.Group{
		{Name: "headers", Functions: []string{"proxy_get_header_map_value"}},
		{Name: "http_calls", Functions: []string{"proxy_http_call"}},
		{Name: "logging", Functions: []string{"proxy_log"}},
		{Name: "other", Functions: []string{"emscripten_notify_memory_growth"}},
	}
	if !reflect.DeepEqual(s.Capabilities, want) {
		t.Errorf("capabilities %+v\nwant %+v", s.Capabilities, want)
	}
	wantWASI := inspect.WASI{Modules: []string{"wasi_snapshot_preview1"}, Entry: "command", Groups: []inspect.Group{
		{Name: "stdio", Functions: []string{"fd_write"}},
		{Name: "filesystem", Functions: []string{"path_open"}},
		{Name: "scheduling", Functions: []string{"sched_yield"}},
	}}
	if !reflect.DeepEqual(s.WASI, wantWASI) {
		t.Errorf("WASI %+v\nwant %+v", s.WASI, wantWASI)
	}
}

func TestSummarizeMemoryAndSizes(t *testing.T) {
	bin := wasmtest.Filter(wasmtest.NoMemory(), wasmtest.ImportMemory("env", "memory", wasmtest.Mem{Min: 3, Max: 8, HasMax: true, Shared: true}),
		wasmtest.Custom(".debug_info", make([]byte, 100)), wasmtest.Custom("producers", []byte{0}), wasmtest.Named())
	s := inspect.Summarize("x.wasm", bin)
	m := s.Memory
	if m == nil || m.InitialPages != 3 || m.MaxPages == nil || *m.MaxPages != 8 || !m.Shared || m.Imported != "env.memory" ||
		m.InitialBytes != 3*65536 || len(m.ExportedAs) != 0 {
		t.Errorf("memory %+v", m)
	}
	z := s.Sections
	if z.Code == 0 || z.Names == 0 || z.Debug < 100 || z.OtherCustom == 0 || z.Data != 0 ||
		z.Code+z.Data+z.Names+z.Debug+z.OtherCustom+z.Other != z.Total || z.Total != len(bin) {
		t.Errorf("sizes %+v (file %d bytes)", z, len(bin))
	}
	if s := inspect.Summarize("x.wasm", wasmtest.Filter(wasmtest.NoMemory())); s.Memory != nil {
		t.Errorf("memory %+v, want none", s.Memory)
	}
}

func TestSummarizeExterns(t *testing.T) {
	s := inspect.Summarize("x.wasm", wasmtest.Filter())
	if s.Imports[0] != (inspect.Extern{Name: "env.proxy_log", Kind: "func", Type: "i32 i32 i32 -> i32"}) {
		t.Errorf("import %+v", s.Imports[0])
	}
	var names []string
	for _, e := range s.Exports {
		names = append(names, e.Kind+":"+e.Name)
	}
	if got := strings.Join(names, " "); !strings.Contains(got, "func:proxy_abi_version_0_2_1") || !strings.Contains(got, "memory:memory") {
		t.Errorf("exports %s", got)
	}
}

func TestSummarizeNotWasm(t *testing.T) {
	for _, tc := range []struct {
		bin           []byte
		format, iface string
	}{
		{[]byte("hello, world"), "not wasm", "not wasm"},
		{[]byte("\x00asm\x01\x00\x00\x00\x01\xff"), "malformed", "none"},
		{[]byte("\x00asm\x0d\x00\x01\x00"), "component", "none"},
	} {
		s := inspect.Summarize("x.wasm", tc.bin)
		if s.Format != tc.format || s.Error == "" || s.ABI.Interface != tc.iface || s.Memory != nil || s.Imports == nil {
			t.Errorf("%q: %+v", tc.bin, s)
		}
	}
}
