package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestWritesOnlyWhereAsked runs the CLI with every output flag and the
// smoke run in an empty working directory, with HOME and TMPDIR pointing
// into it, and checks that the only files created are the ones named by
// -o, --sarif-output, --json-output and --smoke-cache.
func TestWritesOnlyWhereAsked(t *testing.T) {
	src, err := filepath.Abs("../../testdata")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, sub := range []string{"home", "tmp", "out", "cache"} {
		if err := os.Mkdir(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("HOME", filepath.Join(dir, "home"))
	t.Setenv("TMPDIR", filepath.Join(dir, "tmp"))
	t.Setenv("XDG_CACHE_HOME", filepath.Join(dir, "home", ".cache"))
	t.Chdir(dir)
	runs := [][]string{
		{"-f", "json", "-o", "out/report.json", "--sarif-output", "out/report.sarif", "--json-output", "out/extra.json",
			filepath.Join(src, "ok"), filepath.Join(src, "err")},
		{"--smoke", "--smoke-cache", "cache", filepath.Join(src, "smoke", "c_good.wasm")},
		{"--smoke", filepath.Join(src, "smoke", "c_trap_configure.wasm")},
		{"--host", "all", filepath.Join(src, "ok", "add_header.wasm")},
		{"inspect", "-o", "out/inspect.txt", filepath.Join(src, "ok", "add_header.wasm")},
		{"diff", filepath.Join(src, "inspect", "v1.wasm"), filepath.Join(src, "inspect", "v2.wasm")},
	}
	for _, args := range runs {
		var out, errb bytes.Buffer
		c := &command{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, env: os.Getenv}
		if code := c.run(args); code == exitUsage || code == exitInput {
			t.Fatalf("wasmlint %v: exit %d: %s", args, code, errb.String())
		}
	}
	var unexpected []string
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if !strings.HasPrefix(rel, "out"+string(filepath.Separator)) && !strings.HasPrefix(rel, "cache"+string(filepath.Separator)) {
			unexpected = append(unexpected, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(unexpected)
	if len(unexpected) > 0 {
		t.Errorf("files written outside -o, --sarif-output, --json-output and --smoke-cache: %v", unexpected)
	}
	for _, want := range []string{"out/report.json", "out/report.sarif", "out/extra.json", "out/inspect.txt"} {
		if _, err := os.Stat(filepath.Join(dir, want)); err != nil {
			t.Errorf("%s was not written: %v", want, err)
		}
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "cache")); len(entries) == 0 {
		t.Error("--smoke-cache wrote nothing to its directory")
	}
}
