// Package corpus locates the shared corpus of real filters for tests and
// benchmarks: ../shared/corpus beside the repository, as CI lays it out,
// or the directory $WASMLINT_SHARED names. Tests that need it skip with a
// clear message when it is absent.
package corpus

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Shared returns the shared directory (the parent of corpus/).
func Shared() string {
	if d := os.Getenv("WASMLINT_SHARED"); d != "" {
		return d
	}
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return filepath.Join("..", "shared")
	}
	// file is <repo>/internal/corpus/corpus.go.
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "shared")
}

// Dirs are the two corpus folders, relative to Shared: the filters built
// for wasmlint, and the binaries committed by public projects.
var Dirs = []string{"corpus", filepath.Join("corpus", "wild")}

// Manifest reads dir/manifest.json (dir relative to Shared) into entries,
// a pointer to a slice, and returns the absolute folder. It skips tb when
// the corpus is absent.
func Manifest(tb testing.TB, dir string, entries any) string {
	tb.Helper()
	dir = filepath.Join(Shared(), dir)
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		tb.Skipf("shared corpus not found at %s (set WASMLINT_SHARED): %v", dir, err)
	}
	if err := json.Unmarshal(b, entries); err != nil {
		tb.Fatalf("%s: %v", dir, err)
	}
	return dir
}

// Files lists the .wasm files of both corpus folders (none when absent).
func Files() []string {
	var out []string
	for _, d := range Dirs {
		m, _ := filepath.Glob(filepath.Join(Shared(), d, "*.wasm"))
		out = append(out, m...)
	}
	return out
}
