package rules

import (
	"strings"

	"github.com/wasmlint/wasmlint/analyzer"
	"github.com/wasmlint/wasmlint/analyzer/wasm"
)

// wasiClass sorts a WASI function into the rule that owns it.
type wasiClass int

const (
	wasiOther wasiClass = iota
	wasiSocket
	wasiFile
	wasiPreopenProbe // fd_prestat_*: libc start-up probes for preopened directories
)

func classifyWASI(name string) wasiClass {
	switch {
	case strings.HasPrefix(name, "sock_"):
		return wasiSocket
	case name == "fd_prestat_get" || name == "fd_prestat_dir_name":
		return wasiPreopenProbe
	case strings.HasPrefix(name, "path_") || name == "fd_readdir" || strings.HasPrefix(name, "fd_filestat_"):
		return wasiFile
	}
	return wasiOther
}

// wasiImports calls f for each function import from a WASI module the host
// provides whose function falls in one of the classes.
func wasiImports(p *analyzer.Pass, f func(im *wasm.Import, class wasiClass)) {
	funcImports(p, "", func(im *wasm.Import, _ *wasm.FuncType) {
		if isWASI(im.Module) && p.Host.ProvidesWASIModule(im.Module) {
			f(im, classifyWASI(im.Name))
		}
	})
}

func reportMissingWASI(p *analyzer.Pass, im *wasm.Import, what string) {
	p.Reportf(analyzer.Error, im.Span, importSubject(im), "import %s.%s%s is not provided by %s%s",
		im.Module, im.Name, what, p.Host.Name(), hostSays(p, p.Host.Msg.MissingImport, importRef(p, im)))
}

// WASIFunctionNotProvided reports WASI functions the host does not register.
var WASIFunctionNotProvided = &analyzer.Rule{
	ID: "PW501", Name: "wasi-function-not-provided", Severity: analyzer.Error,
	Title: "a WASI function is not provided by this host",
	What:  "The module imports a WASI preview1 function that the selected host release does not register. proxy-wasm-cpp-host provides a fixed list that grew by era: 10 functions in Envoy 1.16, 12 in 1.17–1.20, 15 in 1.21–1.32, 18 in 1.33–1.38, and all of preview1 but `proc_raise` from 1.39; Kong provides 15 (18 from 0.6.0) on V8.",
	Why:   "An unresolved import fails instantiation. Toolchains pull WASI calls in through their runtime: TinyGo's scheduler (`sched_yield`, `poll_oneoff`), Go 1.24+ `wasip1` (`fd_fdstat_set_flags`, `sched_yield`), `time.Sleep` (`poll_oneoff`), protobuf (`fd_filestat_get`).",
	Fix:   "Deploy to a host release that provides the function (see `wasmlint hosts`), or avoid the library call that needs it.",
	Host:  "proxy-wasm-cpp-host: `Failed to load Wasm module due to a missing import: wasi_snapshot_preview1.<name>`; Kong on V8: `NYI - unhandled WASI function \"<name>\"`; Wasmtime hosts: ``unknown import: `wasi_snapshot_preview1::<name>` has not been defined``.",
	Tags:  []string{"wasi", "availability"},
	Run: func(p *analyzer.Pass) {
		wasiImports(p, func(im *wasm.Import, class wasiClass) {
			if class == wasiOther && !p.Host.ProvidesWASI(im.Name) {
				reportMissingWASI(p, im, "")
			}
		})
	},
}

// WASIFunctionStubbed reports WASI functions the host links as stubs.
var WASIFunctionStubbed = &analyzer.Rule{
	ID: "PW502", Name: "wasi-function-stubbed", Severity: analyzer.Warning,
	Title: "a WASI function is linked but stubbed on this host",
	What:  "The module imports a WASI function that the host provides only as a stub. A stub that fails (`fd_read` ENOSYS, `poll_oneoff` ENOSYS on Envoy 1.33–1.38, Kong's `proc_exit` trap) is a warning; one that returns success without doing the work (`fd_seek`, `fd_close`, cpp-host's `proc_exit`, which logs and returns instead of exiting) is a note.",
	Why:   "The module loads, but code that relies on the call misbehaves: reads see nothing, exits do not exit, a Go runtime whose `poll_oneoff` fails aborts with `fatal error: poll_oneoff failed` after hours of traffic.",
	Fix:   "Do not rely on the call in a filter: log through `proxy_log`, get configuration through `proxy_get_buffer_bytes`, never exit; for Go wasip1 use Envoy ≥1.39, where `poll_oneoff` succeeds.",
	Host:  "proxy-wasm-cpp-host logs the stub's name at error level, e.g. `wasi_unstable fd_seek`, `wasi_unstable proc_exit`.",
	Tags:  []string{"wasi"},
	Run: func(p *analyzer.Pass) {
		wasiImports(p, func(im *wasm.Import, class wasiClass) {
			if class != wasiOther || !p.Host.ProvidesWASI(im.Name) {
				return
			}
			if stub, ok := p.Host.WASIStubs[im.Name]; ok {
				sev := analyzer.Note
				if stub.Fails() {
					sev = analyzer.Warning
				}
				p.Reportf(sev, im.Span, importSubject(im), "import %s.%s is a stub on %s: it %s", im.Module, im.Name, p.Host.Name(), stub.What)
			}
		})
	},
}

// WASINetworkIO reports WASI socket imports.
var WASINetworkIO = &analyzer.Rule{
	ID: "PW503", Name: "wasi-network-io", Severity: analyzer.Error,
	Title: "the module uses WASI sockets",
	What:  "The module imports WASI socket functions (`sock_accept`, `sock_recv`, `sock_send`, `sock_shutdown`).",
	Why:   "A Proxy-Wasm VM has no sockets: hosts either do not provide these functions (link failure) or provide stubs that fail (ENOTSUP). Network I/O goes through the host: `proxy_dispatch_http_call`/`proxy_http_call`, `proxy_grpc_call`.",
	Fix:   "Replace the socket code (often an HTTP client crate or `net/http`) with the SDK's HTTP or gRPC call API, which the proxy routes to an upstream cluster.",
	Host:  "proxy-wasm-cpp-host before Envoy 1.39: `Failed to load Wasm module due to a missing import: wasi_snapshot_preview1.sock_accept`; from 1.39 the calls return ENOTSUP (58).",
	Tags:  []string{"wasi", "network"},
	Run: func(p *analyzer.Pass) {
		wasiImports(p, func(im *wasm.Import, class wasiClass) {
			if class != wasiSocket {
				return
			}
			if !p.Host.ProvidesWASI(im.Name) {
				reportMissingWASI(p, im, " (a socket)")
				return
			}
			p.Reportf(analyzer.Warning, im.Span, importSubject(im), "import %s.%s is socket I/O, which a proxy VM cannot do%s; use the host's HTTP or gRPC call functions",
				im.Module, im.Name, stubSuffix(p, im.Name))
		})
	},
}

func stubSuffix(p *analyzer.Pass, name string) string {
	if stub, ok := p.Host.WASIStubs[name]; ok {
		return " (on " + p.Host.Name() + " it " + stub.What + ")"
	}
	return ""
}

// WASIFilesystemIO reports WASI file-system imports.
var WASIFilesystemIO = &analyzer.Rule{
	ID: "PW504", Name: "wasi-filesystem-io", Severity: analyzer.Error,
	Title: "the module uses the WASI file system",
	What:  "The module imports WASI file-system functions (`path_open`, `path_filestat_get`, `fd_readdir`, `fd_filestat_get` ...).",
	Why:   "A proxy gives a filter no preopened directories: where the functions exist they fail (`path_open` returns ENOENT, `fd_prestat_get` EBADF), and older hosts do not provide them at all (link failure). `fd_prestat_get`/`fd_prestat_dir_name` alone are the libc's start-up probe for preopens, which handles the failure.",
	Fix:   "Pass data through the plugin configuration (`proxy_on_configure`), the VM configuration, or `proxy_http_call` instead of files; embed static files at build time (`//go:embed`, `include_bytes!`).",
	Host:  "proxy-wasm-cpp-host before Envoy 1.21: `Failed to load Wasm module due to a missing import: wasi_snapshot_preview1.fd_prestat_get`; later releases link stubs that fail.",
	Tags:  []string{"wasi", "filesystem"},
	Run: func(p *analyzer.Pass) {
		wasiImports(p, func(im *wasm.Import, class wasiClass) {
			if class != wasiFile && class != wasiPreopenProbe {
				return
			}
			if !p.Host.ProvidesWASI(im.Name) {
				reportMissingWASI(p, im, " (file system)")
				return
			}
			if class == wasiPreopenProbe {
				p.Reportf(analyzer.Note, im.Span, importSubject(im), "import %s.%s probes for preopened directories; a proxy gives none%s", im.Module, im.Name, stubSuffix(p, im.Name))
				return
			}
			p.Reportf(analyzer.Warning, im.Span, importSubject(im), "import %s.%s is file-system I/O, which fails in a proxy VM (no preopened directories)%s",
				im.Module, im.Name, stubSuffix(p, im.Name))
		})
	},
}

// WASIModuleUnsupported reports WASI namespaces the host does not provide.
var WASIModuleUnsupported = &analyzer.Rule{
	ID: "PW505", Name: "wasi-module-unsupported", Severity: analyzer.Error,
	Title: "the module imports a WASI version the host does not provide",
	What:  "The module imports from a WASI namespace the host does not register: `wasi_unstable` (WASI snapshot 0) on Kong or APISIX, which provide `wasi_snapshot_preview1` only, or WASI preview 2 interfaces (`wasi:cli/...`, `wasi:io/...`), which no Proxy-Wasm host provides.",
	Why:   "Every import from an unknown module fails linking.",
	Fix:   "Build for WASI preview 1 (`wasm32-wasip1`); rebuild old `wasi_unstable` modules with a current toolchain.",
	Host:  "Kong on V8: `cannot resolve unknown module \"wasi_unstable\"`; proxy-wasm-cpp-host: `Failed to load Wasm module due to a missing import: <module>.<name>`.",
	Tags:  []string{"wasi", "availability"},
	Run: func(p *analyzer.Pass) {
		seen := map[string]bool{}
		funcImports(p, "", func(im *wasm.Import, _ *wasm.FuncType) {
			if !isWASI(im.Module) || p.Host.ProvidesWASIModule(im.Module) || seen[im.Module] {
				return
			}
			seen[im.Module] = true
			msg := p.Host.Msg.UnknownModule
			arg := im.Module
			if msg == "" {
				msg, arg = p.Host.Msg.MissingImport, importRef(p, im)
			}
			p.Reportf(analyzer.Error, im.Span, importSubject(im), "import %s.%s comes from %s, which %s does not provide (it provides %s)%s",
				im.Module, im.Name, im.Module, p.Host.Name(), strings.Join(p.Host.WASIModules, ", "), hostSays(p, msg, arg))
		})
	},
}
