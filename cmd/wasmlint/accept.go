package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/wasmlint/wasmlint/analyzer"
	"github.com/wasmlint/wasmlint/analyzer/report"
	"github.com/wasmlint/wasmlint/config"
)

// Accepted findings: the configuration's ignore entries, then the
// baseline, drop findings after the rules ran and before the exit code is
// computed.

// baselineVersion is the version of the baseline file format.
const baselineVersion = 1

// baselineFile is a baseline: the findings accepted when it was written,
// by their fingerprint (report.Fingerprint, the SARIF partial
// fingerprint), with paths relative to the baseline file's directory.
type baselineFile struct {
	Version int             `json:"version"`
	Tool    report.Tool     `json:"tool"`
	Entries []baselineEntry `json:"entries"`
}

type baselineEntry struct {
	Fingerprint string `json:"fingerprint"`
	Rule        string `json:"rule"`
	Path        string `json:"path"`
	Subject     string `json:"subject"`
}

// acceptance applies ignore entries and a baseline, and remembers what
// they did.
type acceptance struct {
	file    *config.File
	cfgDir  string // absolute directory of the configuration file
	used    []bool // ignore entries that matched
	now     time.Time
	base    map[string]bool // fingerprints of the baseline (nil: none)
	baseDir string          // absolute directory of the baseline file
	hidden  int             // findings the baseline hid
}

// newAcceptance prepares the ignore entries of f (may be nil) and the
// baseline at path ("" for none).
func newAcceptance(f *config.File, baseline string, now time.Time) (*acceptance, error) {
	a := &acceptance{file: f, now: now}
	if f != nil {
		a.used = make([]bool, len(f.Ignore))
		a.cfgDir, _ = filepath.Abs(f.Dir)
	}
	if baseline == "" {
		return a, nil
	}
	b, err := os.ReadFile(baseline)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", baseline, cleanErr(err))
	}
	var bf baselineFile
	if err := json.Unmarshal(b, &bf); err != nil {
		return nil, fmt.Errorf("%s: not a wasmlint baseline: %w", baseline, err)
	}
	if bf.Version != baselineVersion {
		return nil, fmt.Errorf("%s: baseline version %d, want %d", baseline, bf.Version, baselineVersion)
	}
	a.base = map[string]bool{}
	for _, e := range bf.Entries {
		a.base[e.Fingerprint] = true
	}
	a.baseDir, _ = filepath.Abs(filepath.Dir(baseline))
	return a, nil
}

// apply drops the ignored findings, then those in the baseline.
func (a *acceptance) apply(results []*analyzer.Result) {
	for _, r := range results {
		kept := r.Diagnostics[:0]
		for _, d := range r.Diagnostics {
			if !a.ignored(d, relTo(a.cfgDir, report.ArtifactPath(r))) {
				kept = append(kept, d)
			}
		}
		r.Diagnostics = kept
		if a.base == nil {
			continue
		}
		fps := report.Fingerprints(r.Diagnostics, relTo(a.baseDir, report.ArtifactPath(r)))
		kept = r.Diagnostics[:0]
		for i, d := range r.Diagnostics {
			if a.base[fps[i]] {
				a.hidden++
				continue
			}
			kept = append(kept, d)
		}
		r.Diagnostics = kept
	}
}

// ignored reports whether an ignore entry in force matches the finding.
func (a *acceptance) ignored(d analyzer.Diagnostic, path string) bool {
	if a.file == nil {
		return false
	}
	for i := range a.file.Ignore {
		ig := &a.file.Ignore[i]
		if ig.Expired(a.now) || !ruleMatch(ig.Rule, d) || !config.MatchPath(ig.Path, path) ||
			(ig.Subject != "" && !config.Glob(ig.Subject, d.Subject)) {
			continue
		}
		a.used[i] = true
		return true
	}
	return false
}

func ruleMatch(pattern string, d analyzer.Diagnostic) bool {
	return config.Glob(strings.ToUpper(pattern), d.Rule) || pattern == d.Name || pattern == "all"
}

// notes are the ignore entries that expired or matched nothing, as
// "FILE:LINE: SEVERITY: …" lines; strict makes them errors.
func (a *acceptance) notes(strict bool) []string {
	if a.file == nil {
		return nil
	}
	sev := "note"
	if strict {
		sev = "error"
	}
	var out []string
	for i, ig := range a.file.Ignore {
		switch {
		case ig.Expired(a.now):
			out = append(out, fmt.Sprintf("%s:%d: %s: ignore entry for %s expired on %s (%s)", a.file.Path, ig.Line, sev, ig.Rule, ig.Expires.Format(time.DateOnly), ig.Reason))
		case !a.used[i]:
			out = append(out, fmt.Sprintf("%s:%d: %s: ignore entry for %s matched nothing", a.file.Path, ig.Line, sev, ig.Rule))
		}
	}
	return out
}

// relTo is p relative to the absolute directory dir, slash-separated; p
// itself when it cannot be made relative (stdin, another volume).
func relTo(dir, p string) string {
	if p == "-" || dir == "" {
		return filepath.ToSlash(p)
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	rel, err := filepath.Rel(dir, abs)
	if err != nil {
		return filepath.ToSlash(p)
	}
	return filepath.ToSlash(rel)
}

// writeBaseline writes the findings of results as a baseline at path:
// one entry per fingerprint, sorted by path, rule, subject.
func writeBaseline(path string, results []*analyzer.Result) (int, error) {
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return 0, err
	}
	seen := map[string]bool{}
	bf := baselineFile{Version: baselineVersion, Tool: report.Tool{Name: "wasmlint", Version: version}, Entries: []baselineEntry{}}
	for _, r := range results {
		rel := relTo(dir, report.ArtifactPath(r))
		for i, fp := range report.Fingerprints(r.Diagnostics, rel) {
			if !seen[fp] {
				seen[fp] = true
				d := r.Diagnostics[i]
				bf.Entries = append(bf.Entries, baselineEntry{Fingerprint: fp, Rule: d.Rule, Path: rel, Subject: d.Subject})
			}
		}
	}
	sort.Slice(bf.Entries, func(i, j int) bool {
		a, b := bf.Entries[i], bf.Entries[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		if a.Subject != b.Subject {
			return a.Subject < b.Subject
		}
		return a.Fingerprint < b.Fingerprint
	})
	return len(bf.Entries), writeFile(path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(bf)
	})
}
