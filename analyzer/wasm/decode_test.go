package wasm_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	wabinary "github.com/tetratelabs/wabin/binary"
	"github.com/tetratelabs/wabin/leb128"
	wabin "github.com/tetratelabs/wabin/wasm"

	"github.com/wasmlint/wasmlint/analyzer/wasm"
)

// header is the preamble of every core module.
var header = []byte{0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00}

func mod(sections ...byte) []byte { return append(append([]byte{}, header...), sections...) }

func TestDecode(t *testing.T) {
	bin := wabinary.EncodeModule(&wabin.Module{
		TypeSection: []*wabin.FunctionType{
			{Params: []wabin.ValueType{wabin.ValueTypeI32, wabin.ValueTypeI32, wabin.ValueTypeI32}, Results: []wabin.ValueType{wabin.ValueTypeI32}},
			{},
		},
		ImportSection: []*wabin.Import{
			{Type: wabin.ExternTypeFunc, Module: "env", Name: "proxy_log", DescFunc: 0},
			{Type: wabin.ExternTypeMemory, Module: "env", Name: "memory", DescMem: &wabin.Memory{Min: 2, Max: 3, IsMaxEncoded: true}},
		},
		FunctionSection: []wabin.Index{1, 0},
		CodeSection:     []*wabin.Code{{Body: []byte{0x0b}}, {Body: []byte{0x41, 0x00, 0x0b}}},
		ExportSection: []*wabin.Export{
			{Type: wabin.ExternTypeFunc, Name: "proxy_abi_version_0_2_1", Index: 1},
			{Type: wabin.ExternTypeFunc, Name: "proxy_on_request_headers", Index: 2},
		},
		StartSection: ptr(uint32(1)),
		NameSection:  &wabin.NameSection{ModuleName: "m", FunctionNames: wabin.NameMap{{Index: 1, Name: "marker"}, {Index: 2, Name: "on_headers"}}},
	})
	m, err := wasm.Decode(bin)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Types) != 2 || len(m.Imports) != 2 || len(m.Funcs) != 2 || len(m.Exports) != 2 || len(m.Memories) != 1 {
		t.Fatalf("counts: types %d imports %d funcs %d exports %d memories %d", len(m.Types), len(m.Imports), len(m.Funcs), len(m.Exports), len(m.Memories))
	}
	if im := m.Imports[0]; im.Module != "env" || im.Name != "proxy_log" || im.Func != 0 || im.Span.Offset == 0 || bin[im.Span.Offset] != 3 {
		t.Errorf("import 0 = %+v", im)
	}
	if mem := m.Memories[0]; !mem.Imported || mem.Min != 2 || mem.Max != 3 || !mem.HasMax {
		t.Errorf("memory = %+v", mem)
	}
	if m.NumFuncImports != 1 || m.FuncType(2) == nil || len(m.FuncType(2).Params) != 3 || m.FuncType(9) != nil {
		t.Errorf("function index space wrong")
	}
	if !m.HasStart || m.Start != 1 || m.FuncName(2) != "on_headers" || m.ModuleName != "m" || m.NameSectionErr != nil {
		t.Errorf("start %v %d, names %q %q, %v", m.HasStart, m.Start, m.FuncName(2), m.ModuleName, m.NameSectionErr)
	}
	e := m.Export("proxy_on_request_headers")
	if e == nil || string(bin[e.Span.Offset+1:e.Span.Offset+1+24]) != "proxy_on_request_headers" {
		t.Errorf("export span does not cover the name: %+v", e)
	}
	if s := m.Section(wasm.SecCode); s == nil || int(s.Span.End()) > len(bin) || bin[s.Span.Offset] != wasm.SecCode {
		t.Errorf("code section span %+v", s)
	}
}

func ptr[T any](v T) *T { return &v }

// TestDecodeFacts covers features newer than Wasm 1.0, which decode into
// facts rather than errors.
func TestDecodeFacts(t *testing.T) {
	tests := []struct {
		name  string
		bin   []byte
		check func(*wasm.Module) bool
	}{
		{"shared memory", mod(5, 4, 1, 3, 1, 2), func(m *wasm.Module) bool { return m.Memories[0].Shared && m.Memories[0].Max == 2 }},
		{"memory64", mod(5, 3, 1, 4, 1), func(m *wasm.Module) bool { return m.Memories[0].Is64 && m.Memories[0].Min == 1 }},
		{"two memories", mod(5, 5, 2, 0, 1, 0, 1), func(m *wasm.Module) bool { return len(m.Memories) == 2 }},
		{"tag section", mod(1, 4, 1, 0x60, 0, 0, 13, 3, 1, 0, 0), func(m *wasm.Module) bool { return m.Tags == 1 }},
		{"gc struct type", mod(1, 5, 1, 0x5f, 1, 0x7f, 1), func(m *wasm.Module) bool { return m.Types[0].Form == 0x5f && m.Types[0].NonCore }},
		{"rec group", mod(1, 7, 1, 0x4e, 2, 0x60, 0, 0, 0x5e, 0x7f, 0)[:0], nil},
		{"typed ref param", mod(1, 6, 1, 0x60, 1, 0x64, 0x70, 0), func(m *wasm.Module) bool { return m.Types[0].NonCore }},
		{"producers", mod(0, 29, 9, 'p', 'r', 'o', 'd', 'u', 'c', 'e', 'r', 's', 1, 8, 'l', 'a', 'n', 'g', 'u', 'a', 'g', 'e', 1, 2, 'G', 'o', 4, 'g', 'o', '1', '6'),
			func(m *wasm.Module) bool {
				return len(m.Producers["language"]) == 1 && m.Producers["language"][0].Version == "go16"
			}},
		{"bad name section is a fact", mod(0, 8, 4, 'n', 'a', 'm', 'e', 1, 9, 0), func(m *wasm.Module) bool { return m.NameSectionErr != nil }},
		{"component-looking custom", mod(0, 3, 1, 'x', 0xff), func(m *wasm.Module) bool { return len(m.Customs) == 1 && m.Customs[0].Name == "x" }},
	}
	for _, tc := range tests {
		if tc.check == nil {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			m, err := wasm.Decode(tc.bin)
			if err != nil {
				t.Fatal(err)
			}
			if !tc.check(m) {
				t.Errorf("facts wrong: %+v", m)
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name   string
		bin    []byte
		kind   wasm.ErrorKind
		offset uint32
		msg    string
	}{
		{"empty", nil, wasm.NotWasm, 0, "not a WebAssembly binary (no \\0asm magic)"},
		{"text", []byte("(module)"), wasm.NotWasm, 0, "not a WebAssembly binary (no \\0asm magic)"},
		{"no version", []byte{0, 'a', 's', 'm'}, wasm.Malformed, 4, "header at offset 0x4: unexpected end: no version"},
		{"component", []byte{0, 'a', 's', 'm', 0x0d, 0, 1, 0}, wasm.Component, 4, "header at offset 0x4: a WebAssembly component (layer 1), not a core module"},
		{"version 2", []byte{0, 'a', 's', 'm', 2, 0, 0, 0}, wasm.UnknownVersion, 4, "header at offset 0x4: unknown binary version 0x02 0x00 0x00 0x00"},
		{"section overruns", mod(1, 10, 0), wasm.Malformed, 8, "type section at offset 0x8: section size 10 exceeds the file"},
		{"unknown section", mod(14, 0), wasm.Malformed, 8, "section header at offset 0x8: unknown section id 14"},
		{"out of order", mod(3, 1, 0, 1, 1, 0), wasm.Malformed, 11, "type section at offset 0xb: section out of order or repeated"},
		{"long LEB", mod(1, 0x80, 0x80, 0x80, 0x80, 0x80, 0), wasm.Malformed, 14, "section header at offset 0xe: integer representation too long or too large"},
		{"huge vector", mod(2, 5, 0xff, 0xff, 0xff, 0xff, 0x0f), wasm.Malformed, 10, "import section at offset 0xa: vector length exceeds the section"},
		{"bad value type", mod(1, 5, 1, 0x60, 1, 0x01, 0), wasm.Malformed, 13, "type section at offset 0xd: malformed value type 0x01"},
		{"bad utf8 name", mod(7, 5, 1, 1, 0xff, 0, 0), wasm.Malformed, 12, "export section at offset 0xc: malformed UTF-8 encoding"},
		{"duplicate export", mod(7, 9, 2, 1, 'a', 0, 0, 1, 'a', 0, 0), wasm.Malformed, 15, `export section at offset 0xf: duplicate export name "a"`},
		{"trailing bytes", mod(3, 2, 0, 0), wasm.Malformed, 11, "function section at offset 0xb: section size mismatch: 1 bytes left over"},
		{"code count", mod(1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 10, 1, 0), wasm.Malformed, 20, "code section at offset 0x14: code section has 0 bodies for 1 functions"},
		{"no code", mod(1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0), wasm.Malformed, 18, "module at offset 0x12: function section declares 1 functions but there is no code section"},
		{"bad limits", mod(5, 3, 1, 0x10, 1), wasm.Malformed, 11, "memory section at offset 0xb: malformed limits flags 0x10"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := wasm.Decode(tc.bin)
			var de *wasm.DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("err = %v, want a *DecodeError", err)
			}
			if de.Kind != tc.kind || de.Offset != tc.offset || de.Error() != tc.msg {
				t.Errorf("got kind %d offset %#x %q\nwant kind %d offset %#x %q", de.Kind, de.Offset, de.Error(), tc.kind, tc.offset, tc.msg)
			}
		})
	}
}

// corpusFiles lists the .wasm files of the shared corpus and testdata.
func corpusFiles(tb testing.TB) []string {
	var files []string
	for _, g := range []string{"../../../shared/corpus/*.wasm", "../../../shared/corpus/wild/*.wasm", "../../testdata/*/*.wasm"} {
		m, _ := filepath.Glob(g)
		files = append(files, m...)
	}
	return files
}

// FuzzDecode is seeded from the corpus files of at most 64 KiB (larger
// seeds make the fuzzer spend its time minimising one input) and checks
// that Decode never panics, returns only *DecodeError, and keeps every
// span inside the input.
func FuzzDecode(f *testing.F) {
	for _, p := range corpusFiles(f) {
		if b, err := os.ReadFile(p); err == nil && len(b) <= 64<<10 {
			f.Add(b)
		}
	}
	f.Add(mod(5, 4, 1, 3, 1, 2))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := wasm.Decode(b)
		if err != nil {
			var de *wasm.DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error of type %T", err)
			}
			return
		}
		for _, s := range m.Sections {
			if int(s.Span.End()) > len(b) {
				t.Fatalf("section span %+v past the end %d", s.Span, len(b))
			}
		}
		for _, im := range m.Imports {
			if int(im.Span.End()) > len(b) {
				t.Fatalf("import span %+v past the end %d", im.Span, len(b))
			}
		}
		for _, e := range m.Exports {
			if int(e.Span.End()) > len(b) {
				t.Fatalf("export span %+v past the end %d", e.Span, len(b))
			}
		}
	})
}

// FuzzCustomSections feeds arbitrary payloads to the readers of the name,
// producers and target_features sections, wrapped in a well-formed custom
// section, so that the fuzzer spends its effort inside them: a malformed
// payload must become a recorded error, never a decode failure or a panic.
func FuzzCustomSections(f *testing.F) {
	f.Add(uint8(0), []byte{1, 4, 1, 0, 1, 'f'})
	f.Add(uint8(1), []byte{1, 8, 'l', 'a', 'n', 'g', 'u', 'a', 'g', 'e', 1, 2, 'G', 'o', 0})
	f.Add(uint8(2), []byte{1, '+', 6, 's', 'i', 'm', 'd', '1', '2'})
	f.Fuzz(func(t *testing.T, which uint8, payload []byte) {
		name := []string{"name", "producers", "target_features"}[int(which)%3]
		content := append(append([]byte{byte(len(name))}, name...), payload...)
		size := leb128.EncodeUint32(uint32(len(content)))
		bin := append(append(mod(0), size...), content...)
		m, err := wasm.Decode(bin)
		if err != nil {
			t.Fatalf("a custom section's payload made the module fail to decode: %v", err)
		}
		if len(m.Customs) != 1 || m.Customs[0].Name != name {
			t.Fatalf("custom section not recorded: %+v", m.Customs)
		}
		for _, fn := range m.FuncNames {
			_ = fn.Name
		}
	})
}
