package abiversions

// WASI function lists and stub behaviours of the hosts.
//
// cpp-host eras were read at proxy-wasm/proxy-wasm-cpp-host commits with
// `git show <commit>:include/proxy-wasm/exports.h` (FOR_ALL_WASI_FUNCTIONS)
// or, before 9937669, the _REGISTER_WASI lines of src/wasm.cc:
//
//	E0 928db4d (2020-07-15)                    10 functions (Envoy 1.16)
//	E1 6dab125 a59dd54 c81a554 7b64da1 0318597  12: + clock_time_get random_get (1.17-1.20)
//	E2 f383473 974a4a8 bcd1c4a 66b3b7d b0a0594
//	   5d76116 e200fee 0699c05                  15: + fd_prestat_get fd_prestat_dir_name
//	                                               path_open (1.21-1.32)
//	E3 c4d7bb0 1000bc2 c8868da beb8a4e          18: + fd_fdstat_set_flags poll_oneoff
//	                                               sched_yield (1.33-1.38)
//	E4 94091cd 09e5f8d                          45: all of preview1 but proc_raise (1.39)
//
// Every list is registered under both wasi_unstable and wasi_snapshot_preview1.
// Stub behaviours were read in src/exports.cc at 928db4d, f383473, c4d7bb0 and
// 09e5f8d (and agree with wasmlint reference hosts.md §1.3).

// concat returns a new slice holding the lists one after the other.
func concat(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// mergeStubs returns a new map holding every entry of ms; later maps win.
func mergeStubs(ms ...map[string]Stub) map[string]Stub {
	out := map[string]Stub{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// withoutKeys returns a copy of m without the given keys.
func withoutKeys(m map[string]Stub, keys ...string) map[string]Stub {
	out := mergeStubs(m)
	for _, k := range keys {
		delete(out, k)
	}
	return out
}

// WASI modules.
const (
	wasiUnstable  = "wasi_unstable"
	wasiPreview1  = "wasi_snapshot_preview1"
	envModulePref = "env."
)

var (
	wasiE0 = []string{
		"args_get", "args_sizes_get", "environ_get", "environ_sizes_get", "fd_close",
		"fd_fdstat_get", "fd_read", "fd_seek", "fd_write", "proc_exit",
	}
	wasiE1 = concat(wasiE0, []string{"clock_time_get", "random_get"})
	wasiE2 = concat(wasiE1, []string{"fd_prestat_dir_name", "fd_prestat_get", "path_open"})
	wasiE3 = concat(wasiE2, []string{"fd_fdstat_set_flags", "poll_oneoff", "sched_yield"})
	wasiE4 = concat(wasiE3, []string{
		"clock_res_get", "fd_advise", "fd_allocate", "fd_datasync", "fd_fdstat_set_rights",
		"fd_filestat_get", "fd_filestat_set_size", "fd_filestat_set_times", "fd_pread",
		"fd_pwrite", "fd_readdir", "fd_renumber", "fd_sync", "fd_tell",
		"path_create_directory", "path_filestat_get", "path_filestat_set_times", "path_link",
		"path_readlink", "path_remove_directory", "path_rename", "path_symlink",
		"path_unlink_file", "sock_accept", "sock_recv", "sock_send", "sock_shutdown",
	})
	// wasiPreview1Full is every wasi_snapshot_preview1 function (46), as the
	// engines' own WASI implementations provide it (Wasmtime, wazero, wasmer).
	wasiPreview1Full = concat(wasiE4, []string{"proc_raise"})
)

// wasiByEra maps a cpp-host era to its WASI list.
var wasiByEra = map[string][]string{"E0": wasiE0, "E1": wasiE1, "E2": wasiE2, "E3": wasiE3, "E4": wasiE4}

// Constructors of the stub tables, each with the behaviour in words.
func returns(errno uint32, what string) Stub { return Stub{What: what, Errno: errno} }
func onStd(errno uint32, what string) Stub   { return Stub{What: what, Errno: errno, StdOnly: true} }
func logged(msg, what string) Stub           { return Stub{What: what, Log: msg} }
func traps(what string) Stub                 { return Stub{What: what, Trap: true} }

// cpp-host stubs (src/exports.cc).
var (
	stubsE0 = map[string]Stub{
		"fd_read":   returns(52, "returns ENOSYS (52)"),
		"fd_seek":   logged("wasi_unstable fd_seek", `logs "wasi_unstable fd_seek" and returns 0 without writing the new offset`),
		"fd_close":  logged("wasi_unstable fd_close", `logs "wasi_unstable fd_close" and returns 0 without closing anything`),
		"proc_exit": logged("wasi_unstable proc_exit", `logs "wasi_unstable proc_exit" and returns without exiting`),
	}
	stubsE1 = stubsE0
	stubsE2 = mergeStubs(stubsE1, map[string]Stub{
		"path_open":           returns(44, "returns NOENT (44)"),
		"fd_prestat_get":      returns(8, "returns EBADF (8): there are no preopened directories"),
		"fd_prestat_dir_name": returns(52, "returns ENOSYS (52)"),
	})
	stubsE3 = mergeStubs(stubsE2, map[string]Stub{
		"fd_fdstat_set_flags": returns(52, "returns ENOSYS (52)"),
		"poll_oneoff":         returns(52, `returns ENOSYS (52); Go's wasip1 runtime aborts with "poll_oneoff failed" (golang/go#78513)`),
	})
	// E4: poll_oneoff writes nevents=0 and returns success, so it is no
	// longer listed; sched_yield, fd_pwrite (fd 1/2) and clock_res_get work.
	stubsE4 = mergeStubs(withoutKeys(stubsE3, "poll_oneoff"), map[string]Stub{
		"fd_advise":               returns(0, "does nothing and returns success"),
		"fd_allocate":             onStd(0, "returns success on fd 1/2, else EBADF (8); allocates nothing"),
		"fd_datasync":             onStd(0, "returns success on fd 1/2, else EBADF (8)"),
		"fd_fdstat_set_rights":    onStd(0, "returns success on fd 1/2, else EBADF (8); changes nothing"),
		"fd_filestat_get":         returns(8, "returns EBADF (8)"),
		"fd_filestat_set_size":    onStd(0, "returns success on fd 1/2, else EBADF (8); changes nothing"),
		"fd_filestat_set_times":   onStd(0, "returns success on fd 1/2, else EBADF (8); changes nothing"),
		"fd_pread":                returns(52, "returns ENOSYS (52)"),
		"fd_readdir":              returns(20, "writes 0 bytes read and returns 20 (commented ENOTDIR in cpp-host; 20 is EEXIST in preview1)"),
		"fd_renumber":             onStd(58, "returns ENOTSUP (58) on fd 1/2, else EBADF (8)"),
		"fd_sync":                 onStd(0, "returns success on fd 1/2, else EBADF (8)"),
		"fd_tell":                 onStd(0, "returns offset 0 on fd 1/2, else EBADF (8)"),
		"path_create_directory":   returns(58, "returns ENOTSUP (58)"),
		"path_filestat_get":       returns(58, "returns ENOTSUP (58)"),
		"path_filestat_set_times": returns(58, "returns ENOTSUP (58)"),
		"path_link":               returns(58, "returns ENOTSUP (58)"),
		"path_readlink":           returns(58, "returns ENOTSUP (58)"),
		"path_remove_directory":   returns(58, "returns ENOTSUP (58)"),
		"path_rename":             returns(58, "returns ENOTSUP (58)"),
		"path_symlink":            returns(58, "returns ENOTSUP (58)"),
		"path_unlink_file":        returns(58, "returns ENOTSUP (58)"),
		"sock_accept":             returns(58, "returns ENOTSUP (58)"),
		"sock_recv":               returns(58, "returns ENOTSUP (58)"),
		"sock_send":               returns(58, "returns ENOTSUP (58)"),
		"sock_shutdown":           returns(58, "returns ENOTSUP (58)"),
	})
)

// wasiStubsByEra maps a cpp-host era to its stubs.
var wasiStubsByEra = map[string]map[string]Stub{"E0": stubsE0, "E1": stubsE1, "E2": stubsE2, "E3": stubsE3, "E4": stubsE4}

// Allowlists of host calls during _initialize/_start/main on V8 ("restricted
// callbacks"), read in src/wasm.cc startVm at each commit (WASI names bare,
// env names with "env.").
var (
	// 66b3b7d (2022-08-05) .. 0699c05: Envoy 1.24-1.32.
	startAllow66b3b7d = []string{
		"env.proxy_log", "fd_write", "args_sizes_get", "args_get", "environ_sizes_get",
		"environ_get", "fd_prestat_get", "fd_prestat_dir_name", "clock_time_get", "random_get",
	}
	// c4d7bb0 (2024-12-19) .. 1000bc2: Envoy 1.33-1.36.
	startAllowC4d7bb0 = concat(startAllow66b3b7d, []string{"fd_fdstat_get", "fd_fdstat_set_flags"})
	// 14fa83a (2025-11-20), in c8868da and beb8a4e: Envoy 1.37-1.38.
	startAllow14fa83a = concat(startAllowC4d7bb0, []string{envModulePref + "emscripten_notify_memory_growth"})
	// 94091cd (2026-04-06), 09e5f8d: Envoy 1.39. Every E4 function but
	// fd_close fd_read fd_seek path_open proc_exit sched_yield.
	startAllow94091cd = concat(startAllow14fa83a, []string{
		"clock_res_get", "fd_advise", "fd_allocate", "fd_datasync", "fd_fdstat_set_rights",
		"fd_filestat_get", "fd_filestat_set_size", "fd_filestat_set_times", "fd_pread",
		"fd_pwrite", "fd_readdir", "fd_renumber", "fd_sync", "fd_tell",
		"path_create_directory", "path_filestat_get", "path_filestat_set_times", "path_link",
		"path_readlink", "path_remove_directory", "path_rename", "path_symlink",
		"path_unlink_file", "poll_oneoff", "sock_accept", "sock_recv", "sock_send",
		"sock_shutdown",
	})
	// higress-group/proxy-wasm-cpp-host@913c1b0 src/wasm.cc startVm: the
	// 66b3b7d list plus most file/socket stubs, poll_oneoff and clock_res_get;
	// not emscripten_notify_memory_growth, sched_yield, proc_exit, fd_read,
	// fd_seek, fd_close or path_open.
	startAllowHigress = concat(startAllow66b3b7d, []string{
		"clock_res_get", "fd_fdstat_get", "fd_fdstat_set_flags", "fd_fdstat_set_rights",
		"path_filestat_get", "fd_filestat_get", "fd_filestat_set_size", "fd_filestat_set_times",
		"fd_advise", "fd_allocate", "fd_datasync", "fd_pread", "fd_pwrite", "fd_readdir",
		"fd_renumber", "fd_sync", "fd_tell", "path_create_directory", "path_filestat_set_times",
		"path_link", "path_readlink", "path_remove_directory", "path_rename", "path_symlink",
		"path_unlink_file", "poll_oneoff", "sock_accept", "sock_recv", "sock_send",
		"sock_shutdown",
	})
)
