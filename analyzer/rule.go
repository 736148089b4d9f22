package analyzer

import (
	"fmt"
	"regexp"
	"strings"
)

// Severity is how bad a finding is. It means one thing everywhere:
// Error = the host will refuse to load, link or start the module (or crash
// on it); Warning = it loads, but something will fail or misbehave at run
// time; Note = cost, hygiene, advice.
type Severity int

// Severities, in increasing order.
const (
	None Severity = iota
	Note
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Note:
		return "note"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return "none"
}

// ParseSeverity parses "error", "warning", "note" or "none".
func ParseSeverity(s string) (Severity, error) {
	for _, v := range []Severity{None, Note, Warning, Error} {
		if v.String() == s {
			return v, nil
		}
	}
	return None, fmt.Errorf("unknown severity %q (want error, warning, note or none)", s)
}

// MarshalText writes the severity as its name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Rule is one check. Rules are plain values listed explicitly in
// rules.All; a rule reads the facts on the Pass and reports, it never
// prints, reads files or keeps state.
type Rule struct {
	// ID is stable forever: "PW201". Never reused.
	ID string
	// Name is a kebab-case label: "host-function-unknown".
	Name string
	// Title is a one-line, lowercase summary without a final period.
	Title string
	// Severity is the highest severity the rule reports; the severity of
	// each finding depends on the host profile and is set by the rule.
	Severity Severity
	// What, Why and Fix document the rule in Markdown; Host says what the
	// host does with such a module, in its own words where it has them.
	What, Why, Fix, Host string
	// Tags classify the rule for SARIF and filters ("abi", "wasi" ...).
	Tags []string
	// OnInput marks the rules that look at the input as a whole, including
	// input that did not decode (the pass has no Module); all other rules
	// run only on decoded modules. OnInput rules run after the others.
	OnInput bool
	// Runtime marks the rules whose findings come from running the module
	// (the smoke run, package analyzer/smoke) rather than from Run; they
	// have no Run and the static runner skips them.
	Runtime bool
	// Run checks the pass and reports findings through it.
	Run func(*Pass)
}

var (
	idRE   = regexp.MustCompile(`^PW[0-9]{3}$`)
	nameRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

// Validate checks that every rule is well formed and documented and that
// IDs and names are unique.
func Validate(rules []*Rule) error {
	ids, names := map[string]bool{}, map[string]bool{}
	for _, r := range rules {
		switch {
		case !idRE.MatchString(r.ID):
			return fmt.Errorf("rule %q: ID must look like PW123", r.ID)
		case ids[r.ID]:
			return fmt.Errorf("rule %s: duplicate ID", r.ID)
		case !nameRE.MatchString(r.Name) || names[r.Name]:
			return fmt.Errorf("rule %s: name %q must be unique kebab-case", r.ID, r.Name)
		case r.Title == "" || strings.HasSuffix(r.Title, ".") || strings.Contains(r.Title, "\n"):
			return fmt.Errorf("rule %s: title must be one line without a final period", r.ID)
		case r.What == "" || r.Why == "" || r.Fix == "" || r.Host == "":
			return fmt.Errorf("rule %s is undocumented: What, Why, Fix and Host are required", r.ID)
		case r.Severity == None:
			return fmt.Errorf("rule %s: no severity", r.ID)
		case r.Run == nil && !r.Runtime:
			return fmt.Errorf("rule %s: no Run", r.ID)
		case r.Run != nil && r.Runtime:
			return fmt.Errorf("rule %s: a Runtime rule has no Run", r.ID)
		}
		ids[r.ID], names[r.Name] = true, true
	}
	return nil
}

// Select returns the rules enabled by the patterns: all rules, minus those
// matching a disable pattern, except those matching an enable pattern,
// which win. A pattern is an ID, a name, or a glob such as "PW5*".
func Select(all []*Rule, enable, disable []string) ([]*Rule, error) {
	for _, p := range append(append([]string{}, enable...), disable...) {
		if !matchesAny(all, p) {
			return nil, fmt.Errorf("no rule matches %q", p)
		}
	}
	var out []*Rule
	for _, r := range all {
		if match(r, disable) && !match(r, enable) {
			continue
		}
		out = append(out, r)
	}
	return out, nil
}

func matchesAny(all []*Rule, p string) bool {
	for _, r := range all {
		if match(r, []string{p}) {
			return true
		}
	}
	return false
}

func match(r *Rule, patterns []string) bool {
	for _, p := range patterns {
		if globMatch(strings.ToUpper(p), r.ID) || p == r.Name || p == "all" {
			return true
		}
	}
	return false
}

// globMatch matches s against a pattern where '*' stands for any run of
// characters and '?' for one.
func globMatch(pattern, s string) bool {
	if pattern == "" {
		return s == ""
	}
	switch pattern[0] {
	case '*':
		for i := 0; i <= len(s); i++ {
			if globMatch(pattern[1:], s[i:]) {
				return true
			}
		}
		return false
	case '?':
		return s != "" && globMatch(pattern[1:], s[1:])
	}
	return s != "" && s[0] == pattern[0] && globMatch(pattern[1:], s[1:])
}
