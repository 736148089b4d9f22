package smoke

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkGoFilter times a whole smoke run (load, start-up, configure and
// three requests) of the 3.3 MB Go filter testdata/smoke/go_good.wasm:
// cold with each engine, and with the compiler and a warm on-disk cache
// (--smoke-cache). The recorded host's load of a Go filter of that size
// takes 78-198 ms (manifests' load_ms).
func BenchmarkGoFilter(b *testing.B) {
	bin, err := os.ReadFile(filepath.Join("..", "..", "testdata", "smoke", "go_good.wasm"))
	if err != nil {
		b.Fatal(err)
	}
	cacheDir := b.TempDir()
	for _, bc := range []struct {
		name string
		o    Options
	}{
		{"interpreter-cold", Options{Engine: EngineInterpreter, fresh: true}},
		{"compiler-cold", Options{Engine: EngineCompiler, fresh: true}},
		{"compiler-cached", Options{Engine: EngineCompiler, CacheDir: cacheDir}},
		{"auto-cold", Options{fresh: true}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			bc.o.Host = envoy(b)
			if bc.o.CacheDir != "" {
				_, _, _ = Run(context.Background(), bin, bc.o) // warm the cache
			}
			b.ResetTimer()
			for range b.N {
				rep, _, err := Run(context.Background(), bin, bc.o)
				if err != nil || rep.PhaseStatus(PhaseRequest) != StatusOK {
					b.Fatalf("%v %v", err, rep.Phases)
				}
			}
		})
	}
}
