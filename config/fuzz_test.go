package config

import (
	"os"
	"testing"
)

// FuzzParse feeds arbitrary bytes to the configuration parser: it must
// return a configuration or an error naming a line, never panic.
func FuzzParse(f *testing.F) {
	f.Add([]byte("version: 1\nhosts: [envoy, kong]\nfail-on: warning\nrules:\n  PW502: {severity: note}\n  PW7*: {disable: true}\n" +
		"ignore:\n  - rule: PW501\n    path: filters/*.wasm\n    subject: import wasi_snapshot_preview1.sched_yield\n    reason: old host\n    expires: 2027-01-01\n"))
	f.Add([]byte("version: 2\n"))
	f.Add([]byte("rules: [1, 2\n"))
	if b, err := os.ReadFile("wasmlint.schema.json"); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		cfg, err := Parse("fuzz.yaml", b)
		if err == nil && cfg == nil {
			t.Fatal("nil configuration without an error")
		}
	})
}
