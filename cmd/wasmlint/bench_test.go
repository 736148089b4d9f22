package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkLintWildCorpus runs the CLI in-process over every file of
// ../shared/corpus/wild, as one `wasmlint DIR` invocation does.
func BenchmarkLintWildCorpus(b *testing.B) {
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "wild")
	if _, err := os.Stat(dir); err != nil {
		b.Skip("shared corpus not found")
	}
	c := &command{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, env: func(string) string { return "" }}
	b.ReportAllocs()
	for b.Loop() {
		if code := c.run([]string{"--fail-on", "none", dir}); code != exitOK {
			b.Fatalf("exit %d", code)
		}
	}
}
