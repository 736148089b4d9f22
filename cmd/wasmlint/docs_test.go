package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wasmlint/wasmlint/analyzer"
	"github.com/wasmlint/wasmlint/analyzer/report"
	"github.com/wasmlint/wasmlint/rules"
)

// docsDir holds one page per rule, PWxxx.md, and an index, README.md, all
// generated from rules.All by TestRuleDocs. A page is what
// `wasmlint explain` prints, the same text SARIF carries as help.markdown;
// the rule's SARIF helpUri points at it.
const docsDir = "../../docs/rules"

const generated = "<!-- Generated from rules.All by `go test ./cmd/wasmlint -run TestRuleDocs -update`; do not edit. -->\n"

// rulePage renders the docs page of a rule.
func rulePage(r *analyzer.Rule) string {
	tags := make([]string, len(r.Tags))
	for i, t := range r.Tags {
		tags[i] = "`" + t + "`"
	}
	return Explain(r) + "\n---\n\nTags: " + strings.Join(tags, ", ") + ". [All rules](README.md).\n\n" + generated
}

// rulesIndex renders docs/rules/README.md.
func rulesIndex() string {
	var b strings.Builder
	b.WriteString("# wasmlint rules\n\nOne page per rule: what it checks, why, what the host does, and the fix. ")
	b.WriteString("Severity is the highest the rule reports; a finding's own depends on the host profile. ")
	b.WriteString("`wasmlint explain ID` prints the same text.\n\n| ID | name | max severity | title |\n|---|---|---|---|\n")
	for _, r := range rules.All {
		fmt.Fprintf(&b, "| [%s](%s.md) | %s | %s | %s |\n", r.ID, r.ID, r.Name, r.Severity, r.Title)
	}
	b.WriteString("\n" + generated)
	return b.String()
}

// TestRuleDocs keeps docs/rules in sync with rules.All: a page per rule, the
// index, and no page of a rule that no longer exists.
func TestRuleDocs(t *testing.T) {
	want := map[string]string{"README.md": rulesIndex()}
	for _, r := range rules.All {
		want[r.ID+".md"] = rulePage(r)
	}
	if *update {
		if err := os.MkdirAll(docsDir, 0o755); err != nil {
			t.Fatal(err)
		}
		old, _ := filepath.Glob(filepath.Join(docsDir, "PW*.md"))
		for _, p := range old {
			if _, ok := want[filepath.Base(p)]; !ok {
				if err := os.Remove(p); err != nil {
					t.Fatal(err)
				}
			}
		}
		for name, text := range want {
			if err := os.WriteFile(filepath.Join(docsDir, name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	const hint = "run go test ./cmd/wasmlint -run TestRuleDocs -update"
	for name, text := range want {
		got, err := os.ReadFile(filepath.Join(docsDir, name))
		if err != nil || string(got) != text {
			t.Errorf("docs/rules/%s is missing or stale: %s", name, hint)
		}
	}
	pages, _ := filepath.Glob(filepath.Join(docsDir, "*.md"))
	for _, p := range pages {
		if _, ok := want[filepath.Base(p)]; !ok {
			t.Errorf("docs/rules/%s documents no rule: %s", filepath.Base(p), hint)
		}
	}
}

// TestHelpURIs: every rule's SARIF helpUri is its page in this repository.
func TestHelpURIs(t *testing.T) {
	const prefix = report.RepoURL + "/blob/main/"
	for _, r := range rules.All {
		u := report.HelpURI(r.ID)
		rel, ok := strings.CutPrefix(u, prefix)
		if !ok {
			t.Fatalf("%s: helpUri %s is not in %s", r.ID, u, report.RepoURL)
		}
		if _, err := os.Stat(filepath.Join("../..", rel)); err != nil {
			t.Errorf("%s: helpUri %s names no file in the repository: %v", r.ID, u, err)
		}
	}
}
