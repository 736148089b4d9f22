package toolchain

import (
	"bytes"
	"strings"
	"unicode/utf16"

	"github.com/wasmlint/wasmlint/analyzer/wasm"
)

// facts are the module's facts in the shape the clues ask for.
type facts struct {
	m       *wasm.Module
	exports map[string]wasm.ExternKind
	imports map[string]bool // "module.name"
	modules map[string]bool
	// wasi lists the function names imported from WASI modules, in order.
	wasi []string
	text blob
	// localNames is set when the name section names locals (subsection
	// 2), which LLVM never writes and wat2wasm --debug-names does.
	localNames bool
}

func gather(m *wasm.Module, bin []byte) *facts {
	f := &facts{m: m, exports: map[string]wasm.ExternKind{}, imports: map[string]bool{}, modules: map[string]bool{}}
	for _, e := range m.Exports {
		if _, dup := f.exports[e.Name]; !dup {
			f.exports[e.Name] = e.Kind
		}
	}
	for _, im := range m.Imports {
		f.imports[im.Module+"."+im.Name] = true
		f.modules[im.Module] = true
		if im.Kind == wasm.KindFunc && strings.HasPrefix(im.Module, "wasi_") {
			f.wasi = append(f.wasi, im.Name)
		}
	}
	if bin != nil {
		f.text = newBlob(m, bin)
		if s := m.Custom("name"); s != nil {
			f.localNames = hasLocalNames(slice(bin, s.Payload))
		}
	}
	return f
}

// exported reports whether every name is exported, with any kind.
func (f *facts) exported(names ...string) bool {
	for _, n := range names {
		if _, ok := f.exports[n]; !ok {
			return false
		}
	}
	return true
}

// exportWithPrefix returns the first export (in export order) whose name
// starts with one of the prefixes.
func (f *facts) exportWithPrefix(prefixes ...string) string {
	for _, e := range f.m.Exports {
		for _, p := range prefixes {
			if strings.HasPrefix(e.Name, p) {
				return e.Name
			}
		}
	}
	return ""
}

// importWithPrefix returns the first import "module.name" whose name
// starts with one of the prefixes.
func (f *facts) importWithPrefix(module string, prefixes ...string) string {
	for _, im := range f.m.Imports {
		for _, p := range prefixes {
			if im.Module == module && strings.HasPrefix(im.Name, p) {
				return im.Module + "." + im.Name
			}
		}
	}
	return ""
}

// name returns the first name-section function name that match accepts.
func (f *facts) name(match func(string) bool) string {
	for _, n := range f.m.FuncNames {
		if match(n.Name) {
			return n.Name
		}
	}
	return ""
}

// producer returns "name version" of the first producers entry of the
// field ("language", "processed-by", "sdk") whose name contains key, case
// aside.
func (f *facts) producer(field, key string) string {
	if p := f.producerEntry(field, key); p != nil {
		return strings.TrimSpace(p.Name + " " + p.Version)
	}
	return ""
}

func (f *facts) producerEntry(field, key string) *wasm.Producer {
	ps := f.m.Producers[field]
	for i := range ps {
		if strings.Contains(strings.ToLower(ps[i].Name), strings.ToLower(key)) {
			return &ps[i]
		}
	}
	return nil
}

// blob is the text a module carries outside its code: the data section
// and every custom section (names, DWARF, build ids).
type blob struct{ parts []blobPart }

type blobPart struct {
	where string
	b     []byte
}

func newBlob(m *wasm.Module, bin []byte) blob {
	var t blob
	if s := m.Section(11); s != nil {
		t.parts = append(t.parts, blobPart{"data section", slice(bin, s.Payload)})
	}
	for _, c := range m.Customs {
		t.parts = append(t.parts, blobPart{"custom section " + c.Name, slice(bin, c.Payload)})
	}
	return t
}

// slice returns the bytes of a span, clipped to bin.
func slice(bin []byte, s wasm.Span) []byte {
	lo, hi := int(s.Offset), int(s.End())
	if lo > len(bin) {
		lo = len(bin)
	}
	if hi > len(bin) || hi < lo {
		hi = len(bin)
	}
	return bin[lo:hi]
}

// find calls fn with each occurrence of needle (the bytes from it to the
// end of its section) until fn returns true; it returns where that was.
func (t *blob) find(needle []byte, fn func(at []byte) bool) string {
	for _, p := range t.parts {
		b := p.b
		for {
			i := bytes.Index(b, needle)
			if i < 0 {
				break
			}
			if fn(b[i:]) {
				return p.where
			}
			b = b[i+1:]
		}
	}
	return ""
}

// contains returns where needle occurs, or "".
func (t *blob) contains(needle string) string {
	return t.find([]byte(needle), func([]byte) bool { return true })
}

// containsUTF16 returns where needle occurs encoded as UTF-16LE (the
// string encoding of AssemblyScript), or "".
func (t *blob) containsUTF16(needle string) string {
	u := utf16.Encode([]rune(needle))
	b := make([]byte, 0, 2*len(u))
	for _, c := range u {
		b = append(b, byte(c), byte(c>>8))
	}
	return t.find(b, func([]byte) bool { return true })
}

// hasLocalNames reports whether a name section payload has a local-names
// subsection (id 2).
func hasLocalNames(p []byte) bool {
	for len(p) > 0 {
		id := p[0]
		size, n := uleb(p[1:])
		if n == 0 || uint64(len(p)-1-n) < size {
			return false
		}
		if id == 2 {
			return true
		}
		p = p[1+n+int(size):]
	}
	return false
}

// uleb reads an unsigned LEB128 of at most 5 bytes; n is 0 when it is
// truncated or too long.
func uleb(b []byte) (v uint64, n int) {
	for i := 0; i < len(b) && i < 5; i++ {
		v |= uint64(b[i]&0x7f) << (7 * i)
		if b[i]&0x80 == 0 {
			return v, i + 1
		}
	}
	return 0, 0
}
