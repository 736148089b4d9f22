package wasm

// Readers for the data and element sections: only the segment headers
// (mode, index, offset, size) are decoded; the bytes and function indices
// are skipped. See https://webassembly.github.io/spec/core/binary/modules.html#data-section

func decodeData(m *Module, r *reader) {
	at := r.pos
	n := r.count(1)
	if r.err == nil && m.HasDataCount && uint32(n) != m.DataCount {
		r.pos = at
		r.fail("data section has " + utoa(uint64(n)) + " segments but data count says " + utoa(uint64(m.DataCount)))
		return
	}
	m.Data = make([]Segment, 0, n)
	for i := 0; i < n && r.err == nil; i++ {
		start := r.pos
		var mem uint32
		var off int64
		var known, active bool
		switch flags := r.u32(); flags {
		case 0:
			off, known = r.constExpr()
			active = true
		case 1:
		case 2:
			mem = r.u32()
			off, known = r.constExpr()
			active = true
		default:
			r.pos = start
			r.fail("malformed data segment flags " + utoa(uint64(flags)))
			return
		}
		size := r.u32()
		r.skip(uint64(size))
		if r.err == nil && active && known {
			m.Data = append(m.Data, Segment{Index: mem, Offset: uint64(off), Size: uint64(size), Span: Span{Offset: uint32(start), Length: uint32(r.pos - start)}})
		}
	}
}

func decodeElements(m *Module, r *reader) {
	n := r.count(1)
	m.Elements = make([]Segment, 0, n)
	for i := 0; i < n && r.err == nil; i++ {
		start := r.pos
		flags := r.u32()
		if flags > 7 {
			r.pos = start
			r.fail("malformed element segment flags " + utoa(uint64(flags)))
			return
		}
		var table uint32
		var off int64
		var known bool
		active := flags&1 == 0
		if flags&2 != 0 && active {
			table = r.u32()
		}
		if active {
			off, known = r.constExpr()
		}
		if flags&3 != 0 { // elemkind or reftype
			if flags&4 != 0 {
				r.valType()
			} else if r.byte() != 0 {
				r.fail("malformed element kind")
			}
		}
		count := r.count(1)
		for j := 0; j < count && r.err == nil; j++ {
			if flags&4 != 0 {
				r.constExpr()
			} else {
				r.u32()
			}
		}
		if r.err == nil && active && known {
			m.Elements = append(m.Elements, Segment{Index: table, Offset: uint64(off), Size: uint64(count), Span: Span{Offset: uint32(start), Length: uint32(r.pos - start)}})
		}
	}
}
