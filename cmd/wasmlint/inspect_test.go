package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"
)

// repoRoot is the repository root, found before any test changes
// directory.
var repoRoot = func() string {
	wd, err := os.Getwd()
	if err != nil {
		panic(err)
	}
	return filepath.Join(wd, "..", "..")
}()

// runSub runs `wasmlint inspect` or `wasmlint diff` in-process from the
// repository root, calling the subcommand directly.
func runSub(t *testing.T, env map[string]string, stdin, sub string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	t.Chdir(repoRoot)
	var out, errb bytes.Buffer
	c := &command{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, env: func(k string) string { return env[k] }}
	if sub == "diff" {
		code = c.diffCmd(args)
	} else {
		code = c.inspectCmd(args)
	}
	return code, out.String(), errb.String()
}

// inspectGoldens are the golden outputs under testdata/inspect.
var inspectGoldens = []struct {
	golden, sub string
	args        []string
}{
	{"inspect.txt", "inspect", []string{"testdata/inspect/v2.wasm", "testdata/err/not_wasm.wasm"}},
	{"inspect.json", "inspect", []string{"-f", "json", "testdata/inspect/v2.wasm", "testdata/err/not_wasm.wasm"}},
	{"matrix.txt", "inspect", []string{"--matrix", "testdata/inspect/v2.wasm"}},
	{"matrix.json", "inspect", []string{"--matrix", "-f", "json", "testdata/inspect/v2.wasm"}},
	{"diff.txt", "diff", []string{"testdata/inspect/v1.wasm", "testdata/inspect/v2.wasm"}},
	{"diff.json", "diff", []string{"-f", "json", "testdata/inspect/v1.wasm", "testdata/inspect/v2.wasm"}},
}

// TestInspectGolden compares inspect, matrix and diff output with the
// files under testdata/inspect; go test ./cmd/wasmlint -update rewrites
// them.
func TestInspectGolden(t *testing.T) {
	for _, tc := range inspectGoldens {
		t.Run(tc.golden, func(t *testing.T) {
			code, out, errOut := runSub(t, nil, "", tc.sub, tc.args...)
			if code != exitOK || errOut != "" {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			checkGolden(t, filepath.Join("testdata", "inspect", tc.golden), out)
		})
	}
}

// TestInspectJSONDocumented checks that every key of the three JSON
// documents is named in the README's section on them.
func TestInspectJSONDocumented(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "## Inspect, matrix and diff\n")
	if !ok {
		t.Fatal("README has no section \"## Inspect, matrix and diff\"")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	for _, tc := range inspectGoldens {
		if !strings.HasSuffix(tc.golden, ".json") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(repoRoot, "testdata", "inspect", tc.golden))
		if err != nil {
			t.Fatal(err)
		}
		var doc any
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatalf("%s: %v", tc.golden, err)
		}
		for _, k := range jsonKeys(doc, map[string]bool{}) {
			if !strings.Contains(section, `"`+k+`"`) {
				t.Errorf("%s: key %q is not documented in the README", tc.golden, k)
			}
		}
	}
}

// jsonKeys lists every object key in a decoded JSON value, sorted.
func jsonKeys(v any, seen map[string]bool) []string {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			seen[k] = true
			jsonKeys(e, seen)
		}
	case []any:
		for _, e := range x {
			jsonKeys(e, seen)
		}
	}
	var keys []string
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func TestInspectExitCodes(t *testing.T) {
	v1, v2 := "testdata/inspect/v1.wasm", "testdata/inspect/v2.wasm"
	tests := []struct {
		name string
		sub  string
		args []string
		want int
		out  string // substring of stdout+stderr
	}{
		{"summary", "inspect", []string{v2}, exitOK, "ABI 0.2.1"},
		{"not wasm is described", "inspect", []string{"testdata/err/not_wasm.wasm"}, exitOK, "not wasm"},
		{"help", "inspect", []string{"--help"}, exitOK, "--matrix"},
		{"no input", "inspect", nil, exitUsage, "give one or more"},
		{"bad format", "inspect", []string{"-f", "xml", v2}, exitUsage, "unknown format"},
		{"bad flag", "inspect", []string{"--bogus", v2}, exitUsage, "unknown flag"},
		{"bad size", "inspect", []string{"--max-file-size", "big", v2}, exitUsage, "invalid size"},
		{"missing file", "inspect", []string{"testdata/nope.wasm"}, exitInput, "no such file"},
		{"too large", "inspect", []string{"--max-file-size", "10", v2}, exitInput, "larger than"},
		{"diff needs two", "diff", []string{v1}, exitUsage, "give two files"},
		{"diff", "diff", []string{v1, v2}, exitOK, "lost envoy@1.16: PW501"},
		{"regression fails", "diff", []string{"--fail-on-regression", v1, v2}, exitFindings, "33 lost"},
		{"no regression", "diff", []string{"--fail-on-regression", v2, v1}, exitOK, "33 gained"},
		{"diff missing file", "diff", []string{v1, "testdata/nope.wasm"}, exitInput, "nope.wasm"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runSub(t, nil, "", tc.sub, tc.args...)
			if code != tc.want || !strings.Contains(out+errOut, tc.out) {
				t.Errorf("exit %d (want %d), output lacks %q:\n%s%s", code, tc.want, tc.out, out, errOut)
			}
		})
	}
}

func TestMatrixWidth(t *testing.T) {
	for _, tc := range []struct {
		columns string
		width   int
	}{{"", defaultWidth}, {"60", 60}, {"junk", defaultWidth}, {"10", defaultWidth}} {
		_, out, _ := runSub(t, map[string]string{"COLUMNS": tc.columns}, "", "inspect", "--matrix", "testdata/inspect/v2.wasm")
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		widest := 0
		for _, l := range lines[1:] {
			widest = max(widest, utf8.RuneCountInString(l))
		}
		if widest != tc.width {
			t.Errorf("COLUMNS=%q: widest row %d runes, want %d", tc.columns, widest, tc.width)
		}
	}
}

func TestInspectStdinAndOutputFile(t *testing.T) {
	bin, err := os.ReadFile(filepath.Join(repoRoot, "testdata", "inspect", "v2.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "summary.json")
	code, out, _ := runSub(t, nil, string(bin), "inspect", "-f", "json", "-o", path, "-")
	b, err := os.ReadFile(path)
	if code != exitOK || out != "" || err != nil || !bytes.Contains(b, []byte(`"path": "-"`)) {
		t.Errorf("exit %d, stdout %q, file %q, err %v", code, out, b, err)
	}
	if code, _, errOut := runSub(t, nil, "", "inspect", "-o", t.TempDir(), "testdata/inspect/v2.wasm"); code != exitInput || errOut == "" {
		t.Errorf("output to a directory: exit %d, stderr %q", code, errOut)
	}
}
