package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/wasmlint/wasmlint/abiversions"
	"github.com/wasmlint/wasmlint/analyzer"
	wt "github.com/wasmlint/wasmlint/internal/wasmtest"
	"github.com/wasmlint/wasmlint/rules"
)

// writeSARIF runs the writer and parses its output back.
func writeSARIF(t *testing.T, results []*analyzer.Result, opt SARIFOptions) *sarif.Run {
	t.Helper()
	var b bytes.Buffer
	if err := SARIF(&b, testTool, results, opt); err != nil {
		t.Fatal(err)
	}
	log, err := sarif.FromBytes(b.Bytes())
	if err != nil {
		t.Fatalf("output is not SARIF: %v", err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("version %q, %d runs; want 2.1.0 and one run", log.Version, len(log.Runs))
	}
	return log.Runs[0]
}

func str(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

func TestSARIFRules(t *testing.T) {
	run := writeSARIF(t, nil, SARIFOptions{Rules: testRules, Help: testHelp, Host: "kong@0.6.0"})
	d := run.Tool.Driver
	if d.Name != "wasmlint" || str(d.SemanticVersion) != "0.1.0" || str(d.InformationURI) != RepoURL {
		t.Errorf("driver %s %s %s", d.Name, str(d.SemanticVersion), str(d.InformationURI))
	}
	if len(d.Rules) != len(testRules) {
		t.Fatalf("%d rules, want every enabled rule (%d) even with no results", len(d.Rules), len(testRules))
	}
	wantSec := map[string]any{"PW201": "7.0", "PW502": "4.0", "PW701": nil}
	for i, rd := range d.Rules {
		r := testRules[i]
		if rd.ID != r.ID || str(rd.Name) != r.Name || rd.DefaultConfiguration.Level != r.Severity.String() {
			t.Errorf("rule %d: %s %s %s", i, rd.ID, str(rd.Name), rd.DefaultConfiguration.Level)
		}
		if str(rd.HelpURI) != RepoURL+"/blob/main/docs/rules/"+r.ID+".md" {
			t.Errorf("%s helpUri %s", r.ID, str(rd.HelpURI))
		}
		if str(rd.Help.Markdown) != testHelp(r) || strings.ContainsAny(str(rd.Help.Text), "`#*") {
			t.Errorf("%s help: markdown %q, text %q (want the explain Markdown and plain text)", r.ID, str(rd.Help.Markdown), str(rd.Help.Text))
		}
		if short := str(rd.ShortDescription.Text); !strings.HasSuffix(short, ".") || short[:1] != strings.ToUpper(short[:1]) {
			t.Errorf("%s shortDescription %q is not a sentence", r.ID, short)
		}
		if rd.FullDescription == nil || str(rd.FullDescription.Text) == "" {
			t.Errorf("%s has no fullDescription", r.ID)
		}
		if sec := rd.Properties["security-severity"]; sec != wantSec[r.ID] {
			t.Errorf("%s security-severity %v, want %v", r.ID, sec, wantSec[r.ID])
		}
		tags, _ := rd.Properties["tags"].([]any)
		if (wantSec[r.ID] != nil) != (len(tags) > 0 && tags[len(tags)-1] == "security") {
			t.Errorf("%s tags %v: security-severity and the security tag go together", r.ID, tags)
		}
	}
	if id := str(run.AutomationDetails.ID); id != "wasmlint/kong@0.6.0/" {
		t.Errorf("automationDetails.id %q", id)
	}
	if len(run.Invocations) != 1 || !*run.Invocations[0].ExecutionSuccessful || run.Results == nil {
		t.Errorf("want one successful invocation and an empty results array")
	}
}

func TestSARIFResults(t *testing.T) {
	run := writeSARIF(t, testResults(), testSARIFOptions())
	if len(run.Results) != 6 {
		t.Fatalf("%d results, want 6", len(run.Results))
	}
	type want struct {
		rule, level, uri, base, kind, name, text string
		offset, length                           int
	}
	wants := []want{
		{"PW201", "error", "build/filter.wasm", SRCROOT, "import", "env.proxy_bogus", "Import env.proxy_bogus is not part of ABI 0.2.1; envoy@1.39: \"Failed to load Wasm module due to a missing import: env.proxy_bogus\".", 0x22, 28},
		{"PW502", "warning", "build/filter.wasm", SRCROOT, "import", "wasi_snapshot_preview1.sched_yield", "Import wasi_snapshot_preview1.sched_yield is a stub on envoy@1.39.", 0x40, 30},
		{"PW701", "note", "build/filter.wasm", SRCROOT, "section", ".debug_info", "1.2 KiB of DWARF debug information.", 0x300, 900},
		{"PW701", "note", "build/filter.wasm", SRCROOT, "section", ".debug_info", "A second .debug_info section.", 0x700, 0},
		{"PW201", "error", "build/not%20wasm.wasm", SRCROOT, "module", "not%20wasm.wasm", "_start is not a module.", 0, 8},
		{"PW701", "note", "file:///elsewhere/outside.wasm", "<nil>", "section", ".debug_line", "Debug information.", 9, 1},
	}
	fps := map[string]bool{}
	for i, w := range wants {
		r := run.Results[i]
		if str(r.RuleID) != w.rule || run.Tool.Driver.Rules[*r.RuleIndex].ID != w.rule || str(r.Level) != w.level || str(r.Message.Text) != w.text {
			t.Errorf("result %d: rule %s (index %d), level %s, message %q; want %+v", i, str(r.RuleID), *r.RuleIndex, str(r.Level), str(r.Message.Text), w)
		}
		if len(r.Locations) != 1 {
			t.Fatalf("result %d has %d locations, want 1", i, len(r.Locations))
		}
		pl := r.Locations[0].PhysicalLocation
		if str(pl.ArtifactLocation.URI) != w.uri || str(pl.ArtifactLocation.URIBaseId) != w.base {
			t.Errorf("result %d: uri %s base %s, want %s %s", i, str(pl.ArtifactLocation.URI), str(pl.ArtifactLocation.URIBaseId), w.uri, w.base)
		}
		if *pl.Region.StartLine != 1 || *pl.Region.ByteOffset != w.offset || *pl.Region.ByteLength != w.length {
			t.Errorf("result %d: region %d %d %d, want line 1, bytes %d+%d", i, *pl.Region.StartLine, *pl.Region.ByteOffset, *pl.Region.ByteLength, w.offset, w.length)
		}
		ll := r.Locations[0].LogicalLocations
		if len(ll) != 1 || str(ll[0].Kind) != w.kind || str(ll[0].Name) != strings.ReplaceAll(w.name, "%20", " ") {
			t.Errorf("result %d: logical locations %+v, want %s %s", i, ll, w.kind, w.name)
		}
		fp, _ := r.PartialFingerprints[FingerprintKey].(string)
		if len(fp) != 64 || fps[fp] {
			t.Errorf("result %d: fingerprint %q is not a fresh SHA-256", i, fp)
		}
		fps[fp] = true
	}
	sum := sha256.Sum256([]byte("PW201\x00build/filter.wasm\x00import env.proxy_bogus"))
	if got := run.Results[0].PartialFingerprints[FingerprintKey]; got != hex.EncodeToString(sum[:]) {
		t.Errorf("fingerprint %v, want sha256(rule NUL path NUL subject)", got)
	}

	inv := run.Invocations[0]
	if *inv.ExecutionSuccessful || len(inv.ToolExecutionNotifications) != 1 || inv.ToolExecutionNotifications[0].Level != "error" ||
		str(inv.ToolExecutionNotifications[0].Message.Text) != "build/missing.wasm: no such file or directory." {
		t.Errorf("unreadable input: invocation %+v", inv)
	}
	if n := inv.ToolConfigurationNotifications; len(n) != 1 || !strings.Contains(str(n[0].Message.Text), "/elsewhere/outside.wasm is outside the SARIF root") {
		t.Errorf("want one notification for the input outside the root, got %+v", n)
	}
	mods, _ := run.Properties["modules"].([]any)
	if len(mods) != 4 {
		t.Fatalf("run properties: %d modules, want 4", len(mods))
	}
	if m := mods[0].(map[string]any); m["sha256"] != "aa11" || m["abi"] != "0.2.1" || m["uri"] != "build/filter.wasm" {
		t.Errorf("module properties %v", m)
	}
	if m := mods[1].(map[string]any); m["abi"] != nil {
		t.Errorf("a module without ABI has abi %v, want null", m["abi"])
	}
	if m := mods[2].(map[string]any); m["uri"] != "stdin" {
		t.Errorf("stdin is %v", m["uri"])
	}
}

func TestSARIFCategory(t *testing.T) {
	opt := testSARIFOptions()
	opt.Category = "filters/auth"
	if id := str(writeSARIF(t, nil, opt).AutomationDetails.ID); id != "filters/auth/envoy@1.39/" {
		t.Errorf("automationDetails.id %q", id)
	}
}

func TestSARIFErrors(t *testing.T) {
	var b bytes.Buffer
	if err := SARIF(&b, testTool, nil, SARIFOptions{Rules: testRules}); err == nil {
		t.Error("no Help: want an error")
	}
	res := []*analyzer.Result{{Path: "x.wasm", Diagnostics: []analyzer.Diagnostic{{Rule: "PW999", Severity: analyzer.Error}}}}
	if err := SARIF(&b, testTool, res, SARIFOptions{Rules: testRules, Help: testHelp}); err == nil {
		t.Error("a finding of a rule that is not enabled: want an error")
	}
}

// TestSARIFStable: the same input gives the same bytes (no time, GUID,
// map order).
func TestSARIFStable(t *testing.T) {
	var a, b bytes.Buffer
	if err := SARIF(&a, testTool, testResults(), testSARIFOptions()); err != nil {
		t.Fatal(err)
	}
	if err := SARIF(&b, testTool, testResults(), testSARIFOptions()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two writes of the same results differ")
	}
}

func TestSARIFURI(t *testing.T) {
	o := SARIFOptions{Root: "/work/repo", WorkDir: "/work/repo/sub"}
	for in, want := range map[string][2]string{
		"filter.wasm":             {"sub/filter.wasm", SRCROOT},
		"../x/a b#c%.wasm":        {"x/a%20b%23c%25.wasm", SRCROOT},
		"/work/repo/out/f.wasm":   {"out/f.wasm", SRCROOT},
		"../../other/f.wasm":      {"file:///work/other/f.wasm", ""},
		"/work/repository/f.wasm": {"file:///work/repository/f.wasm", ""},
		"-":                       {"stdin", ""},
		"a:b.wasm":                {"sub/a:b.wasm", SRCROOT},
	} {
		uri, base := o.uri(in)
		if uri != want[0] || base != want[1] {
			t.Errorf("uri(%q) = %q, %q; want %q, %q", in, uri, base, want[0], want[1])
		}
	}
	if uri, _ := (&SARIFOptions{}).uri("./a:b.wasm"); uri != "./a:b.wasm" {
		t.Errorf("a colon in the first segment must not read as a scheme: %q", uri)
	}
}

func TestSentence(t *testing.T) {
	for in, want := range map[string]string{
		"import env.x is unknown":            "Import env.x is unknown.",
		"proxy_on_tick is not exported":      "proxy_on_tick is not exported.",
		"_initialize calls env.proxy_log":    "_initialize calls env.proxy_log.",
		"envoy@1.16 never calls _initialize": "envoy@1.16 never calls _initialize.",
		"ABI 0.1.0 is not supported":         "ABI 0.1.0 is not supported.",
		"1.2 MiB of DWARF":                   "1.2 MiB of DWARF.",
		"ends with a period.":                "Ends with a period.",
		`host says: "x"`:                     `Host says: "x".`,
	} {
		if got := sentence(in); got != want {
			t.Errorf("sentence(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPlainTextAndClamp(t *testing.T) {
	if got := plainText("# T\n\n## What\nUse `wasm-opt` on a *reactor*; keep proxy_on_tick * 2."); got != "T\n\nWhat\nUse wasm-opt on a reactor; keep proxy_on_tick * 2." {
		t.Errorf("plainText: %q", got)
	}
	long := strings.Repeat("é", 600)
	if got := clamp(long); len(got) > maxDescription || !strings.HasSuffix(got, "…") || !strings.HasPrefix(long, strings.TrimSuffix(got, "…")) {
		t.Errorf("clamp: %d bytes, %q…", len(got), got[len(got)-8:])
	}
}

// TestFingerprintsSurviveRebuild: two builds of one filter that differ only
// in code bytes (a longer function body, so every section after the code
// section moves) have different digests and offsets but the same
// fingerprints, so code scanning keeps the alerts open instead of closing
// and reopening them.
func TestFingerprintsSurviveRebuild(t *testing.T) {
	host, err := abiversions.Select("envoy@1.39")
	if err != nil {
		t.Fatal(err)
	}
	build := func(body ...wt.Op) []byte {
		return wt.Filter(
			wt.ImportFunc("env", "proxy_bogus", "->"),
			wt.ImportFunc("wasi_snapshot_preview1", "sched_yield", "-> i32"),
			wt.Body("malloc", body...),
			wt.Custom(".debug_info", make([]byte, 64)),
		)
	}
	const nop, i32const = 0x01, 0x41
	a := build(wt.Raw(i32const, 0x80, 0x08))
	b := build(wt.Raw(nop, nop, nop, nop, i32const, 0x80, 0x10))
	if bytes.Equal(a, b) {
		t.Fatal("the two builds are identical")
	}
	type finding struct{ rule, subject string }
	lint := func(bin []byte) (map[finding]string, map[finding]int, string) {
		res := analyzer.Run("build/filter.wasm", bin, rules.All, analyzer.Config{Host: host})
		sum := sha256.Sum256(bin)
		res.SHA256 = hex.EncodeToString(sum[:])
		run := writeSARIF(t, []*analyzer.Result{res}, SARIFOptions{Rules: rules.All, Help: testHelp, Host: host.Name()})
		fps, offsets := map[finding]string{}, map[finding]int{}
		for i, r := range run.Results {
			d := res.Diagnostics[i]
			f := finding{d.Rule, d.Subject}
			fps[f] = r.PartialFingerprints[FingerprintKey].(string)
			offsets[f] = *r.Locations[0].PhysicalLocation.Region.ByteOffset
		}
		return fps, offsets, res.SHA256
	}
	fpA, offA, sumA := lint(a)
	fpB, offB, sumB := lint(b)
	if sumA == sumB {
		t.Fatal("the two builds have one digest")
	}
	for _, f := range []finding{{"PW201", "import env.proxy_bogus"}, {"PW701", "section .debug_info"}} {
		if fpA[f] == "" {
			t.Fatalf("no %s finding on %s; findings: %v", f.rule, f.subject, fpA)
		}
	}
	if offA[finding{"PW701", "section .debug_info"}] == offB[finding{"PW701", "section .debug_info"}] {
		t.Error("the debug section did not move: the test does not exercise a shifted offset")
	}
	if len(fpA) != len(fpB) {
		t.Errorf("%d findings before, %d after the rebuild", len(fpA), len(fpB))
	}
	for f, fp := range fpA {
		if fpB[f] != fp {
			t.Errorf("%s on %s: fingerprint %s before, %s after the rebuild", f.rule, f.subject, fp, fpB[f])
		}
	}
}

// TestLevels: every severity maps to a SARIF level.
func TestLevels(t *testing.T) {
	for s, want := range map[analyzer.Severity]string{analyzer.Error: "error", analyzer.Warning: "warning", analyzer.Note: "note", analyzer.None: "none"} {
		if got := level(s); got != want {
			t.Errorf("level(%v) = %s, want %s", s, got, want)
		}
	}
}
