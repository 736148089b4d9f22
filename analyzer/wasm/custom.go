package wasm

import (
	"sort"
	"strconv"
)

// Readers for the custom sections rules use: "name" (function names),
// "producers" (toolchain) and "target_features". Engines ignore custom
// sections, so a malformed one is recorded on the module, not returned as a
// decode error; only the custom section's own name must be well formed.
// See https://webassembly.github.io/spec/core/appendix/custom.html and
// https://github.com/WebAssembly/tool-conventions/blob/main/ProducersSection.md

func decodeCustom(m *Module, r *reader, sec *Section) {
	sec.Name = r.name()
	if r.err != nil {
		return
	}
	sec.Payload = Span{Offset: uint32(r.pos), Length: uint32(r.end - r.pos)}
	sub := &reader{b: r.b, pos: r.pos, end: r.end, what: "custom section " + quote(sec.Name)}
	switch sec.Name {
	case "name":
		if m.FuncNames == nil && m.NameSectionErr == nil && m.ModuleName == "" { // the first one counts, as for engines and cpp-host
			decodeNames(m, sub)
			m.NameSectionErr = sub.err
		}
	case "producers":
		decodeProducers(m, sub)
		if sub.err != nil {
			m.Producers = nil
			m.CustomErrs = append(m.CustomErrs, sub.err)
		}
	case "target_features":
		decodeTargetFeatures(m, sub)
		if sub.err != nil {
			m.TargetFeatures = nil
			m.CustomErrs = append(m.CustomErrs, sub.err)
		}
	}
	r.pos = r.end
}

// decodeNames reads the name section as proxy-wasm-cpp-host does
// (src/bytecode_util.cc getFunctionNameIndex), which refuses the module
// when it fails: every subsection must lie inside the section, and the
// function-names subsection must parse and fill its size exactly. Other
// subsections are skipped unread; the module name is taken when it parses.
func decodeNames(m *Module, r *reader) {
	// One string for the whole payload: every name is a substring of it,
	// so thousands of function names cost one allocation.
	text := string(r.b[r.pos:r.end])
	base := r.pos
	for r.pos < r.end && r.err == nil {
		id := r.byte()
		size := r.u32()
		if r.err != nil {
			return
		}
		if uint64(size) > uint64(r.remaining()) {
			r.fail("name subsection " + strconv.Itoa(int(id)) + " overruns the section")
			return
		}
		end := r.pos + int(size)
		sub := &reader{b: r.b, pos: r.pos, end: end, what: r.what}
		switch id {
		case 0:
			s := sub.bytesSpan()
			if sub.err == nil && sub.pos == end {
				m.ModuleName = text[int(s.Offset)-base : int(s.End())-base]
			}
			sub.err, sub.pos = nil, end // not checked by cpp-host
		case 1:
			n := sub.count(2)
			m.FuncNames = make([]FuncName, 0, n)
			sorted := true
			for i := 0; i < n && sub.err == nil; i++ {
				idx := sub.u32()
				s := sub.bytesSpan()
				if sub.err != nil {
					break
				}
				if k := len(m.FuncNames); k > 0 && m.FuncNames[k-1].Index >= idx {
					sorted = false
				}
				m.FuncNames = append(m.FuncNames, FuncName{Index: idx, Name: text[int(s.Offset)-base : int(s.End())-base]})
			}
			if !sorted {
				sort.Slice(m.FuncNames, func(i, j int) bool { return m.FuncNames[i].Index < m.FuncNames[j].Index })
			}
		default:
			sub.pos = end
		}
		if sub.err != nil {
			r.err = sub.err
			return
		}
		if sub.pos != end {
			r.pos = sub.pos
			r.fail("name subsection " + strconv.Itoa(int(id)) + " size mismatch")
			return
		}
		r.pos = end
	}
}

func decodeProducers(m *Module, r *reader) {
	n := r.count(2)
	p := make(Producers, n)
	for i := 0; i < n && r.err == nil; i++ {
		field := r.name()
		k := r.count(2)
		for j := 0; j < k && r.err == nil; j++ {
			name, version := r.name(), r.name()
			if r.err == nil {
				p[field] = append(p[field], Producer{Name: name, Version: version})
			}
		}
	}
	if r.err == nil && r.pos != r.end {
		r.fail("producers section size mismatch")
	}
	m.Producers = p
}

func decodeTargetFeatures(m *Module, r *reader) {
	n := r.count(2)
	m.TargetFeatures = make([]TargetFeature, 0, n)
	for i := 0; i < n && r.err == nil; i++ {
		prefix := r.byte()
		name := r.name()
		if r.err == nil {
			m.TargetFeatures = append(m.TargetFeatures, TargetFeature{Prefix: prefix, Name: name})
		}
	}
	if r.err == nil && r.pos != r.end {
		r.fail("target_features section size mismatch")
	}
}

// quote renders s as a Go-quoted string, for messages.
func quote(s string) string { return strconv.Quote(s) }
