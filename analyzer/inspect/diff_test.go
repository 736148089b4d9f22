package inspect_test

import (
	"reflect"
	"testing"

	"github.com/wasmlint/wasmlint/abiversions"
	"github.com/wasmlint/wasmlint/analyzer/inspect"
	"github.com/wasmlint/wasmlint/internal/wasmtest"
	"github.com/wasmlint/wasmlint/rules"
)

func report(t *testing.T, bin []byte) (*inspect.Summary, *inspect.Matrix) {
	t.Helper()
	return inspect.Summarize("x.wasm", bin), inspect.BuildMatrix("x.wasm", bin, rules.All, abiversions.Profiles())
}

func TestCompareBuilds(t *testing.T) {
	oldS, oldM := report(t, wasmtest.Filter())
	newS, newM := report(t, wasmtest.Filter(
		wasmtest.ImportFunc("wasi_snapshot_preview1", "sched_yield", "-> i32"),
		wasmtest.Retype("malloc", "i64 -> i64"),
		wasmtest.Without("proxy_on_context_create"),
		wasmtest.Export("proxy_on_tick", "i32 ->"),
		wasmtest.Memory(wasmtest.Mem{Min: 4}),
	))
	d := inspect.Compare(oldS, newS, oldM, newM)
	wantImports := inspect.SetDiff{Added: []string{"wasi_snapshot_preview1.sched_yield"}, Removed: []string{}, Changed: []inspect.Change{}}
	if !reflect.DeepEqual(d.Imports, wantImports) || !reflect.DeepEqual(d.WASI, wantImports) {
		t.Errorf("imports %+v, WASI %+v", d.Imports, d.WASI)
	}
	wantExports := inspect.SetDiff{Added: []string{"proxy_on_tick"}, Removed: []string{"proxy_on_context_create"},
		Changed: []inspect.Change{{Field: "malloc", Old: "func i32 -> i32", New: "func i64 -> i64"}}}
	if !reflect.DeepEqual(d.Exports, wantExports) {
		t.Errorf("exports %+v", d.Exports)
	}
	if !reflect.DeepEqual(d.Memory, []inspect.Change{{Field: "initial_pages", Old: "1", New: "4"}}) {
		t.Errorf("memory %+v", d.Memory)
	}
	if len(d.ABI) != 0 || len(d.Toolchain) != 0 || d.Size[len(d.Size)-1].Section != "total" {
		t.Errorf("ABI %+v, toolchain %+v, size %+v", d.ABI, d.Toolchain, d.Size)
	}
	if !d.Regressed() || len(d.Hosts.Gained) != 0 || d.Hosts.Lost[0].FirstError == nil {
		t.Errorf("hosts %+v", d.Hosts)
	}
	if n := len(d.Hosts.Lost) + d.Hosts.StillLoading + d.Hosts.StillFailing; n != len(newM.Hosts) {
		t.Errorf("%d host verdicts for %d hosts", n, len(newM.Hosts))
	}
	back := inspect.Compare(newS, oldS, newM, oldM)
	if back.Regressed() || len(back.Hosts.Gained) != len(d.Hosts.Lost) {
		t.Errorf("reverse diff: %+v", back.Hosts)
	}
}

func TestCompareFields(t *testing.T) {
	v1, v2 := "0.2.0", "0.2.1"
	oldS := &inspect.Summary{ABI: inspect.ABI{Interface: "proxy-wasm", Version: &v1, Markers: []string{"proxy_abi_version_0_2_0"}},
		Toolchain: inspect.Toolchain{Name: "TinyGo", Version: "0.28.1", SDK: "github.com/tetratelabs/proxy-wasm-go-sdk"},
		WASI:      inspect.WASI{Entry: "command"}}
	newS := &inspect.Summary{ABI: inspect.ABI{Interface: "proxy-wasm", Version: &v2, Markers: []string{"proxy_abi_version_0_2_1"}},
		Toolchain: inspect.Toolchain{Name: "Go", Version: "1.24.1", SDK: "github.com/proxy-wasm/proxy-wasm-go-sdk"},
		WASI:      inspect.WASI{Entry: "reactor"}, Memory: &inspect.Memory{Count: 1, InitialPages: 2, ExportedAs: []string{"memory"}}}
	d := inspect.Compare(oldS, newS, &inspect.Matrix{}, &inspect.Matrix{})
	wantABI := []inspect.Change{{Field: "version", Old: "0.2.0", New: "0.2.1"}, {Field: "markers", Old: "proxy_abi_version_0_2_0", New: "proxy_abi_version_0_2_1"}}
	if !reflect.DeepEqual(d.ABI, wantABI) {
		t.Errorf("ABI %+v", d.ABI)
	}
	if len(d.Toolchain) != 3 || d.Toolchain[0] != (inspect.Change{Field: "toolchain", Old: "TinyGo", New: "Go"}) {
		t.Errorf("toolchain %+v", d.Toolchain)
	}
	if !reflect.DeepEqual(d.WASI.Changed, []inspect.Change{{Field: "entry", Old: "command", New: "reactor"}}) {
		t.Errorf("WASI %+v", d.WASI)
	}
	if len(d.Memory) != 3 || d.Memory[0] != (inspect.Change{Field: "count", Old: "0", New: "1"}) {
		t.Errorf("memory %+v", d.Memory)
	}
}
