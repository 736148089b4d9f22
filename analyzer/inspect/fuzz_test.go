package inspect_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/wasmlint/wasmlint/analyzer/inspect"
	"github.com/wasmlint/wasmlint/internal/wasmtest"
)

// FuzzSummarize checks that Summarize never panics and that its sizes add
// up, on any input; seeds are the repository's test modules.
func FuzzSummarize(f *testing.F) {
	seeds, _ := filepath.Glob("../../testdata/*/*.wasm")
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Add(wasmtest.Filter(wasmtest.Named(), wasmtest.Custom("producers", []byte{1, 8, 'l', 'a', 'n', 'g', 'u', 'a', 'g', 'e', 1, 4, 'R', 'u', 's', 't', 0})))
	f.Fuzz(func(t *testing.T, bin []byte) {
		s := inspect.Summarize("x.wasm", bin)
		z := s.Sections
		if s.Format == "wasm" && z.Code+z.Data+z.Names+z.Debug+z.OtherCustom+z.Other != z.Total {
			t.Errorf("sizes do not add up: %+v", z)
		}
	})
}
