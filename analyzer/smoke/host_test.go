package smoke

import (
	"context"
	"strings"
	"testing"

	"github.com/wasmlint/wasmlint/abiversions"
	"github.com/wasmlint/wasmlint/internal/wasmtest"
)

// i32 is `i32.const v`.
func i32(v int32) wasmtest.Op {
	b := []byte{0x41}
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return wasmtest.Raw(append(b, c)...)
		}
		b = append(b, c|0x80)
	}
}

var drop = wasmtest.Raw(0x1a)

func run(t *testing.T, bin []byte, o Options) (*Report, string) {
	t.Helper()
	if o.Host == nil {
		o.Host = envoy(t)
	}
	rep, diags, err := Run(context.Background(), bin, o)
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, d := range diags {
		msgs = append(msgs, d.Rule+": "+d.Message)
	}
	return rep, strings.Join(msgs, "\n")
}

func result(r *Report, callback string) string {
	for _, c := range r.Calls {
		if c.Callback == callback {
			return c.Result
		}
	}
	return "(not called)"
}

// getMissingHeader is a filter whose proxy_on_request_headers returns the
// status of proxy_get_header_map_value for a header the request lacks.
func getMissingHeader(abi string) []byte {
	opts := []wasmtest.Option{
		wasmtest.ImportFunc("env", "proxy_get_header_map_value", "i32 i32 i32 i32 i32 -> i32"),
		wasmtest.Body("proxy_on_request_headers", i32(0), i32(0), i32(0), i32(16), i32(20),
			wasmtest.Call("env.proxy_get_header_map_value")),
	}
	if abi != "" {
		opts = append([]wasmtest.Option{wasmtest.ABI(abi)}, opts...)
	}
	return wasmtest.Filter(opts...)
}

func TestMissingHeaderByABI(t *testing.T) {
	rep, _ := run(t, getMissingHeader(""), Options{Requests: 1})
	if got := result(rep, "proxy_on_request_headers"); got != "1" {
		t.Errorf("ABI 0.2.1: a missing header should be NotFound (1), got %s", got)
	}
	rep, _ = run(t, getMissingHeader("0.1.0"), Options{Requests: 1})
	if got := result(rep, "proxy_on_request_headers"); got != "0" {
		t.Errorf("ABI 0.1.0: a missing header should be an empty OK (0), got %s", got)
	}
}

// TestBadPointer checks that a host call with a pointer outside memory
// fails as cpp-host fails it (InvalidMemoryAccess), not by crashing.
func TestBadPointer(t *testing.T) {
	bin := wasmtest.Filter(wasmtest.Body("proxy_on_request_headers",
		i32(2), i32(0x7ffffff0), i32(64), wasmtest.Call("env.proxy_log")))
	rep, msgs := run(t, bin, Options{Requests: 1})
	if got := result(rep, "proxy_on_request_headers"); got != "6" {
		t.Errorf("proxy_log with a bad pointer: got %s, want InvalidMemoryAccess (6)", got)
	}
	if !strings.Contains(msgs, "PW908: proxy_log returned InvalidMemoryAccess in proxy_on_request_headers on request 1") {
		t.Errorf("findings:\n%s", msgs)
	}
}

func TestLinkFailures(t *testing.T) {
	envoy116, err := abiversions.Select("envoy@1.16")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		bin  []byte
		host *abiversions.Profile
		want string
	}{
		{"unknown host function", wasmtest.Filter(wasmtest.ImportFunc("env", "proxy_get_request_header", "i32 i32 -> i32")),
			nil, "PW901: the smoke run stopped in initialize: envoy@1.39: Failed to load Wasm module due to a missing import: env.proxy_get_request_header"},
		{"import type mismatch", wasmtest.Filter(wasmtest.ImportFunc("env", "proxy_done", "i32 -> i32")),
			nil, "an import type mismatch: env.proxy_done, want: i32 -> i32, but host exports: void -> i32"},
		{"WASI function the profile lacks", wasmtest.Filter(wasmtest.ImportFunc("wasi_snapshot_preview1", "clock_time_get", "i32 i64 i32 -> i32")),
			envoy116, "envoy@1.16: Failed to load Wasm module due to a missing import: wasi_snapshot_preview1.clock_time_get"},
		{"no allocator", wasmtest.Filter(wasmtest.Without("malloc")), nil, "Wasm module is missing malloc function."},
		{"no marker", wasmtest.Filter(wasmtest.Without(wasmtest.Marker("0.2.1"))), nil,
			"PW901: the smoke run stopped in load: envoy@1.39: Missing or unknown Proxy-Wasm ABI version"},
		{"bad callback signature", wasmtest.Filter(wasmtest.Retype("proxy_on_request_headers", "i32 i32 -> i32")), nil,
			"Bad function signature for: proxy_on_request_headers, want: i32 i32 i32 -> i32, but the module exports: i32 i32 -> i32"},
		{"not wasm", []byte("bad code\n"), nil, "Failed to parse corrupted Wasm module"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, msgs := run(t, tc.bin, Options{Host: tc.host})
			if !strings.Contains(msgs, tc.want) {
				t.Errorf("got:\n%s\nwant a finding containing %q", msgs, tc.want)
			}
		})
	}
}

// TestStartup covers the start-up rules: V8's restricted callbacks during
// _initialize, proc_exit returning to the guest, and a host call from the
// start section.
func TestStartup(t *testing.T) {
	initCalling := func(module, name, sig string, args ...wasmtest.Op) []byte {
		body := append(args, wasmtest.Call(module+"."+name))
		if strings.HasSuffix(sig, "i32") {
			body = append(body, drop)
		}
		return wasmtest.Filter(wasmtest.ImportFunc(module, name, sig),
			wasmtest.AddFunc(wasmtest.Func{ID: "init", Sig: "->", Exports: []string{"_initialize"}, Body: body}))
	}
	_, msgs := run(t, initCalling("env", "proxy_done", "-> i32"), Options{})
	if !strings.Contains(msgs, `PW901: _initialize trapped (restricted_callback); envoy@1.39: "Function: _initialize failed: Uncaught Error: restricted_callback"; wasm stack: proxy_done <- `) {
		t.Errorf("restricted call during _initialize:\n%s", msgs)
	}
	rep, msgs := run(t, initCalling("wasi_snapshot_preview1", "fd_write", "i32 i32 i32 i32 -> i32", i32(1), i32(0), i32(0), i32(8)), Options{})
	if msgs != "" || rep.PhaseStatus(PhaseRequest) != StatusOK {
		t.Errorf("fd_write is allowed during start-up:\n%s", msgs)
	}
	envoy123, _ := abiversions.Select("envoy@1.23")
	rep, msgs = run(t, initCalling("wasi_snapshot_preview1", "proc_exit", "i32 ->", i32(1)), Options{Host: envoy123})
	if msgs != "" || rep.Logs[0].Message != "wasi_unstable proc_exit" {
		t.Errorf("proc_exit on a host without restrictions logs and returns: %v\n%s", rep.Logs, msgs)
	}
	start := wasmtest.Filter(wasmtest.AddFunc(wasmtest.Func{ID: "s", Sig: "->",
		Body: []wasmtest.Op{i32(2), i32(0), i32(0), wasmtest.Call("env.proxy_log"), drop}}), wasmtest.Start("s"))
	_, msgs = run(t, start, Options{})
	if !strings.Contains(msgs, "Failed to create new Wasm instance (proxy_log: host call during instantiation (start section))") {
		t.Errorf("start section calling the host:\n%s", msgs)
	}
}

// TestImportedMemory checks that a module importing its memory runs, as
// cpp-host creates the memory from the declared limits.
func TestImportedMemory(t *testing.T) {
	bin := wasmtest.Filter(wasmtest.NoMemory(), wasmtest.ImportMemory("env", "memory", wasmtest.Mem{Min: 2, Max: 4, HasMax: true}))
	rep, msgs := run(t, bin, Options{Requests: 1})
	if msgs != "" || rep.PhaseStatus(PhaseRequest) != StatusOK || rep.PagesAfter != 2 {
		t.Errorf("imported memory: %s pages %d\n%s", phaseLine(rep), rep.PagesAfter, msgs)
	}
}

func TestPairs(t *testing.T) {
	ps := []Pair{{":path", "/"}, {"a", ""}}
	if got := unmarshalPairs(marshalPairs(ps)); len(got) != 2 || got[0] != ps[0] || got[1] != ps[1] {
		t.Errorf("round trip: %q", got)
	}
	if unmarshalPairs([]byte{9, 0, 0, 0}) != nil {
		t.Error("a short map should be empty")
	}
}
