package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wasmlint/wasmlint/rules"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// runCmd runs the CLI in-process from the repository root, so that paths in
// the output are the stable testdata/... form.
func runCmd(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	if _, err := os.Stat("go.mod"); err != nil { // not yet at the root: the first call in this test
		t.Chdir("../..")
	}
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
			checkGolden(t, filepath.Join("testdata/err", filepath.Base(base)+".out"), out+errOut)
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
	checkGolden(t, "testdata/format/report.json", out)
}

// TestGoldenSARIF checks a real run's SARIF against
// testdata/format/report.sarif; a few rules keep the golden readable (the
// writer's own golden, analyzer/report, covers the edge cases).
func TestGoldenSARIF(t *testing.T) {
	code, out, errOut := runCmd(t, "", "-f", "sarif", "--disable", "all", "--enable", "PW001,PW002,PW201,PW302",
		"testdata/ok/add_header.wasm", "testdata/err/abi_mismatch.wasm", "testdata/err/not_wasm.wasm")
	if code != exitFindings || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	checkGolden(t, "testdata/format/report.sarif", out)
}

// checkGolden compares got with the golden file at path (relative to the
// repository root, where runCmd runs), or rewrites it with -update.
func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("missing golden file (run go test ./cmd/wasmlint -update): %v", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run go test ./cmd/wasmlint -update to accept):\n--- got\n%s--- want\n%s", path, got, want)
	}
}

// sarifRun is the part of a SARIF log the command tests look at.
type sarifRun struct {
	Tool struct {
		Driver struct {
			Rules []struct {
				ID string `json:"id"`
			} `json:"rules"`
		} `json:"driver"`
	} `json:"tool"`
	Invocations []struct {
		ExecutionSuccessful       bool `json:"executionSuccessful"`
		ToolExecutionNotification []struct {
			Message struct{ Text string } `json:"message"`
		} `json:"toolExecutionNotifications"`
	} `json:"invocations"`
	Results []struct {
		RuleID    string `json:"ruleId"`
		Locations []struct {
			PhysicalLocation struct {
				ArtifactLocation struct {
					URI       string `json:"uri"`
					URIBaseID string `json:"uriBaseId"`
				} `json:"artifactLocation"`
			} `json:"physicalLocation"`
		} `json:"locations"`
	} `json:"results"`
	AutomationDetails struct {
		ID string `json:"id"`
	} `json:"automationDetails"`
}

func parseSARIF(t *testing.T, s string) sarifRun {
	t.Helper()
	var log struct {
		Runs []sarifRun `json:"runs"`
	}
	if err := json.Unmarshal([]byte(s), &log); err != nil || len(log.Runs) != 1 {
		t.Fatalf("not a one-run SARIF log (%v):\n%s", err, s)
	}
	return log.Runs[0]
}

func TestSARIFCommand(t *testing.T) {
	t.Run("every enabled rule", func(t *testing.T) {
		_, out, _ := runCmd(t, "", "-f", "sarif", "--disable", "PW7*", "testdata/ok/add_header.wasm")
		run := parseSARIF(t, out)
		if n := len(run.Tool.Driver.Rules); n != len(rules.All)-4 {
			t.Errorf("%d rules, want %d (all but PW701-PW704)", n, len(rules.All)-4)
		}
		if len(run.Results) != 0 || run.AutomationDetails.ID != "wasmlint/envoy@1.39/" {
			t.Errorf("results %v, automationDetails.id %q", run.Results, run.AutomationDetails.ID)
		}
	})
	t.Run("host and category", func(t *testing.T) {
		_, out, _ := runCmd(t, "", "-f", "sarif", "--host", "kong", "--sarif-category", "filters", "testdata/ok/add_header.wasm")
		if id := parseSARIF(t, out).AutomationDetails.ID; id != "filters/kong@0.6.0/" {
			t.Errorf("automationDetails.id %q", id)
		}
	})
	t.Run("sarif-root", func(t *testing.T) {
		_, out, _ := runCmd(t, "", "-f", "sarif", "--sarif-root", "testdata", "testdata/err/abi_mismatch.wasm")
		loc := parseSARIF(t, out).Results[0].Locations[0].PhysicalLocation.ArtifactLocation
		if loc.URI != "err/abi_mismatch.wasm" || loc.URIBaseID != "%SRCROOT%" {
			t.Errorf("artifact location %+v, want err/abi_mismatch.wasm under %%SRCROOT%%", loc)
		}
	})
	t.Run("stdin", func(t *testing.T) {
		b, err := os.ReadFile("../../testdata/err/abi_mismatch.wasm")
		if err != nil {
			t.Fatal(err)
		}
		_, out, _ := runCmd(t, string(b), "-f", "sarif", "-")
		if loc := parseSARIF(t, out).Results[0].Locations[0].PhysicalLocation.ArtifactLocation; loc.URI != "stdin" || loc.URIBaseID != "" {
			t.Errorf("artifact location %+v, want stdin", loc)
		}
	})
	t.Run("unreadable input", func(t *testing.T) {
		code, out, errOut := runCmd(t, "", "-f", "sarif", "testdata/ok/add_header.wasm", "testdata/nope.wasm")
		inv := parseSARIF(t, out).Invocations
		if code != exitInput || !strings.Contains(errOut, "nope.wasm") || len(inv) != 1 || inv[0].ExecutionSuccessful ||
			len(inv[0].ToolExecutionNotification) != 1 || !strings.Contains(inv[0].ToolExecutionNotification[0].Message.Text, "testdata/nope.wasm: no such file") {
			t.Errorf("exit %d, stderr %q, invocations %+v", code, errOut, inv)
		}
	})
	t.Run("bad sarif-root", func(t *testing.T) {
		if code, _, errOut := runCmd(t, "", "--sarif-root", "testdata/nope", "testdata/ok/add_header.wasm"); code != exitUsage || !strings.Contains(errOut, "--sarif-root") {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
	})
}

// TestSideOutputs: --sarif-output and --json-output write the same reports
// as -f sarif and -f json, beside the main output.
func TestSideOutputs(t *testing.T) {
	dir := t.TempDir()
	sarifPath, jsonPath := filepath.Join(dir, "r.sarif"), filepath.Join(dir, "r.json")
	args := []string{"testdata/ok/add_header.wasm", "testdata/err/abi_mismatch.wasm"}
	code, out, _ := runCmd(t, "", append([]string{"--sarif-output", sarifPath, "--json-output", jsonPath}, args...)...)
	if code != exitFindings || !strings.Contains(out, "[PW201]") {
		t.Fatalf("exit %d, main output:\n%s", code, out)
	}
	for _, side := range []struct{ path, format string }{{sarifPath, "sarif"}, {jsonPath, "json"}} {
		got, err := os.ReadFile(side.path)
		if err != nil {
			t.Fatal(err)
		}
		_, want, _ := runCmd(t, "", append([]string{"-f", side.format}, args...)...)
		if string(got) != want {
			t.Errorf("--%s-output differs from -f %s:\n%s", side.format, side.format, got)
		}
	}
	if code, _, errOut := runCmd(t, "", "--json-output", filepath.Join(dir, "no", "such", "dir.json"), args[0]); code != exitInput || !strings.Contains(errOut, "dir.json") {
		t.Errorf("unwritable side output: exit %d, stderr %q", code, errOut)
	}
}

// TestExitCodeIndependentOfFormat: the exit code is a function of the
// findings and the inputs, never of the format.
func TestExitCodeIndependentOfFormat(t *testing.T) {
	for _, args := range [][]string{
		{"testdata/ok/add_header.wasm"},
		{"testdata/err/abi_mismatch.wasm"},
		{"testdata/err/wasi_files_sockets.wasm"},
		{"--fail-on", "warning", "testdata/err/wasi_files_sockets.wasm"},
		{"testdata/ok/add_header.wasm", "testdata/nope.wasm"},
	} {
		want, _, _ := runCmd(t, "", args...)
		for _, f := range []string{"json", "sarif"} {
			if code, _, _ := runCmd(t, "", append([]string{"-f", f}, args...)...); code != want {
				t.Errorf("%v: exit %d with -f %s, %d with text", args, code, f, want)
			}
		}
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
		{"bad format", []string{"-f", "xml", "x.wasm"}, exitUsage, "want text, json or sarif"},
		{"explain", []string{"explain", "PW201"}, exitOK, "## Fix"},
		{"explain unknown", []string{"explain", "PW999"}, exitUsage, "no rule"},
		{"rules", []string{"rules"}, exitOK, "PW704"},
		{"hosts", []string{"hosts"}, exitOK, "envoy@1.39"},
		{"version", []string{"version"}, exitOK, "wasmlint " + version},
		{"host matrix", []string{"--host", "all", "testdata/ok/add_header.wasm"}, exitOK, "envoy@1.39  ok"},
		{"host matrix, loads nowhere", []string{"--host", "all", "testdata/err/not_wasm.wasm"}, exitFindings, "loads on 0 of"},
		{"host matrix, no sarif", []string{"--host", "all", "-f", "sarif", "testdata/ok/add_header.wasm"}, exitUsage, "host matrix"},
		{"inspect", []string{"inspect", "testdata/ok/add_header.wasm"}, exitOK, "ABI 0.2.1"},
		{"diff", []string{"diff", "testdata/inspect/v1.wasm", "testdata/inspect/v2.wasm"}, exitOK, "hosts"},
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

// TestJobsKeepOrder checks that parallel linting reports inputs in the
// order given, whatever the number of workers.
func TestJobsKeepOrder(t *testing.T) {
	args := []string{"--fail-on", "none", "testdata/err", "testdata/ok", "testdata/nope.wasm"}
	_, one, errOne := runCmd(t, "", append([]string{"--jobs", "1"}, args...)...)
	_, many, errMany := runCmd(t, "", append([]string{"--jobs", "8"}, args...)...)
	if one != many || errOne != errMany || one == "" {
		t.Errorf("--jobs 1 and --jobs 8 differ:\n%s%s\n---\n%s%s", one, errOne, many, errMany)
	}
	if code, _, _ := runCmd(t, "", "--jobs", "0", "x.wasm"); code != exitUsage {
		t.Errorf("--jobs 0: exit %d, want %d", code, exitUsage)
	}
}

// TestEmptyDirectory checks that a directory with nothing to lint is an
// input error, not a silent pass.
func TestEmptyDirectory(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := runCmd(t, "", dir)
	if code != exitInput || !strings.Contains(errOut, "no .wasm file") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}
