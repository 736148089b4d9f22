package smoke

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/tetratelabs/wazero/api"

	"github.com/wasmlint/wasmlint/abiversions"
)

// Proxy-Wasm results (proxy_status_t, cpp-host WasmResult).
const (
	stOK                   = 0
	stNotFound             = 1
	stBadArgument          = 2
	stSerializationFailure = 3
	stParseFailure         = 4
	stInvalidMemoryAccess  = 6
	stEmpty                = 7
	stCasMismatch          = 8
	stInternalFailure      = 10
	stUnimplemented        = 12
)

var statusNames = map[uint32]string{
	stOK: "Ok", stNotFound: "NotFound", stBadArgument: "BadArgument", stSerializationFailure: "SerializationFailure",
	stParseFailure: "ParseFailure", 5: "BadExpression", stInvalidMemoryAccess: "InvalidMemoryAccess", stEmpty: "Empty",
	stCasMismatch: "CasMismatch", 9: "ResultMismatch", stInternalFailure: "InternalFailure", 11: "BrokenConnection",
	stUnimplemented: "Unimplemented",
}

func statusName(s uint32) string {
	if n, ok := statusNames[s]; ok {
		return n
	}
	return fmt.Sprintf("status %d", s)
}

// Restriction modes: which host calls the host allows while it runs
// start-up code or the guest allocator (V8 "restricted callbacks").
const (
	restrictNone = iota
	restrictStart
	restrictAlloc
)

// errRestricted is the trap of a host call refused by the restriction.
var errRestricted = errors.New("restricted_callback")

// errNoContext is the trap of a host call from the module's start section:
// cpp-host has no current context while the engine instantiates the
// module, and the instantiation fails.
var errNoContext = errors.New("host call during instantiation (start section)")

// errNotImplemented is a call to a function the host links but traps in
// (Kong's stubs and not-yet-implemented host functions).
var errNotImplemented = errors.New("host trap (function not yet implemented)")

// hostTrap is a trap raised by the host itself (a refused call, a trap in
// the guest allocator the host called); it unwinds the guest's stack.
type hostTrap struct {
	fn  string
	err error
}

func (t hostTrap) Error() string { return t.fn + ": " + t.err.Error() }

// pctx is one Proxy-Wasm context: the root context or a stream.
type pctx struct {
	id, parent uint32
	// maps are the header maps available in this context, by
	// proxy_map_type_t; nil means not available now (BadArgument).
	maps [8]*[]Pair
	// buffers are the buffers available now, by proxy_buffer_type_t.
	buffers map[uint32]*buffer
	// stopped is set after a local reply: the stream's remaining request
	// callbacks are not called.
	stopped bool
}

// buffer is a host buffer the module can read and, unless readOnly, write
// with Envoy's copyFrom semantics.
type buffer struct {
	data     []byte
	readOnly bool
}

// hostIssue is a host call result worth a PW908 finding.
type hostIssue struct {
	fn, status, callback, phase string
	request                     int
}

// host is the emulated proxy: the state of one smoke run.
type host struct {
	opts Options
	prof *abiversions.Profile
	abi  *abiversions.Version
	rep  *Report

	inst        api.Module
	mem         api.Memory
	alloc       api.Function
	exportOrder []string
	// dead is set once a callback trapped or timed out: cpp-host then marks
	// the VM failed and calls nothing more.
	dead     bool
	traps    []trapRec
	lastHost string

	phase     string
	callback  string
	restrict  int
	current   uint32
	effective uint32
	contexts  map[uint32]*pctx
	rootID    uint32
	nextID    uint32
	request   int
	reqStats  *Request

	props     map[string][]byte
	shared    map[string]*sharedValue
	queues    map[uint32]*queue
	queueIDs  map[string]uint32
	metrics   []metric
	tick      uint32
	nextToken uint32
	pending   []func(context.Context)
	issues    []hostIssue
	issueSeen map[string]bool
	partial   map[string][]byte
}

func newHost(o Options, prof *abiversions.Profile, abi *abiversions.Version, rep *Report) *host {
	h := &host{
		opts: o, prof: prof, abi: abi, rep: rep,
		contexts: map[uint32]*pctx{}, nextID: 1,
		shared: map[string]*sharedValue{}, queues: map[uint32]*queue{}, queueIDs: map[string]uint32{},
		issueSeen: map[string]bool{}, nextToken: 1,
	}
	h.props = defaultProperties(o)
	return h
}

// ctxOf returns the context host calls act on: the effective context set
// by proxy_set_effective_context, else the one the host is calling.
func (h *host) ctxOf() *pctx {
	if c, ok := h.contexts[h.effective]; ok && h.effective != 0 {
		return c
	}
	if c, ok := h.contexts[h.current]; ok {
		return c
	}
	return &pctx{} // the VM context (id 0): no maps, no buffers
}

func (h *host) newContext(parent uint32) *pctx {
	c := &pctx{id: h.nextID, parent: parent, buffers: map[uint32]*buffer{}}
	h.nextID++
	h.contexts[c.id] = c
	return c
}

// read returns guest memory [ptr, ptr+size) or false when it is out of
// bounds, as cpp-host's getMemory does; the bytes are counted as copied
// out of the VM.
func (h *host) read(ptr, size uint32) ([]byte, bool) {
	if h.mem == nil {
		return nil, size == 0
	}
	if size == 0 {
		return nil, uint64(ptr) <= uint64(h.mem.Size())
	}
	b, ok := h.mem.Read(ptr, size)
	if !ok {
		return nil, false
	}
	if h.reqStats != nil {
		h.reqStats.BytesOut += uint64(size)
	}
	return b, true
}

func (h *host) readString(ptr, size uint32) (string, bool) {
	b, ok := h.read(ptr, size)
	return string(b), ok
}

func (h *host) setWord(ptr, v uint32) bool {
	return h.mem != nil && h.mem.WriteUint32Le(ptr, v)
}

func (h *host) setU64(ptr uint32, v uint64) bool {
	return h.mem != nil && h.mem.WriteUint64Le(ptr, v)
}

// copyOut is cpp-host's copyToPointerSize: allocate len(data) bytes with
// the guest allocator (nothing for empty data), copy, and write the
// pointer and size words. False means an invalid pointer or a failed
// allocation.
func (h *host) copyOut(ctx context.Context, data []byte, ptrPtr, sizePtr uint32) bool {
	var p uint32
	if len(data) > 0 {
		var ok bool
		if p, ok = h.allocate(ctx, uint32(len(data))); !ok {
			return false
		}
		if !h.mem.Write(p, data) {
			return false
		}
		if h.reqStats != nil {
			h.reqStats.BytesIn += uint64(len(data))
		}
	}
	return h.setWord(ptrPtr, p) && h.setWord(sizePtr, uint32(len(data)))
}

// allocate calls the guest allocator with the allocation restriction in
// force. A trap in the allocator traps the calling host function.
func (h *host) allocate(ctx context.Context, n uint32) (uint32, bool) {
	if h.alloc == nil {
		return 0, false
	}
	saved := h.restrict
	if h.prof.RestrictedStart != nil {
		h.restrict = restrictAlloc
	}
	res, err := h.alloc.Call(ctx, uint64(n))
	h.restrict = saved
	if err != nil {
		panic(hostTrap{fn: h.alloc.Definition().Name(), err: err})
	}
	p := uint32(res[0])
	return p, p != 0
}

// allowed reports whether a host call is allowed under the restriction in
// force: cpp-host's start-up allowlist, or during the allocator only
// proxy_log, fd_write, clock_time_get and (from cpp-host 94091cd, E4)
// poll_oneoff (include/proxy-wasm/wasm.h allocMemory).
func (h *host) allowed(module, name string) bool {
	switch h.restrict {
	case restrictStart:
		return h.prof.AllowedDuringStart(module, name)
	case restrictAlloc:
		if module == "env" {
			return name == "proxy_log"
		}
		return name == "fd_write" || name == "clock_time_get" || (name == "poll_oneoff" && h.prof.Era == "E4")
	}
	return true
}

// log records a line the filter (or the host about it) logged.
func (h *host) log(level int, msg, source string) {
	h.rep.Logs = append(h.rep.Logs, LogLine{Level: level, Message: msg, Source: source, Phase: h.phase,
		Callback: h.callback, Request: h.request})
}

// note records a host call result for PW908, once per function, status and
// callback.
func (h *host) note(fn string, st uint32) {
	key := fn + "/" + statusName(st) + "/" + h.callback
	if h.issueSeen[key] {
		return
	}
	h.issueSeen[key] = true
	h.issues = append(h.issues, hostIssue{fn: fn, status: statusName(st), callback: h.callback, phase: h.phase, request: h.request})
}

// unexpected reports whether a result of fn is one a filter likely did
// not expect (PW908).
func unexpected(fn string, st uint32) bool {
	switch st {
	case stOK, stEmpty, stCasMismatch:
		return false
	case stNotFound:
		return fn == "proxy_get_property" || fn == "proxy_call_foreign_function" || fn == "proxy_get_buffer_bytes"
	}
	return true
}

// hostFunc is the body of one env host function: it reads its arguments
// from the stack and returns the Proxy-Wasm status.
type hostFunc func(h *host, ctx context.Context, a []uint64) uint32

// wrap turns a host function into a wazero function: it counts the call,
// enforces the restriction, records unexpected results and writes the
// result.
func (h *host) wrap(module, name string, hasResult bool, fn hostFunc) api.GoModuleFunc {
	return func(ctx context.Context, _ api.Module, stack []uint64) {
		h.rep.HostCalls[name]++
		h.lastHost = module + "." + name
		if h.inst == nil {
			panic(hostTrap{fn: name, err: errNoContext})
		}
		if !h.allowed(module, name) {
			panic(hostTrap{fn: name, err: errRestricted})
		}
		st := fn(h, ctx, stack)
		if st != stOK && strings.HasPrefix(name, "proxy_") {
			if h.rep.HostErrors == nil {
				h.rep.HostErrors = map[string]int{}
			}
			h.rep.HostErrors[name+": "+statusName(st)]++
			if unexpected(name, st) {
				h.note(name, st)
			}
		}
		if hasResult {
			stack[0] = uint64(st)
		}
	}
}

func u32(v uint64) uint32 { return uint32(v) }
