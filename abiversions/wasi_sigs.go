package abiversions

// wasiSigs are the signatures of wasi_snapshot_preview1, which
// proxy-wasm-cpp-host registers under wasi_unstable too (include/proxy-wasm/
// exports.h FOR_ALL_WASI_FUNCTIONS, wasmlint reference abi.md §5). A WASI
// import of another type fails to link like any host function.
var wasiSigs = parseSigs(map[string]string{
	"args_get": "i32 i32 -> i32", "args_sizes_get": "i32 i32 -> i32", "clock_res_get": "i32 i32 -> i32",
	"clock_time_get": "i32 i64 i32 -> i32", "environ_get": "i32 i32 -> i32", "environ_sizes_get": "i32 i32 -> i32",
	"fd_advise": "i32 i64 i64 i32 -> i32", "fd_allocate": "i32 i64 i64 -> i32", "fd_close": "i32 -> i32",
	"fd_datasync": "i32 -> i32", "fd_fdstat_get": "i32 i32 -> i32", "fd_fdstat_set_flags": "i32 i32 -> i32",
	"fd_fdstat_set_rights": "i32 i64 i64 -> i32", "fd_filestat_get": "i32 i32 -> i32",
	"fd_filestat_set_size": "i32 i64 -> i32", "fd_filestat_set_times": "i32 i64 i64 i32 -> i32",
	"fd_pread": "i32 i32 i32 i64 i32 -> i32", "fd_prestat_dir_name": "i32 i32 i32 -> i32",
	"fd_prestat_get": "i32 i32 -> i32", "fd_pwrite": "i32 i32 i32 i64 i32 -> i32", "fd_read": "i32 i32 i32 i32 -> i32",
	"fd_readdir": "i32 i32 i32 i64 i32 -> i32", "fd_renumber": "i32 i32 -> i32", "fd_seek": "i32 i64 i32 i32 -> i32",
	"fd_sync": "i32 -> i32", "fd_tell": "i32 i32 -> i32", "fd_write": "i32 i32 i32 i32 -> i32",
	"path_create_directory": "i32 i32 i32 -> i32", "path_filestat_get": "i32 i32 i32 i32 i32 -> i32",
	"path_filestat_set_times": "i32 i32 i32 i32 i64 i64 i32 -> i32", "path_link": "i32 i32 i32 i32 i32 i32 i32 -> i32",
	"path_open": "i32 i32 i32 i32 i32 i64 i64 i32 i32 -> i32", "path_readlink": "i32 i32 i32 i32 i32 i32 -> i32",
	"path_remove_directory": "i32 i32 i32 -> i32", "path_rename": "i32 i32 i32 i32 i32 i32 -> i32",
	"path_symlink": "i32 i32 i32 i32 i32 -> i32", "path_unlink_file": "i32 i32 i32 -> i32",
	"poll_oneoff": "i32 i32 i32 i32 -> i32", "proc_exit": "i32 ->", "proc_raise": "i32 -> i32",
	"random_get": "i32 i32 -> i32", "sched_yield": "-> i32", "sock_accept": "i32 i32 i32 -> i32",
	"sock_recv": "i32 i32 i32 i32 i32 i32 -> i32", "sock_send": "i32 i32 i32 i32 i32 -> i32",
	"sock_shutdown": "i32 i32 -> i32",
})

func parseSigs(m map[string]string) map[string]Sig {
	out := make(map[string]Sig, len(m))
	for name, s := range m {
		out[name] = ParseSig(s)
	}
	return out
}

// WASISig returns the signature of the WASI preview 1 function name.
func WASISig(name string) (Sig, bool) {
	s, ok := wasiSigs[name]
	return s, ok
}
