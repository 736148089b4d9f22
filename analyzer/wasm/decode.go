package wasm

import (
	"bytes"
)

// Section ids of the binary format, with the tag section of the
// exception-handling proposal.
// See https://webassembly.github.io/spec/core/binary/modules.html#sections
const (
	SecCustom    byte = 0
	SecType      byte = 1
	SecImport    byte = 2
	SecFunction  byte = 3
	SecTable     byte = 4
	SecMemory    byte = 5
	SecGlobal    byte = 6
	SecExport    byte = 7
	SecStart     byte = 8
	SecElement   byte = 9
	SecCode      byte = 10
	SecData      byte = 11
	SecDataCount byte = 12
	SecTag       byte = 13
)

// SectionName returns the name of a section id ("import", "custom" ...).
func SectionName(id byte) string {
	names := [...]string{"custom", "type", "import", "function", "table", "memory", "global",
		"export", "start", "element", "code", "data", "data count", "tag"}
	if int(id) < len(names) {
		return names[id]
	}
	return "unknown " + hexByte(id)
}

// sectionOrder is the required position of each non-custom section; the
// tag section sits between memory and global, data count between element
// and code.
var sectionOrder = [...]int{
	SecType: 1, SecImport: 2, SecFunction: 3, SecTable: 4, SecMemory: 5, SecTag: 6,
	SecGlobal: 7, SecExport: 8, SecStart: 9, SecElement: 10, SecDataCount: 11,
	SecCode: 12, SecData: 13,
}

var magic = []byte{0x00, 'a', 's', 'm'}

// Decode reads the facts of a core Wasm module. It never panics, and it
// allocates only in proportion to bytes it has already seen exist.
//
// The error, when not nil, is a *DecodeError: Kind NotWasm for a file that
// is not Wasm at all, Component for a component-model binary, and Malformed
// (with the offset) for a core module that does not decode. Features newer
// than Wasm 1.0 decode into facts; code and data bodies are skipped by
// size. A malformed name, producers or target_features section is recorded
// on the module, not returned.
func Decode(bin []byte) (*Module, error) {
	m := &Module{Size: len(bin)}
	if len(bin) < 4 || !bytes.Equal(bin[:4], magic) {
		return nil, &DecodeError{Kind: NotWasm, Msg: "not a WebAssembly binary (no \\0asm magic)"}
	}
	if len(bin) < 8 {
		return nil, &DecodeError{Kind: Malformed, Offset: 4, Context: "header", Msg: "unexpected end: no version"}
	}
	switch {
	case bin[4] == 1 && bin[5] == 0 && bin[6] == 0 && bin[7] == 0:
	case bin[6] == 1 && bin[7] == 0:
		return nil, &DecodeError{Kind: Component, Offset: 4, Context: "header",
			Msg: "a WebAssembly component (layer 1), not a core module"}
	default:
		return nil, &DecodeError{Kind: UnknownVersion, Offset: 4, Context: "header",
			Msg: "unknown binary version " + hexBytes(bin[4:8])}
	}
	if len(bin) > maxFileSize {
		return nil, &DecodeError{Kind: Malformed, Offset: 0, Msg: "file larger than 4 GiB"}
	}
	r := &reader{b: bin, pos: 8, end: len(bin)}
	last := 0
	for r.pos < len(bin) {
		start := r.pos
		r.what = "section header"
		id := r.byte()
		size := r.u32()
		if r.err != nil {
			return m, r.err
		}
		if uint64(size) > uint64(r.remaining()) {
			return m, &DecodeError{Kind: Malformed, Offset: uint32(start), Context: SectionName(id) + " section",
				Msg: "section size " + utoa(uint64(size)) + " exceeds the file"}
		}
		sec := Section{ID: id, Span: Span{Offset: uint32(start), Length: uint32(r.pos + int(size) - start)},
			Payload: Span{Offset: uint32(r.pos), Length: size}}
		if id != SecCustom {
			if int(id) >= len(sectionOrder) || sectionOrder[id] == 0 {
				return m, &DecodeError{Kind: Malformed, Offset: uint32(start), Context: "section header",
					Msg: "unknown section id " + utoa(uint64(id))}
			}
			if sectionOrder[id] <= last {
				return m, &DecodeError{Kind: Malformed, Offset: uint32(start), Context: SectionName(id) + " section",
					Msg: "section out of order or repeated"}
			}
			last = sectionOrder[id]
		}
		sr := &reader{b: bin, pos: r.pos, end: r.pos + int(size), what: SectionName(id) + " section"}
		decodeSection(m, sr, &sec)
		if sr.err != nil {
			return m, sr.err
		}
		if sr.pos != sr.end {
			return m, &DecodeError{Kind: Malformed, Offset: uint32(sr.pos), Context: sr.what,
				Msg: "section size mismatch: " + utoa(uint64(sr.end-sr.pos)) + " bytes left over"}
		}
		m.Sections = append(m.Sections, sec)
		if id == SecCustom {
			m.Customs = append(m.Customs, sec)
		}
		r.pos = sr.end
	}
	if len(m.Funcs) > 0 && m.Section(SecCode) == nil {
		return m, &DecodeError{Kind: Malformed, Offset: uint32(len(bin)), Context: "module",
			Msg: "function section declares " + utoa(uint64(len(m.Funcs))) + " functions but there is no code section"}
	}
	return m, nil
}

// maxFileSize bounds the input so that every offset fits a uint32.
const maxFileSize = 1<<32 - 1

func decodeSection(m *Module, r *reader, sec *Section) {
	switch sec.ID {
	case SecCustom:
		decodeCustom(m, r, sec)
	case SecType:
		decodeTypes(m, r)
	case SecImport:
		decodeImports(m, r)
	case SecFunction:
		n := r.count(1)
		m.Funcs = make([]uint32, 0, n)
		for i := 0; i < n && r.err == nil; i++ {
			m.Funcs = append(m.Funcs, r.u32())
		}
	case SecTable:
		decodeTables(m, r)
	case SecMemory:
		n := r.count(2)
		for i := 0; i < n && r.err == nil; i++ {
			start := r.pos
			l := r.limits(true)
			m.Memories = append(m.Memories, Memory{Limits: l, Span: Span{Offset: uint32(start), Length: uint32(r.pos - start)}})
		}
	case SecGlobal:
		n := r.count(3)
		for i := 0; i < n && r.err == nil; i++ {
			r.valType()
			if mut := r.byte(); mut > 1 {
				r.fail("malformed mutability")
			}
			r.constExpr()
		}
		m.Globals = n
	case SecExport:
		decodeExports(m, r)
	case SecStart:
		m.Start, m.HasStart = r.u32(), true
	case SecDataCount:
		m.DataCount, m.HasDataCount = r.u32(), true
	case SecTag:
		n := r.count(2)
		for i := 0; i < n && r.err == nil; i++ {
			if r.byte() != 0 {
				r.fail("malformed tag attribute")
			}
			r.u32()
		}
		m.Tags = n
	case SecCode:
		at := r.pos
		n := r.u32()
		if r.err == nil && int64(n) != int64(len(m.Funcs)) {
			r.pos = at
			r.fail("code section has " + utoa(uint64(n)) + " bodies for " + utoa(uint64(len(m.Funcs))) + " functions")
			return
		}
		r.pos = r.end // bodies are skipped by size
	case SecData:
		decodeData(m, r)
	case SecElement:
		decodeElements(m, r)
	}
}

func utoa(v uint64) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			return string(b[i:])
		}
	}
}

func hexBytes(b []byte) string {
	var s string
	for i, c := range b {
		if i > 0 {
			s += " "
		}
		s += hexByte(c)
	}
	return s
}
