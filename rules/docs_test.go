package rules_test

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/wasmlint/wasmlint/rules"
)

var updateDocs = flag.Bool("update", false, "rewrite the rule table in ../README.md")

// ruleTable renders the README's rule table from rules.All.
func ruleTable() string {
	var b strings.Builder
	b.WriteString("| ID | name | max severity | title |\n|---|---|---|---|\n")
	for _, r := range rules.All {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", r.ID, r.Name, r.Severity, r.Title)
	}
	b.WriteString("\n`wasmlint explain ID` prints each rule's documentation: what, why, the host behaviour, the fix.\n")
	return b.String()
}

// TestReadmeRuleTable keeps the README's rule table in sync with rules.All.
func TestReadmeRuleTable(t *testing.T) {
	const path = "../README.md"
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const begin, end = "<!-- rules:begin -->\n", "<!-- rules:end -->"
	s := string(b)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatalf("%s lacks the %q … %q markers", path, begin, end)
	}
	want := s[:i+len(begin)] + ruleTable() + s[j:]
	if *updateDocs {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if s != want {
		t.Errorf("the rule table in %s is stale: run go test ./rules -run TestReadmeRuleTable -update", path)
	}
}
