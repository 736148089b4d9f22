package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"

	"github.com/spf13/pflag"

	"github.com/wasmlint/wasmlint/abiversions"
	"github.com/wasmlint/wasmlint/analyzer"
	"github.com/wasmlint/wasmlint/analyzer/report"
	"github.com/wasmlint/wasmlint/rules"
)

// Exit codes: a contract with users' CI (see README).
const (
	exitOK       = 0 // nothing at or above --fail-on
	exitFindings = 1 // findings at or above --fail-on
	exitUsage    = 2 // bad flags or arguments
	exitInput    = 3 // an input could not be read
)

// version is the wasmlint release.
const version = "0.1.0"

// command is the CLI with its streams, so tests run it in-process.
type command struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	env            func(string) string
	isTerminal     func(io.Writer) bool
}

type options struct {
	format, output, host, abi, failOn string
	enable, disable                   []string
	noColor                           bool
	workers, jobs                     int
	memoryBudget, maxFileSize         string
	// Outputs beside the main one, and where SARIF paths are relative to.
	sarifOutput, jsonOutput, sarifRoot, sarifCategory string
}

// formats are the values of --format.
var formats = []string{"text", "json", "sarif"}

func (c *command) run(args []string) int {
	if err := analyzer.Validate(rules.All); err != nil {
		fmt.Fprintf(c.stderr, "wasmlint: internal error: %v\n", err)
		return exitUsage
	}
	if len(args) > 0 {
		switch args[0] {
		case "rules":
			return c.rulesCmd(args[1:])
		case "explain":
			return c.explainCmd(args[1:])
		case "hosts":
			return c.hostsCmd(args[1:])
		case "inspect":
			return c.inspectCmd(args[1:])
		case "diff":
			return c.diffCmd(args[1:])
		case "version":
			fmt.Fprintf(c.stdout, "wasmlint %s\n", version)
			return exitOK
		}
	}
	return c.lint(args)
}

func (c *command) usageErr(format string, args ...any) int {
	fmt.Fprintf(c.stderr, "wasmlint: "+format+"\n", args...)
	fmt.Fprintln(c.stderr, "run 'wasmlint --help' for usage")
	return exitUsage
}

func (c *command) lint(args []string) int {
	var o options
	fl := pflag.NewFlagSet("wasmlint", pflag.ContinueOnError)
	fl.SetOutput(c.stderr)
	fl.StringVarP(&o.format, "format", "f", "text", "output format: text, json or sarif")
	fl.StringVarP(&o.output, "output", "o", "", "write the report to `FILE` instead of stdout")
	fl.StringVar(&o.sarifOutput, "sarif-output", "", "also write a SARIF report to `FILE`")
	fl.StringVar(&o.jsonOutput, "json-output", "", "also write a JSON report to `FILE`")
	fl.StringVar(&o.sarifRoot, "sarif-root", ".", "make SARIF artifact paths relative to `DIR` (the repository root)")
	fl.StringVar(&o.sarifCategory, "sarif-category", report.DefaultCategory, "SARIF automationDetails.id is `NAME`/HOST/ (one code-scanning category per host)")
	fl.StringVar(&o.host, "host", abiversions.DefaultProfile, "host profile: envoy@1.33, istio@1.24, kong, ... (bare name = newest release; see 'wasmlint hosts'); all = a matrix of every profile")
	fl.StringVar(&o.abi, "abi", "", "check as this ABI `VERSION` (0.1.0, 0.2.0, 0.2.1) instead of the detected one")
	fl.StringSliceVar(&o.enable, "enable", nil, "enable rules by `ID`, name or glob (PW5*), even if disabled")
	fl.StringSliceVar(&o.disable, "disable", nil, "disable rules by `ID`, name or glob (PW7*)")
	fl.StringVar(&o.failOn, "fail-on", "error", "exit 1 when a finding is at or above this severity: error, warning, note or none")
	fl.BoolVar(&o.noColor, "no-color", false, "never colour the text output (NO_COLOR is honoured too)")
	fl.IntVar(&o.workers, "workers", 0, "worker threads (one VM each) for PW406")
	fl.StringVar(&o.memoryBudget, "memory-budget", "", "memory budget for all workers' VMs for PW406 (e.g. 512MiB)")
	fl.StringVar(&o.maxFileSize, "max-file-size", "256MiB", "refuse inputs larger than this")
	fl.IntVarP(&o.jobs, "jobs", "j", runtime.NumCPU(), "lint up to `N` files at once")
	var sf smokeFlags
	addSmokeFlags(fl, &sf)
	fl.Usage = func() {
		fmt.Fprintf(c.stderr, "usage: wasmlint [flags] PATH...   (files, directories, - for stdin)\n       wasmlint inspect [--matrix] FILE...\n       wasmlint diff OLD.wasm NEW.wasm\n       wasmlint rules|explain ID|hosts|version\n\nflags:\n%s", fl.FlagUsages())
	}
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return exitOK
		}
		return c.usageErr("%v", err)
	}
	if fl.NArg() == 0 {
		return c.usageErr("no input: give .wasm files, directories or - for stdin")
	}
	if o.jobs < 1 {
		return c.usageErr("--jobs must be at least 1")
	}
	allHosts := o.host == "all"
	if allHosts {
		o.host = abiversions.DefaultProfile
	}
	host, err := abiversions.Select(o.host)
	if err != nil {
		return c.usageErr("%v", err)
	}
	if o.abi != "" && abiversions.Table(o.abi) == nil {
		return c.usageErr("unknown ABI version %q (want 0.1.0, 0.2.0 or 0.2.1)", o.abi)
	}
	failOn, err := analyzer.ParseSeverity(o.failOn)
	if err != nil {
		return c.usageErr("--fail-on: %v", err)
	}
	if !slices.Contains(formats, o.format) {
		return c.usageErr("unknown format %q (want text, json or sarif)", o.format)
	}
	if st, err := os.Stat(o.sarifRoot); err != nil || !st.IsDir() {
		return c.usageErr("--sarif-root: %s is not a directory", o.sarifRoot)
	}
	selected, err := analyzer.Select(rules.All, o.enable, o.disable)
	if err != nil {
		return c.usageErr("%v", err)
	}
	budget, err := parseSize(o.memoryBudget)
	if err != nil {
		return c.usageErr("--memory-budget: %v", err)
	}
	maxSize, err := parseSize(o.maxFileSize)
	if err != nil || maxSize == 0 {
		return c.usageErr("--max-file-size: invalid size %q", o.maxFileSize)
	}
	if allHosts {
		if o.format == "sarif" || o.sarifOutput != "" || o.jsonOutput != "" || o.abi != "" {
			return c.usageErr("--host all writes a host matrix (text or json); it takes no --abi, SARIF or extra outputs")
		}
		return c.hostMatrix(o, c.expand(fl.Args(), func(p string, err error) { fmt.Fprintf(c.stderr, "wasmlint: %s: %v\n", p, err) }), selected, maxSize)
	}
	cfg := analyzer.Config{Host: host, ABI: o.abi, Options: analyzer.Options{Workers: o.workers, MemoryBudget: budget}}
	job := lintJob{rules: selected, cfg: cfg, max: maxSize, digest: o.format != "text" || o.sarifOutput != "" || o.jsonOutput != ""}
	if sf.enabled {
		so, err := sf.options(host, o.abi)
		if err != nil {
			return c.usageErr("%v", err)
		}
		keep := map[string]bool{}
		for _, r := range selected {
			keep[r.ID] = true
		}
		job.smoke, job.keep = &so, func(id string) bool { return keep[id] }
	}

	code := exitOK
	var results []*analyzer.Result
	var failures []report.InputError
	fail := func(path string, err error) {
		fmt.Fprintf(c.stderr, "wasmlint: %s: %v\n", path, err)
		failures = append(failures, report.InputError{Path: path, Message: err.Error()})
		code = exitInput
	}
	for _, out := range c.lintAll(c.expand(fl.Args(), fail), job, o.jobs) {
		if out.err != nil {
			fail(out.path, out.err)
			continue
		}
		results = append(results, out.res)
	}
	if err := c.write(o, report.SARIFOptions{Rules: selected, Help: Explain, Host: host.Name(), Category: o.sarifCategory, Failures: failures}, results); err != nil {
		fmt.Fprintf(c.stderr, "wasmlint: %v\n", err)
		return exitInput
	}
	if code != exitOK {
		return code
	}
	for _, r := range results {
		if failOn != analyzer.None && r.Max() >= failOn {
			return exitFindings
		}
	}
	return exitOK
}

// expand turns arguments into inputs: files as given, directories walked
// for *.wasm in lexical order, "-" for stdin. A directory that cannot be
// walked is reported to fail.
func (c *command) expand(args []string, fail func(string, error)) []string {
	var out []string
	for _, a := range args {
		st, err := os.Stat(a)
		if a == "-" || err != nil || !st.IsDir() {
			out = append(out, a)
			continue
		}
		var found []string
		err = filepath.WalkDir(a, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.EqualFold(filepath.Ext(path), ".wasm") {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			fail(a, cleanErr(err))
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out
}

// write writes the report in the main format to --output (stdout by
// default), then the SARIF and JSON reports asked for beside it. Every
// output is attempted; the first error is returned.
func (c *command) write(o options, so report.SARIFOptions, results []*analyzer.Result) error {
	if o.format == "sarif" || o.sarifOutput != "" {
		root, err := filepath.Abs(o.sarifRoot)
		if err != nil {
			return fmt.Errorf("--sarif-root: %w", err)
		}
		if so.WorkDir, err = os.Getwd(); err != nil {
			return err
		}
		so.Root = root
	}
	tool := report.Tool{Name: "wasmlint", Version: version}
	render := func(format string, w io.Writer, color bool) error {
		switch format {
		case "json":
			return report.JSON(w, tool, results)
		case "sarif":
			return report.SARIF(w, tool, results, so)
		}
		return report.Text(w, results, report.TextOptions{Color: color})
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

// writeFile creates path and fills it with write.
func writeFile(path string, write func(io.Writer) error) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("%s: %w", path, cleanErr(err))
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("%s: %w", path, cerr)
		}
	}()
	if err := write(f); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// parseSize parses "512MiB", "1GiB", "64KiB", "1048576" or "" (0).
func parseSize(s string) (uint64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	mult := uint64(1)
	for _, u := range []struct {
		suffix string
		m      uint64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSuffix(s, u.suffix), u.m
			break
		}
	}
	var n uint64
	if _, err := fmt.Sscanf(s, "%d", &n); err != nil || fmt.Sprint(n) != s {
		return 0, fmt.Errorf("invalid size %q", s)
	}
	return n * mult, nil
}
