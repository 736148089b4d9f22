package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// runCmd runs the CLI in-process from the repository root, so that paths in
// the output are the stable testdata/... form.
func runCmd(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	t.Chdir("../..")
	var out, errb bytes.Buffer
	c := &command{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, env: func(string) string { return "" }}
	return c.run(args), out.String(), errb.String()
}

// TestGoldenText lints every testdata/err/X.wasm (with the flags in X.args,
// if present) and compares the text output with X.out; every
// testdata/ok/*.wasm must yield no finding at all.
func TestGoldenText(t *testing.T) {
	errs, _ := filepath.Glob("../../testdata/err/*.wasm")
	oks, _ := filepath.Glob("../../testdata/ok/*.wasm")
	if len(errs) == 0 || len(oks) == 0 {
		t.Fatal("no golden inputs under testdata/")
	}
	for _, in := range oks {
		rel := strings.TrimPrefix(in, "../../")
		t.Run(rel, func(t *testing.T) {
			code, out, _ := runCmd(t, "", "--fail-on", "note", rel)
			if code != exitOK || strings.Count(out, "\n") != 1 || !strings.Contains(out, "0 errors, 0 warnings, 0 notes") {
				t.Errorf("exit %d, want a clean file; output:\n%s", code, out)
			}
		})
	}
	for _, in := range errs {
		rel := strings.TrimPrefix(in, "../../")
		t.Run(rel, func(t *testing.T) {
			base := strings.TrimSuffix(in, ".wasm")
			var args []string
			if b, err := os.ReadFile(base + ".args"); err == nil {
				args = strings.Fields(string(b))
			}
			_, out, errOut := runCmd(t, "", append(args, rel)...)
			got := out + errOut
			golden := base + ".out"
			if *update {
				if err := os.WriteFile(filepath.Join("testdata/err", filepath.Base(golden)), []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(filepath.Join("testdata/err", filepath.Base(golden)))
			if err != nil {
				t.Fatalf("missing golden file (run go test ./cmd/wasmlint -update): %v", err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s (run go test ./cmd/wasmlint -update to accept):\n--- got\n%s--- want\n%s", golden, got, want)
			}
		})
	}
}

// TestGoldenJSON checks the JSON format against testdata/format/report.json.
func TestGoldenJSON(t *testing.T) {
	code, out, errOut := runCmd(t, "", "-f", "json", "testdata/ok/add_header.wasm", "testdata/err/abi_mismatch.wasm", "testdata/err/not_wasm.wasm")
	if code != exitFindings || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	const golden = "testdata/format/report.json"
	if *update {
		if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if out != string(want) {
		t.Errorf("JSON differs from %s (run go test ./cmd/wasmlint -update):\n%s", golden, out)
	}
}

func TestExitCodes(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want int
		out  string // substring of stdout+stderr
	}{
		{"clean", []string{"testdata/ok/add_header.wasm"}, exitOK, "0 errors"},
		{"error fails", []string{"testdata/err/abi_mismatch.wasm"}, exitFindings, "[PW302]"},
		{"fail-on none", []string{"--fail-on", "none", "testdata/err/abi_mismatch.wasm"}, exitOK, "[PW201]"},
		{"warning below error", []string{"testdata/err/wasi_files_sockets.wasm"}, exitOK, "[PW503]"},
		{"fail-on warning", []string{"--fail-on", "warning", "testdata/err/wasi_files_sockets.wasm"}, exitFindings, "[PW504]"},
		{"older host", []string{"--host", "envoy@1.32", "testdata/err/wasi_files_sockets.wasm"}, exitFindings, "sched_yield is not provided by envoy@1.32"},
		{"disable glob", []string{"--disable", "PW2*,PW3*", "testdata/err/abi_mismatch.wasm"}, exitOK, "0 errors"},
		{"enable wins", []string{"--disable", "all", "--enable", "PW302", "testdata/err/abi_mismatch.wasm"}, exitFindings, "[PW302]"},
		{"forced abi", []string{"--abi", "0.2.0", "testdata/err/abi_mismatch.wasm"}, exitOK, "ABI 0.2.0"},
		{"directory", []string{"testdata/ok"}, exitOK, "add_header.wasm"},
		{"missing file", []string{"testdata/nope.wasm"}, exitInput, "wasmlint: testdata/nope.wasm: no such file or directory"},
		{"too large", []string{"--max-file-size", "100", "testdata/ok/add_header.wasm"}, exitInput, "larger than --max-file-size"},
		{"bad host", []string{"--host", "nginx", "testdata/ok/add_header.wasm"}, exitUsage, "unknown host profile"},
		{"bad flag", []string{"--bogus", "x.wasm"}, exitUsage, "unknown flag"},
		{"bad rule", []string{"--disable", "PW999", "x.wasm"}, exitUsage, "no rule matches"},
		{"no input", nil, exitUsage, "no input"},
		{"bad fail-on", []string{"--fail-on", "fatal", "x.wasm"}, exitUsage, "unknown severity"},
		{"explain", []string{"explain", "PW201"}, exitOK, "## Fix"},
		{"explain unknown", []string{"explain", "PW999"}, exitUsage, "no rule"},
		{"rules", []string{"rules"}, exitOK, "PW704"},
		{"hosts", []string{"hosts"}, exitOK, "envoy@1.39"},
		{"version", []string{"version"}, exitOK, "wasmlint " + version},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCmd(t, "", tc.args...)
			if code != tc.want || !strings.Contains(out+errOut, tc.out) {
				t.Errorf("exit %d (want %d), output lacks %q:\n%s%s", code, tc.want, tc.out, out, errOut)
			}
		})
	}
}

func TestStdin(t *testing.T) {
	b, err := os.ReadFile("../../testdata/err/abi_mismatch.wasm")
	if err != nil {
		t.Fatal(err)
	}
	code, out, _ := runCmd(t, string(b), "-")
	if code != exitFindings || !strings.HasPrefix(out, "-:0x") {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
}

func TestOutputFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.json")
	code, out, _ := runCmd(t, "", "-f", "json", "-o", path, "testdata/ok/add_header.wasm")
	b, err := os.ReadFile(path)
	if code != exitOK || out != "" || err != nil || !bytes.Contains(b, []byte(`"sha256"`)) {
		t.Errorf("exit %d, stdout %q, file %q, err %v", code, out, b, err)
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]uint64{"": 0, "100": 100, "64KiB": 64 << 10, "512MiB": 512 << 20, "1GiB": 1 << 30, "2G": 2 << 30} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"x", "-1", "1.5GiB", "12 MiB"} {
		if _, err := parseSize(bad); err == nil {
			t.Errorf("parseSize(%q) accepted", bad)
		}
	}
}
