package analyzer

import (
	"errors"

	"github.com/wasmlint/wasmlint/abiversions"
	"github.com/wasmlint/wasmlint/analyzer/wasm"
)

// Config is what a run needs besides the input: the host profile, an
// optional forced ABI version and rule options.
type Config struct {
	Host *abiversions.Profile
	// ABI forces the ABI version ("0.2.1") instead of detecting it.
	ABI     string
	Options Options
	// Package is how the module was packaged (nil for a bare file); the
	// packaging rules (PW8xx) read it from the Pass.
	Package *Package
}

// Run decodes bin and runs the rules on it. It never fails: an input that
// does not decode yields the findings of the OnInput rules (PW001, PW002).
func Run(path string, bin []byte, rules []*Rule, cfg Config) *Result {
	m, de := decode(bin)
	return run(path, &Pass{Bin: bin, Module: m, DecodeErr: de}, rules, cfg)
}

// Input is an input decoded once, with every function body scanned, to be
// checked against several host profiles (the host matrix). It is read-only
// once prepared, so runs on different goroutines may share it. Because all
// bodies are decoded, PW001 sees a broken body anywhere in the module.
type Input struct {
	bin     []byte
	module  *wasm.Module
	decErr  *wasm.DecodeError
	code    *wasm.Code
	codeErr error
}

// Prepare decodes bin and scans all of its code for RunInput.
func Prepare(bin []byte) *Input {
	in := &Input{bin: bin}
	in.module, in.decErr = decode(bin)
	if in.module != nil {
		in.code, in.codeErr = wasm.IndexCode(bin, in.module)
		if in.codeErr == nil {
			_ = in.code.ScanAll() // a broken body is reported by PW001 through Code().Err()
		}
	}
	return in
}

// RunInput runs the rules on a prepared input with one host profile.
func RunInput(path string, in *Input, rules []*Rule, cfg Config) *Result {
	p := &Pass{Bin: in.bin, Module: in.module, DecodeErr: in.decErr, code: in.code, codeErr: in.codeErr, scanned: in.module != nil}
	return run(path, p, rules, cfg)
}

func decode(bin []byte) (*wasm.Module, *wasm.DecodeError) {
	m, err := wasm.Decode(bin)
	if err == nil {
		return m, nil
	}
	var de *wasm.DecodeError
	if !errors.As(err, &de) {
		de = &wasm.DecodeError{Kind: wasm.Malformed, Msg: err.Error()}
	}
	return nil, de
}

func run(path string, p *Pass, rules []*Rule, cfg Config) *Result {
	res := &Result{Path: path, Size: len(p.Bin), Host: cfg.Host.Name(), Package: cfg.Package}
	p.Host, p.Options, p.Package = cfg.Host, cfg.Options, cfg.Package
	if m := p.Module; m != nil {
		res.Module = m
		p.Marker, res.ABI = abiversions.Detect(m, cfg.Host)
		p.ABI = abiversions.Table(res.ABI)
		if cfg.ABI != "" {
			p.ABI, p.ForcedABI, res.ABI = abiversions.Table(cfg.ABI), true, cfg.ABI
		} else if p.ABI == nil {
			p.ABI = declaredVersion(m)
		}
	}
	// Rules about the input as a whole (OnInput) run last, so that they see
	// every function body the other rules had decoded.
	for _, late := range []bool{false, true} {
		for _, r := range rules {
			if r.Runtime || r.OnInput != late || (p.Module == nil && !r.OnInput) {
				continue
			}
			p.rule = r
			r.Run(p)
		}
	}
	res.Diagnostics = SortDiagnostics(p.diags)
	return res
}

// declaredVersion is the table of the first function export naming a known
// version, used to check a module against the ABI it was built for when the
// host would not accept that version.
func declaredVersion(m *wasm.Module) *abiversions.Version {
	for _, e := range abiversions.Markers(m) {
		if e.Kind != wasm.KindFunc {
			continue
		}
		if v, ok := abiversions.MarkerVersion(e.Name); ok {
			if t := abiversions.Table(v); t != nil {
				return t
			}
		}
	}
	return nil
}
