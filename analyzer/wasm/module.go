package wasm

import (
	"sort"

	wabin "github.com/tetratelabs/wabin/wasm"
)

// Span locates something in the file as a byte range. It is the only
// position type: a Wasm binary has no lines.
type Span struct {
	Offset uint32 `json:"offset"`
	Length uint32 `json:"length"`
}

// End is the offset just past the span.
func (s Span) End() uint32 { return s.Offset + s.Length }

// ValType is a Wasm value type byte (0x7f i32, 0x7e i64 ...), as in wabin.
type ValType = wabin.ValueType

// Value type bytes, from wabin's model, plus v128 which wabin lacks.
const (
	I32       ValType = wabin.ValueTypeI32
	I64       ValType = wabin.ValueTypeI64
	F32       ValType = wabin.ValueTypeF32
	F64       ValType = wabin.ValueTypeF64
	V128      ValType = 0x7b
	FuncRef   ValType = wabin.ValueTypeFuncref
	ExternRef ValType = wabin.ValueTypeExternref
)

// ValTypeName returns "i32", "i64", "f32", "f64", "v128", "funcref",
// "externref", or "0x.." for a type outside Wasm 2.0 (GC reference types).
func ValTypeName(t ValType) string {
	switch t {
	case V128:
		return "v128"
	case I32, I64, F32, F64, FuncRef, ExternRef:
		return wabin.ValueTypeName(t)
	}
	return hexByte(t)
}

// ParseValType is the inverse of ValTypeName for the Wasm 2.0 types.
func ParseValType(s string) (ValType, bool) {
	for _, t := range []ValType{I32, I64, F32, F64, V128, FuncRef, ExternRef} {
		if ValTypeName(t) == s {
			return t, true
		}
	}
	return 0, false
}

func hexByte(b byte) string {
	const digits = "0123456789abcdef"
	return "0x" + string([]byte{digits[b>>4], digits[b&15]})
}

// ExternKind is the kind of an import or export.
type ExternKind = wabin.ExternType

// Import and export kinds. KindTag comes from the exception-handling proposal.
const (
	KindFunc   ExternKind = wabin.ExternTypeFunc
	KindTable  ExternKind = wabin.ExternTypeTable
	KindMemory ExternKind = wabin.ExternTypeMemory
	KindGlobal ExternKind = wabin.ExternTypeGlobal
	KindTag    ExternKind = 0x04
)

// KindName returns "func", "table", "memory", "global" or "tag".
func KindName(k ExternKind) string {
	if k == KindTag {
		return "tag"
	}
	return wabin.ExternTypeName(k)
}

// FuncType is a function signature from the type section. A type-section
// entry that is not a plain function type (a GC struct, array or rec group)
// has Form != 0x60 and no Params or Results.
type FuncType struct {
	Form    byte
	Params  []ValType
	Results []ValType
	// NonCore is set when a parameter or result is a type outside Wasm 2.0
	// (a typed reference of the GC or function-references proposals).
	NonCore bool
}

// Limits are the limits of a memory or table, with the flags of the
// threads (shared) and memory64 proposals.
type Limits struct {
	Min    uint64 `json:"min"`
	Max    uint64 `json:"max,omitempty"`
	HasMax bool   `json:"has_max"`
	Shared bool   `json:"shared,omitempty"`
	Is64   bool   `json:"memory64,omitempty"`
}

// Import is one entry of the import section.
type Import struct {
	Module string
	Name   string
	Kind   ExternKind
	// Type is the type index of a function import.
	Type uint32
	// Func is the index in the function index space of a function import.
	Func uint32
	// Limits are set for memory and table imports.
	Limits Limits
	// Span covers the whole entry; NameSpan covers the name string.
	Span Span
}

// Export is one entry of the export section, in export order.
type Export struct {
	Name  string
	Kind  ExternKind
	Index uint32
	Span  Span
}

// Memory is a memory declared by the module (Imported false) or imported.
type Memory struct {
	Limits
	Imported bool
	Span     Span
}

// Segment is an active data or element segment: it is copied into memory
// or table Index at Offset when the module is instantiated. Size is bytes
// for data, entries for elements.
type Segment struct {
	Index  uint32
	Offset uint64
	Size   uint64
	Span   Span
}

// Section is one section of the module, as it appears in the file.
type Section struct {
	ID byte
	// Name is the custom section's name ("" for others).
	Name string
	// Span covers the id byte, the size and the payload.
	Span Span
	// Payload covers the contents (after the name, for a custom section).
	Payload Span
}

// Producers is the decoded "producers" custom section: field name
// ("language", "processed-by", "sdk") to name/version pairs.
type Producers map[string][]Producer

// Producer is one name/version pair of the producers section.
type Producer struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// TargetFeature is one entry of the "target_features" custom section:
// Prefix '+' used, '-' not used, '=' required.
type TargetFeature struct {
	Prefix byte
	Name   string
}

// Module holds the facts the decoder reads from a core Wasm module. Code and
// data bodies are not decoded; their sections keep their spans.
type Module struct {
	// Size is the length of the file in bytes.
	Size int
	// Sections lists every section in file order.
	Sections []Section

	Types   []FuncType
	Imports []Import
	// Funcs holds the type index of each function the module defines.
	Funcs    []uint32
	Tables   []Limits
	Memories []Memory // imported memories first, then declared ones
	Globals  int      // number of globals the module defines
	Tags     int      // number of exception tags the module defines
	Exports  []Export
	// Start is the start function index when HasStart.
	Start    uint32
	HasStart bool
	// DataCount is set when the data count section is present.
	DataCount    uint32
	HasDataCount bool
	// Data and Elements are the active segments with a constant offset,
	// whose bounds instantiation checks; passive and declarative segments
	// and those placed by global.get are not listed.
	Data     []Segment
	Elements []Segment
	// NumFuncImports is the number of function imports, the first index of
	// the functions the module defines.
	NumFuncImports uint32

	// Customs lists the custom sections by name, with their spans.
	Customs []Section
	// Producers is the decoded producers section (nil if absent or malformed).
	Producers Producers
	// TargetFeatures is the decoded target_features section.
	TargetFeatures []TargetFeature
	// FuncNames are the function names of the name section, by index
	// (sorted); use FuncName to look one up.
	FuncNames []FuncName
	// ModuleName is the name section's module name, if any.
	ModuleName string
	// NameSectionErr is set when the name section is present but does not
	// parse; engines ignore it, proxy-wasm-cpp-host refuses the module.
	NameSectionErr *DecodeError
	// CustomErrs records malformed producers/target_features sections,
	// which engines ignore.
	CustomErrs []*DecodeError
}

// Section returns the first section with the given id, or nil.
func (m *Module) Section(id byte) *Section {
	for i := range m.Sections {
		if m.Sections[i].ID == id {
			return &m.Sections[i]
		}
	}
	return nil
}

// Custom returns the first custom section with that name, or nil.
func (m *Module) Custom(name string) *Section {
	for i := range m.Customs {
		if m.Customs[i].Name == name {
			return &m.Customs[i]
		}
	}
	return nil
}

// FuncType returns the type of function index fn (imported or defined),
// or nil when the index or its type index is out of range.
func (m *Module) FuncType(fn uint32) *FuncType {
	var ti uint32
	if fn < m.NumFuncImports {
		n := uint32(0)
		for i := range m.Imports {
			if m.Imports[i].Kind == KindFunc {
				if n == fn {
					ti = m.Imports[i].Type
					break
				}
				n++
			}
		}
	} else {
		d := fn - m.NumFuncImports
		if int64(d) >= int64(len(m.Funcs)) {
			return nil
		}
		ti = m.Funcs[d]
	}
	if int64(ti) >= int64(len(m.Types)) {
		return nil
	}
	return &m.Types[ti]
}

// ImportedFunc returns the import of function index fn, or nil when fn is
// defined by the module.
func (m *Module) ImportedFunc(fn uint32) *Import {
	if fn >= m.NumFuncImports {
		return nil
	}
	for i := range m.Imports {
		if m.Imports[i].Kind == KindFunc && m.Imports[i].Func == fn {
			return &m.Imports[i]
		}
	}
	return nil
}

// Export returns the first export with that name, or nil.
func (m *Module) Export(name string) *Export {
	for i := range m.Exports {
		if m.Exports[i].Name == name {
			return &m.Exports[i]
		}
	}
	return nil
}

// FuncName is one entry of the name section's function names.
type FuncName struct {
	Index uint32
	Name  string
}

// FuncName returns the function's name from the name section, or "".
func (m *Module) FuncName(fn uint32) string {
	i := sort.Search(len(m.FuncNames), func(i int) bool { return m.FuncNames[i].Index >= fn })
	if i < len(m.FuncNames) && m.FuncNames[i].Index == fn {
		return m.FuncNames[i].Name
	}
	return ""
}
