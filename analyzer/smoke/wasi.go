package smoke

import (
	"bytes"
	"context"
	"crypto/rand"
	"time"

	"github.com/wasmlint/wasmlint/abiversions"
)

// WASI errno values.
const (
	errnoSuccess = 0
	errnoBadf    = 8
	errnoFault   = 21
	errnoInval   = 28
	errnoNosys   = 52
	errnoNotsup  = 58
)

// wasiFunc returns the implementation of a WASI function the profile
// provides: the host's real behaviour for the functions cpp-host
// implements, the profile's stub behaviour (WASIStubs) for the others.
func (h *host) wasiFunc(name string) hostFunc {
	if stub, ok := h.prof.WASIStubs[name]; ok {
		return h.wasiStub(name, stub)
	}
	switch name {
	case "fd_write":
		return wasiFdWrite
	case "fd_pwrite":
		return func(h *host, ctx context.Context, a []uint64) uint32 {
			return wasiFdWrite(h, ctx, []uint64{a[0], a[1], a[2], a[4]})
		}
	case "fd_fdstat_get":
		return func(h *host, _ context.Context, a []uint64) uint32 {
			if u32(a[0]) != 1 && u32(a[0]) != 2 {
				return errnoBadf
			}
			if !h.setU64(u32(a[1]), 0) || !h.setU64(u32(a[1])+8, 64) || !h.setU64(u32(a[1])+16, 0) {
				return errnoFault
			}
			return errnoSuccess
		}
	case "args_get", "environ_get":
		return func(*host, context.Context, []uint64) uint32 { return errnoSuccess }
	case "args_sizes_get", "environ_sizes_get":
		return func(h *host, _ context.Context, a []uint64) uint32 {
			if !h.setWord(u32(a[0]), 0) || !h.setWord(u32(a[1]), 0) {
				return errnoFault
			}
			return errnoSuccess
		}
	case "clock_time_get":
		return func(h *host, _ context.Context, a []uint64) uint32 {
			if u32(a[0]) > 1 { // realtime and monotonic
				return errnoNotsup
			}
			if !h.setU64(u32(a[2]), uint64(time.Now().UnixNano())) {
				return errnoFault
			}
			return errnoSuccess
		}
	case "clock_res_get":
		return func(h *host, _ context.Context, a []uint64) uint32 {
			if !h.setU64(u32(a[1]), 1) {
				return errnoFault
			}
			return errnoSuccess
		}
	case "random_get":
		return func(h *host, _ context.Context, a []uint64) uint32 {
			n := u32(a[1])
			if n > 64<<10 {
				return errnoInval
			}
			buf := make([]byte, n)
			_, _ = rand.Read(buf)
			if h.mem == nil || !h.mem.Write(u32(a[0]), buf) {
				return errnoFault
			}
			return errnoSuccess
		}
	case "sched_yield":
		return func(*host, context.Context, []uint64) uint32 { return errnoSuccess }
	case "poll_oneoff":
		// cpp-host E4: no events, success.
		return func(h *host, _ context.Context, a []uint64) uint32 {
			if !h.setWord(u32(a[3]), 0) {
				return errnoFault
			}
			return errnoSuccess
		}
	case "proc_exit":
		return func(h *host, _ context.Context, _ []uint64) uint32 {
			h.log(4, "wasi_unstable proc_exit", "host")
			return errnoSuccess
		}
	}
	return func(h *host, _ context.Context, _ []uint64) uint32 {
		h.log(4, "wasmlint: WASI "+name+" is not emulated; returns ENOSYS", "host")
		return errnoNosys
	}
}

// wasiStub emulates a host's stub (abiversions.Stub): a trap, a logged
// call that returns 0, an errno, or an errno on stdout and stderr only.
func (h *host) wasiStub(name string, stub abiversions.Stub) hostFunc {
	switch {
	case stub.Trap:
		return func(h *host, _ context.Context, _ []uint64) uint32 {
			panic(hostTrap{fn: name, err: errNotImplemented})
		}
	case stub.Log != "":
		return func(h *host, _ context.Context, _ []uint64) uint32 {
			h.log(4, stub.Log, "host")
			return errnoSuccess
		}
	case name == "fd_tell" && stub.StdOnly:
		return func(h *host, _ context.Context, a []uint64) uint32 {
			if u32(a[0]) != 1 && u32(a[0]) != 2 {
				return errnoBadf
			}
			if !h.setU64(u32(a[1]), 0) {
				return errnoFault
			}
			return errnoSuccess
		}
	case stub.StdOnly:
		return func(_ *host, _ context.Context, a []uint64) uint32 {
			if fd := u32(a[0]); fd == 1 || fd == 2 {
				return stub.Errno
			}
			return errnoBadf
		}
	}
	return func(*host, context.Context, []uint64) uint32 { return stub.Errno }
}

// wasiFdWrite is cpp-host's writevImpl: fd 1 is logged at info, fd 2 at
// error (one trailing newline removed), any other fd is EBADF.
func wasiFdWrite(h *host, _ context.Context, a []uint64) uint32 {
	fd, iovs, n := u32(a[0]), u32(a[1]), u32(a[2])
	level, source := 2, "stdout"
	switch fd {
	case 1:
	case 2:
		level, source = 4, "stderr"
	default:
		return errnoBadf
	}
	var s []byte
	for i := uint32(0); i < n; i++ {
		iov, ok := h.read(iovs+8*i, 8)
		if !ok {
			return errnoFault
		}
		p := uint32(iov[0]) | uint32(iov[1])<<8 | uint32(iov[2])<<16 | uint32(iov[3])<<24
		l := uint32(iov[4]) | uint32(iov[5])<<8 | uint32(iov[6])<<16 | uint32(iov[7])<<24
		if l == 0 {
			continue
		}
		b, ok := h.read(p, l)
		if !ok {
			return errnoFault
		}
		s = append(s, b...)
	}
	written := uint32(len(s))
	h.writeLines(level, source, s)
	if !h.setWord(u32(a[3]), written) {
		return errnoFault
	}
	return errnoSuccess
}

// writeLines logs what the module wrote to stdout or stderr line by line:
// cpp-host logs each write (one trailing newline removed); runtimes that
// write a line in pieces (Go's panic output) would give fragments, so a
// piece without a newline waits for the rest of its line, or for the end
// of the callback (flushWrites).
func (h *host) writeLines(level int, source string, b []byte) {
	if h.partial == nil {
		h.partial = map[string][]byte{}
	}
	buf := append(h.partial[source], b...)
	for {
		i := bytes.IndexByte(buf, '\n')
		if i < 0 {
			break
		}
		h.log(level, string(buf[:i]), source)
		buf = buf[i+1:]
	}
	h.partial[source] = append([]byte{}, buf...)
}

// flushWrites logs the unfinished lines of stdout and stderr.
func (h *host) flushWrites() {
	for _, src := range []string{"stdout", "stderr"} {
		if b := h.partial[src]; len(b) > 0 {
			level := 2
			if src == "stderr" {
				level = 4
			}
			h.log(level, string(b), src)
			h.partial[src] = nil
		}
	}
}
