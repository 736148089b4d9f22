package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runAt runs the CLI like runCmd with a fixed date for ignore expiry.
func runAt(t *testing.T, day string, args ...string) (int, string, string) {
	t.Helper()
	runCmd(t, "", "version") // be at the repository root
	now, err := time.Parse(time.DateOnly, day)
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	c := &command{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, env: func(string) string { return "" },
		now: func() time.Time { return now }}
	return c.run(args), out.String(), errb.String()
}

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), ".wasmlint.yaml")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// abi_mismatch.wasm has PW201 and PW302 errors; wasi_files_sockets.wasm
// has warnings (PW503, PW504) only.
const (
	mismatch = "testdata/err/abi_mismatch.wasm"
	wasiWarn = "testdata/err/wasi_files_sockets.wasm"
)

func TestConfigPrecedence(t *testing.T) {
	cfg := writeConfig(t, "version: 1\nhosts: envoy@1.36\nfail-on: warning\nrules:\n  PW2*: {disable: true}\n  PW302: {severity: note}\n")
	for _, tc := range []struct {
		name string
		args []string
		want int
		has  []string // substrings of stdout+stderr; "!x": absent
	}{
		{"file: host, fail-on, rule glob, severity", []string{"--config", cfg, mismatch}, exitOK,
			[]string{"host envoy@1.36", "note: export proxy_on_request_headers", "!PW201"}},
		{"file fail-on warning fails on warnings", []string{"--config", cfg, "--host", "envoy", wasiWarn}, exitFindings, []string{"[PW503]"}},
		{"flag --fail-on over the file", []string{"--config", cfg, "--host", "envoy", "--fail-on", "error", wasiWarn}, exitOK, []string{"[PW503]"}},
		{"flag --host over the file", []string{"--config", cfg, "--host", "envoy@1.33", mismatch}, exitOK, []string{"host envoy@1.33", "!envoy@1.36"}},
		{"flag --enable over a file disable", []string{"--config", cfg, "--enable", "PW201", mismatch}, exitFindings, []string{"[PW201]"}},
		{"--no-config: defaults", []string{"--no-config", mismatch}, exitFindings, []string{"host envoy@1.39", "error: export proxy_on_request_headers", "[PW201]"}},
		{"--config and --no-config", []string{"--config", cfg, "--no-config", mismatch}, exitUsage, []string{"exclude each other"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runAt(t, "2026-01-01", tc.args...)
			if code != tc.want {
				t.Errorf("exit %d, want %d:\n%s%s", code, tc.want, out, errOut)
			}
			for _, h := range tc.has {
				if strings.HasPrefix(h, "!") == strings.Contains(out+errOut, strings.TrimPrefix(h, "!")) {
					t.Errorf("output and %q:\n%s%s", h, out, errOut)
				}
			}
		})
	}
}

func TestConfigErrors(t *testing.T) {
	for body, want := range map[string]string{
		"version: 1\nhosts: [envoy, nginx]\n":                          ".wasmlint.yaml:2: unknown host profile",
		"version: 1\nrules:\n  PW9999: {disable: true}\n":              `.wasmlint.yaml:3: no rule matches "PW9999"`,
		"version: 1\nmemory-budget: lots\n":                            `.wasmlint.yaml:2: invalid size "lots"`,
		"version: 1\nbogus: 1\n":                                       `.wasmlint.yaml:2: unknown key "bogus"`,
		"version: 1\nignore:\n  - {rule: PW999, path: x, reason: y}\n": `.wasmlint.yaml:3: ignore entry 1: no rule matches "PW999"`,
	} {
		cfg := writeConfig(t, body)
		code, _, errOut := runAt(t, "2026-01-01", "--config", cfg, mismatch)
		if code != exitUsage || !strings.Contains(errOut, want) {
			t.Errorf("%q: exit %d, stderr %q, want %q", body, code, errOut, want)
		}
		vcode, _, verr := runAt(t, "2026-01-01", "config", "validate", cfg)
		if vcode != exitFindings || !strings.Contains(verr, want) {
			t.Errorf("config validate %q: exit %d, stderr %q", body, vcode, verr)
		}
	}
	good := writeConfig(t, "version: 1\nhosts: [istio]\nrules:\n  PW7*: {disable: true}\n")
	if code, out, errOut := runAt(t, "2026-01-01", "config", "validate", good); code != exitOK || !strings.Contains(out, "valid") {
		t.Errorf("config validate: exit %d %s%s", code, out, errOut)
	}
}

// TestIgnores: entries with reasons hide findings by rule, path glob and
// subject until they expire; unused and expired entries are notes, errors
// with --strict.
func TestIgnores(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, ".wasmlint.yaml")
	root, _ := os.Getwd()
	if filepath.Base(root) == "wasmlint" {
		root = filepath.Join(root, "../..")
	}
	rel, err := filepath.Rel(dir, filepath.Join(root, "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	body := "version: 1\nignore:\n" +
		"  - rule: PW302\n    path: " + filepath.ToSlash(rel) + "/**/abi_*.wasm\n    reason: migrating to 0.2.1\n    expires: 2026-06-30\n" +
		"  - rule: host-function-unknown\n    path: " + filepath.ToSlash(rel) + "/err/*.wasm\n    subject: import env.proxy_continue_*\n    reason: vendored SDK\n" +
		"  - rule: PW501\n    path: nowhere/*.wasm\n    reason: old builds\n"
	if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runAt(t, "2026-01-01", "--config", cfg, mismatch)
	if code != exitOK || !strings.Contains(out, "0 errors") || !strings.Contains(errOut, cfg+":11: note: ignore entry for PW501 matched nothing") {
		t.Errorf("in force: exit %d:\n%s%s", code, out, errOut)
	}
	if code, _, errOut := runAt(t, "2026-01-01", "--config", cfg, "--strict", mismatch); code != exitFindings || !strings.Contains(errOut, ":11: error: ignore entry") {
		t.Errorf("--strict: exit %d, stderr %s", code, errOut)
	}
	code, out, errOut = runAt(t, "2026-07-01", "--config", cfg, mismatch)
	if code != exitFindings || !strings.Contains(out, "[PW302]") || !strings.Contains(errOut, cfg+":3: note: ignore entry for PW302 expired on 2026-06-30 (migrating to 0.2.1)") {
		t.Errorf("expired: exit %d:\n%s%s", code, out, errOut)
	}
}

func TestBaseline(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "baseline.json")
	runCmd(t, "", "version")
	bin, err := os.ReadFile(mismatch)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "build"), 0o755); err != nil {
		t.Fatal(err)
	}
	filter := filepath.Join(dir, "build", "filter.wasm")
	if err := os.WriteFile(filter, bin, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runAt(t, "2026-01-01", "baseline", "write", base, "--no-config", filter)
	if code != exitOK || !strings.Contains(errOut, "2 findings recorded") {
		t.Fatalf("baseline write: exit %d, %s", code, errOut)
	}
	var bf baselineFile
	b, _ := os.ReadFile(base)
	if err := json.Unmarshal(b, &bf); err != nil || bf.Version != 1 || len(bf.Entries) != 2 || bf.Entries[0].Path != "build/filter.wasm" {
		t.Fatalf("baseline %s: %v", b, err)
	}
	// The SARIF fingerprints are the baseline's (same path, relative to
	// the baseline's directory here and to --sarif-root there).
	_, sarif, _ := runAt(t, "2026-01-01", "--no-config", "-f", "sarif", "--sarif-root", dir, filter)
	for _, e := range bf.Entries {
		if !strings.Contains(sarif, e.Fingerprint) {
			t.Errorf("fingerprint %s of %s is not in the SARIF", e.Fingerprint, e.Rule)
		}
	}
	code, out, _ := runAt(t, "2026-01-01", "--no-config", "--baseline", base, filter, wasiWarn, "--fail-on", "warning")
	if code != exitFindings || !strings.Contains(out, "2 findings hidden by the baseline") || strings.Contains(out, "[PW201]") || !strings.Contains(out, "[PW503]") {
		t.Errorf("--baseline: exit %d:\n%s", code, out)
	}
	if code, _, _ := runAt(t, "2026-01-01", "--no-config", "--baseline", base, filter); code != exitOK {
		t.Errorf("everything baselined: exit %d, want 0", code)
	}
	if code, _, errOut := runAt(t, "2026-01-01", "--no-config", "--baseline", base+".missing", mismatch); code != exitInput || !strings.Contains(errOut, "--baseline") {
		t.Errorf("missing baseline: exit %d, %s", code, errOut)
	}
}
