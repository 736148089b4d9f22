package report

import (
	"bytes"
	"flag"
	"os"
	"testing"

	"github.com/wasmlint/wasmlint/analyzer"
	"github.com/wasmlint/wasmlint/analyzer/wasm"
)

var update = flag.Bool("update", false, "rewrite the golden files under ../../testdata/format")

// The writer goldens: one synthetic set of results through each format.
// They pin the formats themselves; cmd/wasmlint's goldens pin real runs.
const (
	goldenJSON  = "../../testdata/format/writer.json"
	goldenSARIF = "../../testdata/format/writer.sarif"
)

var testTool = Tool{Name: "wasmlint", Version: "0.1.0"}

// testRules are three rules: an availability error rule, an availability
// warning rule and a plain note rule that never fires.
var testRules = []*analyzer.Rule{
	{ID: "PW201", Name: "host-function-unknown", Title: "an env import is not a host function of the module's ABI version",
		Severity: analyzer.Error, Tags: []string{"imports", "availability"},
		What: "The module imports a function from `env` that the host does not register.", Why: "Linking fails.",
		Host: "`Failed to load Wasm module due to a missing import`", Fix: "Use the *matching* SDK."},
	{ID: "PW502", Name: "wasi-function-stubbed", Title: "a WASI function is linked but stubbed on this host",
		Severity: analyzer.Warning, Tags: []string{"wasi", "availability"},
		What: "A WASI import is a stub.", Why: "It fails at run time.", Host: "Returns `ENOSYS`.", Fix: "Avoid it."},
	{ID: "PW701", Name: "debug-info", Title: "the module carries DWARF debug information",
		Severity: analyzer.Note, Tags: []string{"cost"},
		What: "DWARF sections are present.", Why: "They cost memory.", Host: "Ignored.", Fix: "Strip them."},
}

// testHelp stands in for `wasmlint explain`.
func testHelp(r *analyzer.Rule) string {
	return "# " + r.ID + " " + r.Name + ": " + r.Title + "\n\n## What\n" + r.What + "\n\n## Fix\n" + r.Fix + "\n"
}

// testResults cover the cases of both writers: findings of every level,
// a subject that repeats, a zero-length span, an input that did not decode
// (no ABI), stdin, a path that needs escaping and one outside the root.
func testResults() []*analyzer.Result {
	return []*analyzer.Result{
		{Path: "build/filter.wasm", Size: 4096, SHA256: "aa11", ABI: "0.2.1", Host: "envoy@1.39", Diagnostics: []analyzer.Diagnostic{
			{Rule: "PW201", Name: "host-function-unknown", Severity: analyzer.Error, Span: wasm.Span{Offset: 0x22, Length: 28},
				Subject: "import env.proxy_bogus", Message: "import env.proxy_bogus is not part of ABI 0.2.1; envoy@1.39: \"Failed to load Wasm module due to a missing import: env.proxy_bogus\""},
			{Rule: "PW502", Name: "wasi-function-stubbed", Severity: analyzer.Warning, Span: wasm.Span{Offset: 0x40, Length: 30},
				Subject: "import wasi_snapshot_preview1.sched_yield", Message: "import wasi_snapshot_preview1.sched_yield is a stub on envoy@1.39"},
			{Rule: "PW701", Name: "debug-info", Severity: analyzer.Note, Span: wasm.Span{Offset: 0x300, Length: 900},
				Subject: "section .debug_info", Message: "1.2 KiB of DWARF debug information"},
			{Rule: "PW701", Name: "debug-info", Severity: analyzer.Note, Span: wasm.Span{Offset: 0x700, Length: 0},
				Subject: "section .debug_info", Message: "a second .debug_info section"},
		}},
		{Path: "build/not wasm.wasm", Size: 17, SHA256: "bb22", Host: "envoy@1.39", Diagnostics: []analyzer.Diagnostic{
			{Rule: "PW201", Name: "host-function-unknown", Severity: analyzer.Error, Span: wasm.Span{Offset: 0, Length: 8},
				Subject: "module", Message: "_start is not a module"},
		}},
		{Path: "-", Size: 8, SHA256: "cc33", ABI: "0.1.0", Host: "envoy@1.39"},
		{Path: "/elsewhere/outside.wasm", Size: 9, SHA256: "dd44", ABI: "0.2.0", Host: "envoy@1.39", Diagnostics: []analyzer.Diagnostic{
			{Rule: "PW701", Name: "debug-info", Severity: analyzer.Note, Span: wasm.Span{Offset: 9, Length: 1},
				Subject: "section .debug_line", Message: "debug information."},
		}},
	}
}

func testSARIFOptions() SARIFOptions {
	return SARIFOptions{Rules: testRules, Help: testHelp, Host: "envoy@1.39", Root: "/repo", WorkDir: "/repo",
		Failures: []InputError{{Path: "build/missing.wasm", Message: "no such file or directory"}}}
}

// checkGolden compares got with the golden file, or rewrites it with -update.
func checkGolden(t *testing.T, golden string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("missing golden file (run go test ./analyzer/report -update): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run go test ./analyzer/report -update to accept):\n%s", golden, got)
	}
}

func TestGoldenJSONWriter(t *testing.T) {
	var b bytes.Buffer
	if err := JSON(&b, testTool, testResults()); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, goldenJSON, b.Bytes())
}

func TestGoldenSARIFWriter(t *testing.T) {
	var b bytes.Buffer
	if err := SARIF(&b, testTool, testResults(), testSARIFOptions()); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, goldenSARIF, b.Bytes())
}
