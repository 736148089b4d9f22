package smoke

import (
	"context"
	"encoding/binary"
	"strings"
)

// Header maps, buffers, logging and stream control, with the semantics of
// proxy-wasm-cpp-host's src/exports.cc and Envoy's Context (getMap,
// getBuffer, Buffer::copyTo/copyFrom): keys are lowercased, a map or buffer
// that the current callback does not have is BadArgument or NotFound.

const (
	maxMapType    = 7 // WasmHeaderMapType::MAX
	maxBufferType = 8 // WasmBufferType::MAX
	maxStreamType = 3 // WasmStreamType::MAX
	maxLogLevel   = 5 // LogLevel::Max (critical)
)

// Buffer types (proxy_buffer_type_t).
const (
	bufRequestBody     = 0
	bufResponseBody    = 1
	bufDownstreamData  = 2
	bufUpstreamData    = 3
	bufHTTPCallBody    = 4
	bufGRPCMessage     = 5
	bufVMConfig        = 6
	bufPluginConfig    = 7
	bufForeignFuncArgs = 8
)

// Map types (proxy_map_type_t).
const (
	mapRequestHeaders   = 0
	mapRequestTrailers  = 1
	mapResponseHeaders  = 2
	mapResponseTrailers = 3
	mapHTTPCallHeaders  = 6
	mapHTTPCallTrailers = 7
)

func (h *host) getMap(t uint32) (*[]Pair, uint32) {
	if t > maxMapType {
		return nil, stBadArgument
	}
	m := h.ctxOf().maps[t]
	if m == nil {
		return nil, stBadArgument
	}
	return m, stOK
}

func hostLog(h *host, _ context.Context, a []uint64) uint32 {
	level := u32(a[0])
	if level > maxLogLevel {
		return stBadArgument
	}
	msg, ok := h.readString(u32(a[1]), u32(a[2]))
	if !ok {
		return stInvalidMemoryAccess
	}
	h.log(int(level), msg, "proxy_log")
	return stOK
}

func hostGetLogLevel(h *host, _ context.Context, a []uint64) uint32 {
	level := 2 // info, Envoy's default
	if h.opts.LogLevel != nil {
		level = *h.opts.LogLevel
	}
	if !h.setWord(u32(a[0]), uint32(level)) {
		return stInvalidMemoryAccess
	}
	return stOK
}

func hostGetHeaderMapValue(h *host, ctx context.Context, a []uint64) uint32 {
	m, st := h.getMap(u32(a[0]))
	if st != stOK {
		return st
	}
	key, ok := h.readString(u32(a[1]), u32(a[2]))
	if !ok {
		return stInvalidMemoryAccess
	}
	key = strings.ToLower(key)
	for _, p := range *m {
		if p[0] == key {
			if !h.copyOut(ctx, []byte(p[1]), u32(a[3]), u32(a[4])) {
				return stInvalidMemoryAccess
			}
			return stOK
		}
	}
	if h.abi != nil && h.abi.Name == "0.1.0" {
		// ABI 0.1.0: a missing header is an empty value (Envoy's Context).
		if !h.copyOut(ctx, nil, u32(a[3]), u32(a[4])) {
			return stInvalidMemoryAccess
		}
		return stOK
	}
	return stNotFound
}

func hostAddHeaderMapValue(h *host, _ context.Context, a []uint64) uint32 {
	return h.editMap(a, func(m *[]Pair, k, v string) { *m = append(*m, Pair{k, v}) })
}

func hostReplaceHeaderMapValue(h *host, _ context.Context, a []uint64) uint32 {
	return h.editMap(a, func(m *[]Pair, k, v string) {
		*m = removeKey(*m, k)
		*m = append(*m, Pair{k, v})
	})
}

func (h *host) editMap(a []uint64, edit func(m *[]Pair, k, v string)) uint32 {
	if u32(a[0]) > maxMapType {
		return stBadArgument
	}
	k, ok1 := h.readString(u32(a[1]), u32(a[2]))
	v, ok2 := h.readString(u32(a[3]), u32(a[4]))
	if !ok1 || !ok2 {
		return stInvalidMemoryAccess
	}
	m, st := h.getMap(u32(a[0]))
	if st != stOK {
		return st
	}
	edit(m, strings.ToLower(k), v)
	return stOK
}

func removeKey(ps []Pair, k string) []Pair {
	out := ps[:0]
	for _, p := range ps {
		if p[0] != k {
			out = append(out, p)
		}
	}
	return out
}

func hostRemoveHeaderMapValue(h *host, _ context.Context, a []uint64) uint32 {
	if u32(a[0]) > maxMapType {
		return stBadArgument
	}
	k, ok := h.readString(u32(a[1]), u32(a[2]))
	if !ok {
		return stInvalidMemoryAccess
	}
	m, st := h.getMap(u32(a[0]))
	if st != stOK {
		return st
	}
	*m = removeKey(*m, strings.ToLower(k))
	return stOK
}

func hostGetHeaderMapPairs(h *host, ctx context.Context, a []uint64) uint32 {
	m, st := h.getMap(u32(a[0]))
	if st != stOK {
		return st
	}
	if !h.copyOut(ctx, marshalPairs(*m), u32(a[1]), u32(a[2])) {
		return stInvalidMemoryAccess
	}
	return stOK
}

func hostSetHeaderMapPairs(h *host, _ context.Context, a []uint64) uint32 {
	if u32(a[0]) > maxMapType {
		return stBadArgument
	}
	data, ok := h.read(u32(a[1]), u32(a[2]))
	if !ok {
		return stInvalidMemoryAccess
	}
	m, st := h.getMap(u32(a[0]))
	if st != stOK {
		return st
	}
	ps := unmarshalPairs(data)
	for i := range ps {
		ps[i][0] = strings.ToLower(ps[i][0])
	}
	*m = ps
	return stOK
}

func hostGetHeaderMapSize(h *host, _ context.Context, a []uint64) uint32 {
	m, st := h.getMap(u32(a[0]))
	if st != stOK {
		return st
	}
	if !h.setWord(u32(a[1]), uint32(len(marshalPairs(*m)))) {
		return stInvalidMemoryAccess
	}
	return stOK
}

// marshalPairs serialises a map as the ABI does: the number of pairs, the
// key and value lengths, then each key and value followed by a NUL byte.
// An empty map is empty (cpp-host copies "").
func marshalPairs(ps []Pair) []byte {
	if len(ps) == 0 {
		return nil
	}
	n := 4 + 8*len(ps)
	for _, p := range ps {
		n += len(p[0]) + len(p[1]) + 2
	}
	b := make([]byte, 4, n)
	binary.LittleEndian.PutUint32(b, uint32(len(ps)))
	for _, p := range ps {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(p[0])))
		b = binary.LittleEndian.AppendUint32(b, uint32(len(p[1])))
	}
	for _, p := range ps {
		b = append(append(append(append(b, p[0]...), 0), p[1]...), 0)
	}
	return b
}

// unmarshalPairs is cpp-host's toPairs: malformed input is an empty map.
func unmarshalPairs(b []byte) []Pair {
	if len(b) < 4 {
		return nil
	}
	n := binary.LittleEndian.Uint32(b)
	if uint64(4)+uint64(n)*8 > uint64(len(b)) {
		return nil
	}
	sizes := b[4:]
	data := b[4+8*int(n):]
	out := make([]Pair, 0, n)
	for i := 0; i < int(n); i++ {
		kl, vl := int(binary.LittleEndian.Uint32(sizes[8*i:])), int(binary.LittleEndian.Uint32(sizes[8*i+4:]))
		if kl+vl+2 > len(data) {
			return nil
		}
		out = append(out, Pair{string(data[:kl]), string(data[kl+1 : kl+1+vl])})
		data = data[kl+vl+2:]
	}
	return out
}

func (h *host) getBuffer(t uint32) *buffer {
	c := h.ctxOf()
	if b, ok := c.buffers[t]; ok {
		return b
	}
	switch t {
	case bufVMConfig:
		return &buffer{data: h.opts.VMConfig, readOnly: true}
	case bufPluginConfig:
		// Envoy keeps the plugin configuration available to the root context.
		if c.parent == 0 && c.id != 0 {
			return &buffer{data: h.opts.PluginConfig, readOnly: true}
		}
	}
	return nil
}

func hostGetBufferBytes(h *host, ctx context.Context, a []uint64) uint32 {
	t, start, length := u32(a[0]), u32(a[1]), u32(a[2])
	if t > maxBufferType {
		return stBadArgument
	}
	b := h.getBuffer(t)
	if b == nil {
		return stNotFound
	}
	if uint64(start)+uint64(length) > uint64(^uint32(0)) {
		return stBadArgument
	}
	size := uint32(len(b.data))
	if start > size {
		// cpp-host computes size-start unsigned: the huge copy cannot be
		// allocated.
		return stInvalidMemoryAccess
	}
	if start+length > size {
		length = size - start
	}
	if length == 0 {
		// cpp-host returns Ok without writing the pointer and size.
		return stOK
	}
	if !h.copyOut(ctx, b.data[start:start+length], u32(a[3]), u32(a[4])) {
		return stInvalidMemoryAccess
	}
	return stOK
}

func hostGetBufferStatus(h *host, _ context.Context, a []uint64) uint32 {
	t := u32(a[0])
	if t > maxBufferType {
		return stBadArgument
	}
	b := h.getBuffer(t)
	if b == nil {
		return stNotFound
	}
	if !h.setWord(u32(a[1]), uint32(len(b.data))) || !h.setWord(u32(a[2]), 0) {
		return stInvalidMemoryAccess
	}
	return stOK
}

// hostSetBufferBytes follows Envoy's Buffer::copyFrom: start 0 replaces the
// first length bytes (prepends when length is 0), start at or past the end
// appends, anything else is BadArgument.
func hostSetBufferBytes(h *host, _ context.Context, a []uint64) uint32 {
	t, start, length := u32(a[0]), u32(a[1]), u32(a[2])
	if t > maxBufferType {
		return stBadArgument
	}
	b := h.getBuffer(t)
	if b == nil {
		return stNotFound
	}
	data, ok := h.read(u32(a[3]), u32(a[4]))
	if !ok {
		return stInvalidMemoryAccess
	}
	if b.readOnly {
		return stBadArgument
	}
	switch size := uint32(len(b.data)); {
	case start == 0:
		drop := min(length, size)
		b.data = append(append([]byte{}, data...), b.data[drop:]...)
	case start >= size:
		b.data = append(b.data, data...)
	default:
		return stBadArgument
	}
	return stOK
}

func hostGetConfiguration(h *host, ctx context.Context, a []uint64) uint32 {
	cfg := h.opts.PluginConfig
	if h.phase == PhaseStart {
		cfg = h.opts.VMConfig
	}
	if !h.copyOut(ctx, cfg, u32(a[0]), u32(a[1])) {
		return stInvalidMemoryAccess
	}
	return stOK
}

func hostSendLocalResponse(h *host, _ context.Context, a []uint64) uint32 {
	details, ok1 := h.readString(u32(a[1]), u32(a[2]))
	body, ok2 := h.readString(u32(a[3]), u32(a[4]))
	hdrs, ok3 := h.read(u32(a[5]), u32(a[6]))
	if !ok1 || !ok2 || !ok3 {
		return stInvalidMemoryAccess
	}
	c := h.ctxOf()
	c.stopped = true
	h.rep.LocalReplies = append(h.rep.LocalReplies, LocalReply{
		Request: h.request, Status: u32(a[0]), Details: details, Body: body, Headers: unmarshalPairs(hdrs),
	})
	return stOK
}

func hostStream(h *host, _ context.Context, a []uint64) uint32 {
	if u32(a[0]) > maxStreamType {
		return stBadArgument
	}
	return stOK
}

func hostOK(*host, context.Context, []uint64) uint32 { return stOK }
