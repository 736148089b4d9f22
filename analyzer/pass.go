package analyzer

import (
	"fmt"

	"github.com/wasmlint/wasmlint/abiversions"
	"github.com/wasmlint/wasmlint/analyzer/wasm"
)

// Pass is the only interface between a rule and the runner: facts in,
// Report out. One Pass serves every rule run on one input.
type Pass struct {
	// Bin is the input's bytes.
	Bin []byte
	// Module is the decoded module; nil when the input did not decode, in
	// which case DecodeErr says why and only OnInput rules run.
	Module    *wasm.Module
	DecodeErr *wasm.DecodeError

	// Host is the host profile the module is checked against.
	Host *abiversions.Profile
	// ABI is the ABI table the module is checked against: the version the
	// host picks, else the version the module's first marker names, else
	// the --abi version; nil when there is none.
	ABI *abiversions.Version
	// Marker is the export the host picks as the ABI marker (nil if none).
	Marker *wasm.Export
	// ForcedABI is set when --abi chose the version.
	ForcedABI bool

	// Options carry the settings of rules that need them.
	Options Options

	// Package is how the module was packaged: the OCI image and layer it
	// came from, runtime-config.json, Kong's meta.json beside it. nil for
	// a bare file with nothing beside it.
	Package *Package

	rule    *Rule
	diags   []Diagnostic
	code    *wasm.Code
	codeErr error
	scanned bool
}

// Options are rule settings from flags or configuration.
type Options struct {
	// Workers is the number of worker threads (one VM each) for PW406.
	Workers int
	// MemoryBudget is the bytes PW406 allows for all workers' memories.
	MemoryBudget uint64
}

// Report records a finding of the running rule. Severity must be set;
// the rule ID and name are stamped by the pass.
func (p *Pass) Report(d Diagnostic) {
	d.Rule, d.Name = p.rule.ID, p.rule.Name
	if d.Severity == None {
		d.Severity = p.rule.Severity
	}
	p.diags = append(p.diags, d)
}

// Reportf is Report with a formatted message.
func (p *Pass) Reportf(sev Severity, span wasm.Span, subject, format string, args ...any) {
	p.Report(Diagnostic{Severity: sev, Span: span, Subject: subject, Message: fmt.Sprintf(format, args...)})
}

// Code indexes the code section once, on first use, for the rules that
// look at function bodies. Bodies are decoded lazily, as reachability
// queries visit them, or all at once by Code().ScanAll() for the rules
// that need every body (opcode features). The error is for the code
// section's framing; bodies that do not decode are reported by
// Code().Err().
func (p *Pass) Code() (*wasm.Code, error) {
	if !p.scanned {
		p.scanned = true
		p.code, p.codeErr = wasm.IndexCode(p.Bin, p.Module)
	}
	return p.code, p.codeErr
}

// FuncLabel names a function for messages: its export or name-section
// name when it has one, else its index.
func (p *Pass) FuncLabel(fn uint32) string {
	m := p.Module
	if im := m.ImportedFunc(fn); im != nil {
		return im.Module + "." + im.Name
	}
	if n := m.FuncName(fn); n != "" {
		return n
	}
	for _, e := range m.Exports {
		if e.Kind == wasm.KindFunc && e.Index == fn {
			return e.Name
		}
	}
	return fmt.Sprintf("func[%d]", fn)
}
