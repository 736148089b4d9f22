package rules_test

import (
	"testing"

	"github.com/tetratelabs/wabin/leb128"
	wabin "github.com/tetratelabs/wabin/wasm"
	"github.com/wasmlint/wasmlint/analyzer"
	wt "github.com/wasmlint/wasmlint/internal/wasmtest"
	"github.com/wasmlint/wasmlint/rules"
)

// Module rules: PW001-PW004.

const pwCorrupted = `"Failed to parse corrupted Wasm module"`

func TestMalformedModule(t *testing.T) {
	good := wt.Filter()
	pwCheck(t, rules.MalformedModule, []pwCase{
		{name: "truncated last section", bin: good[:len(good)-3],
			want: []pwWant{pwF(pwE, "module", "the module does not decode", "code section", "exceeds the file", "envoy@1.39: "+pwCorrupted)}},
		{name: "truncated no host words", host: "kong", bin: good[:len(good)-3],
			want: []pwWant{pwF(pwE, "module", "exceeds the file", "!kong@0.6.0:")}},
		// A section size written as a 6-byte LEB128 (0x80 x5 0x00): too long for a u32.
		{name: "corrupted LEB128", bin: wt.Cat(wt.Header, []byte{0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}),
			want: []pwWant{pwF(pwE, "module", "section header", "too long")}},
		{name: "no version", bin: wt.Header[:6],
			want: []pwWant{pwF(pwE, "module", "no version")}},
		// A type section after the code section.
		{name: "section out of order", bin: wt.Cat(good, wt.SectionBytes(1, []byte{0x00})),
			want: []pwWant{pwF(pwE, "module", "type section", "out of order")}},
		// 0x27 is a reserved opcode: the body does not decode.
		{name: "unknown opcode in a body", bin: wt.Filter(wt.Body("malloc", wt.Raw(0x27))),
			want: []pwWant{pwF(pwE, "module", "code section, function 4", "unknown opcode 0x27")}},
		{name: "body missing its end", bin: wt.Filter(wt.Patch(func(b []byte) []byte {
			// The last body is malloc's "i32.const 0; end" (size 4 with no
			// locals); turn the end into a nop.
			b = append([]byte{}, b...)
			b[len(b)-1] = 0x01
			return b
		})), want: []pwWant{pwF(pwE, "module", "code section, function 4", "missing end")}},
		{name: "function without body", bin: wt.Filter(wt.Patch(func(b []byte) []byte {
			for _, s := range wt.Sections(b) {
				if s.ID == 10 {
					return b[:s.Start]
				}
			}
			return b
		})), want: []pwWant{pwF(pwE, "module", "no code section")}},
		{name: "not wasm is PW002's", bin: []byte("(module)")},
		{name: "component is PW002's", bin: wt.Cat(wt.ComponentHeader, []byte{0x00})},
		{name: "empty module", bin: wt.Header},
		{name: "valid 0.1.0 filter", bin: wt.Filter(wt.ABI("0.1.0"))},
	})
}

func TestNotACoreModule(t *testing.T) {
	tar := make([]byte, 300)
	copy(tar[257:], "ustar")
	pwCheck(t, rules.NotACoreModule, []pwCase{
		{name: "wat text", bin: []byte("  (module\n  (func))"),
			want: []pwWant{pwF(pwE, "module", "not a WebAssembly binary", "WebAssembly text (.wat)", "envoy@1.39: "+pwCorrupted)}},
		{name: "wat comment first", bin: []byte(";; filter\n(module)"),
			want: []pwWant{pwF(pwE, "module", "WebAssembly text")}},
		{name: "empty file", bin: []byte{},
			want: []pwWant{pwF(pwE, "module", "the file is empty")}},
		{name: "gzip", bin: []byte{0x1f, 0x8b, 0x08, 0x00, 0x00},
			want: []pwWant{pwF(pwE, "module", "gzip archive")}},
		{name: "tar", bin: tar,
			want: []pwWant{pwF(pwE, "module", "tar archive")}},
		{name: "zip", bin: []byte("PK\x03\x04rest"),
			want: []pwWant{pwF(pwE, "module", "zip archive")}},
		{name: "elf", bin: []byte("\x7fELF\x02\x01\x01"),
			want: []pwWant{pwF(pwE, "module", "native ELF binary")}},
		{name: "html", bin: []byte("\xef\xbb\xbf<!DOCTYPE html><html>"),
			want: []pwWant{pwF(pwE, "module", "HTML or XML document")}},
		{name: "json", bin: []byte(`{"error":"not found"}`),
			want: []pwWant{pwF(pwE, "module", "JSON document")}},
		{name: "git lfs pointer", bin: []byte("version https://git-lfs.github.com/spec/v1\noid sha256:00\n"),
			want: []pwWant{pwF(pwE, "module", "Git LFS pointer")}},
		{name: "other bytes", bin: []byte("hello world"),
			want: []pwWant{pwF(pwE, "module", `does not start with the \0asm magic`)}},
		{name: "component", bin: wt.Cat(wt.ComponentHeader, []byte{0x00, 0x00}),
			want: []pwWant{pwF(pwE, "module", "a WebAssembly component, not a core module", "wasm32-wasip2", pwCorrupted)}},
		{name: "component no host words", host: "apisix", bin: wt.ComponentHeader,
			want: []pwWant{pwF(pwE, "module", "WebAssembly component", "!apisix@0.7:")}},
		{name: "unknown version", bin: []byte("\x00asm\x02\x00\x00\x00"),
			want: []pwWant{pwF(pwE, "module", "unknown binary version 0x02 0x00 0x00 0x00")}},
		{name: "malformed core module is PW001's", bin: wt.Header[:6]},
		{name: "empty module", bin: wt.Header},
	})
}

func TestNotACoreModuleSpan(t *testing.T) {
	for name, bin := range map[string][]byte{
		"empty":           {},
		"gzip":            {0x1f, 0x8b, 0x08},
		"component":       wt.ComponentHeader,
		"unknown version": []byte("\x00asm\x02\x00\x00\x00"),
	} {
		res := analyzer.Run("x.wasm", bin, []*analyzer.Rule{rules.NotACoreModule}, analyzer.Config{Host: pwHost(t, "")})
		if len(res.Diagnostics) != 1 {
			t.Fatalf("%s: findings:\n%s", name, pwDump(res.Diagnostics))
		}
		if sp := res.Diagnostics[0].Span; int(sp.Offset)+int(sp.Length) > len(bin) {
			t.Errorf("%s: span %+v lies outside the %d-byte file", name, sp, len(bin))
		}
	}
}

// pwNameSection is a module whose name section has the payload p, written
// as a raw custom section because wabin only encodes well-formed ones.
func pwNameSection(p ...byte) []byte { return wt.Filter(wt.Custom("name", p)) }

func TestNameSectionMalformed(t *testing.T) {
	// Subsection 1 (function names) claims 5 bytes, 1 is left.
	overrun := pwNameSection(0x01, 0x05, 0x00)
	pwCheck(t, rules.NameSectionMalformed, []pwCase{
		{name: "subsection overruns", bin: overrun,
			want: []pwWant{pwF(pwE, "section name", "the name section does not parse", "overruns", "envoy@1.39: "+pwCorrupted)}},
		{name: "subsection overruns", host: "envoy@1.16", bin: overrun,
			want: []pwWant{pwF(pwE, "section name", "does not parse", pwCorrupted)}},
		{name: "subsection overruns", host: "istio@1.24", bin: overrun,
			want: []pwWant{pwF(pwE, "section name", "does not parse")}},
		{name: "subsection overruns", host: "higress", bin: overrun,
			want: []pwWant{pwF(pwE, "section name", "does not parse")}},
		{name: "subsection overruns", host: "kong", bin: overrun,
			want: []pwWant{pwF(pwN, "section name", "does not parse", "!kong@0.6.0:")}},
		{name: "subsection overruns", host: "mosn", bin: overrun,
			want: []pwWant{pwF(pwN, "section name", "does not parse")}},
		{name: "subsection overruns", host: "apisix", bin: overrun,
			want: []pwWant{pwF(pwN, "section name", "does not parse")}},
		// Function names: count 0, then two bytes the subsection does not use.
		{name: "function names size mismatch", bin: pwNameSection(0x01, 0x03, 0x00, 0x00, 0x00),
			want: []pwWant{pwF(pwE, "section name", "name subsection 1 size mismatch")}},
		// Function names: one entry whose name claims 5 bytes of 1.
		{name: "truncated function name", bin: pwNameSection(0x01, 0x04, 0x01, 0x00, 0x05, 'a'),
			want: []pwWant{pwF(pwE, "section name", "does not parse")}},
		// Module name subsection whose string is shorter than its size.
		// cpp-host skips every subsection but the function names unread.
		{name: "module name size mismatch is not checked", bin: pwNameSection(0x00, 0x03, 0x01, 'm', 'x')},
		// The subsection size itself is a truncated LEB128.
		{name: "truncated subsection size", bin: pwNameSection(0x01, 0x80),
			want: []pwWant{pwF(pwE, "section name", "does not parse")}},
		{name: "valid name section", bin: wt.Filter(wt.Named())},
		{name: "unknown subsection skipped", bin: pwNameSection(0x07, 0x02, 0xaa, 0xbb)},
		{name: "empty name section", bin: pwNameSection()},
		{name: "malformed producers is not the name section", bin: wt.Filter(wt.Custom("producers", []byte{0x05}))},
	})
}

func pwData(offset int32, size int) *wabin.DataSegment {
	return &wabin.DataSegment{
		OffsetExpression: &wabin.ConstantExpression{Opcode: wabin.OpcodeI32Const, Data: leb128.EncodeInt32(offset)},
		Init:             make([]byte, size),
	}
}

func pwElem(offset int32, entries int) *wabin.ElementSegment {
	e := &wabin.ElementSegment{
		OffsetExpr: &wabin.ConstantExpression{Opcode: wabin.OpcodeI32Const, Data: leb128.EncodeInt32(offset)},
		Mode:       wabin.ElementModeActive,
		Type:       wabin.RefTypeFuncref,
	}
	for i := 0; i < entries; i++ {
		idx := wabin.Index(1)
		e.Init = append(e.Init, &idx)
	}
	return e
}

func pwSegments(data []*wabin.DataSegment, tables []*wabin.Table, elems []*wabin.ElementSegment) wt.Option {
	return wt.Edit(func(m *wt.Module) { m.Data, m.Tables, m.Elements = data, tables, elems })
}

func TestSegmentOutOfBounds(t *testing.T) {
	const page = 64 << 10
	table1 := []*wabin.Table{{Min: 1, Type: wabin.RefTypeFuncref}}
	instantiate := `envoy@1.39: "Failed to create new Wasm instance"`
	pwCheck(t, rules.SegmentOutOfBounds, []pwCase{
		{name: "data past the memory", bin: wt.Filter(pwSegments([]*wabin.DataSegment{pwData(page-6, 10)}, nil, nil)),
			want: []pwWant{pwF(pwE, "data segment 0", "data segment 0 spans memory bytes 0xfffa..0x10004", "initial memory of 0x10000 bytes", instantiate)}},
		{name: "data past the memory no host words", host: "kong", bin: wt.Filter(pwSegments([]*wabin.DataSegment{pwData(page-6, 10)}, nil, nil)),
			want: []pwWant{pwF(pwE, "data segment 0", "instantiation fails", "!kong@0.6.0:")}},
		{name: "data ends at the memory end", bin: wt.Filter(pwSegments([]*wabin.DataSegment{pwData(page-10, 10)}, nil, nil))},
		{name: "second segment past the memory", bin: wt.Filter(pwSegments([]*wabin.DataSegment{pwData(0, 16), pwData(page, 1)}, nil, nil)),
			want: []pwWant{pwF(pwE, "data segment 1", "data segment 1")}},
		{name: "memory of zero pages", bin: wt.Filter(wt.Memory(wt.Mem{}), pwSegments([]*wabin.DataSegment{pwData(0, 1)}, nil, nil)),
			want: []pwWant{pwF(pwE, "data segment 0", "initial memory of 0x0 bytes")}},
		{name: "empty segment in a zero-page memory", bin: wt.Filter(wt.Memory(wt.Mem{}), pwSegments([]*wabin.DataSegment{pwData(0, 0)}, nil, nil))},
		// i32.const -1 is offset 0xffffffff: the offset is unsigned.
		{name: "negative i32 offset", bin: wt.Filter(pwSegments([]*wabin.DataSegment{pwData(-1, 1)}, nil, nil)),
			want: []pwWant{pwF(pwE, "data segment 0", "0xffffffff")}},
		{name: "data into an imported memory that fits", bin: wt.Filter(wt.ImportMemory("env", "memory", wt.Mem{Min: 2}), pwSegments([]*wabin.DataSegment{pwData(2*page-1, 1)}, nil, nil))},
		{name: "data past an imported memory", bin: wt.Filter(wt.ImportMemory("env", "memory", wt.Mem{Min: 2}), pwSegments([]*wabin.DataSegment{pwData(2*page-1, 2)}, nil, nil)),
			want: []pwWant{pwF(pwE, "data segment 0", "0x20000 bytes")}},
		{name: "element past the table", bin: wt.Filter(pwSegments(nil, table1, []*wabin.ElementSegment{pwElem(1, 1)})),
			want: []pwWant{pwF(pwE, "element segment 0", "fills table entries 1..2", "initial table size of 1", instantiate)}},
		{name: "element fits the table", bin: wt.Filter(pwSegments(nil, table1, []*wabin.ElementSegment{pwElem(0, 1)}))},
		{name: "element fits an imported table", bin: wt.Filter(
			wt.AddImport(wt.Import{Module: "env", Name: "__indirect_function_table", Kind: wt.KindTable, TableMin: 4}),
			pwSegments(nil, nil, []*wabin.ElementSegment{pwElem(3, 1)}))},
		{name: "element past an imported table", bin: wt.Filter(
			wt.AddImport(wt.Import{Module: "env", Name: "__indirect_function_table", Kind: wt.KindTable, TableMin: 4}),
			pwSegments(nil, nil, []*wabin.ElementSegment{pwElem(3, 2)})),
			want: []pwWant{pwF(pwE, "element segment 0", "initial table size of 4")}},
	})
}
