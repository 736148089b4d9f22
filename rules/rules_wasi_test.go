package rules_test

import (
	"testing"

	wt "github.com/wasmlint/wasmlint/internal/wasmtest"
	"github.com/wasmlint/wasmlint/rules"
)

// WASI rules: PW501-PW505.

func pwWASIImport(names ...string) []byte { return wt.Filter(pwWASI(names...)) }

func TestWASIFunctionNotProvided(t *testing.T) {
	yield := pwWASIImport("sched_yield")
	pwCheck(t, rules.WASIFunctionNotProvided, []pwCase{
		{name: "sched_yield", host: "envoy@1.32", bin: yield,
			want: []pwWant{pwF(pwE, "import wasi_snapshot_preview1.sched_yield", "import wasi_snapshot_preview1.sched_yield is not provided by envoy@1.32",
				`envoy@1.32: "Failed to load Wasm module due to a missing import: wasi_snapshot_preview1.sched_yield"`)}},
		{name: "sched_yield", host: "envoy@1.33", bin: yield},
		{name: "sched_yield", bin: yield},
		{name: "sched_yield", host: "istio@1.24", bin: yield,
			want: []pwWant{pwF(pwE, "import wasi_snapshot_preview1.sched_yield", "not provided by istio@1.24")}},
		{name: "sched_yield", host: "istio@1.25", bin: yield},
		{name: "sched_yield", host: "kong@0.1.0", bin: yield},
		{name: "wasi_unstable sched_yield", host: "envoy@1.32", bin: wt.Filter(pwWASIFrom("wasi_unstable", "sched_yield")),
			want: []pwWant{pwF(pwE, "import wasi_unstable.sched_yield", "not provided by envoy@1.32")}},
		{name: "proc_raise", bin: pwWASIImport("proc_raise"),
			want: []pwWant{pwF(pwE, "import wasi_snapshot_preview1.proc_raise", "not provided by envoy@1.39")}},
		{name: "proc_raise", host: "kong", bin: pwWASIImport("proc_raise")},
		{name: "proc_raise", host: "apisix", bin: pwWASIImport("proc_raise")},
		{name: "clock and random", host: "envoy@1.16", bin: pwWASIImport("clock_time_get", "random_get", "fd_write"),
			want: []pwWant{
				pwF(pwE, "import wasi_snapshot_preview1.clock_time_get", "not provided by envoy@1.16"),
				pwF(pwE, "import wasi_snapshot_preview1.random_get", "not provided by envoy@1.16"),
			}},
		{name: "clock and random", host: "envoy@1.17", bin: pwWASIImport("clock_time_get", "random_get")},
		{name: "poll_oneoff", host: "higress", bin: pwWASIImport("poll_oneoff")},
		{name: "invented name", bin: pwWASIImport("fd_frobnicate"),
			want: []pwWant{pwF(pwE, "import wasi_snapshot_preview1.fd_frobnicate", "not provided")}},
		// Sockets and files are PW503's and PW504's; unknown modules PW505's.
		{name: "socket and file", host: "envoy@1.20", bin: pwWASIImport("sock_accept", "path_open", "fd_prestat_get")},
		{name: "wasi_unstable on Kong", host: "kong", bin: wt.Filter(pwWASIFrom("wasi_unstable", "proc_raise"))},
	})
}

func TestWASIFunctionStubbed(t *testing.T) {
	pwCheck(t, rules.WASIFunctionStubbed, []pwCase{
		{name: "fd_read", bin: pwWASIImport("fd_read"),
			want: []pwWant{pwF(pwW, "import wasi_snapshot_preview1.fd_read", "import wasi_snapshot_preview1.fd_read is a stub on envoy@1.39: it returns ENOSYS (52)")}},
		{name: "wasi_unstable fd_read", bin: wt.Filter(pwWASIFrom("wasi_unstable", "fd_read")),
			want: []pwWant{pwF(pwW, "import wasi_unstable.fd_read", "ENOSYS")}},
		{name: "fd_seek", bin: pwWASIImport("fd_seek"),
			want: []pwWant{pwF(pwN, "import wasi_snapshot_preview1.fd_seek", `it logs "wasi_unstable fd_seek" and returns 0`)}},
		{name: "proc_exit", bin: pwWASIImport("proc_exit"),
			want: []pwWant{pwF(pwN, "import wasi_snapshot_preview1.proc_exit", "returns without exiting")}},
		{name: "proc_exit", host: "kong", bin: pwWASIImport("proc_exit"),
			want: []pwWant{pwF(pwW, "import wasi_snapshot_preview1.proc_exit", "is a stub on kong@0.6.0: it traps: not yet implemented")}},
		{name: "fd_close", bin: pwWASIImport("fd_close"),
			want: []pwWant{pwF(pwN, "import wasi_snapshot_preview1.fd_close", "without closing anything")}},
		{name: "fd_close", host: "kong", bin: pwWASIImport("fd_close"),
			want: []pwWant{pwF(pwW, "import wasi_snapshot_preview1.fd_close", "EBADF")}},
		{name: "poll_oneoff", host: "envoy@1.33", bin: pwWASIImport("poll_oneoff"),
			want: []pwWant{pwF(pwW, "import wasi_snapshot_preview1.poll_oneoff", "ENOSYS (52)", "poll_oneoff failed")}},
		{name: "poll_oneoff", bin: pwWASIImport("poll_oneoff")},
		{name: "E4 stubs", bin: pwWASIImport("fd_tell", "fd_allocate", "fd_advise", "fd_renumber", "fd_pread"),
			want: []pwWant{
				pwF(pwN, "import wasi_snapshot_preview1.fd_tell", "returns offset 0"),
				pwF(pwN, "import wasi_snapshot_preview1.fd_allocate", "returns success on fd 1/2"),
				pwF(pwN, "import wasi_snapshot_preview1.fd_advise", "does nothing"),
				pwF(pwW, "import wasi_snapshot_preview1.fd_renumber", "ENOTSUP (58)"),
				pwF(pwW, "import wasi_snapshot_preview1.fd_pread", "ENOSYS (52)"),
			}},
		{name: "sched_yield", host: "kong@0.6.0", bin: pwWASIImport("sched_yield"),
			want: []pwWant{pwF(pwW, "import wasi_snapshot_preview1.sched_yield", "ENOTSUP (58)")}},
		{name: "sched_yield", host: "kong@0.5.0", bin: pwWASIImport("sched_yield")},
		{name: "fd_read", host: "apisix", bin: pwWASIImport("fd_read")},
		{name: "fd_read", host: "mosn", bin: wt.Filter(wt.ABI("0.2.0"), pwWASI("fd_read"))},
		// Not provided at all is PW501's; files and sockets are PW503/PW504's.
		{name: "poll_oneoff", host: "envoy@1.32", bin: pwWASIImport("poll_oneoff")},
		{name: "files and sockets", bin: pwWASIImport("path_open", "fd_prestat_get", "fd_filestat_get", "sock_recv")},
		{name: "working functions", bin: pwWASIImport("fd_write", "clock_time_get", "random_get", "environ_get")},
	})
}

func TestWASINetworkIO(t *testing.T) {
	pwCheck(t, rules.WASINetworkIO, []pwCase{
		{name: "sock_accept", host: "envoy@1.32", bin: pwWASIImport("sock_accept"),
			want: []pwWant{pwF(pwE, "import wasi_snapshot_preview1.sock_accept", "import wasi_snapshot_preview1.sock_accept (a socket) is not provided by envoy@1.32",
				`"Failed to load Wasm module due to a missing import: wasi_snapshot_preview1.sock_accept"`)}},
		{name: "sock_accept", bin: pwWASIImport("sock_accept"),
			want: []pwWant{pwF(pwW, "import wasi_snapshot_preview1.sock_accept", "is socket I/O, which a proxy VM cannot do (on envoy@1.39 it returns ENOTSUP (58)); use the host's HTTP or gRPC call functions")}},
		{name: "sock_accept", host: "higress", bin: pwWASIImport("sock_accept"),
			want: []pwWant{pwF(pwW, "import wasi_snapshot_preview1.sock_accept", "(on higress@2 it returns ENOTSUP (58))")}},
		{name: "sock_recv and sock_send", host: "kong", bin: pwWASIImport("sock_recv", "sock_send"),
			want: []pwWant{
				pwF(pwW, "import wasi_snapshot_preview1.sock_recv", "is socket I/O", "!(on"),
				pwF(pwW, "import wasi_snapshot_preview1.sock_send", "is socket I/O"),
			}},
		{name: "sock_shutdown", host: "envoy@1.16", bin: pwWASIImport("sock_shutdown"),
			want: []pwWant{pwF(pwE, "import wasi_snapshot_preview1.sock_shutdown", "(a socket) is not provided by envoy@1.16")}},
		{name: "wasi_unstable socket", host: "kong", bin: wt.Filter(pwWASIFrom("wasi_unstable", "sock_recv"))},
		{name: "no sockets", bin: pwWASIImport("fd_write", "path_open", "sched_yield")},
	})
}

func TestWASIFilesystemIO(t *testing.T) {
	pwCheck(t, rules.WASIFilesystemIO, []pwCase{
		{name: "path_open", host: "envoy@1.20", bin: pwWASIImport("path_open"),
			want: []pwWant{pwF(pwE, "import wasi_snapshot_preview1.path_open", "import wasi_snapshot_preview1.path_open (file system) is not provided by envoy@1.20",
				`envoy@1.20: "Failed to load Wasm module due to a missing import: wasi_snapshot_preview1.path_open"`)}},
		{name: "path_open", bin: pwWASIImport("path_open"),
			want: []pwWant{pwF(pwW, "import wasi_snapshot_preview1.path_open", "is file-system I/O, which fails in a proxy VM (no preopened directories) (on envoy@1.39 it returns NOENT (44))")}},
		{name: "fd_prestat_get", bin: pwWASIImport("fd_prestat_get"),
			want: []pwWant{pwF(pwN, "import wasi_snapshot_preview1.fd_prestat_get", "probes for preopened directories; a proxy gives none (on envoy@1.39 it returns EBADF (8)")}},
		{name: "fd_prestat_dir_name", host: "envoy@1.21", bin: pwWASIImport("fd_prestat_dir_name"),
			want: []pwWant{pwF(pwN, "import wasi_snapshot_preview1.fd_prestat_dir_name", "probes for preopened directories", "ENOSYS (52)")}},
		{name: "fd_prestat_dir_name", host: "envoy@1.20", bin: pwWASIImport("fd_prestat_dir_name"),
			want: []pwWant{pwF(pwE, "import wasi_snapshot_preview1.fd_prestat_dir_name", "(file system) is not provided by envoy@1.20")}},
		{name: "fd_readdir", host: "envoy@1.32", bin: pwWASIImport("fd_readdir"),
			want: []pwWant{pwF(pwE, "import wasi_snapshot_preview1.fd_readdir", "not provided by envoy@1.32")}},
		{name: "fd_readdir", bin: pwWASIImport("fd_readdir"),
			want: []pwWant{pwF(pwW, "import wasi_snapshot_preview1.fd_readdir", "file-system I/O")}},
		{name: "fd_filestat_get", host: "kong", bin: pwWASIImport("fd_filestat_get"),
			want: []pwWant{pwF(pwW, "import wasi_snapshot_preview1.fd_filestat_get", "file-system I/O", "!(on")}},
		{name: "path_filestat_get", host: "apisix", bin: pwWASIImport("path_filestat_get"),
			want: []pwWant{pwF(pwW, "import wasi_snapshot_preview1.path_filestat_get", "file-system I/O")}},
		{name: "path_open", host: "kong", bin: pwWASIImport("path_open"),
			want: []pwWant{pwF(pwW, "import wasi_snapshot_preview1.path_open", "(on kong@0.6.0 it returns ENOTDIR (54))")}},
		{name: "wasi_unstable path_open", host: "apisix", bin: wt.Filter(pwWASIFrom("wasi_unstable", "path_open"))},
		{name: "no files", bin: pwWASIImport("fd_write", "fd_read", "sock_recv")},
	})
}

func TestWASIModuleUnsupported(t *testing.T) {
	unstable := wt.Filter(pwWASIFrom("wasi_unstable", "fd_write"))
	pwCheck(t, rules.WASIModuleUnsupported, []pwCase{
		{name: "wasi_unstable", host: "kong", bin: unstable,
			want: []pwWant{pwF(pwE, "import wasi_unstable.fd_write", "import wasi_unstable.fd_write comes from wasi_unstable, which kong@0.6.0 does not provide (it provides wasi_snapshot_preview1)",
				`kong@0.6.0: "failed importing \"wasi_unstable.fd_write\": missing host function"`)}},
		{name: "wasi_unstable", host: "apisix", bin: unstable,
			want: []pwWant{pwF(pwE, "import wasi_unstable.fd_write", "apisix@0.7 does not provide", "`wasi_unstable::fd_write` has not been defined")}},
		{name: "wasi_unstable", bin: unstable},
		{name: "wasi_unstable", host: "envoy@1.16", bin: unstable},
		{name: "wasi_unstable", host: "mosn", bin: wt.Filter(wt.ABI("0.1.0"), pwWASIFrom("wasi_unstable", "fd_write"))},
		{name: "two imports from one module", host: "kong", bin: wt.Filter(pwWASIFrom("wasi_unstable", "fd_write", "proc_exit")),
			want: []pwWant{pwF(pwE, "import wasi_unstable.fd_write", "comes from wasi_unstable")}},
		{name: "WASI preview 2", bin: wt.Filter(wt.ImportFunc("wasi:cli/environment@0.2.0", "get-environment", "i32 ->")),
			want: []pwWant{pwF(pwE, "import wasi:cli/environment@0.2.0.get-environment",
				"comes from wasi:cli/environment@0.2.0, which envoy@1.39 does not provide (it provides wasi_unstable, wasi_snapshot_preview1)")}},
		{name: "two unsupported modules", host: "kong", bin: wt.Filter(pwWASIFrom("wasi_unstable", "fd_write"), wt.ImportFunc("wasi:io/streams@0.2.0", "drop", "i32 ->")),
			want: []pwWant{
				pwF(pwE, "import wasi_unstable.fd_write", "comes from wasi_unstable"),
				pwF(pwE, "import wasi:io/streams@0.2.0.drop", "comes from wasi:io/streams@0.2.0"),
			}},
		{name: "Fermyon experimental HTTP is not a WASI version", bin: wt.Filter(wt.ImportFunc("wasi_experimental_http", "req", "i32 i32 -> i32"))},
		{name: "non-function import", host: "kong", bin: wt.Filter(wt.AddImport(wt.Import{Module: "wasi_unstable", Name: "g", Kind: wt.KindGlobal, Global: wt.I32}))},
		{name: "preview 1", host: "kong", bin: pwWASIImport("fd_write")},
	})
}
