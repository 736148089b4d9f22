package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/wasmlint/wasmlint/abiversions"
	"github.com/wasmlint/wasmlint/analyzer"
	"github.com/wasmlint/wasmlint/analyzer/inspect"
	"github.com/wasmlint/wasmlint/analyzer/oci"
	"github.com/wasmlint/wasmlint/analyzer/report"
	"github.com/wasmlint/wasmlint/rules"
)

// inspectJSONVersion is the version of the inspect, matrix and diff JSON
// documents; it changes only when a field changes meaning or goes away.
const inspectJSONVersion = 1

// defaultWidth is the width of the matrix table off a terminal or without
// COLUMNS.
const defaultWidth = 120

type inspectOptions struct {
	format, output, maxFileSize string
	matrix, failOnRegression    bool
}

// inspectFlags parses the flags shared by inspect and diff; when ok is
// false the command ends with code (help, or a usage error).
func (c *command) inspectFlags(name, usage string, args []string, o *inspectOptions) (fl *pflag.FlagSet, code int, ok bool) {
	fl = pflag.NewFlagSet(name, pflag.ContinueOnError)
	fl.SetOutput(c.stderr)
	fl.StringVarP(&o.format, "format", "f", "text", "output format: text or json")
	fl.StringVarP(&o.output, "output", "o", "", "write to `FILE` instead of stdout")
	fl.StringVar(&o.maxFileSize, "max-file-size", "256MiB", "refuse inputs larger than this")
	if name == "inspect" {
		fl.BoolVar(&o.matrix, "matrix", false, "one row per host profile: will it load, and if not why")
	} else {
		fl.BoolVar(&o.failOnRegression, "fail-on-regression", false, "exit 1 when a host that loads OLD does not load NEW")
	}
	fl.Usage = func() { fmt.Fprintf(c.stderr, "usage: %s\n\nflags:\n%s", usage, fl.FlagUsages()) }
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return nil, exitOK, false
		}
		return nil, c.usageErr("%v", err), false
	}
	if o.format != "text" && o.format != "json" {
		return nil, c.usageErr("unknown format %q (want text or json)", o.format), false
	}
	return fl, exitOK, true
}

// inspectCmd is `wasmlint inspect [--matrix] FILE...`.
func (c *command) inspectCmd(args []string) int {
	var o inspectOptions
	fl, code, ok := c.inspectFlags("inspect", "wasmlint inspect [--matrix] [-f json] FILE...", args, &o)
	if !ok {
		return code
	}
	if fl.NArg() == 0 {
		return c.usageErr("inspect: give one or more .wasm files (- for stdin)")
	}
	bins, code := c.readAll(fl.Args(), o.maxFileSize)
	if code != exitOK {
		return code
	}
	var write func(io.Writer) error
	if o.matrix {
		var ms []*inspect.Matrix
		for i, bin := range bins {
			ms = append(ms, inspect.BuildMatrix(fl.Arg(i), bin, rules.All, abiversions.Profiles()))
		}
		write = func(w io.Writer) error { return c.writeMatrices(w, o.format, ms) }
	} else {
		var ss []*inspect.Summary
		for i, bin := range bins {
			ss = append(ss, inspect.Summarize(fl.Arg(i), bin))
		}
		write = func(w io.Writer) error { return writeSummaries(w, o.format, ss) }
	}
	return c.emit(o.output, write, exitOK)
}

// diffCmd is `wasmlint diff OLD.wasm NEW.wasm`.
func (c *command) diffCmd(args []string) int {
	var o inspectOptions
	fl, code, ok := c.inspectFlags("diff", "wasmlint diff [-f json] [--fail-on-regression] OLD.wasm NEW.wasm", args, &o)
	if !ok {
		return code
	}
	if fl.NArg() != 2 {
		return c.usageErr("diff: give two files, OLD.wasm NEW.wasm")
	}
	bins, code := c.readAll(fl.Args(), o.maxFileSize)
	if code != exitOK {
		return code
	}
	var sums [2]*inspect.Summary
	var mxs [2]*inspect.Matrix
	for i, bin := range bins {
		sums[i] = inspect.Summarize(fl.Arg(i), bin)
		mxs[i] = inspect.BuildMatrix(fl.Arg(i), bin, rules.All, abiversions.Profiles())
	}
	d := inspect.Compare(sums[0], sums[1], mxs[0], mxs[1])
	result := exitOK
	if o.failOnRegression && d.Regressed() {
		result = exitFindings
	}
	return c.emit(o.output, func(w io.Writer) error { return writeDiff(w, o.format, d, c.width()) }, result)
}

// readAll reads every input; it reports each one that cannot be read.
func (c *command) readAll(paths []string, maxFileSize string) ([][]byte, int) {
	max, err := parseSize(maxFileSize)
	if err != nil || max == 0 {
		return nil, c.usageErr("--max-file-size: invalid size %q", maxFileSize)
	}
	var bins [][]byte
	code := exitOK
	for _, p := range paths {
		bin, err := c.read(p, max)
		if err != nil {
			fmt.Fprintf(c.stderr, "wasmlint: %s: %v\n", p, err)
			code = exitInput
		}
		bins = append(bins, bin)
	}
	return bins, code
}

// emit writes to stdout or to the output file; it returns code, or
// exitInput when the output cannot be written.
func (c *command) emit(output string, write func(io.Writer) error, code int) int {
	w, closeOut := c.stdout, func() error { return nil }
	if output != "" {
		f, err := os.Create(output)
		if err != nil {
			fmt.Fprintf(c.stderr, "wasmlint: %s: %v\n", output, cleanErr(err))
			return exitInput
		}
		w, closeOut = f, f.Close
	}
	err := write(w)
	if cerr := closeOut(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintf(c.stderr, "wasmlint: %v\n", err)
		return exitInput
	}
	return code
}

// inspectDoc is the JSON document of inspect, inspect --matrix and diff:
// one of Files, Matrices and Diff is set.
type inspectDoc struct {
	Version  int                `json:"version"`
	Tool     report.Tool        `json:"tool"`
	Files    []*inspect.Summary `json:"files,omitempty"`
	Matrices []*inspect.Matrix  `json:"matrices,omitempty"`
	Diff     *inspect.Diff      `json:"diff,omitempty"`
}

func encodeJSON(w io.Writer, doc inspectDoc) error {
	doc.Version, doc.Tool = inspectJSONVersion, report.Tool{Name: "wasmlint", Version: version}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

func writeSummaries(w io.Writer, format string, ss []*inspect.Summary) error {
	if format == "json" {
		return encodeJSON(w, inspectDoc{Files: ss})
	}
	p := &printer{w: w}
	for i, s := range ss {
		if i > 0 {
			p.line("")
		}
		textSummary(p, s)
	}
	return p.err
}

// writeMatrices writes host matrices: a compact table per input (one line
// per profile, cut to the terminal width) or one JSON document. The lint
// command's --host all can use it too.
func (c *command) writeMatrices(w io.Writer, format string, ms []*inspect.Matrix) error {
	if format == "json" {
		return encodeJSON(w, inspectDoc{Matrices: ms})
	}
	p := &printer{w: w}
	for _, mx := range ms {
		textMatrix(p, mx, c.width())
	}
	return p.err
}

func writeDiff(w io.Writer, format string, d *inspect.Diff, width int) error {
	if format == "json" {
		return encodeJSON(w, inspectDoc{Diff: d})
	}
	p := &printer{w: w}
	textDiff(p, d, width)
	return p.err
}

// width is the table width: COLUMNS when set, else defaultWidth.
func (c *command) width() int {
	if c.env != nil {
		if n, err := strconv.Atoi(c.env("COLUMNS")); err == nil && n >= 40 {
			return n
		}
	}
	return defaultWidth
}

// printer writes lines and keeps the first error.
type printer struct {
	w   io.Writer
	err error
}

func (p *printer) line(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format+"\n", args...)
	}
}

// field prints a labelled line: "  label        value".
func (p *printer) field(label, format string, args ...any) {
	p.line("  %-13s"+format, append([]any{label}, args...)...)
}

func textMatrix(p *printer, mx *inspect.Matrix, width int) {
	hostWidth := 0
	for _, row := range mx.Hosts {
		hostWidth = max(hostWidth, len(row.Host))
	}
	p.line("%s: loads on %d of %d host profiles", mx.Path, mx.Loads, len(mx.Hosts))
	for _, row := range mx.Hosts {
		verdict := "ok"
		if !row.Loads && row.FirstError != nil {
			verdict = "FAIL " + row.FirstError.Rule + " " + row.FirstError.Message
		}
		p.line("%s", cut(fmt.Sprintf("%-*s  %s", hostWidth, row.Host, verdict), width))
	}
}

// cut shortens s to width runes, marking the cut with "…".
func cut(s string, width int) string {
	r := []rune(s)
	if len(r) <= width {
		return s
	}
	return string(r[:width-1]) + "…"
}

func join(list []string, none string) string {
	if len(list) == 0 {
		return none
	}
	return strings.Join(list, ", ")
}

// hostMatrix is `wasmlint --host all`: one row per host profile and input,
// will it load and if not the first reason. It exits 1 when an input loads
// on no host at all, 3 when an input cannot be read.
func (c *command) hostMatrix(o options, paths []string, selected []*analyzer.Rule, max uint64) int {
	code := exitOK
	var mxs []*inspect.Matrix
	for _, p := range paths {
		mods, err := c.readModules(p, max)
		if err != nil {
			fmt.Fprintf(c.stderr, "wasmlint: %s: %v\n", p, err)
			code = exitInput
			continue
		}
		for _, m := range mods {
			mx := inspect.BuildMatrix(m.Path, m.Bin, selected, abiversions.Profiles())
			if mx.Loads == 0 && code == exitOK {
				code = exitFindings
			}
			mxs = append(mxs, mx)
		}
	}
	if len(paths) == 0 {
		code = exitInput
	}
	return c.emit(o.output, func(w io.Writer) error { return c.writeMatrices(w, o.format, mxs) }, code)
}

// readModules reads an input as its modules: the file itself, or every
// Wasm module of an OCI image.
func (c *command) readModules(path string, max uint64) ([]oci.Module, error) {
	if path != "-" && oci.Sniff(path) != oci.NotImage {
		return oci.Open(path, oci.Limits{MaxModule: int64(max), MaxUnpacked: int64(max)})
	}
	bin, err := c.read(path, max)
	if err != nil {
		return nil, err
	}
	return []oci.Module{{Path: path, Bin: bin}}, nil
}
