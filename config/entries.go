package config

import (
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// rules reads the rules mapping: pattern -> {severity, disable}.
func (p *parser) rules(v *yaml.Node) ([]Rule, error) {
	if v.Kind != yaml.MappingNode {
		return nil, p.errf(v, "rules must be a mapping of rule IDs, names or globs to settings")
	}
	var out []Rule
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, s := v.Content[i], v.Content[i+1]
		r := Rule{Pattern: k.Value, Line: k.Line}
		if s.Kind != yaml.MappingNode {
			return nil, p.errf(s, "the settings of %s must be a mapping ({severity: note} or {disable: true})", k.Value)
		}
		err := p.fields(s, map[string]func(k, v *yaml.Node) error{
			"severity": func(_, v *yaml.Node) (err error) {
				r.Severity, err = p.oneOf(v, "error", "warning", "note")
				return err
			},
			"disable": func(_, v *yaml.Node) error {
				b, err := p.bool(v)
				r.Disable = &b
				return err
			},
		}, nil)
		if err != nil {
			return nil, err
		}
		if r.Severity == "" && r.Disable == nil {
			return nil, p.errf(s, "the settings of %s set nothing (want severity or disable)", k.Value)
		}
		out = append(out, r)
	}
	return out, nil
}

// ignores reads the ignore list.
func (p *parser) ignores(v *yaml.Node) ([]Ignore, error) {
	if v.Kind != yaml.SequenceNode {
		return nil, p.errf(v, "ignore must be a list of entries (rule, path, subject, reason, expires)")
	}
	var out []Ignore
	for _, e := range v.Content {
		if e.Kind != yaml.MappingNode {
			return nil, p.errf(e, "an ignore entry must be a mapping (rule, path, subject, reason, expires)")
		}
		ig := Ignore{Line: e.Line}
		str := func(dst *string) func(_, v *yaml.Node) error {
			return func(_, v *yaml.Node) (err error) { *dst, err = p.str(v); return err }
		}
		err := p.fields(e, map[string]func(k, v *yaml.Node) error{
			"rule": str(&ig.Rule), "path": str(&ig.Path), "subject": str(&ig.Subject), "reason": str(&ig.Reason),
			"expires": func(_, v *yaml.Node) error {
				t, err := time.Parse(time.DateOnly, v.Value)
				if v.Kind != yaml.ScalarNode || err != nil {
					return p.errf(v, "expires must be a date, YYYY-MM-DD, not %q", v.Value)
				}
				ig.Expires = t
				return nil
			},
		}, nil)
		if err != nil {
			return nil, err
		}
		for _, req := range []struct{ name, val string }{{"rule", ig.Rule}, {"path", ig.Path}, {"reason", ig.Reason}} {
			if strings.TrimSpace(req.val) == "" {
				return nil, p.errf(e, "an ignore entry needs a %s", req.name)
			}
		}
		out = append(out, ig)
	}
	return out, nil
}

// keyList lists the known keys for messages, sorted.
func keyList(known map[string]func(k, v *yaml.Node) error) string {
	keys := make([]string, 0, len(known))
	for k := range known {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, ", ")
}

// Expired reports whether the entry no longer applies on the given day.
func (ig *Ignore) Expired(now time.Time) bool {
	if ig.Expires.IsZero() {
		return false
	}
	y, m, d := now.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).After(ig.Expires)
}

// MatchPath matches a slash-separated path against a glob where "*" and
// "?" stay within a segment and "**" spans any number of segments.
func MatchPath(glob, p string) bool {
	return matchSegs(strings.Split(glob, "/"), strings.Split(p, "/"))
}

func matchSegs(g, p []string) bool {
	for len(g) > 0 {
		if g[0] == "**" {
			for i := 0; i <= len(p); i++ {
				if matchSegs(g[1:], p[i:]) {
					return true
				}
			}
			return false
		}
		if len(p) == 0 || !Glob(g[0], p[0]) {
			return false
		}
		g, p = g[1:], p[1:]
	}
	return len(p) == 0
}

// Glob matches s against a pattern of literal characters, "*" (any run)
// and "?" (one character).
func Glob(pattern, s string) bool {
	if pattern == "" {
		return s == ""
	}
	switch pattern[0] {
	case '*':
		for i := 0; i <= len(s); i++ {
			if Glob(pattern[1:], s[i:]) {
				return true
			}
		}
		return false
	case '?':
		return s != "" && Glob(pattern[1:], s[1:])
	}
	return s != "" && s[0] == pattern[0] && Glob(pattern[1:], s[1:])
}
