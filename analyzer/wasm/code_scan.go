package wasm

// The instruction decoder of the code scan: control structure, calls, the
// must-call analysis and the one-byte-opcode fast path.

import (
	"math"
	"math/bits"
)

// Frame kinds of the control stack.
const (
	frameFunc byte = iota
	frameBlock
	frameLoop
	frameIf
	frameTry // legacy exception handling
	frameTryTable
)

// frame is one open construct. dead says the rest of the current
// instruction sequence is unreachable; fall that an earlier arm (if/else,
// try/catch) can fall through to the end; targeted that a branch goes to
// its label; clean (for the frame at depth 1) that nothing so far can
// skip the rest of it.
type frame struct {
	kind                                 byte
	dead, fall, targeted, clean, hasElse bool
}

// codeScanner holds the state of a scan; the flat call lists and the
// control stack are reused across bodies.
type codeScanner struct {
	r        reader
	m        *Module
	numFuncs uint32
	frames   []frame
	code     []byte // the file up to the end of the current body
	open     bool   // no instruction so far may leave the function
	indirect bool

	calls, must        []uint32 // callees of all bodies, flat
	seenCall, seenMust []uint32 // gen of the body that recorded the callee
	gen                uint32
	seenRef            []bool
	refFuncs           []uint32

	feats   Feature
	featAt  [numFeatures]uint32
	throwAt int // first throw, attributed to a flavour of exceptions at the end
}

// feat records a use of feature f (one bit) at offset at.
func (s *codeScanner) feat(f Feature, at int) {
	i := bits.TrailingZeros32(uint32(f))
	if s.feats&f == 0 || uint32(at) < s.featAt[i] {
		s.feats |= f
		s.featAt[i] = uint32(at)
	}
}

// finishFeatures attributes throw (opcode 0x08, shared by both exception
// proposals) to exnref when the code uses exnref and no legacy
// instruction, else to the legacy proposal, and fills Features/FeatureAt.
func (s *codeScanner) finishFeatures(c *Code) {
	if s.throwAt >= 0 {
		f := FeatExceptionsLegacy
		if s.feats&FeatExceptions != 0 && s.feats&FeatExceptionsLegacy == 0 {
			f = FeatExceptions
		}
		i := bits.TrailingZeros32(uint32(f))
		if s.feats&f == 0 || uint32(s.throwAt) < s.featAt[i] {
			s.featAt[i] = uint32(s.throwAt)
		}
		s.feats |= f
	}
	c.Features = s.feats
	for i := 0; i < numFeatures; i++ {
		if s.feats&(1<<i) != 0 {
			c.FeatureAt[1<<i] = s.featAt[i]
		}
	}
}

// body scans one function body, r bounded to it.
func (s *codeScanner) body() {
	r := &s.r
	nl := r.count(2)
	var total uint64
	for i := 0; i < nl && r.err == nil; i++ {
		total += uint64(r.u32())
		at := r.pos
		t, _ := r.valType()
		s.valTypeFeature(t, at)
		if total > math.MaxUint32 && r.err == nil {
			r.pos = at
			r.fail("too many locals")
		}
	}
	s.frames = append(s.frames[:0], frame{kind: frameFunc})
	s.open = true
	s.instrs(r.pos)
}

// instrs decodes the instructions of a body from p. The position lives in
// a local for speed, and goes back to s.r around every call that reads.
func (s *codeScanner) instrs(p int) {
	r := &s.r
	code := s.code
	for {
		if p >= len(code) {
			r.pos = p
			r.fail("unexpected end of function body: missing end")
			return
		}
		at := p
		op := code[p]
		p++
		if op >= 0x45 && op <= 0xbf { // numeric, no immediates
			continue
		}
		// The frequent immediates are one-byte LEBs: skip them here.
		switch op {
		case 0x20, 0x21, 0x22, 0x23, 0x24: // local.get/set/tee, global.get/set
			if p < len(code) && code[p] < 0x80 {
				p++
				continue
			}
			r.pos = p
			r.u32long()
		case 0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35,
			0x36, 0x37, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e: // loads and stores
			if p+1 < len(code) && code[p] < 0x40 && code[p+1] < 0x80 {
				p += 2
				continue
			}
			r.pos = p
			s.memarg(at)
		case 0x41, 0x42: // i32.const, i64.const
			if p < len(code) && code[p] < 0x80 {
				p++
				continue
			}
			r.pos = p
			r.slebLong(5 + 5*int(op-0x41))
		case 0x43: // f32.const
			r.pos = p
			r.skip(4)
		case 0x44: // f64.const
			r.pos = p
			r.skip(8)
		case 0x10, 0x12: // call, return_call
			r.pos = p
			s.call(op, s.u32(), at)
		case 0x0b: // end
			r.pos = p
			if s.end() {
				return
			}
		default:
			r.pos = p
			s.control(op, at)
		}
		if r.err != nil {
			return
		}
		p = r.pos
	}
}

// control decodes the less frequent single-byte opcodes.
func (s *codeScanner) control(op byte, at int) {
	r := &s.r
	switch op {
	case 0x00: // unreachable
		s.top().dead = true
	case 0x01, 0x1a, 0x1b: // nop, drop, select
	case 0x02, 0x03, 0x04: // block, loop, if
		s.blockType(at)
		s.push(frameBlock + op - 0x02)
	case 0x05: // else
		if f := s.top(); f.kind != frameIf || f.hasElse {
			s.bad(at, "else outside an if")
			return
		}
		s.arm().hasElse = true
	case 0x06: // try
		s.feat(FeatExceptionsLegacy, at)
		s.blockType(at)
		s.push(frameTry)
	case 0x07, 0x19: // catch tag, catch_all
		s.feat(FeatExceptionsLegacy, at)
		if op == 0x07 {
			s.u32()
		}
		if s.top().kind != frameTry {
			s.bad(at, "catch outside a try")
			return
		}
		s.arm()
	case 0x08: // throw
		s.u32()
		if s.throwAt < 0 || at < s.throwAt {
			s.throwAt = at
		}
		s.leave()
	case 0x09: // rethrow
		s.feat(FeatExceptionsLegacy, at)
		s.u32()
		s.leave()
	case 0x0a: // throw_ref
		s.feat(FeatExceptions, at)
		s.leave()
	case 0x0c, 0x0d: // br, br_if
		s.branch(s.u32(), op == 0x0c)
	case 0x0e: // br_table
		n := r.count(1)
		for i := 0; i <= n && r.err == nil; i++ {
			s.branch(s.u32(), false)
		}
		s.top().dead = true
	case 0x0f: // return
		s.leave()
	case 0x11, 0x13: // call_indirect, return_call_indirect
		s.u32()
		s.tableIndex(s.u32(), at)
		s.indirect = true
		if op == 0x13 {
			s.feat(FeatTailCall, at)
			s.leave()
		}
	case 0x14, 0x15: // call_ref, return_call_ref
		s.u32()
		s.feat(FeatFuncRefs, at)
		s.indirect = true
		if op == 0x15 {
			s.feat(FeatTailCall, at)
			s.leave()
		}
	case 0x18: // delegate
		s.feat(FeatExceptionsLegacy, at)
		s.u32()
		if s.top().kind != frameTry {
			s.bad(at, "delegate outside a try")
			return
		}
		s.end()
	case 0x1c: // select with types
		s.feat(FeatRefTypes, at)
		n := r.count(1)
		for i := 0; i < n && r.err == nil; i++ {
			t, _ := r.valType()
			s.valTypeFeature(t, at)
		}
	case 0x1f: // try_table
		s.feat(FeatExceptions, at)
		s.blockType(at)
		s.catchClauses()
		s.push(frameTryTable)
	case 0x3f, 0x40: // memory.size, memory.grow
		s.memIndex(at)
	case 0x25, 0x26: // table.get, table.set
		s.feat(FeatRefTypes, at)
		s.u32()
	case 0xc0, 0xc1, 0xc2, 0xc3, 0xc4: // sign extension
		s.feat(FeatSignExt, at)
	case 0xd0: // ref.null
		s.feat(FeatRefTypes, at)
		s.heapType(at)
	case 0xd1: // ref.is_null
		s.feat(FeatRefTypes, at)
	case 0xd2: // ref.func
		s.feat(FeatRefTypes, at)
		if f := s.u32(); f < s.numFuncs && r.err == nil && !s.seenRef[f] {
			s.seenRef[f] = true
			s.refFuncs = append(s.refFuncs, f)
		}
	case 0xd3: // ref.eq
		s.feat(FeatGC, at)
	case 0xd4: // ref.as_non_null
		s.feat(FeatFuncRefs, at)
	case 0xd5, 0xd6: // br_on_null, br_on_non_null
		s.feat(FeatFuncRefs, at)
		s.branch(s.u32(), false)
	case 0xfb:
		s.gc(at)
	case 0xfc:
		s.misc(at)
	case 0xfd:
		s.simd(at)
	case 0xfe:
		s.atomic(at)
	default:
		s.bad(at, "unknown opcode "+hexByte(op))
	}
}

// bad reports a malformed instruction at offset at.
func (s *codeScanner) bad(at int, msg string) {
	if s.r.err == nil {
		s.r.pos = at
		s.r.fail(msg)
	}
}

func (s *codeScanner) top() *frame { return &s.frames[len(s.frames)-1] }

func (s *codeScanner) push(kind byte) {
	dead := s.top().dead
	s.frames = append(s.frames, frame{kind: kind, dead: dead, clean: true})
}

// arm starts the next arm (else, catch) of the innermost frame.
func (s *codeScanner) arm() *frame {
	f := s.top()
	f.fall = f.fall || !f.dead
	f.dead = s.frames[len(s.frames)-2].dead
	return f
}

// end closes the innermost frame; it reports whether that was the
// function's own (then the body must end here).
func (s *codeScanner) end() bool {
	n := len(s.frames)
	if n == 1 {
		if s.r.pos != s.r.end {
			s.r.fail("function body continues after its final end")
		}
		return true
	}
	f := s.frames[n-1]
	s.frames = s.frames[:n-1]
	p := &s.frames[n-2]
	live := !f.dead || f.fall
	switch {
	case f.kind == frameIf && !f.hasElse:
		live = live || !p.dead // the missing else falls through
	case f.kind != frameLoop:
		live = live || f.targeted
	}
	if !live {
		p.dead = true
	}
	return false
}

// branch records a branch to label l (unconditional: the rest of the
// current sequence is dead).
func (s *codeScanner) branch(l uint32, uncond bool) {
	n := len(s.frames)
	if uint64(l) >= uint64(n-1) { // the function's label (or beyond)
		s.open = false
	} else {
		t := n - 1 - int(l)
		s.frames[t].targeted = true
		if t == 1 {
			s.frames[1].clean = false
		}
	}
	if uncond {
		s.frames[n-1].dead = true
	}
}

// leave records an instruction that may leave the function (return,
// return_call*, throw*).
func (s *codeScanner) leave() {
	s.open = false
	s.top().dead = true
}

// mustPoint reports whether an instruction here runs on every execution
// of the function that completes.
func (s *codeScanner) mustPoint() bool {
	if !s.open || s.frames[0].dead {
		return false
	}
	switch len(s.frames) {
	case 1:
		return true
	case 2:
		f := &s.frames[1]
		return f.clean && !f.dead && (f.kind == frameBlock || f.kind == frameLoop)
	}
	return false
}

func (s *codeScanner) call(op byte, f uint32, at int) {
	if op == 0x12 {
		s.feat(FeatTailCall, at)
	}
	if f < s.numFuncs && s.r.err == nil {
		if s.seenCall[f] != s.gen {
			s.seenCall[f] = s.gen
			s.calls = append(s.calls, f)
		}
		if s.seenMust[f] != s.gen && s.mustPoint() {
			s.seenMust[f] = s.gen
			s.must = append(s.must, f)
		}
	}
	if op == 0x12 {
		s.leave()
	}
}

// blockType reads 0x40, a value type or a type index (s33 >= 0).
func (s *codeScanner) blockType(at int) {
	r := &s.r
	if r.pos >= r.end {
		r.fail("unexpected end")
		return
	}
	c := r.b[r.pos]
	if c == 0x40 {
		r.pos++
		return
	}
	if c&0xc0 == 0x40 { // a one-byte negative s33: a value type
		t, _ := r.valType()
		s.valTypeFeature(t, at)
		return
	}
	v := r.sleb(5)
	if r.err != nil {
		return
	}
	if v < 0 {
		s.bad(at+1, "malformed block type")
		return
	}
	if v < int64(len(s.m.Types)) {
		if ft := &s.m.Types[v]; len(ft.Params) > 0 || len(ft.Results) > 1 {
			s.feat(FeatMultiValue, at)
		}
	}
}

// valTypeFeature records the proposal a value type comes from.
func (s *codeScanner) valTypeFeature(t ValType, at int) {
	switch t {
	case V128:
		s.feat(FeatSIMD, at)
	case FuncRef, ExternRef:
		s.feat(FeatRefTypes, at)
	case 0x64, 0x63: // (ref ht), (ref null ht)
		s.feat(FeatFuncRefs, at)
	case 0x69, 0x74: // exnref, nullexnref
		s.feat(FeatExceptions, at)
	case 0x6e, 0x6d, 0x6c, 0x6b, 0x6a, 0x71, 0x72, 0x73: // any, eq, i31, struct, array, none, noextern, nofunc
		s.feat(FeatGC, at)
	}
}

// heapType reads a heap type (s33: an abstract type code or a type index).
func (s *codeScanner) heapType(at int) {
	v := s.r.sleb(5)
	switch {
	case s.r.err != nil:
	case v >= 0:
		s.feat(FeatFuncRefs, at)
	case v >= -64:
		s.valTypeFeature(ValType(v+0x80), at)
	}
}

// catchClauses reads the catch clauses of try_table; their labels are
// relative to the context outside the try_table.
func (s *codeScanner) catchClauses() {
	r := &s.r
	n := r.count(2)
	for i := 0; i < n && r.err == nil; i++ {
		at := r.pos
		switch r.byte() {
		case 0x00, 0x01: // catch, catch_ref: tag, label
			s.u32()
		case 0x02, 0x03: // catch_all, catch_all_ref: label
		default:
			s.bad(at, "malformed catch clause kind")
			return
		}
		s.branch(s.u32(), false)
	}
}

// memarg reads align (bit 6: an explicit memory index follows) and offset
// (a u64 LEB, for memory64).
func (s *codeScanner) memarg(at int) {
	a := s.u32()
	if a >= 0x80 {
		s.bad(at, "malformed memop flags "+utoa(uint64(a)))
		return
	}
	if a&0x40 != 0 {
		s.u32()
		s.feat(FeatMultiMemory, at)
	}
	s.u64()
}

// memIndex reads the memory index of memory.size/grow/fill/copy/init.
func (s *codeScanner) memIndex(at int) {
	if s.u32() != 0 {
		s.feat(FeatMultiMemory, at)
	}
}

// tableIndex records a table index other than 0 (reference types).
func (s *codeScanner) tableIndex(t uint32, at int) {
	if t != 0 {
		s.feat(FeatRefTypes, at)
	}
}

// The LEB128 readers of the scanner: inlinable fast paths for one-byte
// values over s.code, the file up to the end of the current body (so the
// bounds check is the loop condition), falling back on the reader's.

func (s *codeScanner) u32() uint32 {
	if p := s.r.pos; p < len(s.code) {
		if c := s.code[p]; c < 0x80 {
			s.r.pos = p + 1
			return uint32(c)
		}
	}
	return s.r.u32long()
}

func (s *codeScanner) u64() uint64 {
	if p := s.r.pos; p < len(s.code) {
		if c := s.code[p]; c < 0x80 {
			s.r.pos = p + 1
			return uint64(c)
		}
	}
	return s.r.u64long()
}

// u32long is u32 for the multi-byte case, kept out of line so that the
// callers' fast paths stay small.
//
//go:noinline
func (r *reader) u32long() uint32 {
	if p := r.pos; r.err == nil && p+5 <= r.end {
		b := r.b[p : p+5]
		var v uint32
		for i, c := range b[:4] {
			v |= uint32(c&0x7f) << (7 * i)
			if c < 0x80 {
				r.pos = p + i + 1
				return v
			}
		}
		if c := b[4]; c < 0x10 {
			r.pos = p + 5
			return v | uint32(c)<<28
		}
	}
	return r.u32() // near the end, or malformed: the reader reports it
}

//go:noinline
func (r *reader) u64long() uint64 { return r.u64() }

// slebLong skips a signed LEB128 of at most maxBytes bytes.
//
//go:noinline
func (r *reader) slebLong(maxBytes int) {
	if p := r.pos; r.err == nil && p+maxBytes <= r.end {
		for i, c := range r.b[p : p+maxBytes] {
			if c < 0x80 {
				r.pos = p + i + 1
				return
			}
		}
	}
	r.sleb(maxBytes)
}
