package wasm

// The prefixed instruction families of the code scan (0xFB GC, 0xFC misc,
// 0xFD SIMD, 0xFE atomics) and the element section's function indices.

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
