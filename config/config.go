// Package config reads wasmlint's configuration file, .wasmlint.yaml:
//
//	version: 1
//	hosts: [envoy@1.33, istio]        # or one name; each host is one lint
//	fail-on: warning
//	workers: 8
//	memory-budget: 512MiB
//	rules:
//	  PW502: {severity: note}          # an ID, a name or a glob
//	  PW7*: {disable: true}
//	ignore:
//	  - rule: PW502
//	    path: build/**/*.wasm          # relative to the file's directory
//	    subject: import wasi_snapshot_preview1.fd_write   # optional
//	    reason: the host stubs it and the filter does not log
//	    expires: 2026-12-31            # optional
//
// Parse checks the shape: unknown keys, wrong types and missing required
// values are errors naming the line. Whether a host, rule pattern or size
// exists is for the caller to check, with the line numbers kept here.
// Schema is the same shape as a JSON Schema, for editors and `wasmlint
// config validate`.
package config

import (
	_ "embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"go.yaml.in/yaml/v3"
)

// FileName is the name wasmlint looks for in the working directory and its
// parents.
const FileName = ".wasmlint.yaml"

// Schema is the JSON Schema of the file (draft 2020-12).
//
//go:embed wasmlint.schema.json
var Schema []byte

// File is a parsed configuration file. Every value keeps the line it was
// given on, for error messages; a key absent from the file has line 0.
type File struct {
	// Path is the file as found or named; Dir its directory, which ignore
	// path globs are relative to.
	Path, Dir string
	Version   int
	Hosts     []string
	FailOn    string
	// Workers is 0 when not set.
	Workers      int
	MemoryBudget string
	Rules        []Rule
	Ignore       []Ignore
	// Lines of the top-level keys that were set ("hosts", "fail-on" …).
	Lines map[string]int
}

// Rule is one entry of rules: a pattern and what it sets.
type Rule struct {
	Pattern  string
	Severity string // "" = unchanged
	Disable  *bool  // nil = unchanged
	Line     int
}

// Ignore is one accepted finding (or class of findings).
type Ignore struct {
	Rule, Path, Subject, Reason string
	// Expires is the last day the entry applies (zero: no expiry).
	Expires time.Time
	Line    int
}

// Error is a problem in the file, at a line (0: the file as a whole).
type Error struct {
	Path string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line == 0 {
		return e.Path + ": " + e.Msg
	}
	return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
}

// Find looks for FileName in dir and its parents; "" when there is none.
func Find(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d, rel := abs, "."; ; {
		p := filepath.Join(d, FileName)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return filepath.Join(rel, FileName), nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", nil
		}
		d, rel = parent, filepath.Join(rel, "..")
	}
}

// Load reads and parses the file at path.
func Load(path string) (*File, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, &Error{Path: path, Msg: err.Error()}
	}
	return Parse(path, b)
}

// Parse parses a configuration; path names it in errors and is the base
// of ignore path globs.
func Parse(path string, b []byte) (*File, error) {
	f := &File{Path: path, Dir: filepath.Dir(path), Lines: map[string]int{}}
	p := &parser{path: path}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, p.yamlErr(err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, &Error{Path: path, Msg: "the file is empty (want at least version: 1)"}
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, p.errf(root, "the file must be a mapping of keys (version, hosts, fail-on, workers, memory-budget, rules, ignore)")
	}
	err := p.fields(root, map[string]func(k, v *yaml.Node) error{
		"version": func(_, v *yaml.Node) error {
			n, err := p.int(v)
			if err == nil && n != 1 {
				err = p.errf(v, "unsupported version %d (want 1)", n)
			}
			f.Version = n
			return err
		},
		"hosts": func(_, v *yaml.Node) (err error) { f.Hosts, err = p.strings(v); return err },
		"fail-on": func(_, v *yaml.Node) (err error) {
			f.FailOn, err = p.oneOf(v, "error", "warning", "note", "none")
			return err
		},
		"workers": func(_, v *yaml.Node) (err error) {
			if f.Workers, err = p.int(v); err == nil && f.Workers < 1 {
				err = p.errf(v, "workers must be at least 1")
			}
			return err
		},
		"memory-budget": func(_, v *yaml.Node) (err error) { f.MemoryBudget, err = p.str(v); return err },
		"rules":         func(_, v *yaml.Node) (err error) { f.Rules, err = p.rules(v); return err },
		"ignore":        func(_, v *yaml.Node) (err error) { f.Ignore, err = p.ignores(v); return err },
	}, f.Lines)
	if err != nil {
		return nil, err
	}
	if f.Lines["version"] == 0 {
		return nil, p.errf(root, "version is required (version: 1)")
	}
	return f, nil
}

type parser struct{ path string }

func (p *parser) errf(n *yaml.Node, format string, args ...any) error {
	return &Error{Path: p.path, Line: n.Line, Msg: fmt.Sprintf(format, args...)}
}

// yamlErr turns a YAML syntax error ("yaml: line 3: …") into an Error.
func (p *parser) yamlErr(err error) error {
	msg := err.Error()
	var line int
	if _, scanErr := fmt.Sscanf(msg, "yaml: line %d:", &line); scanErr == nil {
		_, rest, _ := cutAfter(msg, ": ")
		_, rest, _ = cutAfter(rest, ": ")
		return &Error{Path: p.path, Line: line, Msg: "invalid YAML: " + rest}
	}
	return &Error{Path: p.path, Msg: "invalid YAML: " + msg}
}

func cutAfter(s, sep string) (string, string, bool) {
	for i := 0; i+len(sep) <= len(s); i++ {
		if s[i:i+len(sep)] == sep {
			return s[:i], s[i+len(sep):], true
		}
	}
	return s, "", false
}

// fields walks a mapping: each key must be one of known, at most once.
// lines, when not nil, records the line of each key.
func (p *parser) fields(m *yaml.Node, known map[string]func(k, v *yaml.Node) error, lines map[string]int) error {
	seen := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		set, ok := known[k.Value]
		if !ok || k.Kind != yaml.ScalarNode {
			return p.errf(k, "unknown key %q (want %s)", k.Value, keyList(known))
		}
		if seen[k.Value] {
			return p.errf(k, "%s is given twice", k.Value)
		}
		seen[k.Value] = true
		if lines != nil {
			lines[k.Value] = k.Line
		}
		if err := set(k, v); err != nil {
			return err
		}
	}
	return nil
}

func (p *parser) str(v *yaml.Node) (string, error) {
	if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
		return "", p.errf(v, "want a string")
	}
	return v.Value, nil
}

func (p *parser) int(v *yaml.Node) (int, error) {
	n, err := strconv.Atoi(v.Value)
	if v.Kind != yaml.ScalarNode || err != nil {
		return 0, p.errf(v, "want a whole number, not %q", v.Value)
	}
	return n, nil
}

func (p *parser) bool(v *yaml.Node) (bool, error) {
	if v.Kind == yaml.ScalarNode && v.Tag == "!!bool" {
		return v.Value == "true", nil
	}
	return false, p.errf(v, "want true or false, not %q", v.Value)
}

func (p *parser) oneOf(v *yaml.Node, values ...string) (string, error) {
	s, err := p.str(v)
	if err != nil {
		return "", err
	}
	for _, ok := range values {
		if s == ok {
			return s, nil
		}
	}
	return "", p.errf(v, "%q is not one of %v", s, values)
}

// strings reads a list of strings, or one string.
func (p *parser) strings(v *yaml.Node) ([]string, error) {
	if v.Kind == yaml.ScalarNode {
		s, err := p.str(v)
		return []string{s}, err
	}
	if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
		return nil, p.errf(v, "want a name or a non-empty list of names")
	}
	var out []string
	for _, e := range v.Content {
		s, err := p.str(e)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}
