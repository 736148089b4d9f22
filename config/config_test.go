package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const good = `version: 1
hosts: [envoy@1.33, istio]
fail-on: warning
workers: 4
memory-budget: 512MiB
rules:
  PW502: {severity: note}
  PW7*: {disable: true}
ignore:
  - rule: PW502
    path: build/**/*.wasm
    subject: import wasi_snapshot_preview1.fd_write
    reason: the host stubs it
    expires: 2026-12-31
  - rule: PW203
    path: "*.wasm"
    reason: checked by hand
`

func TestParse(t *testing.T) {
	f, err := Parse("dir/.wasmlint.yaml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if f.Dir != "dir" || f.Version != 1 || strings.Join(f.Hosts, ",") != "envoy@1.33,istio" || f.FailOn != "warning" || f.Workers != 4 || f.MemoryBudget != "512MiB" {
		t.Errorf("parsed %+v", f)
	}
	if len(f.Rules) != 2 || f.Rules[0].Severity != "note" || f.Rules[1].Pattern != "PW7*" || !*f.Rules[1].Disable || f.Rules[1].Line != 8 {
		t.Errorf("rules %+v", f.Rules)
	}
	ig := f.Ignore[0]
	if len(f.Ignore) != 2 || ig.Line != 10 || ig.Subject != "import wasi_snapshot_preview1.fd_write" || ig.Expires.Format(time.DateOnly) != "2026-12-31" || !f.Ignore[1].Expires.IsZero() {
		t.Errorf("ignore %+v", f.Ignore)
	}
	if f.Lines["fail-on"] != 3 || f.Lines["rules"] != 6 {
		t.Errorf("lines %v", f.Lines)
	}
	if err := ValidateSchema([]byte(good)); err != nil {
		t.Errorf("the schema rejects a good file: %v", err)
	}
	if one, err := Parse("x", []byte("version: 1\nhosts: kong\n")); err != nil || len(one.Hosts) != 1 {
		t.Errorf("one host: %v %v", one, err)
	}
}

// Bad files: Parse names the line, and the schema rejects them too (the
// two describe one format).
func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "x.yaml: the file is empty"},
		{"hosts: [envoy]\n", "x.yaml:1: version is required"},
		{"version: 2\n", "x.yaml:1: unsupported version 2"},
		{"version: 1\nfail_on: error\n", `x.yaml:2: unknown key "fail_on" (want fail-on, hosts, ignore, memory-budget, rules, version, workers)`},
		{"version: 1\nfail-on: fatal\n", `x.yaml:2: "fatal" is not one of [error warning note none]`},
		{"version: 1\nworkers: many\n", `x.yaml:2: want a whole number, not "many"`},
		{"version: 1\nworkers: 0\n", "x.yaml:2: workers must be at least 1"},
		{"version: 1\nhosts: []\n", "x.yaml:2: want a name or a non-empty list"},
		{"version: 1\nrules:\n  PW502: {severity: fatal}\n", `x.yaml:3: "fatal" is not one of [error warning note]`},
		{"version: 1\nrules:\n  PW502: {disable: yes}\n", `x.yaml:3: want true or false, not "yes"`},
		{"version: 1\nrules:\n  PW502: {off: true}\n", `x.yaml:3: unknown key "off" (want disable, severity)`},
		{"version: 1\nrules:\n  PW502: {}\n", "x.yaml:3: the settings of PW502 set nothing"},
		{"version: 1\nignore:\n  - rule: PW502\n    path: x.wasm\n", "x.yaml:3: an ignore entry needs a reason"},
		{"version: 1\nignore:\n  - rule: PW502\n    path: x.wasm\n    reason: ok\n    expires: soon\n", `x.yaml:6: expires must be a date, YYYY-MM-DD, not "soon"`},
		{"version: 1\nignore:\n  - rule: PW502\n    path: x.wasm\n    reason: ok\n    why: no\n", `x.yaml:6: unknown key "why"`},
		{"version: 1\nversion: 1\n", "x.yaml:2: version is given twice"},
		{"version: 1\nhosts: envoy\n  x: 1\n", "x.yaml:3: invalid YAML: mapping values are not allowed in this context"},
	} {
		_, err := Parse("x.yaml", []byte(tc.in))
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.in, err, tc.want)
		}
		if !strings.Contains(tc.want, "invalid YAML") && !strings.Contains(tc.want, "given twice") {
			if ValidateSchema([]byte(tc.in)) == nil && tc.in != "" {
				t.Errorf("%q: the schema accepts a file Parse rejects", tc.in)
			}
		}
	}
}

func TestFind(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "a", "b")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte("version: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Find(sub)
	if err != nil || got != filepath.Join("..", "..", FileName) {
		t.Errorf("Find = %q, %v", got, err)
	}
}

func TestMatch(t *testing.T) {
	for _, tc := range []struct {
		glob, path string
		want       bool
	}{
		{"build/**/*.wasm", "build/a/b/x.wasm", true},
		{"build/**/*.wasm", "build/x.wasm", true},
		{"build/*.wasm", "build/a/x.wasm", false},
		{"**", "anything/at/all", true},
		{"*.tar", "filter.tar", true},
		{"x?.wasm", "x1.wasm", true},
	} {
		if got := MatchPath(tc.glob, tc.path); got != tc.want {
			t.Errorf("MatchPath(%q, %q) = %v", tc.glob, tc.path, got)
		}
	}
	ig := Ignore{Expires: time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC)}
	if ig.Expired(time.Date(2026, 1, 31, 23, 0, 0, 0, time.Local)) || !ig.Expired(time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)) {
		t.Error("Expired: the expiry day is the last day the entry applies")
	}
}
