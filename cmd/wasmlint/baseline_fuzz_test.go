package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzBaseline feeds arbitrary bytes to the baseline reader: a baseline or
// an error naming the file, never a panic.
func FuzzBaseline(f *testing.F) {
	f.Add([]byte(`{"version":1,"tool":{"name":"wasmlint","version":"0.1.0"},"entries":[{"fingerprint":"ab","rule":"PW201","path":"a.wasm","subject":"import env.x"}]}`))
	f.Add([]byte(`{"version":2}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		path := filepath.Join(t.TempDir(), "baseline.json")
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		a, err := newAcceptance(nil, path, time.Now())
		if err == nil && a == nil {
			t.Fatal("nil acceptance without an error")
		}
	})
}
