package wasm

import (
	"math"
	"math/bits"
)

// An on-demand scan of the code section: Decode skips function bodies by
// size, and ScanCode walks every instruction of every body to find the
// direct call graph, the calls a function makes on every execution, and the
// Wasm proposals the code uses.
// See https://webassembly.github.io/spec/core/binary/instructions.html and,
// for the proposals, https://github.com/WebAssembly/proposals (SIMD, relaxed
// SIMD, threads, tail calls, exception handling (legacy and exnref),
// function references, GC, multi-memory, memory64).

// Feature is a set of Wasm proposals that function bodies use.
type Feature uint32

// The features ScanCode detects, one bit each. Extended-const is not among
// them: it only shows in constant expressions, never in function bodies.
const (
	FeatSIMD             Feature = 1 << iota // 0xFD prefix (v128 operations), v128 locals and block types
	FeatRelaxedSIMD                          // 0xFD 0x100..0x113
	FeatThreads                              // 0xFE prefix (atomics)
	FeatTailCall                             // return_call, return_call_indirect, return_call_ref
	FeatExceptionsLegacy                     // try, catch, throw, rethrow, delegate, catch_all
	FeatExceptions                           // exnref: try_table, throw_ref, exnref types
	FeatGC                                   // 0xFB prefix, ref.eq, abstract GC reference types
	FeatFuncRefs                             // typed function references: call_ref, ref.as_non_null, br_on_null, br_on_non_null, (ref ht)
	FeatBulkMemory                           // 0xFC 8..14: memory.init ... table.copy
	FeatRefTypes                             // ref.null, ref.is_null, ref.func, table.get/set, typed select, 0xFC 15..17, a table index other than 0
	FeatSignExt                              // 0xC0..0xC4
	FeatSatConv                              // 0xFC 0..7
	FeatMultiMemory                          // a memory index other than 0 (or the explicit-index memarg form)
	FeatMultiValue                           // a block type index with params or more than one result

	numFeatures = iota
)

// featureNames are the names of the WebAssembly feature table
// (https://webassembly.org/features/), in bit order.
var featureNames = [numFeatures]string{
	"simd128", "relaxed-simd", "threads-atomics", "tail-call", "exceptions-legacy",
	"exceptions-exnref", "gc", "typed-function-references", "bulk-memory", "reference-types",
	"sign-extension", "saturating-float-to-int", "multi-memory", "multi-value",
}

// Names returns the names of the features in the set, in bit order.
func (f Feature) Names() []string {
	var names []string
	for i := 0; i < numFeatures; i++ {
		if f&(1<<i) != 0 {
			names = append(names, featureNames[i])
		}
	}
	return names
}

// String joins Names with commas.
func (f Feature) String() string {
	s := ""
	for i, n := range f.Names() {
		if i > 0 {
			s += ","
		}
		s += n
	}
	return s
}

// Code is what a scan of the code section finds. The per-function slices
// are indexed by defined function: entry i is function NumFuncImports+i.
type Code struct {
	// Bodies are the body spans, after each body's size LEB (locals and
	// instructions).
	Bodies []Span
	// Calls are the distinct callees of direct call and return_call, in
	// first-seen order (function indices, imports included). A callee
	// index outside the module's function index space (a module that does
	// not validate) is not recorded.
	Calls [][]uint32
	// Indirect is set for a function that uses call_indirect,
	// return_call_indirect, call_ref or return_call_ref.
	Indirect []bool
	// MustCalls are the callees called on every execution that completes
	// without trapping (see ScanCode for the rules), in first-seen order.
	MustCalls [][]uint32
	// Features is the union of the features of all bodies.
	Features Feature
	// FeatureAt is the absolute file offset of the first instruction (or
	// local declaration) using each feature of Features.
	FeatureAt map[Feature]uint32
	// RefFuncs are the distinct functions named by ref.func in bodies, in
	// first-seen order: they may be called indirectly.
	RefFuncs []uint32
	// ElemFuncs are the distinct functions the element section names
	// (active, passive and declarative segments, plain ref.func
	// expressions), in first-seen order: the usual targets of
	// call_indirect.
	ElemFuncs []uint32

	// Lazy scanning (IndexCode): bodies are decoded on first use.
	bin     []byte
	s       *codeScanner
	scanned []bool
	err     *DecodeError // the first body that did not decode
	all     bool         // every body has been scanned
}

// ScanCode decodes every function body of the code section of bin, the
// bytes m was decoded from, and the function indices of the element
// section. It never panics and allocates only in proportion to the bytes
// it has seen.
//
// A body that does not decode (unknown opcode, truncated immediate, too
// many locals, misplaced else/catch, instructions that do not end exactly
// at the body's size with its final end) yields a *DecodeError of Kind
// Malformed with the offset and the context "code section, function N",
// N being the function index (imports included). A malformed element
// section yields one with the context "element section". On error the
// *Code is nil.
//
// MustCalls are computed in one pass per body, without recursion. A call
// (or return_call) is a must-call when it sits at depth 0 of the body, or
// directly inside a block or loop at depth 1, and
//   - no instruction before it, at any depth, may leave the function:
//     return, return_call*, a branch (br, br_if, br_table, br_on_*, a
//     try_table catch clause) to the function's label, throw, rethrow,
//     throw_ref (which the function itself might catch: a conservative
//     choice);
//   - it is not dead code: at depth 0, no unreachable or unconditional
//     branch before it, and no nested construct before it that can only
//     end by trapping or branching away;
//   - for depth 1, additionally, no branch before it in that block or loop
//     targets the block or loop itself or anything outside it, and the
//     block's own code before it is not dead.
//
// The analysis assumes that every callee returns: a call to a function that
// exits the process, throws or never returns (and a loop that never ends)
// also keeps the calls after it from running, which is not considered.
// Calls inside if, try and try_table are never must-calls.
func ScanCode(bin []byte, m *Module) (*Code, error) {
	c, err := IndexCode(bin, m)
	if err != nil {
		return nil, err
	}
	if err := c.ScanAll(); err != nil {
		return nil, err
	}
	return c, nil
}

// IndexCode reads the body spans of the code section and the element
// section, and decodes no body: Calls, MustCalls and Indirect of a function
// are filled the first time a reachability query visits it, and Features
// only by ScanAll. This is the fast path for the questions that concern
// the functions a host runs at start-up, which are a small part of a
// module. The error is for the code section's framing (count, sizes); a
// body that does not decode is reported by Err once it has been visited.
func IndexCode(bin []byte, m *Module) (*Code, error) {
	c := &Code{FeatureAt: map[Feature]uint32{}, bin: bin}
	sec := m.Section(SecCode)
	numFuncs := uint64(m.NumFuncImports) + uint64(len(m.Funcs))
	if numFuncs > math.MaxUint32 {
		return nil, &DecodeError{Kind: Malformed, Context: "module", Msg: "too many functions"}
	}
	s := &codeScanner{m: m, numFuncs: uint32(numFuncs), throwAt: -1}
	c.s = s
	if el := m.Section(SecElement); el != nil {
		if err := s.elements(bin, el.Payload, c); err != nil {
			return nil, err
		}
	}
	if sec == nil {
		c.all = true
		return c, nil
	}
	if int64(sec.Payload.End()) > int64(len(bin)) {
		return nil, &DecodeError{Kind: Malformed, Offset: sec.Payload.Offset, Context: "code section",
			Msg: "the code section lies outside the bytes given: not the bytes the module was decoded from"}
	}
	r := &reader{b: bin, pos: int(sec.Payload.Offset), end: int(sec.Payload.End()), what: "code section"}
	at := r.pos
	n := r.count(2)
	if r.err == nil && n != len(m.Funcs) {
		r.pos = at
		r.fail("code section has " + utoa(uint64(n)) + " bodies for " + utoa(uint64(len(m.Funcs))) + " functions")
	}
	if r.err != nil {
		return nil, r.err
	}
	c.Bodies = make([]Span, 0, n)
	for i := 0; i < n; i++ {
		size := r.u32()
		if r.err == nil && uint64(size) > uint64(r.remaining()) {
			r.fail("function body size exceeds the code section")
		}
		if r.err != nil {
			r.err.Context = "code section, function " + utoa(uint64(m.NumFuncImports)+uint64(i))
			return nil, r.err
		}
		c.Bodies = append(c.Bodies, Span{Offset: uint32(r.pos), Length: size})
		r.pos += int(size)
	}
	if r.pos != r.end {
		return nil, &DecodeError{Kind: Malformed, Offset: uint32(r.pos), Context: "code section",
			Msg: "section size mismatch: " + utoa(uint64(r.end-r.pos)) + " bytes after the last body"}
	}
	s.seenCall = make([]uint32, numFuncs)
	s.seenMust = make([]uint32, numFuncs)
	s.seenRef = make([]bool, numFuncs)
	c.Calls = make([][]uint32, n)
	c.MustCalls = make([][]uint32, n)
	c.Indirect = make([]bool, n)
	c.scanned = make([]bool, n)
	return c, nil
}

// scan decodes defined function d's body once. A body that does not decode
// is recorded (the first one in file order is kept for Err) and treated as
// calling nothing.
func (c *Code) scan(d uint32) {
	if int64(d) >= int64(len(c.scanned)) || c.scanned[d] {
		return
	}
	c.scanned[d] = true
	s, body := c.s, c.Bodies[d]
	r := &s.r
	*r = reader{b: c.bin, pos: int(body.Offset), end: int(body.End())}
	s.gen, s.indirect = d+1, false
	s.code = c.bin[:r.end]
	calls, must := len(s.calls), len(s.must)
	s.body()
	if r.err != nil {
		r.err.Context = "code section, function " + utoa(uint64(s.m.NumFuncImports)+uint64(d))
		if c.err == nil || r.err.Offset < c.err.Offset {
			c.err = r.err
		}
		s.calls, s.must = s.calls[:calls], s.must[:must]
		return
	}
	c.Calls[d] = s.calls[calls:len(s.calls):len(s.calls)]
	c.MustCalls[d] = s.must[must:len(s.must):len(s.must)]
	c.Indirect[d] = s.indirect
}

// ScanAll decodes every body not decoded yet and fills Features, FeatureAt
// and RefFuncs; it returns the first body that does not decode.
func (c *Code) ScanAll() error {
	if !c.all {
		for d := range c.scanned {
			c.scan(uint32(d))
		}
		c.all = true
		c.RefFuncs = c.s.refFuncs
		c.s.finishFeatures(c)
	}
	return c.Err()
}

// Err returns the first body, among those decoded so far, that does not
// decode (nil if none).
func (c *Code) Err() error {
	if c.err == nil {
		return nil
	}
	return c.err
}

// ScanFunc decodes function fn's body now, if it is defined and not yet
// decoded; a body that does not decode shows in Err.
func (c *Code) ScanFunc(m *Module, fn uint32) {
	if fn >= m.NumFuncImports {
		c.scan(fn - m.NumFuncImports)
	}
}

// callees returns defined-or-imported function f's direct callees,
// decoding its body on first use; must selects MustCalls.
func (c *Code) callees(m *Module, f uint32, must bool) []uint32 {
	if f < m.NumFuncImports {
		return nil
	}
	d := f - m.NumFuncImports
	if int64(d) >= int64(len(c.Calls)) {
		return nil
	}
	c.scan(d)
	if must {
		return c.MustCalls[d]
	}
	return c.Calls[d]
}

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

// gc decodes the 0xFB (GC) instructions.
func (s *codeScanner) gc(at int) {
	r := &s.r
	s.feat(FeatGC, at)
	switch sub := r.u32(); sub {
	case 0x00, 0x01, 0x06, 0x07, 0x0b, 0x0c, 0x0d, 0x0e, 0x10: // struct.new(_default), array.new(_default), array.get(_s/_u), array.set, array.fill
		s.u32()
	case 0x02, 0x03, 0x04, 0x05, 0x08, 0x09, 0x0a, 0x11, 0x12, 0x13: // struct.get*/set, array.new_fixed/data/elem, array.copy, array.init_data/elem
		s.u32()
		s.u32()
	case 0x0f, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e: // array.len, any.convert_extern, extern.convert_any, ref.i31, i31.get_s/u
	case 0x14, 0x15, 0x16, 0x17: // ref.test, ref.test null, ref.cast, ref.cast null
		s.heapType(at)
	case 0x18, 0x19: // br_on_cast, br_on_cast_fail: flags, label, two heap types
		if fl := r.byte(); fl > 3 {
			s.bad(at, "malformed br_on_cast flags")
			return
		}
		s.branch(s.u32(), false)
		s.heapType(at)
		s.heapType(at)
	default:
		s.bad(at, "unknown opcode 0xfb "+utoa(uint64(sub)))
	}
}

// misc decodes the 0xFC instructions (saturating conversions, bulk memory,
// table instructions).
func (s *codeScanner) misc(at int) {
	r := &s.r
	switch sub := r.u32(); {
	case sub <= 7:
		s.feat(FeatSatConv, at)
	case sub == 8: // memory.init data mem
		s.feat(FeatBulkMemory, at)
		s.u32()
		s.memIndex(at)
	case sub == 9, sub == 13: // data.drop, elem.drop
		s.feat(FeatBulkMemory, at)
		s.u32()
	case sub == 10: // memory.copy dst src
		s.feat(FeatBulkMemory, at)
		s.memIndex(at)
		s.memIndex(at)
	case sub == 11: // memory.fill
		s.feat(FeatBulkMemory, at)
		s.memIndex(at)
	case sub == 12: // table.init elem table
		s.feat(FeatBulkMemory, at)
		s.u32()
		s.tableIndex(s.u32(), at)
	case sub == 14: // table.copy dst src
		s.feat(FeatBulkMemory, at)
		s.tableIndex(s.u32(), at)
		s.tableIndex(s.u32(), at)
	case sub <= 17: // table.grow, table.size, table.fill
		s.feat(FeatRefTypes, at)
		s.u32()
	default:
		s.bad(at, "unknown opcode 0xfc "+utoa(uint64(sub)))
	}
}

// Immediates of the 0xFD instructions 0..255.
const (
	simdNone byte = iota
	simdBad
	simdMem
	simdMemLane
	simdLane
	simd16
)

var simdImm = func() (t [256]byte) {
	for _, op := range []byte{154, 162, 165, 166, 175, 176, 178, 179, 180, 187, 194, 197, 198,
		207, 208, 210, 211, 212, 226, 238} {
		t[op] = simdBad
	}
	for op := 0; op <= 11; op++ { // loads, load splats, store
		t[op] = simdMem
	}
	t[92], t[93] = simdMem, simdMem // load32_zero, load64_zero
	t[12], t[13] = simd16, simd16   // v128.const, i8x16.shuffle
	for op := 21; op <= 34; op++ {  // extract_lane, replace_lane
		t[op] = simdLane
	}
	for op := 84; op <= 91; op++ { // load*_lane, store*_lane
		t[op] = simdMemLane
	}
	return t
}()

// simd decodes the 0xFD instructions (SIMD and relaxed SIMD).
func (s *codeScanner) simd(at int) {
	r := &s.r
	s.feat(FeatSIMD, at)
	sub := s.u32()
	if sub >= 0x100 {
		if sub > 0x113 {
			s.bad(at, "unknown opcode 0xfd "+utoa(uint64(sub)))
			return
		}
		s.feat(FeatRelaxedSIMD, at)
		return
	}
	switch simdImm[sub] {
	case simdBad:
		s.bad(at, "unknown opcode 0xfd "+utoa(uint64(sub)))
	case simdMem:
		s.memarg(at)
	case simdMemLane:
		s.memarg(at)
		r.byte()
	case simdLane:
		r.byte()
	case simd16:
		r.skip(16)
	}
}

// atomic decodes the 0xFE instructions (threads).
func (s *codeScanner) atomic(at int) {
	r := &s.r
	s.feat(FeatThreads, at)
	switch sub := s.u32(); {
	case sub <= 2 || sub >= 0x10 && sub <= 0x4e: // notify, wait32/64, loads, stores, rmw
		s.memarg(at)
	case sub == 3: // atomic.fence
		if r.byte() != 0 && r.err == nil {
			s.bad(at, "malformed atomic.fence: reserved byte is not zero")
		}
	default:
		s.bad(at, "unknown opcode 0xfe "+utoa(uint64(sub)))
	}
}

// elements collects the function indices of the element section.
func (s *codeScanner) elements(bin []byte, p Span, c *Code) *DecodeError {
	if int64(p.End()) > int64(len(bin)) {
		return &DecodeError{Kind: Malformed, Offset: p.Offset, Context: "element section",
			Msg: "the element section lies outside the bytes given: not the bytes the module was decoded from"}
	}
	r := &reader{b: bin, pos: int(p.Offset), end: int(p.End()), what: "element section"}
	seen := make([]bool, s.numFuncs)
	add := func(f uint32) {
		if f < s.numFuncs && !seen[f] {
			seen[f] = true
			c.ElemFuncs = append(c.ElemFuncs, f)
		}
	}
	n := r.count(2)
	for i := 0; i < n && r.err == nil; i++ {
		at := r.pos
		flags := r.u32()
		if flags > 7 {
			r.pos = at
			r.fail("malformed element segment flags " + utoa(uint64(flags)))
			break
		}
		active := flags&1 == 0
		if active && flags&2 != 0 {
			r.u32() // table index
		}
		if active {
			r.constExpr()
		}
		if flags&3 != 0 { // element kind or reference type
			if flags&4 == 0 {
				if k := r.byte(); k != 0 && r.err == nil {
					r.pos--
					r.fail("malformed element kind")
				}
			} else {
				r.valType()
			}
		}
		k := r.count(1)
		for j := 0; j < k && r.err == nil; j++ {
			if flags&4 == 0 {
				add(r.u32())
				continue
			}
			e := r.pos
			if r.byte() == 0xd2 { // the usual form: ref.func f; end
				f := r.u32()
				if r.pos < r.end && r.b[r.pos] == 0x0b {
					r.pos++
					add(f)
					continue
				}
			}
			if r.err == nil {
				r.pos = e
				r.constExpr()
			}
		}
	}
	if r.err == nil && r.pos != r.end {
		r.fail("section size mismatch: " + utoa(uint64(r.end-r.pos)) + " bytes left over")
	}
	return r.err
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

// Reachable returns, indexed by function index (imports first), the
// functions reachable from roots through direct calls (Calls). With
// indirect, a reached function that calls indirectly (Indirect) also
// reaches every function of ElemFuncs and RefFuncs; without it the result
// is an under-approximation. Even with it, functions put in tables by the
// host or named by ref.func in global initializers are not considered.
// Roots outside the function index space are ignored.
func (c *Code) Reachable(m *Module, indirect bool, roots ...uint32) []bool {
	n := uint64(m.NumFuncImports) + uint64(len(c.Calls))
	seen := make([]bool, n)
	var work []uint32
	visit := func(f uint32) {
		if uint64(f) < n && !seen[f] {
			seen[f] = true
			work = append(work, f)
		}
	}
	for _, f := range roots {
		visit(f)
	}
	targetsAdded := false
	for len(work) > 0 {
		f := work[len(work)-1]
		work = work[:len(work)-1]
		if f < m.NumFuncImports {
			continue
		}
		d := f - m.NumFuncImports
		for _, g := range c.callees(m, f, false) {
			visit(g)
		}
		if indirect && !targetsAdded && d < uint32(len(c.Indirect)) && c.Indirect[d] {
			targetsAdded = true
			for _, g := range c.ElemFuncs {
				visit(g)
			}
			for _, g := range c.RefFuncs {
				visit(g)
			}
		}
	}
	return seen
}

// MustReach returns a shortest chain root, ..., target along MustCalls
// edges: when it exists, every execution of root that completes without
// trapping calls target (under the assumptions of ScanCode).
func (c *Code) MustReach(m *Module, root, target uint32) (path []uint32, ok bool) {
	return c.path(m, true, root, target)
}

// MayReach returns a shortest chain root, ..., target along Calls edges
// (direct calls only: an under-approximation of what may run).
func (c *Code) MayReach(m *Module, root, target uint32) (path []uint32, ok bool) {
	return c.path(m, false, root, target)
}

// path is a breadth-first search from root to target over edges.
func (c *Code) path(m *Module, must bool, root, target uint32) ([]uint32, bool) {
	n := uint64(m.NumFuncImports) + uint64(len(c.Calls))
	if uint64(root) >= n || uint64(target) >= n {
		return nil, false
	}
	prev := make([]uint32, n) // predecessor + 1; 0: not reached
	prev[root] = root + 1
	queue := []uint32{root}
	for q := 0; q < len(queue); q++ {
		f := queue[q]
		if f == target {
			var rev []uint32
			for g := target; ; g = prev[g] - 1 {
				rev = append(rev, g)
				if g == root {
					break
				}
			}
			for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
				rev[i], rev[j] = rev[j], rev[i]
			}
			return rev, true
		}
		if f < m.NumFuncImports {
			continue
		}
		for _, g := range c.callees(m, f, must) {
			if uint64(g) < n && prev[g] == 0 {
				prev[g] = f + 1
				queue = append(queue, g)
			}
		}
	}
	return nil, false
}
