// Package wasmtest builds small WebAssembly modules for tests: a minimal
// valid Proxy-Wasm 0.2.1 filter (Filter) and options that each change one
// thing about it, so that a test case states only its difference from the
// baseline.
//
// Sections wabin can express (types, functions, tables, globals, exports,
// start, elements, code, data, custom sections) are encoded by
// github.com/tetratelabs/wabin/binary. The import and memory sections are
// written here, because wabin has no shared or 64-bit memory flags, no tag
// imports and a single memory; raw sections (a tag section, a data count
// section ...) are inserted at their place in section order after encoding.
package wasmtest

import (
	"strings"

	"github.com/tetratelabs/wabin/binary"
	"github.com/tetratelabs/wabin/leb128"
	wabin "github.com/tetratelabs/wabin/wasm"
)

// ValueType is a value type byte, as in wabin.
type ValueType = wabin.ValueType

// Value types.
const (
	I32  = wabin.ValueTypeI32
	I64  = wabin.ValueTypeI64
	F32  = wabin.ValueTypeF32
	F64  = wabin.ValueTypeF64
	V128 = wabin.ValueType(0x7b)
)

// Extern kinds, with the tag kind of the exception-handling proposal.
const (
	KindFunc   = wabin.ExternTypeFunc
	KindTable  = wabin.ExternTypeTable
	KindMemory = wabin.ExternTypeMemory
	KindGlobal = wabin.ExternTypeGlobal
	KindTag    = wabin.ExternType(0x04)
)

// Section ids used with Section.
const (
	SecDataCount byte = 12
	SecTag       byte = 13
)

// Marker is the ABI marker export of version v ("0.2.1").
func Marker(v string) string { return "proxy_abi_version_" + strings.ReplaceAll(v, ".", "_") }

// Op is a piece of a function body: raw instruction bytes, or a call whose
// function index is resolved when the module is built.
type Op struct {
	raw  []byte
	call string
}

// Raw is instruction bytes, as they appear in the body.
func Raw(b ...byte) Op { return Op{raw: b} }

// Call is `call f`, f being "module.name" of a function import or the ID
// of a defined function.
func Call(target string) Op { return Op{call: target} }

// If wraps ops in `i32.const 0; if; ...; end`: code that may or may not run.
func If(ops ...Op) []Op {
	out := []Op{Raw(0x41, 0x00, 0x04, 0x40)}
	out = append(out, ops...)
	return append(out, Raw(0x0b))
}

// Ops concatenates op lists.
func Ops(lists ...[]Op) []Op {
	var out []Op
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// Func is a function the module defines.
type Func struct {
	// ID names the function for Call and Start (and the name section when
	// Named is used); it is not exported by itself.
	ID string
	// Sig is the compact signature: "i32 i32 -> i32", "->".
	Sig string
	// Exports are the names the function is exported under.
	Exports []string
	Locals  []wabin.ValueType
	// Body is the code without the final end, which Build appends; nil
	// means a body that returns zero values of the result types.
	Body []Op
}

// Mem is a memory's limits with the flags of the threads (shared) and
// memory64 proposals.
type Mem struct {
	Min, Max     uint32
	HasMax       bool
	Shared, Is64 bool
}

// Import is one import. Kind defaults to a function.
type Import struct {
	Module, Name string
	Kind         wabin.ExternType
	Sig          string // function
	Mem          Mem    // memory
	TableMin     uint32 // table (funcref, no maximum)
	Global       wabin.ValueType
}

// Key is "module.name".
func (im Import) Key() string { return im.Module + "." + im.Name }

// RawExport is an export of something other than a defined function.
type RawExport struct {
	Name  string
	Kind  wabin.ExternType
	Index uint32
}

// RawSection is a section given as its payload, inserted in section order.
type RawSection struct {
	ID      byte
	Payload []byte
}

// Module describes a module to build.
type Module struct {
	Imports []Import
	Funcs   []Func
	// Memories are the declared memories (imported ones are Imports).
	Memories []Mem
	// MemoryExport is the export name of memory 0 ("" = not exported).
	MemoryExport string
	Exports      []RawExport
	Tables       []*wabin.Table
	Globals      []*wabin.Global
	Elements     []*wabin.ElementSegment
	Data         []*wabin.DataSegment
	// Start is the ID of the start function ("" = no start section).
	Start string
	// Named adds a name section naming every defined function by its ID.
	Named   bool
	Customs []*wabin.CustomSection
	Raw     []RawSection
	// Patch, when set, edits the encoded bytes last.
	Patch func([]byte) []byte
}

// FuncIndex returns the function index of a function import ("module.name")
// or a defined function (ID); it panics when there is none.
func (m *Module) FuncIndex(target string) uint32 {
	n := uint32(0)
	for _, im := range m.Imports {
		if im.Kind != KindFunc {
			continue
		}
		if im.Key() == target {
			return n
		}
		n++
	}
	for i, f := range m.Funcs {
		if f.ID == target {
			return n + uint32(i)
		}
	}
	panic("wasmtest: no function " + target)
}

// Bytes encodes the module.
func (m *Module) Bytes() []byte {
	w := &wabin.Module{}
	types := map[string]uint32{}
	typeOf := func(sig string) uint32 {
		ps := ParseSig(sig)
		key := string(ps.Params) + "|" + string(ps.Results)
		if i, ok := types[key]; ok {
			return i
		}
		types[key] = uint32(len(w.TypeSection))
		w.TypeSection = append(w.TypeSection, &ps)
		return types[key]
	}
	var imports []byte
	for _, im := range m.Imports {
		imports = append(imports, encodeImport(im, typeOf)...)
	}
	for _, f := range m.Funcs {
		w.FunctionSection = append(w.FunctionSection, typeOf(f.Sig))
		w.CodeSection = append(w.CodeSection, &wabin.Code{LocalTypes: f.Locals, Body: m.body(f)})
	}
	fnBase := m.FuncIndex
	for _, f := range m.Funcs {
		for _, e := range f.Exports {
			w.ExportSection = append(w.ExportSection, &wabin.Export{Type: KindFunc, Name: e, Index: fnBase(f.ID)})
		}
	}
	if m.MemoryExport != "" {
		w.ExportSection = append(w.ExportSection, &wabin.Export{Type: KindMemory, Name: m.MemoryExport})
	}
	for _, e := range m.Exports {
		w.ExportSection = append(w.ExportSection, &wabin.Export{Type: e.Kind, Name: e.Name, Index: e.Index})
	}
	w.TableSection, w.GlobalSection = m.Tables, m.Globals
	w.ElementSection, w.DataSection = m.Elements, m.Data
	if m.Start != "" {
		idx := fnBase(m.Start)
		w.StartSection = &idx
	}
	if m.Named {
		w.NameSection = &wabin.NameSection{}
		for _, f := range m.Funcs {
			w.NameSection.FunctionNames = append(w.NameSection.FunctionNames, &wabin.NameAssoc{Index: fnBase(f.ID), Name: f.ID})
		}
	}
	w.CustomSections = m.Customs
	bin := binary.EncodeModule(w)
	if len(m.Imports) > 0 {
		bin = InsertSection(bin, 2, append(leb128.EncodeUint32(uint32(len(m.Imports))), imports...))
	}
	if len(m.Memories) > 0 {
		p := leb128.EncodeUint32(uint32(len(m.Memories)))
		for _, mem := range m.Memories {
			p = append(p, mem.limits()...)
		}
		bin = InsertSection(bin, 5, p)
	}
	for _, s := range m.Raw {
		bin = InsertSection(bin, s.ID, s.Payload)
	}
	if m.Patch != nil {
		bin = m.Patch(bin)
	}
	return bin
}

func (m *Module) body(f Func) []byte {
	var b []byte
	if f.Body == nil {
		for _, t := range ParseSig(f.Sig).Results {
			switch t {
			case I32:
				b = append(b, 0x41, 0x00)
			case I64:
				b = append(b, 0x42, 0x00)
			case F32:
				b = append(b, 0x43, 0, 0, 0, 0)
			case F64:
				b = append(b, 0x44, 0, 0, 0, 0, 0, 0, 0, 0)
			default:
				b = append(b, 0x00) // unreachable: any result type
			}
		}
	}
	for _, op := range f.Body {
		if op.call != "" {
			b = append(b, 0x10)
			b = append(b, leb128.EncodeUint32(m.FuncIndex(op.call))...)
			continue
		}
		b = append(b, op.raw...)
	}
	return append(b, 0x0b)
}

func (l Mem) limits() []byte {
	flags := byte(0)
	if l.HasMax {
		flags |= 1
	}
	if l.Shared {
		flags |= 2
	}
	if l.Is64 {
		flags |= 4
	}
	// A u32 LEB128 is also a valid u64 LEB128, so Is64 needs no other change.
	b := append([]byte{flags}, leb128.EncodeUint32(l.Min)...)
	if l.HasMax {
		b = append(b, leb128.EncodeUint32(l.Max)...)
	}
	return b
}

func encodeImport(im Import, typeOf func(string) uint32) []byte {
	b := Str(im.Module)
	b = append(b, Str(im.Name)...)
	b = append(b, im.Kind)
	switch im.Kind {
	case KindFunc:
		b = append(b, leb128.EncodeUint32(typeOf(im.Sig))...)
	case KindTable:
		b = append(b, wabin.RefTypeFuncref, 0x00)
		b = append(b, leb128.EncodeUint32(im.TableMin)...)
	case KindMemory:
		b = append(b, im.Mem.limits()...)
	case KindGlobal:
		b = append(b, im.Global, 0x00)
	case KindTag:
		b = append(b, 0x00, 0x00) // attribute 0 (exception), type 0
	}
	return b
}

// ParseSig parses "i32 i32 -> i32" ("->" for no parameters and results).
func ParseSig(s string) wabin.FunctionType {
	left, right, ok := strings.Cut(s, "->")
	if !ok {
		panic("wasmtest: signature without '->': " + s)
	}
	return wabin.FunctionType{Params: parseTypes(left), Results: parseTypes(right)}
}

func parseTypes(s string) []wabin.ValueType {
	var out []wabin.ValueType
	for _, f := range strings.Fields(s) {
		switch f {
		case "i32":
			out = append(out, I32)
		case "i64":
			out = append(out, I64)
		case "f32":
			out = append(out, F32)
		case "f64":
			out = append(out, F64)
		case "v128":
			out = append(out, V128)
		default:
			panic("wasmtest: unknown value type " + f)
		}
	}
	return out
}
