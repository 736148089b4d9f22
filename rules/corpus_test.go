package rules_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wasmlint/wasmlint/abiversions"
	"github.com/wasmlint/wasmlint/analyzer"
	"github.com/wasmlint/wasmlint/internal/corpus"
	"github.com/wasmlint/wasmlint/rules"
)

type manifestEntry struct {
	File        string         `json:"file"`
	HostVerdict map[string]any `json:"host_verdict"`
}

// causes maps the host's own error text to the rules that name that cause.
var causes = []struct {
	re    *regexp.Regexp
	rules []string
}{
	{regexp.MustCompile(`Missing or unknown Proxy-Wasm ABI version`), []string{"PW101", "PW102", "PW104", "PW105"}},
	{regexp.MustCompile(`missing import: (\S+)`), []string{"PW201", "PW203", "PW204", "PW205", "PW501", "PW503", "PW504", "PW505"}},
	{regexp.MustCompile(`Bad function signature for: (\w+)`), []string{"PW302"}},
	{regexp.MustCompile(`missing malloc`), []string{"PW301"}},
	{regexp.MustCompile(`Failed to parse corrupted Wasm module`), []string{"PW001", "PW002", "PW003"}},
	{regexp.MustCompile(`Failed to load Wasm bytecode`), []string{"PW001", "PW401", "PW403", "PW404", "PW405", "PW601"}},
	{regexp.MustCompile(`Failed to create new Wasm instance`), []string{"PW004", "PW205", "PW308"}},
	{regexp.MustCompile(`Function: (_start|_initialize|main) failed`), []string{"PW306", "PW310"}},
}

// knownDisagreements are files where the static verdict cannot match the
// recorded one, with the reason. The test fails if one of them starts to
// agree, so that the list stays true.
var knownDisagreements = map[string]string{
	// _initialize runs a constructor that calls exit() only when the
	// environment variable PROXY_WASM_PLUGIN is unset: the call is on a
	// conditional path, so PW310 reports it as a note, not an error.
	"c_proc_exit_initialize.wasm": "proc_exit is reached from _initialize only under a run-time condition",
	// WAMR (the engine that recorded the verdict) fails to instantiate this
	// 2020 emscripten module whose memory is fixed at 256/256 pages; its
	// segments fit, its imports link and it has no start function, so
	// nothing in the binary predicts the failure on V8.
	"envoyproxy__envoy-wasm__test-cpp-abi010-nostart.wasm": "engine-specific instantiation failure (WAMR), no static cause",
}

// TestCorpus checks the static rules against what a real host
// (proxy-wasm-cpp-host with Envoy's lifecycle) did with each file of the
// shared corpus, under the default profile (the newest Envoy): a file the
// host failed to load or initialise gets an error that names the cause;
// a file it loaded gets no error.
func TestCorpus(t *testing.T) {
	host, err := abiversions.Select(abiversions.DefaultProfile)
	if err != nil {
		t.Fatal(err)
	}
	total, agree := 0, 0
	for _, dir := range []string{"corpus", filepath.Join("corpus", "wild")} {
		var entries []manifestEntry
		dir = corpus.Manifest(t, dir, &entries)
		for _, e := range entries {
			bin, err := os.ReadFile(filepath.Join(dir, e.File))
			if err != nil {
				t.Fatal(err)
			}
			total++
			res := analyzer.Run(e.File, bin, rules.All, analyzer.Config{Host: host})
			problem := checkVerdict(e, res)
			reason, known := knownDisagreements[e.File]
			switch {
			case problem == "" && known:
				t.Errorf("%s: listed as a known disagreement (%s) but now agrees: remove it from the list", e.File, reason)
			case problem == "":
				agree++
			case known:
				t.Logf("%s: known disagreement: %s (%s)", e.File, problem, reason)
			default:
				t.Errorf("%s: %s", e.File, problem)
			}
		}
	}
	t.Logf("agreement with the recorded host verdicts: %d of %d files", agree, total)
}

// checkVerdict returns "" when the findings agree with the host verdict.
func checkVerdict(e manifestEntry, res *analyzer.Result) string {
	hv := e.HostVerdict
	failed := hv["load"] == "error" || hv["initialize"] == "error" || hv["load"] == "crash" || hv["initialize"] == "crash"
	hostErr, _ := hv["error"].(string)
	if note, ok := hv["v8_differs"].(string); ok && !failed {
		// V8, the engine of release builds, decides: the note says the
		// module fails there.
		failed, hostErr = true, "Failed to load Wasm bytecode ("+note+")"
	}
	var errs []analyzer.Diagnostic
	for _, d := range res.Diagnostics {
		if d.Severity == analyzer.Error {
			errs = append(errs, d)
		}
	}
	if !failed {
		if len(errs) > 0 {
			return "the host loaded it, but wasmlint reports " + describe(errs)
		}
		return ""
	}
	for _, c := range causes {
		m := c.re.FindStringSubmatch(hostErr)
		if m == nil {
			continue
		}
		for _, d := range errs {
			if !contains(c.rules, d.Rule) {
				continue
			}
			if len(m) > 1 && !strings.HasSuffix(d.Subject, " "+m[1]) {
				continue
			}
			return ""
		}
		return "the host failed with " + strings.TrimSpace(m[0]) + ", but no error names that cause; errors: " + describe(errs)
	}
	return "no known cause in the host error " + hostErr + "; errors: " + describe(errs)
}

func describe(ds []analyzer.Diagnostic) string {
	if len(ds) == 0 {
		return "none"
	}
	var parts []string
	for _, d := range ds {
		parts = append(parts, d.Rule+" "+d.Subject)
	}
	return strings.Join(parts, ", ")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
