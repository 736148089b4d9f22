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
}

// Run decodes bin and runs the rules on it. It never fails: an input that
// does not decode yields the findings of the OnInput rules (PW001, PW002).
func Run(path string, bin []byte, rules []*Rule, cfg Config) *Result {
	res := &Result{Path: path, Size: len(bin), Host: cfg.Host.Name()}
	p := &Pass{Bin: bin, Host: cfg.Host, Options: cfg.Options}
	m, err := wasm.Decode(bin)
	if err != nil {
		var de *wasm.DecodeError
		if !errors.As(err, &de) {
			de = &wasm.DecodeError{Kind: wasm.Malformed, Msg: err.Error()}
		}
		p.DecodeErr = de
	} else {
		p.Module = m
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
