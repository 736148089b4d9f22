package analyzer

import (
	"io"
	"sort"

	"github.com/wasmlint/wasmlint/analyzer/wasm"
)

// Diagnostic is one finding, located by a byte span of the file.
type Diagnostic struct {
	Rule     string    `json:"rule"`
	Name     string    `json:"name"`
	Severity Severity  `json:"severity"`
	Message  string    `json:"message"`
	Span     wasm.Span `json:"-"`
	// Subject names what the finding is about, as a stable key:
	// `import env.proxy_log`, `export proxy_on_tick`, `section name`, `memory 0`.
	Subject string `json:"subject"`
}

// Result is what a run found in one input.
type Result struct {
	// Path is the input as the user named it ("-" for stdin).
	Path string
	// Size is the input's length in bytes; SHA256 its hex digest (set by
	// the caller that read the bytes).
	Size   int
	SHA256 string
	// ABI is the ABI version the host would run the module as ("" if none).
	ABI string
	// Host is the profile name ("envoy@1.39").
	Host string
	// Module holds the decoded facts (nil when the input did not decode).
	Module *wasm.Module
	// Diagnostics are sorted by offset, then rule ID, and de-duplicated.
	Diagnostics []Diagnostic
	// Package is how the module was packaged (nil for a bare file): for a
	// module out of an image, Path is "IMAGE@sha256:<layer digest>" and
	// Package.Image names the image file or directory.
	Package *Package
	// Smoke is the smoke run's report when --smoke ran (nil otherwise); the
	// JSON report embeds it and the text report prints its summary.
	Smoke SmokeReport
}

// SmokeReport is what the smoke run reports besides findings (package
// analyzer/smoke implements it); it is a JSON value with a text summary.
type SmokeReport interface {
	Text(w io.Writer) error
}

// Count returns how many diagnostics have the given severity.
func (r *Result) Count(s Severity) int {
	n := 0
	for _, d := range r.Diagnostics {
		if d.Severity == s {
			n++
		}
	}
	return n
}

// Max returns the highest severity among the diagnostics (None if none).
func (r *Result) Max() Severity {
	m := None
	for _, d := range r.Diagnostics {
		if d.Severity > m {
			m = d.Severity
		}
	}
	return m
}

// SortDiagnostics sorts findings by offset, then rule ID, then message, and
// drops exact duplicates, in place; it returns the shortened slice.
func SortDiagnostics(ds []Diagnostic) []Diagnostic {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.Span.Offset != b.Span.Offset {
			return a.Span.Offset < b.Span.Offset
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Message < b.Message
	})
	out := ds[:0]
	for i, d := range ds {
		if i > 0 && d == ds[i-1] {
			continue
		}
		out = append(out, d)
	}
	return out
}
