package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/wasmlint/wasmlint/abiversions"
	"github.com/wasmlint/wasmlint/analyzer"
	"github.com/wasmlint/wasmlint/analyzer/report"
)

// write writes the report in the main format to --output (stdout by
// default), then the SARIF and JSON reports asked for beside it. Every
// output is attempted; the first error is returned. With several hosts the
// text report has one section per host and the JSON report one file entry
// per input and host; SARIF, one run per log, holds the first host only
// (run once per --host for one code-scanning category each).
func (c *command) write(o options, so report.SARIFOptions, results []*analyzer.Result, hosts []*abiversions.Profile, acc *acceptance) error {
	sarifResults := results
	if o.format == "sarif" || o.sarifOutput != "" {
		root, err := filepath.Abs(o.sarifRoot)
		if err != nil {
			return fmt.Errorf("--sarif-root: %w", err)
		}
		if so.WorkDir, err = os.Getwd(); err != nil {
			return err
		}
		so.Root = root
		if len(hosts) > 1 {
			sarifResults = ofHost(results, so.Host)
			fmt.Fprintf(c.stderr, "wasmlint: the SARIF report holds host %s only (one run per log): run once per --host for the others\n", so.Host)
		}
	}
	tool := report.Tool{Name: "wasmlint", Version: version}
	render := func(format string, w io.Writer, color bool) error {
		switch format {
		case "json":
			return report.JSON(w, tool, results)
		case "sarif":
			return report.SARIF(w, tool, sarifResults, so)
		}
		return c.text(w, results, hosts, acc, color)
	}
	var errs []error
	if o.output == "" {
		color := !o.noColor && c.env("NO_COLOR") == "" && c.isTerminal != nil && c.isTerminal(c.stdout)
		errs = append(errs, render(o.format, c.stdout, color))
	} else {
		errs = append(errs, writeFile(o.output, func(w io.Writer) error { return render(o.format, w, false) }))
	}
	for _, side := range []struct{ path, format string }{{o.sarifOutput, "sarif"}, {o.jsonOutput, "json"}} {
		if side.path != "" {
			errs = append(errs, writeFile(side.path, func(w io.Writer) error { return render(side.format, w, false) }))
		}
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// text writes the text report: one section per host when there are
// several ("== envoy@1.33 =="), and a last line saying how many findings
// the baseline hid, when it hid any.
func (c *command) text(w io.Writer, results []*analyzer.Result, hosts []*abiversions.Profile, acc *acceptance, color bool) error {
	opt := report.TextOptions{Color: color}
	if len(hosts) <= 1 {
		if err := report.Text(w, results, opt); err != nil {
			return err
		}
	}
	for i, h := range hosts {
		if len(hosts) <= 1 {
			break
		}
		sep := ""
		if i > 0 {
			sep = "\n"
		}
		if _, err := fmt.Fprintf(w, "%s== %s ==\n", sep, h.Name()); err != nil {
			return err
		}
		if err := report.Text(w, ofHost(results, h.Name()), opt); err != nil {
			return err
		}
	}
	if acc.hidden > 0 {
		_, err := fmt.Fprintf(w, "%s hidden by the baseline\n", plural(acc.hidden, "finding"))
		return err
	}
	return nil
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// ofHost are the results of one host profile.
func ofHost(results []*analyzer.Result, host string) []*analyzer.Result {
	var out []*analyzer.Result
	for _, r := range results {
		if r.Host == host {
			out = append(out, r)
		}
	}
	return out
}
