package smoke

import (
	"errors"
	"fmt"
	"strings"

	"github.com/tetratelabs/wabin/leb128"

	"github.com/wasmlint/wasmlint/abiversions"
	"github.com/wasmlint/wasmlint/analyzer/wasm"
)

// The host's own checks before and while it links the module, in its
// order (cpp-host src/wasm.cc load, initialize, getFunctions): decode, ABI
// marker, compile limits, imports, looked-up exports, allocator. Each
// failure is worded as the profile's host words it.

// loadFailure is why the host refused the module, in its words.
type loadFailure struct {
	phase string
	msgs  []string
}

func (f *loadFailure) Error() string { return strings.Join(f.msgs, " | ") }

func fail(phase string, msgs ...string) *loadFailure { return &loadFailure{phase: phase, msgs: msgs} }

// checkLoad decodes the module and picks its ABI version as the host does.
func checkLoad(bin []byte, o Options) (*wasm.Module, *abiversions.Version, error) {
	p := o.Host
	m, err := wasm.Decode(bin)
	if err != nil {
		var de *wasm.DecodeError
		msg := p.Msg.Corrupted
		if errors.As(err, &de) && de.Kind != wasm.NotWasm && de.Kind != wasm.Malformed {
			msg = p.Msg.CompileFailed
		}
		return nil, nil, fail(PhaseLoad, orText(msg, "failed to parse the module")+" ("+err.Error()+")")
	}
	if m.NameSectionErr != nil && p.Family == abiversions.CppHost {
		return nil, nil, fail(PhaseLoad, p.Msg.Corrupted+" (name section: "+m.NameSectionErr.Error()+")")
	}
	_, version := abiversions.Detect(m, p)
	if o.ABI != "" {
		version = o.ABI
	}
	abi := abiversions.Table(version)
	if abi == nil {
		return m, nil, fail(PhaseLoad, orText(p.Msg.MissingABI, "no Proxy-Wasm ABI version marker the host accepts"))
	}
	if len(m.Memories) > 1 {
		return m, abi, fail(PhaseLoad, orText(p.Msg.CompileFailed, "compile failed")+" (more than one memory)")
	}
	for _, mem := range m.Memories {
		switch {
		case mem.Is64:
			return m, abi, fail(PhaseLoad, orText(p.Msg.CompileFailed, "compile failed")+" (memory64)")
		case mem.Shared:
			return m, abi, fail(PhaseLoad, orText(p.Msg.CompileFailed, "compile failed")+" (shared memory)")
		case p.MaxMemoryPages > 0 && p.InitialOverCapFails && mem.Min > uint64(p.MaxMemoryPages):
			return m, abi, fail(PhaseLoad, fmt.Sprintf("%s (initial memory %d pages is over the host's cap of %d)",
				orText(p.Msg.CompileFailed, "compile failed"), mem.Min, p.MaxMemoryPages))
		}
	}
	return m, abi, nil
}

func orText(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// hostSig returns the signature the host registers for module.name, or
// false when it provides no such function.
func hostSig(p *abiversions.Profile, abi *abiversions.Version, module, name string) (abiversions.Sig, bool) {
	if module == "env" {
		if p.LinksProxyFunc(abi, name) {
			if f := abi.HostFunc(name); f != nil {
				return f.Sig, true
			}
			for _, v := range abiversions.Versions() {
				if f := v.HostFunc(name); f != nil {
					return f.Sig, true
				}
			}
		}
		if f := p.EnvExtra(name); f != nil {
			return f.Sig, true
		}
		return abiversions.Sig{}, false
	}
	if p.ProvidesWASIModule(module) && p.ProvidesWASI(name) {
		s, ok := abiversions.WASISig(name)
		return s, ok
	}
	return abiversions.Sig{}, false
}

// checkLink checks every import against what the host registers.
func checkLink(m *wasm.Module, p *abiversions.Profile, abi *abiversions.Version) error {
	var msgs []string
	for _, im := range m.Imports {
		key := im.Module + "." + im.Name
		switch im.Kind {
		case wasm.KindFunc:
			want, ok := hostSig(p, abi, im.Module, im.Name)
			if !ok {
				msgs = append(msgs, fmt.Sprintf(orText(p.Msg.MissingImport, "missing import: %s"), key))
				continue
			}
			if ft := m.FuncType(im.Func); ft != nil && !want.Equal(*ft) {
				have := abiversions.Sig{Params: ft.Params, Results: ft.Results}
				msgs = append(msgs, fmt.Sprintf(orText(p.Msg.ImportMismatch, "import type mismatch: %s, want: %s, but host exports: %s"),
					key, have.String(), want.String()))
			}
		case wasm.KindMemory:
			if !p.Imports.Memory || !p.ImportedMemoryOK {
				msgs = append(msgs, fmt.Sprintf(orText(p.Msg.NonFuncImport, "missing import: %s"), key))
			}
		default:
			// Globals never link on cpp-host; the emulated host cannot
			// provide a table either.
			msgs = append(msgs, fmt.Sprintf(orText(p.Msg.NonFuncImport, "missing import: %s"), key))
		}
	}
	if len(msgs) > 0 {
		return fail(PhaseInitialize, msgs...)
	}
	return nil
}

// lookedUp lists the exports the host looks up for this module, as
// cpp-host's getFunctions does: the start-up functions by the profile's
// convention, the allocators, and the callbacks of the ABI version.
func lookedUp(m *wasm.Module, p *abiversions.Profile, abi *abiversions.Version) []abiversions.Func {
	skip := map[string]bool{}
	if p.Entry == abiversions.EntryReactor && m.Export("_initialize") != nil {
		skip["_start"] = true
	} else {
		skip["main"], skip["__main_void"] = true, true
	}
	if !p.MainVoid {
		skip["__main_void"] = true
	}
	var out []abiversions.Func
	for _, cb := range abi.Callbacks {
		if !skip[cb.Name] {
			out = append(out, cb)
		}
	}
	return out
}

// checkExports checks the looked-up exports' types and finds the
// allocator; it returns the allocator's export name.
func checkExports(m *wasm.Module, p *abiversions.Profile, abi *abiversions.Version) (string, error) {
	var msgs []string
	if p.ChecksCallbackSigs {
		for _, cb := range lookedUp(m, p, abi) {
			e := m.Export(cb.Name)
			if e == nil || e.Kind != wasm.KindFunc {
				continue
			}
			if ft := m.FuncType(e.Index); ft != nil && !cb.Sig.Equal(*ft) {
				have := abiversions.Sig{Params: ft.Params, Results: ft.Results}
				msgs = append(msgs, fmt.Sprintf(orText(p.Msg.BadExportSig, "bad function signature for: %s, want: %s, but the module exports: %s"),
					cb.Name, cb.Sig.String(), have.String()))
			}
		}
	}
	alloc := ""
	for _, name := range p.Allocators {
		if e := m.Export(name); e != nil && e.Kind == wasm.KindFunc {
			if ft := m.FuncType(e.Index); ft != nil && abiversions.ParseSig("i32 -> i32").Equal(*ft) {
				alloc = name
				break
			}
		}
	}
	if alloc == "" {
		msgs = append(msgs, orText(p.Msg.MissingMalloc, "missing malloc function"))
	}
	if len(msgs) > 0 {
		return "", fail(PhaseInitialize, msgs...)
	}
	return alloc, nil
}

// defineImportedMemory rewrites a module that imports its memory into one
// that declares it with the same limits, as cpp-host does when it creates
// an imported memory for the module (V8 and WAMR). Function indices do not
// change; the memory stays index 0.
func defineImportedMemory(bin []byte, m *wasm.Module) []byte {
	var memImp *wasm.Import
	for i := range m.Imports {
		if m.Imports[i].Kind == wasm.KindMemory {
			memImp = &m.Imports[i]
		}
	}
	imp := m.Section(2)
	if memImp == nil || imp == nil {
		return bin
	}
	var entries []byte
	for _, im := range m.Imports {
		if im.Kind != wasm.KindMemory {
			entries = append(entries, bin[im.Span.Offset:im.Span.End()]...)
		}
	}
	newImp := section(2, append(leb128.EncodeUint64(uint64(len(m.Imports)-1)), entries...))
	lim := memImp.Limits
	var mem []byte
	if lim.HasMax {
		mem = append(append([]byte{1}, leb128.EncodeUint64(lim.Min)...), leb128.EncodeUint64(lim.Max)...)
	} else {
		mem = append([]byte{0}, leb128.EncodeUint64(lim.Min)...)
	}
	memSec := section(5, append([]byte{1}, mem...))
	// The memory section goes after the function and table sections and
	// before the first of tag, global, export ... (section order).
	order := map[byte]int{1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 13: 6, 6: 7, 7: 8, 8: 9, 9: 10, 12: 11, 10: 12, 11: 13}
	out := append([]byte{}, bin[:imp.Span.Offset]...)
	out = append(out, newImp...)
	inserted := false
	for _, s := range m.Sections {
		if s.Span.Offset <= imp.Span.Offset {
			continue
		}
		if !inserted && s.ID != 0 && order[s.ID] > order[5] {
			out, inserted = append(out, memSec...), true
		}
		out = append(out, bin[s.Span.Offset:s.Span.End()]...)
	}
	if !inserted {
		out = append(out, memSec...)
	}
	return out
}

func section(id byte, payload []byte) []byte {
	return append(append([]byte{id}, leb128.EncodeUint64(uint64(len(payload)))...), payload...)
}
