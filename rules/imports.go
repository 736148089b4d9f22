package rules

import (
	"strings"

	"github.com/wasmlint/wasmlint/abiversions"
	"github.com/wasmlint/wasmlint/analyzer"
	"github.com/wasmlint/wasmlint/analyzer/wasm"
)

// isWASI reports whether an import module is a WASI namespace of any
// version: wasi_unstable (snapshot 0), wasi_snapshot_preview1, the
// wasi_ephemeral_* proposals, and wasi:cli/... interfaces of preview 2.
// Vendor modules that merely start with "wasi" (wasi_experimental_http) are
// not WASI.
func isWASI(module string) bool {
	return module == "wasi_unstable" || strings.HasPrefix(module, "wasi_snapshot_") ||
		strings.HasPrefix(module, "wasi_ephemeral_") || strings.HasPrefix(module, "wasi:")
}

// funcImports calls f for each function import from module (all modules
// when module is "").
func funcImports(p *analyzer.Pass, module string, f func(im *wasm.Import, ft *wasm.FuncType)) {
	for i := range p.Module.Imports {
		im := &p.Module.Imports[i]
		if im.Kind != wasm.KindFunc || (module != "" && im.Module != module) {
			continue
		}
		f(im, p.Module.FuncType(im.Func))
	}
}

func importSubject(im *wasm.Import) string { return "import " + im.Module + "." + im.Name }

// importRef names an import the way the host's messages do.
func importRef(p *analyzer.Pass, im *wasm.Import) string {
	sep := p.Host.Msg.ImportSep
	if sep == "" {
		sep = "."
	}
	return im.Module + sep + im.Name
}

// HostFunctionUnknown reports env imports that no host function answers.
var HostFunctionUnknown = &analyzer.Rule{
	ID: "PW201", Name: "host-function-unknown", Severity: analyzer.Error,
	Title: "an env import is not a host function of the module's ABI version",
	What:  "The module imports a function from `env` that the host does not register for the detected ABI version: a function of another ABI version (`proxy_continue_request` is 0.1.0 only, `proxy_continue_stream` 0.2.x only, `proxy_get_log_level` 0.2.1 only), a misspelt or invented name, or glue of another toolchain (AssemblyScript's `env.abort`, emscripten's JS runtime, TinyGo's `syscall/js`).",
	Why:   "The host links only the functions it registers for the module's ABI version; one unresolved import fails instantiation, so the filter never starts.",
	Fix:   "Use the SDK release that matches the marker the module exports; drop or replace the import. AssemblyScript: build with `--use abort=abort_proc_exit` (proxy-runtime's helper) or `--use abort=`; TinyGo: build with `-target=wasi` (or `-target=wasip1`), never `-target=wasm`; emscripten: build with `-s STANDALONE_WASM`.",
	Host:  "proxy-wasm-cpp-host: `Failed to load Wasm module due to a missing import: env.<name>`, then `Failed to initialize Wasm code`; Kong: `failed importing \"env.<name>\": missing host function`; Wasmtime-based hosts: ``unknown import: `env::<name>` has not been defined``.",
	Tags:  []string{"imports", "availability"},
	Run: func(p *analyzer.Pass) {
		if p.ABI == nil {
			return
		}
		funcImports(p, "env", func(im *wasm.Import, _ *wasm.FuncType) {
			if p.ABI.HostFunc(im.Name) != nil || p.Host.EnvExtra(im.Name) != nil || p.Host.LinksProxyFunc(p.ABI, im.Name) {
				return
			}
			p.Reportf(analyzer.Error, im.Span, importSubject(im), "import env.%s is not part of ABI %s%s%s",
				im.Name, p.ABI.Name, envHint(p, im.Name), hostSays(p, p.Host.Msg.MissingImport, importRef(p, im)))
		})
	},
}

// envHint explains where an unknown env import comes from.
func envHint(p *analyzer.Pass, name string) string {
	for _, v := range abiversions.Versions() {
		if v != p.ABI && v.Accepted && v.HostFunc(name) != nil {
			return " (it belongs to ABI " + v.Name + ": the SDK and the marker disagree)"
		}
	}
	switch {
	case name == "abort" || name == "seed" || name == "trace":
		return " (AssemblyScript runtime glue: build with --use abort=abort_proc_exit or --use abort=)"
	case strings.HasPrefix(name, "syscall/js."):
		return " (Go/TinyGo syscall/js: built with -target=wasm for a browser; build with -target=wasi)"
	case name == "emscripten_notify_memory_growth":
		return " (emscripten ALLOW_MEMORY_GROWTH: this host release predates its no-op stub, added in Envoy 1.23)"
	case strings.HasPrefix(name, "emscripten_") || strings.HasPrefix(name, "__syscall") || strings.HasPrefix(name, "___") || strings.HasPrefix(name, "_emscripten"):
		return " (emscripten JavaScript glue: build with -s STANDALONE_WASM)"
	case strings.HasPrefix(name, "proxy_"):
		return " (no Proxy-Wasm ABI version defines it)"
	}
	return ""
}

// HostFunctionSignature reports host imports whose type differs from the
// host's.
var HostFunctionSignature = &analyzer.Rule{
	ID: "PW202", Name: "host-function-signature-mismatch", Severity: analyzer.Error,
	Title: "a host function is imported with the wrong signature",
	What:  "An import names a real host function (an `env` function of the ABI or a WASI preview 1 function the host provides) but declares a Wasm type different from the one the host registers, e.g. `proxy_grpc_call` with the 10 parameters of early 2020 instead of 12, an `i64` where the host passes `i32`, or `fd_seek` with the 32-bit offset of a hand-written declaration.",
	Why:   "Linking checks value types exactly; a mismatch fails instantiation.",
	Fix:   "Rebuild with an SDK release that matches the host release; do not declare host functions by hand.",
	Host:  "proxy-wasm-cpp-host on V8: `Failed to load Wasm module due to an import type mismatch: env.<name>, want: <types>, but host exports: <types>`; WAMR/Wasmtime: `... import type mismatch for function env.<name>, ...`.",
	Tags:  []string{"imports", "availability"},
	Run: func(p *analyzer.Pass) {
		funcImports(p, "", func(im *wasm.Import, ft *wasm.FuncType) {
			want := hostSig(p, im)
			if want == nil || ft == nil || want.Sig.Equal(*ft) {
				return
			}
			got := abiversions.Sig{Params: ft.Params, Results: ft.Results}
			p.Reportf(analyzer.Error, im.Span, importSubject(im), "import %s.%s has type %s, but the host function is %s%s",
				im.Module, im.Name, got, want.Sig, hostSays(p, p.Host.Msg.ImportMismatch, importRef(p, im), got, want.Sig))
		})
	},
}

// hostSig is the function the host links an import to, with its type: an
// env function of the module's ABI version or of the host's extras, or a
// WASI function the host provides; nil when the host provides none (other
// rules report that).
func hostSig(p *analyzer.Pass, im *wasm.Import) *abiversions.Func {
	switch {
	case im.Module == "env" && p.ABI != nil:
		if f := p.ABI.HostFunc(im.Name); f != nil {
			return f
		}
		return p.Host.EnvExtra(im.Name)
	case im.Module == "env":
		return p.Host.EnvExtra(im.Name)
	case isWASI(im.Module) && p.Host.ProvidesWASIModule(im.Module) && p.Host.ProvidesWASI(im.Name):
		if s, ok := abiversions.WASISig(im.Name); ok {
			return &abiversions.Func{Name: im.Name, Sig: s}
		}
	}
	return nil
}

// HostFunctionUnsupported reports host functions of the ABI that this host
// release lacks or has not implemented.
var HostFunctionUnsupported = &analyzer.Rule{
	ID: "PW203", Name: "host-function-unsupported-by-host", Severity: analyzer.Error,
	Title: "a host function of the ABI is not provided by this host",
	What:  "The module imports a host function that its ABI version defines but the selected host does not provide: APISIX lacks `proxy_get_log_level`, `proxy_get_header_map_size` and `proxy_get_buffer_status`; MOSN's go-host links different names; Kong links every name but traps in those it has not implemented (gRPC calls, `proxy_get_log_level`, `proxy_done` ...).",
	Why:   "A function the host does not register fails linking, so the filter never starts (error). A function registered as not-yet-implemented links, and traps only when the filter calls it (warning).",
	Fix:   "Avoid the call on that host (feature-detect in configuration), or deploy to a host that implements it.",
	Host:  "Kong: `host trap (function not yet implemented): <name>` when called; APISIX/Wasmtime: ``unknown import: `env::<name>` has not been defined``; MOSN: link failure.",
	Tags:  []string{"imports"},
	Run: func(p *analyzer.Pass) {
		if p.ABI == nil || (p.Marker == nil && !p.Host.AssumeLatestABI) {
			return
		}
		funcImports(p, "env", func(im *wasm.Import, _ *wasm.FuncType) {
			if p.ABI.HostFunc(im.Name) == nil || p.Host.EnvExtra(im.Name) != nil {
				return
			}
			switch {
			case !p.Host.LinksProxyFunc(p.ABI, im.Name):
				p.Reportf(analyzer.Error, im.Span, importSubject(im), "import env.%s is part of ABI %s but %s does not provide it%s",
					im.Name, p.ABI.Name, p.Host.Name(), hostSays(p, p.Host.Msg.MissingImport, importRef(p, im)))
			case p.Host.IsNotImplemented(im.Name):
				p.Reportf(analyzer.Warning, im.Span, importSubject(im), "import env.%s links on %s but is not implemented: the first call traps%s",
					im.Name, p.Host.Name(), hostSays(p, p.Host.Msg.NotYetImpl, im.Name))
			}
		})
	},
}

// ImportModuleUnknown reports imports from modules no host provides.
var ImportModuleUnknown = &analyzer.Rule{
	ID: "PW204", Name: "import-module-unknown", Severity: analyzer.Error,
	Title: "a function is imported from a module the host does not provide",
	What:  "The module imports from a namespace other than `env` and WASI: wasm-bindgen's `__wbindgen_placeholder__` (a crate built for the browser), Go's `gojs`, an http-wasm guest's `http_handler`, a vendor extension such as `istio_ext`.",
	Why:   "Proxy-Wasm hosts provide `env` and WASI only; any other module leaves the import unresolved and instantiation fails.",
	Fix:   "Remove the dependency that pulls the import: for Rust, crates using wasm-bindgen (`getrandom` with `js`, `reqwest`, `jsonwebtoken` with `wasm-bindgen` features) must be configured for WASI or replaced; for Go, build for `GOOS=wasip1`; http-wasm guests need an http-wasm host, not a Proxy-Wasm one.",
	Host:  "proxy-wasm-cpp-host: `Failed to load Wasm module due to a missing import: <module>.<name>`; Kong on V8: `cannot resolve unknown module \"<module>\"`.",
	Tags:  []string{"imports", "availability"},
	Run: func(p *analyzer.Pass) {
		for i := range p.Module.Imports {
			im := &p.Module.Imports[i]
			if im.Module == "env" || isWASI(im.Module) {
				continue
			}
			p.Reportf(analyzer.Error, im.Span, importSubject(im), "import %s.%s comes from module %q, which Proxy-Wasm hosts do not provide%s%s",
				im.Module, im.Name, im.Module, moduleHint(im.Module), hostSays(p, p.Host.Msg.MissingImport, importRef(p, im)))
		}
	},
}

func moduleHint(mod string) string {
	switch {
	case strings.HasPrefix(mod, "__wbindgen"):
		return " (wasm-bindgen glue: a crate built for the browser; configure it for WASI or drop it)"
	case mod == "gojs" || mod == "go":
		return " (Go's js/wasm runtime: build with GOOS=wasip1)"
	case mod == "http_handler":
		return " (an http-wasm guest: a different ABI, not a Proxy-Wasm filter)"
	case mod == "wasi_experimental_http":
		return " (Fermyon's experimental HTTP: use proxy_http_call)"
	}
	return ""
}

// NonFunctionImport reports memory, table, global and tag imports the host
// does not satisfy.
var NonFunctionImport = &analyzer.Rule{
	ID: "PW205", Name: "non-function-import", Severity: analyzer.Error,
	Title: "a memory, table, global or tag is imported that the host does not provide",
	What:  "The module imports something other than a function: a global (emscripten's `__memory_base`, `__stack_pointer` of a PIC build), a table, a memory, an exception tag.",
	Why:   "proxy-wasm-cpp-host creates an imported memory or table from the declared limits, but resolves no global or tag import; Kong and APISIX resolve function imports only.",
	Fix:   "Link a self-contained module: no `-fPIC`/`-shared` dynamic-linking build, `--export-memory` instead of `--import-memory` for Kong and APISIX, no imported globals.",
	Host:  "proxy-wasm-cpp-host, for a global: `Failed to load Wasm module due to a missing import: <module>.<name>`; Kong: `NYI: module import type not supported`; APISIX/Wasmtime: ``unknown import: `env::memory` has not been defined``.",
	Tags:  []string{"imports", "availability"},
	Run: func(p *analyzer.Pass) {
		for i := range p.Module.Imports {
			im := &p.Module.Imports[i]
			ok := false
			switch {
			case im.Module != "env" && !isWASI(im.Module):
				continue // PW204 reports imports from unknown modules
			}
			switch im.Kind {
			case wasm.KindFunc:
				continue
			case wasm.KindMemory:
				ok = p.Host.Imports.Memory
			case wasm.KindTable:
				ok = p.Host.Imports.Table
			case wasm.KindGlobal:
				ok = p.Host.Imports.Global
			}
			if ok {
				continue
			}
			msg := p.Host.Msg.NonFuncImport
			if msg == "" {
				msg = p.Host.Msg.MissingImport
			}
			p.Reportf(analyzer.Error, im.Span, importSubject(im), "import %s.%s is a %s, which %s does not provide%s",
				im.Module, im.Name, wasm.KindName(im.Kind), p.Host.Name(), hostSays(p, msg, importRef(p, im)))
		}
	},
}
