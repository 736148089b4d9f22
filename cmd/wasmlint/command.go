package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

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
	// now is the clock of ignore expiry (nil: time.Now).
	now func() time.Time
}

type options struct {
	format, output, host, abi, failOn string
	enable, disable                   []string
	noColor                           bool
	workers, jobs                     int
	memoryBudget, maxFileSize         string
	// Outputs beside the main one, and where SARIF paths are relative to.
	sarifOutput, jsonOutput, sarifRoot, sarifCategory string
	// Configuration file and accepted findings.
	config, baseline string
	noConfig, strict bool
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
		case "baseline":
			if len(args) < 3 || args[1] != "write" {
				return c.usageErr("usage: wasmlint baseline write FILE [flags] PATH...")
			}
			return c.lintCmd(args[3:], args[2])
		case "config":
			return c.configCmd(args[1:])
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

func (c *command) lint(args []string) int { return c.lintCmd(args, "") }

// lintFlags registers the lint command's flags.
func (c *command) lintFlags(o *options, sf *smokeFlags) *pflag.FlagSet {
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
	fl.StringVar(&o.maxFileSize, "max-file-size", "256MiB", "refuse inputs larger than this (also each module, and the bytes unpacked from an image)")
	fl.IntVarP(&o.jobs, "jobs", "j", runtime.NumCPU(), "lint up to `N` inputs at once")
	fl.StringVar(&o.config, "config", "", "read the configuration from `FILE` (default: .wasmlint.yaml here or in a parent directory)")
	fl.BoolVar(&o.noConfig, "no-config", false, "read no configuration file")
	fl.StringVar(&o.baseline, "baseline", "", "hide the findings recorded in the baseline `FILE` (wasmlint baseline write)")
	fl.BoolVar(&o.strict, "strict", false, "ignore entries that expired or matched nothing are errors (exit 1), not notes")
	addSmokeFlags(fl, sf)
	fl.Usage = func() {
		fmt.Fprintf(c.stderr, "usage: wasmlint [flags] PATH...   (files, directories, OCI images, - for stdin)\n       wasmlint inspect [--matrix] FILE...\n       wasmlint diff OLD.wasm NEW.wasm\n       wasmlint baseline write FILE [flags] PATH...\n       wasmlint config validate [FILE]\n       wasmlint rules|explain ID|hosts|version\n\nflags:\n%s", fl.FlagUsages())
	}
	return fl
}

// lintCmd is the lint command; with baselineOut set it is `baseline
// write`: it lints the same way, then records the findings instead of
// reporting them.
func (c *command) lintCmd(args []string, baselineOut string) int {
	var o options
	var sf smokeFlags
	fl := c.lintFlags(&o, &sf)
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return exitOK
		}
		return c.usageErr("%v", err)
	}
	if fl.NArg() == 0 {
		return c.usageErr("no input: give .wasm files, directories, OCI images or - for stdin")
	}
	if o.jobs < 1 {
		return c.usageErr("--jobs must be at least 1")
	}
	if o.abi != "" && abiversions.Table(o.abi) == nil {
		return c.usageErr("unknown ABI version %q (want 0.1.0, 0.2.0 or 0.2.1)", o.abi)
	}
	if !slices.Contains(formats, o.format) {
		return c.usageErr("unknown format %q (want text, json or sarif)", o.format)
	}
	if st, err := os.Stat(o.sarifRoot); err != nil || !st.IsDir() {
		return c.usageErr("--sarif-root: %s is not a directory", o.sarifRoot)
	}
	maxSize, err := parseSize(o.maxFileSize)
	if err != nil || maxSize == 0 {
		return c.usageErr("--max-file-size: invalid size %q", o.maxFileSize)
	}
	file, err := loadConfig(o)
	if err != nil {
		return c.usageErr("%v", err)
	}
	s, err := resolve(o, fl, file)
	if err != nil {
		return c.usageErr("%v", err)
	}
	if s.allHosts {
		if o.format == "sarif" || o.sarifOutput != "" || o.jsonOutput != "" || o.abi != "" || baselineOut != "" {
			return c.usageErr("--host all writes a host matrix (text or json); it takes no --abi, SARIF or extra outputs")
		}
		return c.hostMatrix(o, c.expand(fl.Args(), func(p string, err error) { fmt.Fprintf(c.stderr, "wasmlint: %s: %v\n", p, err) }), s.selected, maxSize)
	}
	job, err := c.newJob(o, sf, s, maxSize)
	if err != nil {
		return c.usageErr("%v", err)
	}
	acc, err := newAcceptance(s.file, o.baseline, c.today())
	if err != nil {
		fmt.Fprintf(c.stderr, "wasmlint: --baseline %v\n", err)
		return exitInput
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
	acc.apply(results)
	notes := acc.notes(o.strict)
	for _, n := range notes {
		fmt.Fprintf(c.stderr, "wasmlint: %s\n", n)
	}
	if baselineOut != "" {
		return c.writeBaselineFile(baselineOut, results, code)
	}
	so := report.SARIFOptions{Rules: s.selected, Help: Explain, Host: s.hosts[0].Name(), Category: o.sarifCategory, Failures: failures}
	if err := c.write(o, so, results, s.hosts, acc); err != nil {
		fmt.Fprintf(c.stderr, "wasmlint: %v\n", err)
		return exitInput
	}
	if code != exitOK {
		return code
	}
	for _, r := range results {
		if s.failOn != analyzer.None && r.Max() >= s.failOn {
			return exitFindings
		}
	}
	if o.strict && len(notes) > 0 {
		return exitFindings
	}
	return exitOK
}

// newJob is what every input is linted with: the rules, and one analyzer
// configuration (and smoke-run options) per host.
func (c *command) newJob(o options, sf smokeFlags, s *settings, maxSize uint64) (lintJob, error) {
	job := lintJob{rules: s.selected, max: maxSize, severity: s.severity,
		digest: o.format != "text" || o.sarifOutput != "" || o.jsonOutput != ""}
	keep := map[string]bool{}
	for _, r := range s.selected {
		keep[r.ID] = true
	}
	for _, h := range s.hosts {
		job.cfgs = append(job.cfgs, analyzer.Config{Host: h, ABI: o.abi, Options: s.opts})
		if sf.enabled {
			so, err := sf.options(h, o.abi)
			if err != nil {
				return job, err
			}
			job.smoke, job.keep = append(job.smoke, so), func(id string) bool { return keep[id] }
		}
	}
	return job, nil
}

// today is the date ignore entries expire against.
func (c *command) today() time.Time {
	if c.now != nil {
		return c.now()
	}
	return time.Now()
}

// writeBaselineFile ends `baseline write`: it records the findings,
// unless an input could not be read (code is exitInput).
func (c *command) writeBaselineFile(path string, results []*analyzer.Result, code int) int {
	if code != exitOK {
		fmt.Fprintf(c.stderr, "wasmlint: %s not written: an input could not be read\n", path)
		return code
	}
	n, err := writeBaseline(path, results)
	if err != nil {
		fmt.Fprintf(c.stderr, "wasmlint: %v\n", err)
		return exitInput
	}
	fmt.Fprintf(c.stderr, "wasmlint: %s: %d findings recorded\n", path, n)
	return exitOK
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
