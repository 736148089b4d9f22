package rules

import (
	"strings"

	"github.com/wasmlint/wasmlint/abiversions"
	"github.com/wasmlint/wasmlint/analyzer"
	"github.com/wasmlint/wasmlint/analyzer/wasm"
)

// startFuncs returns the exports the host calls when it starts the VM, in
// call order, according to the host's entry convention.
func startFuncs(p *analyzer.Pass) []*wasm.Export {
	m := p.Module
	init, start := funcExport(m, "_initialize"), funcExport(m, "_start")
	var out []*wasm.Export
	switch p.Host.Entry {
	case abiversions.EntryReactor:
		if init != nil {
			out = append(out, init)
			if e := funcExport(m, "main"); e != nil {
				out = append(out, e)
			} else if e := funcExport(m, "__main_void"); e != nil && p.Host.MainVoid {
				out = append(out, e)
			}
		} else if start != nil {
			out = append(out, start)
		}
	case abiversions.EntryLegacy:
		if start != nil {
			out = append(out, start)
		} else if e := funcExport(m, "__wasm_call_ctors"); e != nil {
			out = append(out, e)
		}
	case abiversions.EntryFirstOf:
		for i := range m.Exports {
			if e := &m.Exports[i]; e.Kind == wasm.KindFunc && (e.Name == "_start" || e.Name == "_initialize") {
				return []*wasm.Export{e}
			}
		}
	case abiversions.EntryStartFirst, abiversions.EntryStartOnly:
		if start != nil {
			out = append(out, start)
		} else if init != nil && p.Host.Entry == abiversions.EntryStartFirst {
			out = append(out, init)
		}
	}
	return out
}

// procExit returns the module's proc_exit import, or nil.
func procExit(m *wasm.Module) *wasm.Import {
	for i := range m.Imports {
		im := &m.Imports[i]
		if im.Kind == wasm.KindFunc && isWASI(im.Module) && im.Name == "proc_exit" {
			return im
		}
	}
	return nil
}

func pathString(p *analyzer.Pass, path []uint32) string {
	parts := make([]string, len(path))
	for i, fn := range path {
		parts[i] = p.FuncLabel(fn)
	}
	return strings.Join(parts, " → ")
}

// Entrypoint reports start-up conventions the host does not follow.
var Entrypoint = &analyzer.Rule{
	ID: "PW306", Name: "entrypoint", Severity: analyzer.Error,
	Title: "the module's start-up convention does not suit the host",
	What:  "The module is a WASI *command* (exports `_start`, no `_initialize`) rather than a *reactor*, or it is a reactor on a host that never calls `_initialize`.",
	Why:   "A proxy calls the start-up export once per VM and then calls callbacks for the VM's lifetime. A command's `_start` runs `main()` and then exits through `proc_exit`: proxy-wasm-cpp-host's `proc_exit` only logs and returns, so the libc's following `unreachable` traps (and V8 builds of Envoy ≥1.24 trap on the call itself, `restricted_callback`); the VM never starts. A reactor whose `_initialize` the host skips (Envoy 1.16, MOSN) runs without its constructors.",
	Fix:   "Build a reactor: C/C++ `-mexec-model=reactor` (wasi-sdk) or emscripten `--no-entry`; Go `GOOS=wasip1 go build -buildmode=c-shared`; Rust `crate-type = [\"cdylib\"]`; TinyGo `-buildmode=c-shared` or the proxy-wasm SDK's scheduler.",
	Host:  "proxy-wasm-cpp-host: `wasi_unstable proc_exit` (logged by the stub), then `Function: _start failed: ...` and `Failed to initialize Wasm code`; on V8 ≥ Envoy 1.24: `Function: _start failed: Uncaught Error: restricted_callback`.",
	Tags:  []string{"exports", "availability"},
	Run: func(p *analyzer.Pass) {
		m := p.Module
		init, start := funcExport(m, "_initialize"), funcExport(m, "_start")
		calls := startFuncs(p)
		if init != nil && (len(calls) == 0 || calls[0] != init) {
			p.Reportf(analyzer.Warning, init.Span, "export _initialize", "%s never calls _initialize: the reactor's constructors and runtime set-up do not run", p.Host.Name())
		}
		if start == nil || len(calls) == 0 || calls[0] != start {
			return
		}
		pe := procExit(m)
		code, err := p.Code()
		if pe == nil || err != nil {
			p.Reportf(analyzer.Note, start.Span, "export _start", "the module is a WASI command (_start, no _initialize): %s runs main() once at start-up; build a reactor", p.Host.Name())
			return
		}
		if path, ok := code.MustReach(m, start.Index, pe.Func); ok {
			p.Reportf(analyzer.Error, start.Span, "export _start", "the module is a WASI command: %s calls _start at start-up, which always ends in %s.proc_exit (%s); the VM fails to start%s",
				p.Host.Name(), pe.Module, pathString(p, path), hostSays(p, restrictedMsg(p), "_start"))
			return
		}
		if path, ok := code.MayReach(m, start.Index, pe.Func); ok {
			p.Reportf(analyzer.Warning, start.Span, "export _start", "the module is a WASI command: %s calls _start at start-up, which can reach %s.proc_exit (%s); if it does, the VM fails to start",
				p.Host.Name(), pe.Module, pathString(p, path))
			return
		}
		p.Reportf(analyzer.Note, start.Span, "export _start", "the module is a WASI command (_start, no _initialize): %s runs main() once at start-up; build a reactor", p.Host.Name())
	},
}

// StartupHostCall reports host calls made while the host runs the module's
// start-up functions that the host forbids at that time.
var StartupHostCall = &analyzer.Rule{
	ID: "PW310", Name: "startup-host-call", Severity: analyzer.Error,
	Title: "a start-up function calls a host function the host forbids during start-up",
	What:  "A function the host runs at start-up (`_initialize`, `main`, `_start`) can call a host function that the host does not allow at that time: on V8 builds of Envoy ≥1.24, Istio ≥1.16 and Higress only `proxy_log`, `fd_write`, clocks, random and environment reads are allowed; `proc_exit` never works there (it returns instead of exiting, and the libc then traps).",
	Why:   "The call traps, so the VM fails to start. wasmlint reports a call that is made on every path through the start-up code (found by a walk over the must-call graph). A call on some paths only (a runtime's error path, or a constructor that exits when an environment variable is unset) fails only when that path runs, which a static check cannot know: almost every runtime has such paths, so they are not reported; a smoke run shows whether start-up succeeds.",
	Fix:   "Move the work into `proxy_on_vm_start` or `proxy_on_configure`, where every host function is available; never exit from start-up code.",
	Host:  "V8 builds: `Function: _initialize failed: Uncaught Error: restricted_callback` with an in-VM backtrace; proxy-wasm-cpp-host's `proc_exit`: logs `wasi_unstable proc_exit`, then `Function: _initialize failed: ... unreachable`.",
	Tags:  []string{"exports", "availability"},
	Run: func(p *analyzer.Pass) {
		calls := startFuncs(p)
		if len(calls) == 0 {
			return
		}
		code, err := p.Code()
		if err != nil {
			return
		}
		m := p.Module
		for _, e := range calls {
			if e.Name == "_start" && funcExport(m, "_initialize") == nil {
				continue // a command's _start is PW306's finding
			}
			funcImports(p, "", func(im *wasm.Import, _ *wasm.FuncType) {
				isExit := isWASI(im.Module) && im.Name == "proc_exit"
				if !isExit && p.Host.AllowedDuringStart(im.Module, im.Name) {
					return
				}
				why := "which " + p.Host.Name() + " forbids during start-up"
				if isExit {
					why = "which never returns control properly on a proxy"
				}
				if path, ok := code.MustReach(m, e.Index, im.Func); ok {
					p.Reportf(analyzer.Error, e.Span, "export "+e.Name, "%s always calls %s.%s (%s), %s; the VM fails to start%s",
						e.Name, im.Module, im.Name, pathString(p, path), why, hostSays(p, ifTrue(!isExit, restrictedMsg(p)), e.Name))
				}
			})
		}
	},
}

// StartSection reports a start section, which runs before any context.
var StartSection = &analyzer.Rule{
	ID: "PW308", Name: "start-section", Severity: analyzer.Error,
	Title: "the module has a start section",
	What:  "The module declares a start function (Wasm's start section), which the engine runs while it instantiates the module, before the host has created the VM context or called `_initialize`.",
	Why:   "At that moment the host cannot serve host calls: a start function that always calls a host function (even `proxy_log`) makes instantiation fail (error); one that calls a host function only on some path (AssemblyScript's runtime, whose error path logs) fails when that path runs (warning); one that calls none (wasm-ld's memory initialisation) is harmless (note).",
	Fix:   "Move the work into `_initialize` or `proxy_on_vm_start`; for AssemblyScript use `--exportStart _initialize` (or the SDK's recommended flags).",
	Host:  "proxy-wasm-cpp-host: `Failed to create new Wasm instance`, then `Failed to initialize Wasm code`.",
	Tags:  []string{"exports", "availability"},
	Run: func(p *analyzer.Pass) {
		m := p.Module
		if !m.HasStart {
			return
		}
		span := m.Section(wasm.SecStart).Span
		code, err := p.Code()
		if err != nil {
			return
		}
		if code.ScanFunc(m, m.Start); code.Err() != nil {
			return // PW001 reports the body
		}
		if im, path := reachImport(m, code.MustReach, m.Start); im != nil {
			p.Reportf(analyzer.Error, span, "section start", "the start function %s calls host function %s.%s (%s) while the module is instantiated, before any context exists; instantiation fails%s",
				p.FuncLabel(m.Start), im.Module, im.Name, pathString(p, path), hostSays(p, instantiateMsg(p)))
			return
		}
		if im, path := reachImport(m, code.MayReach, m.Start); im != nil {
			p.Reportf(analyzer.Warning, span, "section start", "the start function %s can call host function %s.%s (%s) while the module is instantiated, before any context exists; if that path runs, instantiation fails",
				p.FuncLabel(m.Start), im.Module, im.Name, pathString(p, path))
			return
		}
		if indirectFrom(m, code, m.Start) {
			p.Reportf(analyzer.Warning, span, "section start", "the start function %s makes indirect calls, which may reach a host function before any context exists", p.FuncLabel(m.Start))
			return
		}
		p.Reportf(analyzer.Note, span, "section start", "the start function %s runs at instantiation; it calls no host function, so it is harmless", p.FuncLabel(m.Start))
	},
}

func instantiateMsg(p *analyzer.Pass) string {
	if p.Host.Family == abiversions.CppHost {
		return "Failed to create new Wasm instance"
	}
	return ""
}

// indirectFrom reports whether a function reachable from root by direct
// calls makes an indirect call.
func indirectFrom(m *wasm.Module, code *wasm.Code, root uint32) bool {
	reach := code.Reachable(m, false, root)
	for i, ind := range code.Indirect {
		fn := int(m.NumFuncImports) + i
		if ind && fn < len(reach) && reach[fn] {
			return true
		}
	}
	return false
}

// restrictedMsg is the host's trap message for a forbidden call during
// start-up, where the host restricts calls then.
func restrictedMsg(p *analyzer.Pass) string {
	if p.Host.RestrictedStart == nil {
		return ""
	}
	return p.Host.Msg.Restricted
}

// reachImport returns the first function import, in import order, that
// reach finds from root, with the path to it.
func reachImport(m *wasm.Module, reach func(*wasm.Module, uint32, uint32) ([]uint32, bool), root uint32) (*wasm.Import, []uint32) {
	for i := range m.Imports {
		im := &m.Imports[i]
		if im.Kind != wasm.KindFunc {
			continue
		}
		if path, ok := reach(m, root, im.Func); ok {
			return im, path
		}
	}
	return nil, nil
}
