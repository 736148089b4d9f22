package inspect_test

import (
	"testing"

	"github.com/wasmlint/wasmlint/abiversions"
	"github.com/wasmlint/wasmlint/analyzer"
	"github.com/wasmlint/wasmlint/analyzer/inspect"
	"github.com/wasmlint/wasmlint/internal/wasmtest"
	"github.com/wasmlint/wasmlint/rules"
)

// TestMatrixAgreesWithRun checks every row against a plain run of the
// rules for that host: the matrix is the lint verdict, nothing else.
func TestMatrixAgreesWithRun(t *testing.T) {
	bins := map[string][]byte{
		"baseline":    wasmtest.Filter(),
		"sched_yield": wasmtest.Filter(wasmtest.ImportFunc("wasi_snapshot_preview1", "sched_yield", "-> i32")),
		"not wasm":    []byte("not wasm"),
	}
	profiles := abiversions.Profiles()
	for name, bin := range bins {
		t.Run(name, func(t *testing.T) {
			mx := inspect.BuildMatrix("x.wasm", bin, rules.All, profiles)
			if len(mx.Hosts) != len(profiles) || mx.Loads+mx.Fails != len(profiles) {
				t.Fatalf("%d rows, %d loads, %d fails for %d profiles", len(mx.Hosts), mx.Loads, mx.Fails, len(profiles))
			}
			for i, p := range profiles {
				row := mx.Hosts[i]
				res := analyzer.Run("x.wasm", bin, rules.All, analyzer.Config{Host: p})
				if row.Host != p.Name() || row.Loads != (res.Count(analyzer.Error) == 0) || row.Warnings != res.Count(analyzer.Warning) {
					t.Errorf("row %d: %+v; run says %d errors", i, row, res.Count(analyzer.Error))
				}
				if !row.Loads && (row.FirstError == nil || row.FirstError.Rule != firstError(res).Rule) {
					t.Errorf("%s: first error %+v, want %+v", p.Name(), row.FirstError, firstError(res))
				}
				if row.Loads && row.FirstError != nil {
					t.Errorf("%s loads but has a first error", p.Name())
				}
			}
		})
	}
}

func firstError(res *analyzer.Result) analyzer.Diagnostic {
	for _, d := range res.Diagnostics {
		if d.Severity == analyzer.Error {
			return d
		}
	}
	return analyzer.Diagnostic{}
}

func TestMatrixVerdicts(t *testing.T) {
	bin := wasmtest.Filter(wasmtest.ImportFunc("wasi_snapshot_preview1", "sched_yield", "-> i32"))
	mx := inspect.BuildMatrix("x.wasm", bin, rules.All, abiversions.Profiles())
	if row := mx.Row("envoy@1.39"); row == nil || !row.Loads || row.ABI == nil || *row.ABI != "0.2.1" {
		t.Errorf("envoy@1.39: %+v", row)
	}
	row := mx.Row("envoy@1.32")
	if row == nil || row.Loads || row.FirstError == nil || row.FirstError.Rule != "PW501" || row.FirstError.Subject != "import wasi_snapshot_preview1.sched_yield" {
		t.Errorf("envoy@1.32: %+v", row)
	}
	if mx.Row("nginx@1") != nil {
		t.Error("Row found an unknown host")
	}
	if empty := inspect.BuildMatrix("x.wasm", bin, rules.All, nil); len(empty.Hosts) != 0 {
		t.Errorf("no profiles: %+v", empty)
	}
}
