package smoke

import (
	"context"
	"encoding/binary"
	"strings"
	"time"
)

// Properties, shared data and queues, metrics, timers, outbound calls and
// foreign functions.

// defaultProperties is the documented property set of the emulated host
// (README "Smoke run"): Envoy's names, string values as raw bytes and
// integers as 8-byte little-endian words, as Envoy serialises them. A
// fixture's properties add to or replace them.
func defaultProperties(o Options) map[string][]byte {
	p := map[string][]byte{
		"plugin_root_id":      []byte(o.RootID),
		"plugin_name":         []byte(o.RootID),
		"plugin_vm_id":        nil,
		"node.id":             []byte("wasmlint-smoke"),
		"node.cluster":        []byte("wasmlint"),
		"cluster_name":        []byte("backend"),
		"route_name":          []byte("default"),
		"listener_direction":  le64(1), // inbound
		"source.address":      []byte("10.0.0.1:51234"),
		"source.port":         le64(51234),
		"destination.address": []byte("10.0.0.2:8080"),
		"destination.port":    le64(8080),
		"connection.mtls":     {0},
		"connection.id":       le64(1),
	}
	if o.Fixture != nil {
		for k, v := range o.Fixture.Properties {
			p[k] = []byte(v)
		}
	}
	return p
}

func le64(v uint64) []byte { return binary.LittleEndian.AppendUint64(nil, v) }

// streamProperties are the request.* and response.* properties of the
// current stream, computed from its header maps.
func (h *host) streamProperty(path string) ([]byte, bool) {
	c := h.ctxOf()
	hdr := func(t int, k string) ([]byte, bool) {
		if c.maps[t] == nil {
			return nil, false
		}
		for _, p := range *c.maps[t] {
			if p[0] == k {
				return []byte(p[1]), true
			}
		}
		return nil, false
	}
	switch path {
	case "request.path":
		return hdr(mapRequestHeaders, ":path")
	case "request.url_path":
		v, ok := hdr(mapRequestHeaders, ":path")
		before, _, _ := strings.Cut(string(v), "?")
		return []byte(before), ok
	case "request.host":
		return hdr(mapRequestHeaders, ":authority")
	case "request.method":
		return hdr(mapRequestHeaders, ":method")
	case "request.scheme":
		return hdr(mapRequestHeaders, ":scheme")
	case "request.id":
		return hdr(mapRequestHeaders, "x-request-id")
	case "request.useragent":
		return hdr(mapRequestHeaders, "user-agent")
	case "request.protocol":
		return []byte("HTTP/1.1"), c.maps[mapRequestHeaders] != nil
	case "response.code":
		v, ok := hdr(mapResponseHeaders, ":status")
		n := uint64(0)
		for _, d := range v {
			n = n*10 + uint64(d-'0')
		}
		return le64(n), ok
	}
	return nil, false
}

func hostGetProperty(h *host, ctx context.Context, a []uint64) uint32 {
	raw, ok := h.read(u32(a[0]), u32(a[1]))
	if !ok {
		return stInvalidMemoryAccess
	}
	// Envoy paths are segments separated by NUL ("request\x00path").
	path := strings.TrimRight(strings.ReplaceAll(string(raw), "\x00", "."), ".")
	v, found := h.streamProperty(path)
	if !found {
		v, found = h.props[path]
	}
	if !found {
		return stNotFound
	}
	if !h.copyOut(ctx, v, u32(a[2]), u32(a[3])) {
		return stInvalidMemoryAccess
	}
	return stOK
}

func hostSetProperty(h *host, _ context.Context, a []uint64) uint32 {
	k, ok1 := h.read(u32(a[0]), u32(a[1]))
	v, ok2 := h.read(u32(a[2]), u32(a[3]))
	if !ok1 || !ok2 {
		return stInvalidMemoryAccess
	}
	path := strings.TrimRight(strings.ReplaceAll(string(k), "\x00", "."), ".")
	h.props[path] = append([]byte{}, v...)
	return stOK
}

type sharedValue struct {
	data []byte
	cas  uint32
}

func hostGetSharedData(h *host, ctx context.Context, a []uint64) uint32 {
	k, ok := h.readString(u32(a[0]), u32(a[1]))
	if !ok {
		return stInvalidMemoryAccess
	}
	v, found := h.shared[k]
	if !found {
		return stNotFound
	}
	if !h.copyOut(ctx, v.data, u32(a[2]), u32(a[3])) || !h.setWord(u32(a[4]), v.cas) {
		return stInvalidMemoryAccess
	}
	return stOK
}

// hostSetSharedData stores a value; a non-zero cas must match the stored
// one (CasMismatch otherwise), and every store changes the cas.
func hostSetSharedData(h *host, _ context.Context, a []uint64) uint32 {
	k, ok1 := h.readString(u32(a[0]), u32(a[1]))
	v, ok2 := h.read(u32(a[2]), u32(a[3]))
	if !ok1 || !ok2 {
		return stInvalidMemoryAccess
	}
	cas := u32(a[4])
	cur, found := h.shared[k]
	if cas != 0 && (!found || cur.cas != cas) {
		return stCasMismatch
	}
	next := uint32(1)
	if found {
		next = cur.cas + 1
	}
	h.shared[k] = &sharedValue{data: append([]byte{}, v...), cas: next}
	return stOK
}

type queue struct {
	items [][]byte
	owner uint32 // the root context told by proxy_on_queue_ready
}

func hostRegisterSharedQueue(h *host, _ context.Context, a []uint64) uint32 {
	name, ok := h.readString(u32(a[0]), u32(a[1]))
	if !ok {
		return stInvalidMemoryAccess
	}
	id, found := h.queueIDs[name]
	if !found {
		id = uint32(len(h.queueIDs) + 1)
		h.queueIDs[name] = id
		h.queues[id] = &queue{}
	}
	h.queues[id].owner = h.ctxOf().id
	if !h.setWord(u32(a[2]), id) {
		return stInvalidMemoryAccess
	}
	return stOK
}

func hostResolveSharedQueue(h *host, _ context.Context, a []uint64) uint32 {
	_, ok1 := h.read(u32(a[0]), u32(a[1]))
	name, ok2 := h.readString(u32(a[2]), u32(a[3]))
	if !ok1 || !ok2 {
		return stInvalidMemoryAccess
	}
	id, found := h.queueIDs[name]
	if !found {
		return stNotFound
	}
	if !h.setWord(u32(a[4]), id) {
		return stInvalidMemoryAccess
	}
	return stOK
}

func hostEnqueueSharedQueue(h *host, _ context.Context, a []uint64) uint32 {
	q, found := h.queues[u32(a[0])]
	if !found {
		return stNotFound
	}
	v, ok := h.read(u32(a[1]), u32(a[2]))
	if !ok {
		return stInvalidMemoryAccess
	}
	q.items = append(q.items, append([]byte{}, v...))
	id := u32(a[0])
	h.pending = append(h.pending, func(ctx context.Context) {
		h.call(ctx, "proxy_on_queue_ready", q.owner, 0, uint64(q.owner), uint64(id))
	})
	return stOK
}

func hostDequeueSharedQueue(h *host, ctx context.Context, a []uint64) uint32 {
	q, found := h.queues[u32(a[0])]
	if !found {
		return stNotFound
	}
	if len(q.items) == 0 {
		return stEmpty
	}
	v := q.items[0]
	q.items = q.items[1:]
	if !h.copyOut(ctx, v, u32(a[1]), u32(a[2])) {
		return stInvalidMemoryAccess
	}
	return stOK
}

type metric struct {
	kind  uint32 // counter, gauge, histogram
	name  string
	value uint64
}

func hostDefineMetric(h *host, _ context.Context, a []uint64) uint32 {
	kind := u32(a[0])
	if kind > 2 {
		return stBadArgument
	}
	name, ok := h.readString(u32(a[1]), u32(a[2]))
	if !ok {
		return stInvalidMemoryAccess
	}
	h.metrics = append(h.metrics, metric{kind: kind, name: name})
	if !h.setWord(u32(a[3]), uint32(len(h.metrics))) {
		return stInvalidMemoryAccess
	}
	return stOK
}

func (h *host) metric(id uint32) *metric {
	if id == 0 || int(id) > len(h.metrics) {
		return nil
	}
	return &h.metrics[id-1]
}

func hostIncrementMetric(h *host, _ context.Context, a []uint64) uint32 {
	m := h.metric(u32(a[0]))
	if m == nil {
		return stNotFound
	}
	if m.kind == 2 {
		return stBadArgument // a histogram is recorded, not incremented
	}
	m.value += a[1]
	return stOK
}

func hostRecordMetric(h *host, _ context.Context, a []uint64) uint32 {
	m := h.metric(u32(a[0]))
	if m == nil {
		return stNotFound
	}
	m.value = a[1]
	return stOK
}

func hostGetMetric(h *host, _ context.Context, a []uint64) uint32 {
	m := h.metric(u32(a[0]))
	if m == nil {
		return stNotFound
	}
	if m.kind == 2 {
		return stBadArgument
	}
	if !h.setU64(u32(a[1]), m.value) {
		return stInvalidMemoryAccess
	}
	return stOK
}

func hostSetTickPeriod(h *host, _ context.Context, a []uint64) uint32 {
	h.tick = u32(a[0])
	return stOK
}

func hostGetCurrentTime(h *host, _ context.Context, a []uint64) uint32 {
	if !h.setU64(u32(a[0]), uint64(time.Now().UnixNano())) {
		return stInvalidMemoryAccess
	}
	return stOK
}

func hostGetStatus(h *host, ctx context.Context, a []uint64) uint32 {
	if !h.setWord(u32(a[0]), 0) || !h.copyOut(ctx, nil, u32(a[1]), u32(a[2])) {
		return stInvalidMemoryAccess
	}
	return stOK
}

func hostSetEffectiveContext(h *host, _ context.Context, a []uint64) uint32 {
	id := u32(a[0])
	if _, ok := h.contexts[id]; !ok {
		return stBadArgument
	}
	h.effective = id
	return stOK
}

// hostHTTPCall records the call; an upstream the fixture scripts answers
// after the calling callback returns, any other is BadArgument (Envoy's
// answer for an unknown cluster).
func hostHTTPCall(h *host, _ context.Context, a []uint64) uint32 {
	up, ok1 := h.readString(u32(a[0]), u32(a[1]))
	_, ok2 := h.read(u32(a[2]), u32(a[3]))
	_, ok3 := h.read(u32(a[4]), u32(a[5]))
	_, ok4 := h.read(u32(a[6]), u32(a[7]))
	if !ok1 || !ok2 || !ok3 || !ok4 || !h.setWord(u32(a[9]), 0) {
		return stInvalidMemoryAccess
	}
	resp, known := h.opts.Fixture.HTTPCalls[up]
	if !known {
		h.rep.OutCalls = append(h.rep.OutCalls, OutCall{Kind: "http", Upstream: up, Result: "BadArgument", Phase: h.phase})
		return stBadArgument
	}
	tok := h.nextToken
	h.nextToken++
	h.setWord(u32(a[9]), tok)
	h.rep.OutCalls = append(h.rep.OutCalls, OutCall{Kind: "http", Upstream: up, Token: tok, Result: "Ok", Phase: h.phase})
	root := h.rootID
	h.pending = append(h.pending, func(ctx context.Context) {
		c := h.contexts[root]
		hd, tr := append([]Pair{}, resp.Headers...), append([]Pair{}, resp.Trailers...)
		c.maps[mapHTTPCallHeaders], c.maps[mapHTTPCallTrailers] = &hd, &tr
		c.buffers[bufHTTPCallBody] = &buffer{data: []byte(resp.Body), readOnly: true}
		h.call(ctx, "proxy_on_http_call_response", root, 0, uint64(root), uint64(tok),
			uint64(len(hd)), uint64(len(resp.Body)), uint64(len(tr)))
		c.maps[mapHTTPCallHeaders], c.maps[mapHTTPCallTrailers] = nil, nil
		delete(c.buffers, bufHTTPCallBody)
	})
	return stOK
}

// hostGRPCCall records a gRPC call or stream; the emulated host has no
// gRPC services, so every call gets BadArgument like an unknown cluster.
func hostGRPCCall(kind string, strs int) hostFunc {
	return func(h *host, _ context.Context, a []uint64) uint32 {
		up, ok := h.readString(u32(a[0]), u32(a[1]))
		for i := 1; i < strs && ok; i++ {
			_, ok = h.read(u32(a[2*i]), u32(a[2*i+1]))
		}
		if !ok {
			return stInvalidMemoryAccess
		}
		h.rep.OutCalls = append(h.rep.OutCalls, OutCall{Kind: kind, Upstream: up, Result: "BadArgument", Phase: h.phase})
		return stBadArgument
	}
}

// hostGRPCToken handles grpc_send, grpc_cancel and grpc_close: no call
// was ever started, so every token is unknown.
func hostGRPCToken(*host, context.Context, []uint64) uint32 { return stNotFound }

func hostCallForeignFunction(h *host, ctx context.Context, a []uint64) uint32 {
	name, ok1 := h.readString(u32(a[0]), u32(a[1]))
	_, ok2 := h.read(u32(a[2]), u32(a[3]))
	if !ok1 || !ok2 {
		return stInvalidMemoryAccess
	}
	res, known := h.opts.Fixture.ForeignFunctions[name]
	if !known {
		return stNotFound
	}
	if !h.copyOut(ctx, []byte(res), u32(a[4]), u32(a[5])) {
		return stInvalidMemoryAccess
	}
	return stOK
}
