package inspect

import (
	"strings"

	"github.com/wasmlint/wasmlint/analyzer/wasm"
)

// Memory is the module's linear memory 0 and the data it starts with.
type Memory struct {
	// Count is the number of memories (more than one is rare and refused
	// by most hosts).
	Count        int     `json:"count"`
	InitialPages uint64  `json:"initial_pages"`
	MaxPages     *uint64 `json:"max_pages"`
	// InitialBytes is InitialPages × 64 KiB.
	InitialBytes uint64 `json:"initial_bytes"`
	Shared       bool   `json:"shared"`
	Memory64     bool   `json:"memory64"`
	// Imported is "module.name" when the memory is imported.
	Imported string `json:"imported,omitempty"`
	// ExportedAs are the names memory 0 is exported under.
	ExportedAs []string `json:"exported_as"`
	// DataBytes is the size of the active data segments (the bytes copied
	// into memory at instantiation); DataSegments counts them.
	DataBytes    uint64 `json:"data_bytes"`
	DataSegments int    `json:"data_segments"`
}

const pageSize = 64 << 10

func memoryOf(m *wasm.Module) *Memory {
	if len(m.Memories) == 0 {
		return nil
	}
	mem := m.Memories[0]
	out := &Memory{Count: len(m.Memories), InitialPages: mem.Min, InitialBytes: mem.Min * pageSize,
		Shared: mem.Shared, Memory64: mem.Is64, ExportedAs: []string{}}
	if mem.HasMax {
		max := mem.Max
		out.MaxPages = &max
	}
	for _, im := range m.Imports {
		if im.Kind == wasm.KindMemory {
			out.Imported = im.Module + "." + im.Name
			break
		}
	}
	for _, e := range m.Exports {
		if e.Kind == wasm.KindMemory && e.Index == 0 {
			out.ExportedAs = append(out.ExportedAs, e.Name)
		}
	}
	for _, d := range m.Data {
		if d.Index == 0 {
			out.DataBytes += d.Size
			out.DataSegments++
		}
	}
	return out
}

// Sizes are the file's bytes by kind of section. Names is the name
// section, Debug the DWARF (.debug_*) and source-map sections, Other the
// header and every other standard section; they add up to Total.
type Sizes struct {
	Code        int `json:"code"`
	Data        int `json:"data"`
	Names       int `json:"names"`
	Debug       int `json:"debug"`
	OtherCustom int `json:"other_custom"`
	Other       int `json:"other"`
	Total       int `json:"total"`
}

func sizesOf(m *wasm.Module) Sizes {
	s := Sizes{Total: m.Size}
	for _, sec := range m.Sections {
		n := int(sec.Span.Length)
		switch {
		case sec.ID == 10:
			s.Code += n
		case sec.ID == 11:
			s.Data += n
		case sec.ID != 0:
		case sec.Name == "name":
			s.Names += n
		case strings.HasPrefix(sec.Name, ".debug_") || sec.Name == "sourceMappingURL" || sec.Name == "external_debug_info":
			s.Debug += n
		default:
			s.OtherCustom += n
		}
	}
	s.Other = s.Total - s.Code - s.Data - s.Names - s.Debug - s.OtherCustom
	return s
}

// callbackGroups classify callbacks by the stream they serve.
var (
	httpCallbacks    = []string{"request_", "response_"}
	networkCallbacks = []string{"new_connection", "downstream_", "upstream_"}
)

// filterOf reads the filter kinds from the exported callbacks; pre-ABI
// camelCase names (proxy_onRequestHeaders) count too.
func filterOf(m *wasm.Module, sdk string) Filter {
	f := Filter{Kinds: []string{}, Callbacks: []string{}}
	var http, network bool
	for _, e := range m.Exports {
		key, ok := callbackKey(e.Name)
		if !ok || e.Kind != wasm.KindFunc {
			continue
		}
		f.Callbacks = append(f.Callbacks, e.Name)
		http = http || hasAnyPrefix(key, httpCallbacks)
		network = network || hasAnyPrefix(key, networkCallbacks)
	}
	if http {
		f.Kinds = append(f.Kinds, "http")
	}
	if network {
		f.Kinds = append(f.Kinds, "network")
	}
	if len(f.Kinds) == 0 && len(f.Callbacks) > 0 {
		f.Kinds = append(f.Kinds, "root-only")
	}
	if http && network && sdk != "" {
		f.Note = "the SDK exports every callback; which streams the filter handles is decided at run time"
	}
	return f
}

// callbackKey turns a callback export into snake case without its
// prefix: proxy_on_request_headers, proxy_onRequestHeaders and
// _proxy_onRequestHeaders all give request_headers.
func callbackKey(name string) (string, bool) {
	rest, ok := strings.CutPrefix(strings.TrimPrefix(name, "_"), "proxy_on")
	if !ok || rest == "" {
		return "", false
	}
	if r, snake := strings.CutPrefix(rest, "_"); snake {
		return r, r != ""
	}
	var b strings.Builder
	for i, c := range rest {
		if c >= 'A' && c <= 'Z' {
			if i > 0 {
				b.WriteByte('_')
			}
			c += 'a' - 'A'
		}
		b.WriteRune(c)
	}
	return b.String(), true
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
