package rules_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wasmlint/wasmlint/abiversions"
	"github.com/wasmlint/wasmlint/analyzer"
	wt "github.com/wasmlint/wasmlint/internal/wasmtest"
)

// Shorthands for the table-driven rule tests of this package (files
// rules_*_test.go): every case names a host, a module built with
// internal/wasmtest and the exact findings of the rule under test.
const (
	pwE = analyzer.Error
	pwW = analyzer.Warning
	pwN = analyzer.Note
)

// pwDefaultHost is the host of cases that name none.
const pwDefaultHost = "envoy@1.39"

// pwWant is one expected finding of the rule under test: its severity, its
// subject, and substrings its message must contain ("!text": must not
// contain text).
type pwWant struct {
	sev     analyzer.Severity
	subject string
	msgs    []string
}

func pwF(sev analyzer.Severity, subject string, msgs ...string) pwWant {
	return pwWant{sev: sev, subject: subject, msgs: msgs}
}

// pwCase is one module checked by one rule on one host.
type pwCase struct {
	name string
	host string // "" = pwDefaultHost
	bin  []byte
	abi  string            // forced ABI version (Config.ABI)
	opts analyzer.Options  // rule options (PW406)
	pkg  *analyzer.Package // packaging facts (PW8xx)
	want []pwWant          // exactly these findings, in any order
}

// pwHost selects a host profile or fails the test.
func pwHost(t testing.TB, sel string) *abiversions.Profile {
	t.Helper()
	if sel == "" {
		sel = pwDefaultHost
	}
	p, err := abiversions.Select(sel)
	if err != nil {
		t.Fatalf("host %q: %v", sel, err)
	}
	return p
}

// pwRun runs one rule on bin and returns its findings.
func pwRun(t testing.TB, r *analyzer.Rule, c pwCase) []analyzer.Diagnostic {
	t.Helper()
	res := analyzer.Run("test.wasm", c.bin, []*analyzer.Rule{r}, analyzer.Config{Host: pwHost(t, c.host), ABI: c.abi, Options: c.opts, Package: c.pkg})
	for _, d := range res.Diagnostics {
		if d.Rule != r.ID || d.Name != r.Name {
			t.Errorf("finding stamped %s %s, want %s %s", d.Rule, d.Name, r.ID, r.Name)
		}
		if d.Severity > r.Severity {
			t.Errorf("finding severity %v above the rule's maximum %v: %s", d.Severity, r.Severity, d.Message)
		}
		if int64(d.Span.Offset)+int64(d.Span.Length) > int64(len(c.bin)) {
			t.Errorf("%s span %+v lies outside the %d-byte input: %s", d.Rule, d.Span, len(c.bin), d.Message)
		}
	}
	return res.Diagnostics
}

func (w pwWant) matches(d analyzer.Diagnostic) bool {
	if d.Severity != w.sev || d.Subject != w.subject {
		return false
	}
	for _, m := range w.msgs {
		if no, ok := strings.CutPrefix(m, "!"); ok {
			if strings.Contains(d.Message, no) {
				return false
			}
		} else if !strings.Contains(d.Message, m) {
			return false
		}
	}
	return true
}

func (w pwWant) String() string {
	return fmt.Sprintf("%v %q %q", w.sev, w.subject, w.msgs)
}

func pwDump(ds []analyzer.Diagnostic) string {
	if len(ds) == 0 {
		return "  (none)\n"
	}
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "  %s %v %q: %s\n", d.Rule, d.Severity, d.Subject, d.Message)
	}
	return b.String()
}

// pwCheck runs the cases of one rule. It first checks that the rule reports
// nothing on the baseline filter for the default host.
func pwCheck(t *testing.T, r *analyzer.Rule, cases []pwCase) {
	t.Helper()
	t.Run("baseline", func(t *testing.T) {
		if got := pwRun(t, r, pwCase{bin: wt.Filter()}); len(got) != 0 {
			t.Errorf("%s reports on the baseline filter (%s):\n%s", r.ID, pwDefaultHost, pwDump(got))
		}
	})
	for _, c := range cases {
		name := c.name
		if c.host != "" {
			name += "@" + c.host
		}
		t.Run(name, func(t *testing.T) {
			got := pwRun(t, r, c)
			used := make([]bool, len(got))
			var missing []pwWant
		next:
			for _, w := range c.want {
				for i, d := range got {
					if !used[i] && w.matches(d) {
						used[i] = true
						continue next
					}
				}
				missing = append(missing, w)
			}
			var extra []analyzer.Diagnostic
			for i, d := range got {
				if !used[i] {
					extra = append(extra, d)
				}
			}
			if len(missing) > 0 || len(extra) > 0 {
				t.Errorf("%s on %s:\nmissing: %v\nunexpected:\n%sall findings:\n%s", r.ID, pwHost(t, c.host).Name(), missing, pwDump(extra), pwDump(got))
			}
		})
	}
}

// Module-building shorthands.

// pwFuncCalling is a defined function with the given ID, exported under the
// same name when export is true, whose body is ops.
func pwFuncCalling(id string, export bool, ops ...wt.Op) wt.Option {
	f := wt.Func{ID: id, Sig: "->", Body: ops}
	if export {
		f.Exports = []string{id}
	}
	return wt.AddFunc(f)
}

// pwCallDrop calls target with n i32 zero arguments and drops its result
// when it has one.
func pwCallDrop(target string, args int, drop bool) []wt.Op {
	var ops []wt.Op
	for i := 0; i < args; i++ {
		ops = append(ops, wt.Raw(0x41, 0x00))
	}
	ops = append(ops, wt.Call(target))
	if drop {
		ops = append(ops, wt.Raw(0x1a))
	}
	return ops
}

const (
	pwP1       = "wasi_snapshot_preview1"
	pwProcExit = pwP1 + ".proc_exit"
)

// pwWASI imports wasi_snapshot_preview1 functions with a plausible type.
func pwWASI(names ...string) wt.Option {
	return pwWASIFrom(pwP1, names...)
}

func pwWASIFrom(module string, names ...string) wt.Option {
	return wt.Edit(func(m *wt.Module) {
		for _, n := range names {
			sig := "i32 i32 -> i32" // for names that are not WASI preview 1
			if s, ok := abiversions.WASISig(n); ok {
				sig = s.String()
				sig = strings.ReplaceAll(sig, "void", "")
			}
			m.Imports = append(m.Imports, wt.Import{Module: module, Name: n, Sig: sig})
		}
	})
}
