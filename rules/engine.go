package rules

import (
	"github.com/wasmlint/wasmlint/analyzer"
	"github.com/wasmlint/wasmlint/analyzer/wasm"
)

// moduleFeatures adds to the code scan's features those the sections show.
func moduleFeatures(m *wasm.Module, code *wasm.Code) (wasm.Feature, map[wasm.Feature]uint32) {
	feats, at := code.Features, map[wasm.Feature]uint32{}
	for f, off := range code.FeatureAt {
		at[f] = off
	}
	add := func(f wasm.Feature, off uint32) {
		if feats&f == 0 {
			feats |= f
			at[f] = off
		}
	}
	if s := m.Section(wasm.SecType); s != nil {
		for _, t := range m.Types {
			switch {
			case t.Form != 0x60:
				add(wasm.FeatGC, s.Span.Offset)
			case t.NonCore:
				add(wasm.FeatFuncRefs, s.Span.Offset)
			}
			if len(t.Results) > 1 {
				add(wasm.FeatMultiValue, s.Span.Offset)
			}
			for _, v := range append(append([]wasm.ValType{}, t.Params...), t.Results...) {
				switch v {
				case wasm.V128:
					add(wasm.FeatSIMD, s.Span.Offset)
				case wasm.ExternRef:
					add(wasm.FeatRefTypes, s.Span.Offset)
				}
			}
		}
	}
	if s := m.Section(wasm.SecTag); s != nil {
		add(wasm.FeatExceptionsLegacy, s.Span.Offset)
	}
	if s := m.Section(wasm.SecDataCount); s != nil {
		add(wasm.FeatBulkMemory, s.Span.Offset)
	}
	if len(m.Tables) > 1 {
		add(wasm.FeatRefTypes, m.Section(wasm.SecTable).Span.Offset)
	}
	return feats, at
}

// FeatureUnsupported reports Wasm proposals the host's engine lacks.
var FeatureUnsupported = &analyzer.Rule{
	ID: "PW601", Name: "feature-unsupported-by-engine", Severity: analyzer.Error,
	Title: "the module uses a Wasm feature the host's engine does not enable",
	What:  "Function bodies or sections use a WebAssembly proposal that the engine of the selected host release does not enable by default: SIMD before V8 9.1 (Envoy ≤1.18), reference types before V8 9.6, tail calls, GC, typed function references and exnref exceptions before V8 11–13 (Envoy ≤1.34), or anything beyond Wasm 2.0 on the WAMR and older Wasmtime builds.",
	Why:   "The engine refuses to compile a module with an instruction or type it does not know; proxy-wasm-cpp-host passes no `--experimental-wasm-*` flags.",
	Fix:   "Build for the oldest host you deploy to: Rust `-C target-cpu=mvp` or `-C target-feature=-simd128,-reference-types`; clang `-mcpu=mvp`; TinyGo/Go: an older toolchain or an engine upgrade; `wasm-opt --mvp-features` can lower some features.",
	Host:  "proxy-wasm-cpp-host: `Failed to load Wasm bytecode`, then `Failed to load Wasm code` (the engine's reason is not logged).",
	Tags:  []string{"engine", "availability"},
	Run: func(p *analyzer.Pass) {
		if p.Host.Features == nil {
			return
		}
		code, err := p.Code()
		if err != nil || !lacksDetectable(p) {
			return
		}
		if code.ScanAll() != nil {
			return // PW001 reports the body
		}
		feats, at := moduleFeatures(p.Module, code)
		for f := wasm.Feature(1); f != 0 && f <= feats; f <<= 1 {
			if feats&f == 0 || f == wasm.FeatMultiMemory {
				continue // multi-memory is PW405's finding
			}
			for _, name := range f.Names() {
				if p.Host.HasFeature(name) {
					continue
				}
				p.Reportf(analyzer.Error, wasm.Span{Offset: at[f]}, "feature "+name, "the module uses %s, which %s's engine (%s %s) does not enable%s",
					name, p.Host.Name(), p.Host.Engine, p.Host.EngineVersion, hostSays(p, p.Host.Msg.CompileFailed))
			}
		}
	},
}

// lacksDetectable reports whether the host's engine lacks a feature the
// code scan can detect; if it lacks none, no body needs decoding.
func lacksDetectable(p *analyzer.Pass) bool {
	for f := wasm.Feature(1); f != 0 && f <= wasm.FeatMultiValue; f <<= 1 {
		for _, name := range f.Names() {
			if !p.Host.HasFeature(name) {
				return true
			}
		}
	}
	return false
}
