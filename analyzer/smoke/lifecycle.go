package smoke

import (
	"context"
	"strconv"
	"time"

	"github.com/tetratelabs/wazero/api"

	"github.com/wasmlint/wasmlint/abiversions"
)

// trapRec is a callback that trapped or timed out.
type trapRec struct {
	callback string
	request  int
	phase    string
	trap     trap
	lastHost string
}

// callOut is what one callback did.
type callOut struct {
	present bool // the module exports it (cpp-host skips missing callbacks)
	result  uint64
	trapped bool
}

// call runs an exported callback as the host does: with the given context
// current, under the per-callback deadline, then delivers what the call
// caused (queue and call responses). A missing export does nothing.
func (h *host) call(ctx context.Context, name string, ctxID uint32, request int, args ...uint64) callOut {
	if h.dead {
		return callOut{}
	}
	fn := h.inst.ExportedFunction(name)
	if fn == nil {
		return callOut{}
	}
	savedCur, savedEff, savedCb := h.current, h.effective, h.callback
	h.current, h.effective, h.callback = ctxID, 0, name
	h.lastHost = ""
	cctx, cancel := context.WithTimeout(ctx, h.opts.Timeout)
	start := time.Now()
	res, err := fn.Call(cctx, args...)
	cancel()
	h.flushWrites()
	h.current, h.effective, h.callback = savedCur, savedEff, savedCb
	rec := Call{Callback: name, Context: ctxID, Request: request, Millis: ms(time.Since(start))}
	if err != nil {
		t := classify(err)
		rec.Error = t.reason
		h.rep.Calls = append(h.rep.Calls, rec)
		h.traps = append(h.traps, trapRec{callback: name, request: request, phase: h.phase, trap: t, lastHost: h.lastHost})
		// cpp-host marks the VM failed after a trap and calls nothing more;
		// after a deadline wazero has closed the module.
		h.dead = true
		return callOut{present: true, trapped: true}
	}
	out := callOut{present: true}
	if len(res) > 0 {
		out.result = res[0]
		rec.Result = strconv.FormatUint(uint64(uint32(res[0])), 10)
	}
	h.rep.Calls = append(h.rep.Calls, rec)
	for len(h.pending) > 0 && !h.dead {
		next := h.pending[0]
		h.pending = h.pending[1:]
		next(ctx)
	}
	return out
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// startup runs the module's start-up functions by the profile's
// convention, with start-up host calls restricted where the host does so.
func (h *host) startup(ctx context.Context, exports map[string]api.FunctionDefinition) {
	has := func(n string) bool { _, ok := exports[n]; return ok }
	var seq []string
	switch h.prof.Entry {
	case abiversions.EntryReactor:
		switch {
		case has("_initialize"):
			seq = append(seq, "_initialize")
			if has("main") {
				seq = append(seq, "main")
			} else if h.prof.MainVoid && has("__main_void") {
				seq = append(seq, "__main_void")
			}
		case has("_start"):
			seq = append(seq, "_start")
		}
	case abiversions.EntryLegacy:
		if has("_start") {
			seq = append(seq, "_start")
		} else if has("__wasm_call_ctors") {
			seq = append(seq, "__wasm_call_ctors")
		}
	case abiversions.EntryFirstOf:
		for _, n := range h.exportOrder {
			if n == "_start" || n == "_initialize" {
				seq = append(seq, n)
				break
			}
		}
	case abiversions.EntryStartFirst:
		if has("_start") {
			seq = append(seq, "_start")
		} else if has("_initialize") {
			seq = append(seq, "_initialize")
		}
	case abiversions.EntryStartOnly:
		if has("_start") {
			seq = append(seq, "_start")
		}
	}
	if h.prof.RestrictedStart != nil {
		h.restrict = restrictStart
	}
	for _, n := range seq {
		h.rep.Entry = append(h.rep.Entry, n)
		var args []uint64
		if n == "main" {
			args = []uint64{0, 0}
		}
		if h.call(ctx, n, 0, 0, args...).trapped {
			break
		}
	}
	h.restrict = restrictNone
}

// httpStream drives one HTTP stream through the filter; false when a
// callback trapped or timed out.
func (h *host) httpStream(ctx context.Context, n int) bool {
	fx := h.opts.Fixture
	c := h.newContext(h.rootID)
	id := uint64(c.id)
	if h.call(ctx, "proxy_on_context_create", c.id, n, id, uint64(h.rootID)).trapped {
		return false
	}
	req := append([]Pair{}, fx.Request.Headers...)
	c.maps[mapRequestHeaders] = &req
	reqEOS := fx.Request.Body == "" && len(fx.Request.Trailers) == 0
	if h.call(ctx, "proxy_on_request_headers", c.id, n, h.headerArgs(id, len(req), reqEOS)...).trapped {
		return false
	}
	if !c.stopped && fx.Request.Body != "" {
		if !h.bodies(ctx, c, n, "proxy_on_request_body", bufRequestBody, fx.Request) {
			return false
		}
	}
	if !c.stopped && len(fx.Request.Trailers) > 0 {
		tr := append([]Pair{}, fx.Request.Trailers...)
		c.maps[mapRequestTrailers] = &tr
		if h.call(ctx, "proxy_on_request_trailers", c.id, n, id, uint64(len(tr))).trapped {
			return false
		}
	}
	resp := fx.Response
	if c.stopped && len(h.rep.LocalReplies) > 0 {
		lr := h.rep.LocalReplies[len(h.rep.LocalReplies)-1]
		resp = Message{Headers: append([]Pair{{":status", strconv.Itoa(int(lr.Status))}}, lr.Headers...), Body: lr.Body}
	}
	rh := append([]Pair{}, resp.Headers...)
	c.maps[mapResponseHeaders] = &rh
	respEOS := resp.Body == "" && len(resp.Trailers) == 0
	if h.call(ctx, "proxy_on_response_headers", c.id, n, h.headerArgs(id, len(rh), respEOS)...).trapped {
		return false
	}
	if resp.Body != "" && !h.bodies(ctx, c, n, "proxy_on_response_body", bufResponseBody, resp) {
		return false
	}
	if len(resp.Trailers) > 0 {
		tr := append([]Pair{}, resp.Trailers...)
		c.maps[mapResponseTrailers] = &tr
		if h.call(ctx, "proxy_on_response_trailers", c.id, n, id, uint64(len(tr))).trapped {
			return false
		}
	}
	return h.endStream(ctx, c, n)
}

// headerArgs are the header callbacks' arguments: 0.1.0 has no
// end_of_stream.
func (h *host) headerArgs(id uint64, n int, eos bool) []uint64 {
	if h.abi.Name == "0.1.0" {
		return []uint64{id, uint64(n)}
	}
	return []uint64{id, uint64(n), b2u(eos)}
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// bodies delivers a body in chunks. As in Envoy, the buffer a body
// callback sees is the chunk, or everything buffered so far when the
// previous call returned StopIterationAndBuffer (1).
func (h *host) bodies(ctx context.Context, c *pctx, n int, cb string, buf uint32, msg Message) bool {
	parts := chunks(msg.Body, msg.Chunks)
	var buffered []byte
	for i, part := range parts {
		eos := i == len(parts)-1 && len(msg.Trailers) == 0
		data := append(append([]byte{}, buffered...), part...)
		c.buffers[buf] = &buffer{data: data}
		out := h.call(ctx, cb, c.id, n, uint64(c.id), uint64(len(data)), b2u(eos))
		if out.trapped {
			return false
		}
		if uint32(out.result) == 1 {
			buffered = c.buffers[buf].data
		} else {
			buffered = nil
		}
		if c.stopped {
			break
		}
	}
	return true
}

// endStream ends a stream or connection in the order the recorded host
// used: proxy_on_done, proxy_on_log, proxy_on_delete.
func (h *host) endStream(ctx context.Context, c *pctx, n int) bool {
	id := uint64(c.id)
	for _, cb := range []string{"proxy_on_done", "proxy_on_log", "proxy_on_delete"} {
		if h.call(ctx, cb, c.id, n, id).trapped {
			return false
		}
	}
	delete(h.contexts, c.id)
	return true
}

// connection drives one TCP connection through a network filter.
func (h *host) connection(ctx context.Context, n int) bool {
	fx := h.opts.Fixture
	c := h.newContext(h.rootID)
	id := uint64(c.id)
	if h.call(ctx, "proxy_on_context_create", c.id, n, id, uint64(h.rootID)).trapped {
		return false
	}
	if h.call(ctx, "proxy_on_new_connection", c.id, n, id).trapped {
		return false
	}
	c.buffers[bufDownstreamData] = &buffer{data: []byte(fx.Request.Body)}
	if h.call(ctx, "proxy_on_downstream_data", c.id, n, id, uint64(len(fx.Request.Body)), 0).trapped {
		return false
	}
	c.buffers[bufUpstreamData] = &buffer{data: []byte(fx.Response.Body)}
	if h.call(ctx, "proxy_on_upstream_data", c.id, n, id, uint64(len(fx.Response.Body)), 0).trapped {
		return false
	}
	// The client closes (peer type remote, 2); the upstream side is closed
	// by the proxy (local, 1).
	if h.call(ctx, "proxy_on_downstream_connection_close", c.id, n, id, 2).trapped {
		return false
	}
	if h.call(ctx, "proxy_on_upstream_connection_close", c.id, n, id, 1).trapped {
		return false
	}
	return h.endStream(ctx, c, n)
}
