package wasm

// Readers for the type, import, table, export sections and the pieces they
// share (value types, limits, constant expressions).
// See https://webassembly.github.io/spec/core/binary/types.html and, for
// the GC forms, https://webassembly.github.io/gc/core/binary/types.html

func decodeTypes(m *Module, r *reader) {
	n := r.count(1)
	m.Types = make([]FuncType, 0, n)
	for i := 0; i < n && r.err == nil; i++ {
		if r.pos < r.end && r.b[r.pos] == 0x4e { // rec group
			r.pos++
			k := r.count(1)
			for j := 0; j < k && r.err == nil; j++ {
				m.Types = append(m.Types, r.subType())
			}
			continue
		}
		m.Types = append(m.Types, r.subType())
	}
}

// subType reads a sub type (GC) or a plain composite type.
func (r *reader) subType() FuncType {
	form := r.byte()
	if form == 0x50 || form == 0x4f { // sub, sub final
		k := r.count(1)
		for j := 0; j < k && r.err == nil; j++ {
			r.u32()
		}
		form = r.byte()
	}
	switch form {
	case 0x60:
		return r.funcType()
	case 0x5f: // struct
		k := r.count(2)
		for j := 0; j < k && r.err == nil; j++ {
			r.fieldType()
		}
	case 0x5e: // array
		r.fieldType()
	default:
		if r.err == nil {
			r.pos--
			r.fail("malformed type form " + hexByte(form))
		}
	}
	return FuncType{Form: form, NonCore: true}
}

func (r *reader) fieldType() {
	if r.pos < r.end && (r.b[r.pos] == 0x78 || r.b[r.pos] == 0x77) { // i8, i16
		r.pos++
	} else {
		r.valType()
	}
	if r.byte() > 1 {
		r.fail("malformed mutability")
	}
}

func (r *reader) funcType() FuncType {
	ft := FuncType{Form: 0x60}
	np := r.count(1)
	ft.Params = make([]ValType, 0, np)
	for i := 0; i < np && r.err == nil; i++ {
		t, core := r.valType()
		ft.Params = append(ft.Params, t)
		ft.NonCore = ft.NonCore || !core
	}
	nr := r.count(1)
	ft.Results = make([]ValType, 0, nr)
	for i := 0; i < nr && r.err == nil; i++ {
		t, core := r.valType()
		ft.Results = append(ft.Results, t)
		ft.NonCore = ft.NonCore || !core
	}
	return ft
}

// valType reads a value type; core is false for the reference types of the
// GC and function-references proposals.
func (r *reader) valType() (t ValType, core bool) {
	c := r.byte()
	switch c {
	case 0x7f, 0x7e, 0x7d, 0x7c, 0x7b, 0x70, 0x6f:
		return c, true
	case 0x6e, 0x6d, 0x6c, 0x6b, 0x6a, 0x69, 0x71, 0x72, 0x73, 0x74: // abstract heap type shorthands
		return c, false
	case 0x64, 0x63: // (ref ht), (ref null ht)
		r.sleb(5)
		return c, false
	}
	if r.err == nil {
		r.pos--
		r.fail("malformed value type " + hexByte(c))
	}
	return 0, false
}

// limits reads memory or table limits with the shared (0x02), memory64 or
// table64 (0x04) and custom-page-size (0x08) flags.
func (r *reader) limits(memory bool) Limits {
	at := r.pos
	flags := r.byte()
	var l Limits
	allowed := byte(0x05)
	if memory {
		allowed = 0x0f
	}
	if flags&^allowed != 0 {
		r.pos = at
		r.fail("malformed limits flags " + hexByte(flags))
		return l
	}
	l.HasMax, l.Shared, l.Is64 = flags&1 != 0, flags&2 != 0, flags&4 != 0
	read := r.u64
	if !l.Is64 {
		read = func() uint64 { return uint64(r.u32()) }
	}
	l.Min = read()
	if l.HasMax {
		l.Max = read()
	}
	if flags&8 != 0 { // custom-page-sizes proposal: log2 of the page size
		r.u32()
	}
	return l
}

func decodeImports(m *Module, r *reader) {
	n := r.count(4)
	m.Imports = make([]Import, 0, n)
	for i := 0; i < n && r.err == nil; i++ {
		start := r.pos
		im := Import{Module: r.name(), Name: r.name()}
		im.Kind = r.byte()
		switch im.Kind {
		case KindFunc:
			im.Type = r.u32()
			im.Func = m.NumFuncImports
			m.NumFuncImports++
		case KindTable:
			r.valType()
			im.Limits = r.limits(false)
		case KindMemory:
			im.Limits = r.limits(true)
		case KindGlobal:
			r.valType()
			if r.byte() > 1 {
				r.fail("malformed mutability")
			}
		case KindTag:
			if r.byte() != 0 {
				r.fail("malformed tag attribute")
			}
			r.u32()
		default:
			if r.err == nil {
				r.pos--
				r.fail("malformed import kind " + hexByte(im.Kind))
			}
		}
		im.Span = Span{Offset: uint32(start), Length: uint32(r.pos - start)}
		if r.err != nil {
			return
		}
		m.Imports = append(m.Imports, im)
		if im.Kind == KindMemory {
			m.Memories = append(m.Memories, Memory{Limits: im.Limits, Imported: true, Span: im.Span})
		}
	}
}

func decodeTables(m *Module, r *reader) {
	n := r.count(2)
	for i := 0; i < n && r.err == nil; i++ {
		if r.pos < r.end && r.b[r.pos] == 0x40 { // table with an initialiser (GC)
			r.pos++
			if r.byte() != 0 {
				r.fail("malformed table type")
			}
			r.valType()
			l := r.limits(false)
			r.constExpr()
			m.Tables = append(m.Tables, l)
			continue
		}
		r.valType()
		m.Tables = append(m.Tables, r.limits(false))
	}
}

// constExpr skips a constant expression up to its end opcode. It accepts
// the instructions Wasm 2.0, extended-const and GC allow there. When the
// expression is a single i32.const or i64.const, value is its value and
// known is true.
func (r *reader) constExpr() (value int64, known bool) {
	for n := 0; r.err == nil; n++ {
		at := r.pos
		op := r.byte()
		switch op {
		case 0x0b:
			return value, known && n == 1
		case 0x41, 0x42: // i32.const, i64.const
			value, known = r.sleb(10), n == 0
			if op == 0x41 {
				value = int64(uint32(value)) // offsets are unsigned
			}
		case 0x43:
			r.skip(4)
		case 0x44:
			r.skip(8)
		case 0x23, 0xd2: // global.get, ref.func
			r.u32()
		case 0xd0: // ref.null
			r.sleb(5)
		case 0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e: // extended-const arithmetic
		case 0xfd: // v128.const
			if r.u32() != 12 {
				r.pos = at
				r.fail("unsupported instruction in constant expression")
				return 0, false
			}
			r.skip(16)
		case 0xfb: // GC allocation and conversion
			switch sub := r.u32(); sub {
			case 0x00, 0x01, 0x06, 0x07: // struct.new(_default), array.new(_default)
				r.u32()
			case 0x08: // array.new_fixed
				r.u32()
				r.u32()
			case 0x1a, 0x1b, 0x1c: // any.convert_extern, extern.convert_any, ref.i31
			default:
				r.pos = at
				r.fail("unsupported instruction in constant expression")
				return 0, false
			}
		default:
			r.pos = at
			r.fail("unsupported instruction " + hexByte(op) + " in constant expression")
			return 0, false
		}
	}
	return 0, false
}

func decodeExports(m *Module, r *reader) {
	n := r.count(3)
	m.Exports = make([]Export, 0, n)
	seen := make(map[string]struct{}, n)
	for i := 0; i < n && r.err == nil; i++ {
		start := r.pos
		e := Export{Name: r.name()}
		e.Kind = r.byte()
		e.Index = r.u32()
		if r.err != nil {
			return
		}
		if e.Kind > KindTag {
			r.pos = start
			r.fail("malformed export kind " + hexByte(e.Kind))
			return
		}
		if _, dup := seen[e.Name]; dup {
			r.pos = start
			r.fail("duplicate export name " + quote(e.Name))
			return
		}
		seen[e.Name] = struct{}{}
		e.Span = Span{Offset: uint32(start), Length: uint32(r.pos - start)}
		m.Exports = append(m.Exports, e)
	}
}
