package report

import (
	"fmt"
	"io"

	"github.com/wasmlint/wasmlint/analyzer"
)

// TextOptions tune the text format.
type TextOptions struct {
	// Color adds ANSI colours to severities (only on a terminal).
	Color bool
}

// Text writes one line per finding, sorted by offset,
//
//	filter.wasm:0x1a3: error: import env.proxy_get_log_level is not part of ABI 0.2.0 [PW201]
//
// then one summary line per file, followed by the smoke run's summary when
// it ran.
func Text(w io.Writer, results []*analyzer.Result, opt TextOptions) error {
	for _, r := range results {
		for _, d := range r.Diagnostics {
			if _, err := fmt.Fprintf(w, "%s:%#x: %s: %s [%s]\n", r.Path, d.Span.Offset, paint(d.Severity, opt.Color), d.Message, d.Rule); err != nil {
				return err
			}
		}
		abi := r.ABI
		if abi == "" {
			abi = "none"
		}
		if _, err := fmt.Fprintf(w, "%s: ABI %s, host %s: %s, %s, %s\n", r.Path, abi, r.Host,
			plural(r.Count(analyzer.Error), "error"), plural(r.Count(analyzer.Warning), "warning"), plural(r.Count(analyzer.Note), "note")); err != nil {
			return err
		}
		if r.Smoke != nil {
			if err := r.Smoke.Text(w); err != nil {
				return err
			}
		}
	}
	return nil
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func paint(s analyzer.Severity, color bool) string {
	if !color {
		return s.String()
	}
	code := map[analyzer.Severity]string{analyzer.Error: "1;31", analyzer.Warning: "1;33", analyzer.Note: "1;36"}[s]
	return "\x1b[" + code + "m" + s.String() + "\x1b[0m"
}
