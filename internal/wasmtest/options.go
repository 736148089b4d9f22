package wasmtest

import (
	"strings"

	wabin "github.com/tetratelabs/wabin/wasm"
)

// Option changes a module description.
type Option func(*Module)

// Baseline is the description of the minimal valid 0.2.1 filter: marker,
// proxy_on_context_create, proxy_on_request_headers, malloc, one exported
// memory of one page named "memory", and the env.proxy_log import.
func Baseline() *Module {
	return &Module{
		Imports: []Import{{Module: "env", Name: "proxy_log", Sig: "i32 i32 i32 -> i32"}},
		Funcs: []Func{
			{ID: "marker", Sig: "->", Exports: []string{Marker("0.2.1")}},
			{ID: "proxy_on_context_create", Sig: "i32 i32 ->", Exports: []string{"proxy_on_context_create"}},
			{ID: "proxy_on_request_headers", Sig: "i32 i32 i32 -> i32", Exports: []string{"proxy_on_request_headers"}},
			{ID: "malloc", Sig: "i32 -> i32", Exports: []string{"malloc"}},
		},
		Memories:     []Mem{{Min: 1}},
		MemoryExport: "memory",
	}
}

// Filter builds the baseline filter with the options applied.
func Filter(opts ...Option) []byte {
	m := Baseline()
	for _, o := range opts {
		o(m)
	}
	return m.Bytes()
}

// Empty builds a module that starts from nothing but the options.
func Empty(opts ...Option) []byte {
	m := &Module{}
	for _, o := range opts {
		o(m)
	}
	return m.Bytes()
}

// Edit applies an arbitrary change.
func Edit(f func(*Module)) Option { return f }

// ABI switches the marker to version v; for 0.1.0 the header callbacks take
// two parameters (no end_of_stream).
func ABI(v string) Option {
	return func(m *Module) {
		for i := range m.Funcs {
			f := &m.Funcs[i]
			for j, e := range f.Exports {
				if strings.HasPrefix(e, "proxy_abi_version_") {
					f.Exports[j] = Marker(v)
				}
			}
			if f.ID == "proxy_on_request_headers" && v == "0.1.0" {
				f.Sig = "i32 i32 -> i32"
			}
		}
	}
}

// Without removes exports by name: function exports (the function stays),
// the memory export and raw exports.
func Without(names ...string) Option {
	return func(m *Module) {
		for _, n := range names {
			for i := range m.Funcs {
				f := &m.Funcs[i]
				var keep []string
				for _, e := range f.Exports {
					if e != n {
						keep = append(keep, e)
					}
				}
				f.Exports = keep
			}
			if m.MemoryExport == n {
				m.MemoryExport = ""
			}
			var keep []RawExport
			for _, e := range m.Exports {
				if e.Name != n {
					keep = append(keep, e)
				}
			}
			m.Exports = keep
		}
	}
}

// WithoutImport removes imports by "module.name".
func WithoutImport(keys ...string) Option {
	return func(m *Module) {
		for _, k := range keys {
			var keep []Import
			for _, im := range m.Imports {
				if im.Key() != k {
					keep = append(keep, im)
				}
			}
			m.Imports = keep
		}
	}
}

// ImportFunc adds a function import.
func ImportFunc(module, name, sig string) Option {
	return AddImport(Import{Module: module, Name: name, Sig: sig})
}

// AddImport adds an import of any kind; imports keep their order.
func AddImport(im Import) Option { return func(m *Module) { m.Imports = append(m.Imports, im) } }

// Export adds a function exported as name with the given signature and a
// default body; its ID is the name.
func Export(name, sig string) Option {
	return AddFunc(Func{ID: name, Sig: sig, Exports: []string{name}})
}

// AddFunc adds a defined function.
func AddFunc(f Func) Option { return func(m *Module) { m.Funcs = append(m.Funcs, f) } }

// Retype changes the signature of the function exported (or identified) as
// name; its body becomes the default one.
func Retype(name, sig string) Option {
	return func(m *Module) {
		f := m.find(name)
		f.Sig, f.Body = sig, nil
	}
}

// Body sets the body of the function with that ID or export name.
func Body(name string, ops ...Op) Option { return func(m *Module) { m.find(name).Body = ops } }

// Memory replaces the declared memories.
func Memory(mems ...Mem) Option { return func(m *Module) { m.Memories = mems } }

// NoMemory removes the declared memories and the memory export.
func NoMemory() Option { return func(m *Module) { m.Memories, m.MemoryExport = nil, "" } }

// MemoryExport renames the memory export ("" to drop it).
func MemoryExport(name string) Option { return func(m *Module) { m.MemoryExport = name } }

// ImportMemory replaces the declared memory with an import of mem (the
// memory export then exports the imported memory).
func ImportMemory(module, name string, mem Mem) Option {
	return func(m *Module) {
		m.Memories = nil
		m.Imports = append(m.Imports, Import{Module: module, Name: name, Kind: KindMemory, Mem: mem})
	}
}

// Start sets the start function by ID.
func Start(id string) Option { return func(m *Module) { m.Start = id } }

// Custom adds a custom section.
func Custom(name string, data []byte) Option {
	return func(m *Module) { m.Customs = append(m.Customs, &wabin.CustomSection{Name: name, Data: data}) }
}

// Section inserts a raw section at its place in section order.
func Section(id byte, payload []byte) Option {
	return func(m *Module) { m.Raw = append(m.Raw, RawSection{ID: id, Payload: payload}) }
}

// Named adds a name section naming each defined function by its ID.
func Named() Option { return func(m *Module) { m.Named = true } }

// Patch edits the encoded bytes.
func Patch(f func([]byte) []byte) Option {
	return func(m *Module) {
		prev := m.Patch
		m.Patch = func(b []byte) []byte {
			if prev != nil {
				b = prev(b)
			}
			return f(b)
		}
	}
}

func (m *Module) find(name string) *Func {
	for i := range m.Funcs {
		if m.Funcs[i].ID == name {
			return &m.Funcs[i]
		}
	}
	for i := range m.Funcs {
		for _, e := range m.Funcs[i].Exports {
			if e == name {
				return &m.Funcs[i]
			}
		}
	}
	panic("wasmtest: no function " + name)
}
