package wasm

import "unicode/utf8"

// reader is a bounds-checked cursor over a byte range of the file. Every
// read reports failure through err (sticky), so a decoder can read a whole
// entry and check once. Offsets are absolute in the file.
//
// Why not wabin's leb128 over a bytes.Reader? A slice cursor keeps the
// absolute offset of every error for free, never allocates, and decodes at
// memory speed; wabin's encoder still builds the test modules, and the
// LEB128 rules (at most 5 bytes for a u32, unused bits zero) are the same.
type reader struct {
	b    []byte // the whole file
	pos  int    // absolute position
	end  int    // absolute end of the current range
	err  *DecodeError
	what string // context for errors
}

func (r *reader) fail(format string) {
	if r.err == nil {
		r.err = &DecodeError{Kind: Malformed, Offset: uint32(r.pos), Context: r.what, Msg: format}
	}
}

func (r *reader) remaining() int { return r.end - r.pos }

func (r *reader) byte() byte {
	if r.err != nil {
		return 0
	}
	if r.pos >= r.end {
		r.fail("unexpected end")
		return 0
	}
	c := r.b[r.pos]
	r.pos++
	return c
}

// u32 reads an unsigned LEB128 of at most 5 bytes.
func (r *reader) u32() uint32 {
	if p := r.pos; p < r.end && r.b[p] < 0x80 && r.err == nil { // one byte: the common case
		r.pos = p + 1
		return uint32(r.b[p])
	}
	return uint32(r.uleb(5, 32))
}

// u64 reads an unsigned LEB128 of at most 10 bytes.
func (r *reader) u64() uint64 { return r.uleb(10, 64) }

func (r *reader) uleb(maxBytes int, bits uint) uint64 {
	if r.err != nil {
		return 0
	}
	var v uint64
	var shift uint
	for i := 0; i < maxBytes; i++ {
		if r.pos >= r.end {
			r.fail("unexpected end of LEB128 integer")
			return 0
		}
		c := r.b[r.pos]
		r.pos++
		if i == maxBytes-1 {
			// The last byte may carry only the bits that fit.
			if c&0x80 != 0 || (bits < 64 && uint64(c) >= 1<<(bits-shift)) || (bits == 64 && c > 1) {
				r.fail("integer representation too long or too large")
				return 0
			}
		}
		v |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			return v
		}
		shift += 7
	}
	r.fail("integer representation too long")
	return 0
}

// s33 skips a signed LEB128 of at most 5 bytes (a block type or heap type)
// and returns its value when it fits in an int64.
func (r *reader) sleb(maxBytes int) int64 {
	if r.err != nil {
		return 0
	}
	var v int64
	var shift uint
	for i := 0; i < maxBytes; i++ {
		if r.pos >= r.end {
			r.fail("unexpected end of LEB128 integer")
			return 0
		}
		c := r.b[r.pos]
		r.pos++
		v |= int64(c&0x7f) << shift
		shift += 7
		if c&0x80 == 0 {
			if shift < 64 && c&0x40 != 0 {
				v |= -1 << shift
			}
			return v
		}
	}
	r.fail("integer representation too long")
	return 0
}

// skip advances n bytes.
func (r *reader) skip(n uint64) {
	if r.err != nil {
		return
	}
	if n > uint64(r.remaining()) {
		r.fail("length out of bounds")
		r.pos = r.end
		return
	}
	r.pos += int(n)
}

// bytes reads a length-prefixed byte string and returns its span.
func (r *reader) bytesSpan() Span {
	n := r.u32()
	start := r.pos
	r.skip(uint64(n))
	if r.err != nil {
		return Span{}
	}
	return Span{Offset: uint32(start), Length: n}
}

// name reads a length-prefixed UTF-8 name.
func (r *reader) name() string {
	s := r.bytesSpan()
	if r.err != nil {
		return ""
	}
	b := r.b[s.Offset:s.End()]
	if !utf8.Valid(b) {
		r.pos = int(s.Offset)
		r.fail("malformed UTF-8 encoding")
		return ""
	}
	return string(b)
}

// count reads a vector length and checks that at least minSize bytes per
// element remain, so no slice is ever sized by an unchecked count.
func (r *reader) count(minSize int) int {
	at := r.pos
	n := r.u32()
	if r.err != nil {
		return 0
	}
	if uint64(n)*uint64(minSize) > uint64(r.remaining()) {
		r.pos = at
		r.fail("vector length exceeds the section")
		return 0
	}
	return int(n)
}
