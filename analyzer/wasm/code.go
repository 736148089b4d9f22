package wasm

import "math"

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
