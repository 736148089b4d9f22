package wasmtest

import (
	"bytes"

	"github.com/tetratelabs/wabin/leb128"
)

// Header is the 8-byte preamble of a core module; on its own it is the
// empty module.
var Header = []byte{0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00}

// ComponentHeader is the preamble of a component-model binary (layer 1,
// version 0x0d).
var ComponentHeader = []byte{0x00, 'a', 's', 'm', 0x0d, 0x00, 0x01, 0x00}

// Str encodes a name: its LEB128 length, then its bytes.
func Str(s string) []byte { return append(leb128.EncodeUint32(uint32(len(s))), s...) }

// U32 encodes an unsigned LEB128.
func U32(v uint32) []byte { return leb128.EncodeUint32(v) }

// Cat concatenates byte pieces.
func Cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

// SectionBytes encodes a whole section: id, LEB128 size, payload.
func SectionBytes(id byte, payload []byte) []byte {
	return Cat([]byte{id}, U32(uint32(len(payload))), payload)
}

// CustomPayload is the payload of a custom section: its name, then data.
func CustomPayload(name string, data []byte) []byte { return Cat(Str(name), data) }

// Producers encodes a producers section payload from field, name, version
// triples, one producer per field.
func Producers(triples ...[3]string) []byte {
	b := U32(uint32(len(triples)))
	for _, t := range triples {
		b = Cat(b, Str(t[0]), U32(1), Str(t[1]), Str(t[2]))
	}
	return b
}

// SectionAt is the place of one section in a module's bytes.
type SectionAt struct {
	ID         byte
	Start, End int // the whole section
	Payload    int // offset of the payload
}

// Sections lists the sections of a well-formed module.
func Sections(bin []byte) []SectionAt {
	var out []SectionAt
	for p := 8; p < len(bin); {
		id := bin[p]
		size, n, err := leb128.DecodeUint32(bytes.NewReader(bin[p+1:]))
		if err != nil {
			panic("wasmtest: malformed section header")
		}
		payload := p + 1 + int(n)
		out = append(out, SectionAt{ID: id, Start: p, End: payload + int(size), Payload: payload})
		p = payload + int(size)
	}
	return out
}

// order is the place of each non-custom section id (tag between memory and
// global, data count between element and code).
var order = map[byte]int{1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 13: 6, 6: 7, 7: 8, 8: 9, 9: 10, 12: 11, 10: 12, 11: 13}

// InsertSection inserts a section before the first non-custom section that
// must follow it (custom sections go last).
func InsertSection(bin []byte, id byte, payload []byte) []byte {
	at := len(bin)
	if id != 0 {
		for _, s := range Sections(bin) {
			if s.ID == 0 || order[s.ID] > order[id] {
				at = s.Start
				break
			}
		}
	}
	return Cat(bin[:at:at], SectionBytes(id, payload), bin[at:])
}

// ReplaceSection replaces the payload of the first section with that id.
func ReplaceSection(bin []byte, id byte, payload []byte) []byte {
	for _, s := range Sections(bin) {
		if s.ID == id {
			return Cat(bin[:s.Start:s.Start], SectionBytes(id, payload), bin[s.End:])
		}
	}
	panic("wasmtest: no section to replace")
}
