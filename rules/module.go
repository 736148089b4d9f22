package rules

import (
	"bytes"
	"errors"
	"strconv"

	"github.com/wasmlint/wasmlint/abiversions"
	"github.com/wasmlint/wasmlint/analyzer"
	"github.com/wasmlint/wasmlint/analyzer/wasm"
)

// MalformedModule reports a core module that does not decode, in its
// sections or in a function body.
var MalformedModule = &analyzer.Rule{
	ID: "PW001", Name: "malformed-module", Severity: analyzer.Error, OnInput: true,
	Title: "the module does not decode",
	What:  "The file starts like a core WebAssembly module but its bytes break the binary format at the reported offset: a section overruns the file, a LEB128 integer is too long, a vector is longer than its section, sections are out of order, a function body does not decode. The bodies of exported functions and of the start function are always decoded, and so is every body another rule walks (start-up call graphs; every body when the host's engine lacks a feature, for PW601); a broken body elsewhere is left to the engine, which keeps wasmlint at about a millisecond for a multi-megabyte filter.",
	Why:   "Every engine validates the binary before anything else runs; a module that does not decode never loads.",
	Fix:   "Rebuild the module; a truncated download, a file edited after the build, or a post-processing tool (strip, optimiser) that failed are the usual causes. `wasm-tools validate` or `wasm-objdump -x` show the same offset.",
	Host:  "proxy-wasm-cpp-host (Envoy, Istio): `Failed to parse corrupted Wasm module` or `Failed to load Wasm bytecode`, then `Failed to load Wasm code`; the plugin is not created.",
	Tags:  []string{"module", "availability"},
	Run: func(p *analyzer.Pass) {
		de := p.DecodeErr
		if de == nil {
			code, err := p.Code()
			if err == nil {
				// The host calls the exported functions and the start
				// function; their bodies are always checked, and so is
				// every body another rule decoded.
				m := p.Module
				for _, e := range m.Exports {
					if e.Kind == wasm.KindFunc {
						code.ScanFunc(m, e.Index)
					}
				}
				if m.HasStart {
					code.ScanFunc(m, m.Start)
				}
				err = code.Err()
			}
			if err == nil || !errors.As(err, &de) {
				return
			}
		}
		if de.Kind != wasm.Malformed {
			return
		}
		p.Reportf(analyzer.Error, wasm.Span{Offset: de.Offset}, "module",
			"the module does not decode: %s%s", de.Error(), hostSays(p, p.Host.Msg.Corrupted))
	},
}

// NotACoreModule reports a file that is not a core Wasm module at all.
var NotACoreModule = &analyzer.Rule{
	ID: "PW002", Name: "not-a-core-module", Severity: analyzer.Error, OnInput: true,
	Title: "the file is not a core WebAssembly module",
	What:  "The file is not a core WebAssembly module: it lacks the `\\0asm` magic (text, an archive, an HTML error page saved as .wasm), or it is a WebAssembly *component* (component model, e.g. built for `wasm32-wasip2`).",
	Why:   "Proxy-Wasm hosts load core modules only; no released proxy runs components.",
	Fix:   "Point wasmlint (and the proxy) at the built `.wasm`: for Rust build `--target wasm32-wasip1` (or `wasm32-unknown-unknown`), not `wasm32-wasip2`; for an OCI image, extract the module layer first; for a `.wat` file, assemble it with `wat2wasm`.",
	Host:  "proxy-wasm-cpp-host: `Failed to parse corrupted Wasm module`, then `Failed to load Wasm code`.",
	Tags:  []string{"module", "availability"},
	Run: func(p *analyzer.Pass) {
		de := p.DecodeErr
		if de == nil || de.Kind == wasm.Malformed {
			return
		}
		what := de.Msg
		switch de.Kind {
		case wasm.Component:
			what = "a WebAssembly component, not a core module: Proxy-Wasm hosts load core modules only (build for wasm32-wasip1, not wasm32-wasip2)"
		case wasm.NotWasm:
			what = "not a WebAssembly binary: " + sniff(p.Bin)
		}
		span := wasm.Span{Offset: de.Offset, Length: 8 - de.Offset}
		if int(span.End()) > len(p.Bin) {
			span.Length = uint32(max(len(p.Bin)-int(span.Offset), 0))
		}
		p.Reportf(analyzer.Error, span, "module", "%s%s", what, hostSays(p, p.Host.Msg.Corrupted))
	},
}

// sniff names what a non-Wasm file looks like.
func sniff(b []byte) string {
	head := b
	if len(head) > 512 {
		head = head[:512]
	}
	trimmed := bytes.TrimLeft(head, " \t\r\n\xef\xbb\xbf")
	switch {
	case len(b) == 0:
		return "the file is empty"
	case bytes.HasPrefix(b, []byte{0x1f, 0x8b}):
		return "a gzip archive (an OCI layer or a compressed module?): extract the .wasm first"
	case len(b) > 262 && bytes.Equal(b[257:262], []byte("ustar")):
		return "a tar archive: extract the .wasm first"
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		return "a zip archive: extract the .wasm first"
	case bytes.HasPrefix(b, []byte("\x7fELF")):
		return "a native ELF binary, not WebAssembly"
	case bytes.HasPrefix(trimmed, []byte("(module")) || bytes.HasPrefix(trimmed, []byte(";;")):
		return "WebAssembly text (.wat): assemble it with wat2wasm"
	case bytes.HasPrefix(trimmed, []byte("<")):
		return "an HTML or XML document (a download error page saved as .wasm?)"
	case bytes.HasPrefix(trimmed, []byte("{")) || bytes.HasPrefix(trimmed, []byte("[")):
		return "a JSON document, not a module"
	case bytes.HasPrefix(trimmed, []byte("version https://git-lfs")):
		return "a Git LFS pointer: fetch the real file with git lfs pull"
	}
	return "the file does not start with the \\0asm magic"
}

// NameSectionMalformed reports a name section that does not parse, which
// engines ignore but proxy-wasm-cpp-host refuses.
var NameSectionMalformed = &analyzer.Rule{
	ID: "PW003", Name: "name-section-malformed", Severity: analyzer.Error,
	Title: "the name custom section does not parse",
	What:  "The `name` custom section (function names for stack traces) is present but its subsections do not parse exactly.",
	Why:   "Engines ignore custom sections, but proxy-wasm-cpp-host parses the function names itself before loading (for in-VM backtraces) and refuses the module when they do not parse.",
	Fix:   "Rebuild or strip the section (`wasm-tools strip`, `wasm-opt --strip-debug`); a tool that rewrote the module without updating the name section is the usual cause.",
	Host:  "proxy-wasm-cpp-host (src/bytecode_util.cc): `Failed to parse corrupted Wasm module`; other hosts ignore the section.",
	Tags:  []string{"module"},
	Run: func(p *analyzer.Pass) {
		de := p.Module.NameSectionErr
		if de == nil {
			return
		}
		sev := analyzer.Note
		if p.Host.Msg.Corrupted != "" && p.Host.Family == abiversions.CppHost {
			sev = analyzer.Error
		}
		p.Reportf(sev, wasm.Span{Offset: de.Offset}, "section name", "the name section does not parse: %s%s", de.Error(), hostSays(p, p.Host.Msg.Corrupted))
	},
}

// SegmentOutOfBounds reports active segments that do not fit the initial
// memory or table, which makes instantiation fail.
var SegmentOutOfBounds = &analyzer.Rule{
	ID: "PW004", Name: "segment-out-of-bounds", Severity: analyzer.Error,
	Title: "a data or element segment does not fit its memory or table",
	What:  "An active data segment is placed past the end of the memory's initial size, or an active element segment past the end of the table's initial size.",
	Why:   "Instantiation copies every active segment into place and fails when one does not fit (Wasm 2.0; older engines behave the same for in-bounds checks), so the VM never starts. It happens when a module is linked for a memory or table of one size and then declared (or post-processed) with a smaller one.",
	Fix:   "Relink so that the initial memory and table cover the data and element segments (`--initial-memory`, `--growable-table`), or fix the post-processing step that shrank them.",
	Host:  "proxy-wasm-cpp-host: `Failed to create new Wasm instance`, then `Failed to initialize Wasm code`.",
	Tags:  []string{"module", "availability"},
	Run: func(p *analyzer.Pass) {
		m := p.Module
		for i, d := range m.Data {
			if int(d.Index) >= len(m.Memories) {
				continue
			}
			limit := m.Memories[d.Index].Min * 64 << 10
			if d.Offset+d.Size > limit {
				p.Reportf(analyzer.Error, d.Span, "data segment "+strconv.Itoa(i), "data segment %d spans memory bytes %#x..%#x, past the initial memory of %#x bytes; instantiation fails%s",
					i, d.Offset, d.Offset+d.Size, limit, hostSays(p, instantiateMsg(p)))
			}
		}
		tables := tableLimits(m)
		for i, e := range m.Elements {
			if int(e.Index) >= len(tables) {
				continue
			}
			if limit := tables[e.Index].Min; e.Offset+e.Size > limit {
				p.Reportf(analyzer.Error, e.Span, "element segment "+strconv.Itoa(i), "element segment %d fills table entries %d..%d, past the initial table size of %d; instantiation fails%s",
					i, e.Offset, e.Offset+e.Size, limit, hostSays(p, instantiateMsg(p)))
			}
		}
	},
}

// tableLimits lists the limits of the table index space: imported tables
// first, then the module's own.
func tableLimits(m *wasm.Module) []wasm.Limits {
	var out []wasm.Limits
	for _, im := range m.Imports {
		if im.Kind == wasm.KindTable {
			out = append(out, im.Limits)
		}
	}
	return append(out, m.Tables...)
}
