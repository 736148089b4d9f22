package wasm

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tetratelabs/wabin/binary"
	wabin "github.com/tetratelabs/wabin/wasm"
)

// corpusDirs hold real filters; tests that need them skip when absent.
var corpusDirs = []string{"/work/shared/corpus", "/work/shared/corpus/wild"}

// testModule builds a module whose imports are functions "env"."f0",
// "env"."f1" ... (function indices 0..imports-1) of type 0 and whose
// defined functions have the given bodies (instructions with the final
// end, no locals). Type 0 is [] -> [], type 1 is [] -> [i32 i32].
func testModule(imports int, bodies ...[]byte) *wabin.Module {
	m := &wabin.Module{TypeSection: []*wabin.FunctionType{
		{},
		{Results: []wabin.ValueType{wabin.ValueTypeI32, wabin.ValueTypeI32}},
	}}
	for i := 0; i < imports; i++ {
		m.ImportSection = append(m.ImportSection, &wabin.Import{
			Type: wabin.ExternTypeFunc, Module: "env", Name: "f" + utoa(uint64(i))})
	}
	for _, b := range bodies {
		m.FunctionSection = append(m.FunctionSection, 0)
		m.CodeSection = append(m.CodeSection, &wabin.Code{Body: b})
	}
	return m
}

// scan encodes, decodes and scans m, failing the test on any error.
func scan(t *testing.T, m *wabin.Module) (*Module, *Code) {
	t.Helper()
	bin := binary.EncodeModule(m)
	mod, err := Decode(bin)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	c, err := ScanCode(bin, mod)
	if err != nil {
		t.Fatalf("ScanCode: %v", err)
	}
	return mod, c
}

// cat concatenates instruction byte pieces.
func cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

func TestScanCodeCalls(t *testing.T) {
	const (
		unreachable = 0x00
		nop         = 0x01
		block       = 0x02
		loop        = 0x03
		ifOp        = 0x04
		elseOp      = 0x05
		end         = 0x0b
		br          = 0x0c
		brIf        = 0x0d
		brTable     = 0x0e
		ret         = 0x0f
		call        = 0x10
		i32c0       = 0x41
	)
	tests := []struct {
		name        string
		body        []byte
		calls, must []uint32
		indirect    bool
	}{
		{"straight line", []byte{call, 0, call, 1, end}, []uint32{0, 1}, []uint32{0, 1}, false},
		{"duplicates", []byte{call, 1, call, 0, call, 1, end}, []uint32{1, 0}, []uint32{1, 0}, false},
		{"br_if to function before call", []byte{call, 0, i32c0, 0, brIf, 0, call, 1, end}, []uint32{0, 1}, []uint32{0}, false},
		{"br_if to block before call", []byte{block, 0x40, i32c0, 0, brIf, 0, end, call, 1, end}, []uint32{1}, []uint32{1}, false},
		{"br_if out of block to function", []byte{block, 0x40, i32c0, 0, brIf, 1, end, call, 0, end}, []uint32{0}, nil, false},
		{"call inside if", []byte{i32c0, 0, ifOp, 0x40, call, 0, end, call, 1, end}, []uint32{0, 1}, []uint32{1}, false},
		{"call inside else", []byte{i32c0, 0, ifOp, 0x40, nop, elseOp, call, 0, end, call, 1, end}, []uint32{0, 1}, []uint32{1}, false},
		{"call after return", []byte{call, 0, ret, call, 1, end}, []uint32{0, 1}, []uint32{0}, false},
		{"return inside if", []byte{i32c0, 0, ifOp, 0x40, ret, end, call, 1, end}, []uint32{1}, nil, false},
		{"call after unreachable", []byte{unreachable, call, 0, end}, []uint32{0}, nil, false},
		{"unreachable inside if", []byte{i32c0, 0, ifOp, 0x40, unreachable, end, call, 0, end}, []uint32{0}, []uint32{0}, false},
		{"block ending in unreachable", []byte{block, 0x40, unreachable, end, call, 0, end}, []uint32{0}, nil, false},
		{"block left by br", []byte{block, 0x40, br, 0, end, call, 0, end}, []uint32{0}, []uint32{0}, false},
		{"endless loop", []byte{loop, 0x40, br, 0, end, call, 0, end}, []uint32{0}, nil, false},
		{"br_table", []byte{i32c0, 0, brTable, 1, 0, 0, call, 0, end}, []uint32{0}, nil, false},
		{"br_table out of block", []byte{block, 0x40, i32c0, 0, brTable, 1, 0, 1, end, call, 0, end}, []uint32{0}, nil, false},
		{"depth-1 block", []byte{block, 0x40, call, 0, i32c0, 0, brIf, 0, call, 1, end, call, 2, end},
			[]uint32{0, 1, 2}, []uint32{0, 2}, false},
		{"depth-1 loop", []byte{loop, 0x40, call, 0, end, call, 1, end}, []uint32{0, 1}, []uint32{0, 1}, false},
		{"depth-1 block left from depth 2", []byte{block, 0x40, block, 0x40, i32c0, 0, brIf, 1, end, call, 0, end, call, 1, end},
			[]uint32{0, 1}, []uint32{1}, false},
		{"depth-1 block left from an if", []byte{block, 0x40, i32c0, 0, ifOp, 0x40, br, 1, end, call, 0, end, call, 1, end},
			[]uint32{0, 1}, []uint32{1}, false},
		{"depth-1 block, inner branch stays inside", []byte{block, 0x40, block, 0x40, br, 0, end, call, 0, end, end},
			[]uint32{0}, []uint32{0}, false},
		{"depth 2 is never a must-call", []byte{block, 0x40, block, 0x40, call, 0, end, end, end}, []uint32{0}, nil, false},
		{"return_call", []byte{call, 0, 0x12, 1, call, 2, end}, []uint32{0, 1, 2}, []uint32{0, 1}, false},
		{"call_indirect", []byte{i32c0, 0, 0x11, 0, 0, call, 0, end}, []uint32{0}, []uint32{0}, true},
		{"throw", []byte{0x08, 0, call, 0, end}, []uint32{0}, nil, false},
		{"try_table catch to the function", []byte{0x1f, 0x40, 1, 0x02, 0, call, 0, end, call, 1, end},
			[]uint32{0, 1}, nil, false},
		{"br_on_null to the function", []byte{0xd0, 0x70, 0xd5, 0, 0x1a, call, 0, end}, []uint32{0}, nil, false},
		{"out-of-range callee", []byte{call, 9, call, 0, end}, []uint32{0}, []uint32{0}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, c := scan(t, testModule(3, tc.body))
			if len(c.Calls) != 1 || len(c.MustCalls) != 1 || len(c.Bodies) != 1 {
				t.Fatalf("want one function, got %d calls, %d must-calls, %d bodies", len(c.Calls), len(c.MustCalls), len(c.Bodies))
			}
			if !equalU32(c.Calls[0], tc.calls) {
				t.Errorf("Calls = %v, want %v", c.Calls[0], tc.calls)
			}
			if !equalU32(c.MustCalls[0], tc.must) {
				t.Errorf("MustCalls = %v, want %v", c.MustCalls[0], tc.must)
			}
			if c.Indirect[0] != tc.indirect {
				t.Errorf("Indirect = %v, want %v", c.Indirect[0], tc.indirect)
			}
			if got, want := c.Bodies[0].Length, uint32(len(tc.body)+1); got != want {
				t.Errorf("body length %d, want %d", got, want)
			}
			if m.NumFuncImports != 3 {
				t.Errorf("NumFuncImports = %d", m.NumFuncImports)
			}
		})
	}
}

func equalU32(a, b []uint32) bool {
	return len(a) == len(b) && (len(a) == 0 || reflect.DeepEqual(a, b))
}

func TestScanCodeFeatures(t *testing.T) {
	v128const := cat([]byte{0xfd, 0x0c}, make([]byte, 16), []byte{0x1a})
	tests := []struct {
		name  string
		instr []byte // placed after one nop
		want  Feature
		at    map[Feature]int // offset in instr of each feature's first use, if not 0
	}{
		{"v128.const", v128const, FeatSIMD, nil},
		{"i8x16.shuffle", cat([]byte{0xfd, 0x0d}, make([]byte, 16)), FeatSIMD, nil},
		{"v128.load8_lane", []byte{0xfd, 0x54, 0x00, 0x00, 0x03}, FeatSIMD, nil},
		{"i8x16.extract_lane_s", []byte{0xfd, 0x15, 0x07}, FeatSIMD, nil},
		{"f64x2.promote_low_f32x4", []byte{0xfd, 0x5f}, FeatSIMD, nil},
		{"f64x2.convert_low_i32x4_u", []byte{0xfd, 0xff, 0x01}, FeatSIMD, nil},
		{"i8x16.relaxed_swizzle", []byte{0xfd, 0x80, 0x02}, FeatSIMD | FeatRelaxedSIMD, nil},
		{"i32x4.relaxed_dot_i8x16_i7x16_add_s", []byte{0xfd, 0x93, 0x02}, FeatSIMD | FeatRelaxedSIMD, nil},
		{"memory.atomic.notify", []byte{0xfe, 0x00, 0x02, 0x00}, FeatThreads, nil},
		{"atomic.fence", []byte{0xfe, 0x03, 0x00}, FeatThreads, nil},
		{"i64.atomic.rmw.cmpxchg", []byte{0xfe, 0x4e, 0x03, 0x08}, FeatThreads, nil},
		{"return_call", []byte{0x12, 0x00}, FeatTailCall, nil},
		{"return_call_indirect", []byte{0x41, 0, 0x13, 0x00, 0x00}, FeatTailCall, map[Feature]int{FeatTailCall: 2}},
		{"return_call_ref", []byte{0xd2, 0, 0x15, 0x00}, FeatTailCall | FeatFuncRefs | FeatRefTypes,
			map[Feature]int{FeatTailCall: 2, FeatFuncRefs: 2}},
		{"try catch_all", []byte{0x06, 0x40, 0x19, 0x0b}, FeatExceptionsLegacy, nil},
		{"throw alone", []byte{0x08, 0x00}, FeatExceptionsLegacy, nil},
		{"try delegate", []byte{0x06, 0x40, 0x18, 0x00}, FeatExceptionsLegacy, nil},
		{"try_table", []byte{0x1f, 0x40, 0x02, 0x00, 0x00, 0x00, 0x03, 0x00, 0x0b}, FeatExceptions, nil},
		{"try_table then throw", []byte{0x08, 0x00, 0x1f, 0x40, 0x00, 0x0b}, FeatExceptions, nil}, // throw first
		{"throw_ref", []byte{0x0a}, FeatExceptions, nil},
		{"ref.eq", []byte{0xd3}, FeatGC, nil},
		{"struct.get", []byte{0xfb, 0x02, 0x00, 0x01}, FeatGC, nil},
		{"array.new_fixed", []byte{0xfb, 0x08, 0x00, 0x03}, FeatGC, nil},
		{"ref.cast null", []byte{0xfb, 0x17, 0x6e}, FeatGC, nil},
		{"br_on_cast", []byte{0xfb, 0x18, 0x03, 0x00, 0x6e, 0x6c}, FeatGC, nil},
		{"ref.i31", []byte{0xfb, 0x1c}, FeatGC, nil},
		{"call_ref", []byte{0x14, 0x00}, FeatFuncRefs, nil},
		{"ref.as_non_null", []byte{0xd4}, FeatFuncRefs, nil},
		{"br_on_non_null", []byte{0xd6, 0x00}, FeatFuncRefs, nil},
		{"memory.copy", []byte{0xfc, 0x0a, 0x00, 0x00}, FeatBulkMemory, nil},
		{"memory.init", []byte{0xfc, 0x08, 0x00, 0x00}, FeatBulkMemory, nil},
		{"table.copy", []byte{0xfc, 0x0e, 0x00, 0x00}, FeatBulkMemory, nil},
		{"ref.null func", []byte{0xd0, 0x70}, FeatRefTypes, nil},
		{"ref.func", []byte{0xd2, 0x00}, FeatRefTypes, nil},
		{"table.get", []byte{0x41, 0, 0x25, 0x00}, FeatRefTypes, map[Feature]int{FeatRefTypes: 2}},
		{"table.size", []byte{0xfc, 0x10, 0x00}, FeatRefTypes, nil},
		{"typed select", []byte{0x1c, 0x01, 0x7f}, FeatRefTypes, nil},
		{"call_indirect on table 1", []byte{0x41, 0, 0x11, 0x00, 0x01}, FeatRefTypes, map[Feature]int{FeatRefTypes: 2}},
		{"i32.extend8_s", []byte{0xc0}, FeatSignExt, nil},
		{"i64.trunc_sat_f64_u", []byte{0xfc, 0x07}, FeatSatConv, nil},
		{"i32.load from memory 1", []byte{0x41, 0, 0x28, 0x42, 0x01, 0x00}, FeatMultiMemory, map[Feature]int{FeatMultiMemory: 2}},
		{"memory.size 1", []byte{0x3f, 0x01}, FeatMultiMemory, nil},
		{"memory.fill 2", []byte{0xfc, 0x0b, 0x02}, FeatMultiMemory | FeatBulkMemory, nil},
		{"block of type 1", []byte{0x02, 0x01, 0x0b}, FeatMultiValue, nil},
		{"block of v128", []byte{0x02, 0x7b, 0x0b}, FeatSIMD, nil},
		{"memory64 offset", []byte{0x41, 0, 0x28, 0x02, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}, 0, nil},
		{"MVP", []byte{0x41, 0x7f, 0x42, 0x80, 0x7f, 0x43, 0, 0, 0, 0, 0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0x6a, 0xbf}, 0, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, c := scan(t, testModule(1, cat([]byte{0x01}, tc.instr, []byte{0x0b})))
			if c.Features != tc.want {
				t.Fatalf("Features = %v, want %v", c.Features.Names(), tc.want.Names())
			}
			base := c.Bodies[0].Offset + 2 // locals count, nop
			for f, off := range c.FeatureAt {
				if want := base + uint32(tc.at[f]); off != want {
					t.Errorf("FeatureAt[%v] = %#x, want %#x", f.Names(), off, want)
				}
			}
			if len(c.FeatureAt) != len(tc.want.Names()) {
				t.Errorf("FeatureAt has %d entries for %v", len(c.FeatureAt), tc.want.Names())
			}
		})
	}
}

func TestScanCodeFeatureOffsets(t *testing.T) {
	// Two functions: the first feature use of each kind wins.
	_, c := scan(t, testModule(0,
		[]byte{0x01, 0x01, 0xc0, 0xfc, 0x00, 0x0b},
		[]byte{0xc1, 0x41, 0, 0x28, 0x42, 0x01, 0x00, 0x1a, 0x0b}))
	b0, b1 := c.Bodies[0].Offset, c.Bodies[1].Offset
	want := map[Feature]uint32{FeatSignExt: b0 + 3, FeatSatConv: b0 + 4, FeatMultiMemory: b1 + 4}
	if !reflect.DeepEqual(c.FeatureAt, want) {
		t.Errorf("FeatureAt = %v, want %v", c.FeatureAt, want)
	}
	if got := (FeatSignExt | FeatSatConv | FeatMultiMemory).Names(); !reflect.DeepEqual(got,
		[]string{"sign-extension", "saturating-float-to-int", "multi-memory"}) {
		t.Errorf("Names = %v", got)
	}
	all := Feature(1<<numFeatures - 1)
	if n := len(all.Names()); n != 14 {
		t.Errorf("%d feature names, want 14", n)
	}
	if s := (FeatSIMD | FeatGC).String(); s != "simd128,gc" {
		t.Errorf("String = %q", s)
	}
}

func TestScanCodeLocals(t *testing.T) {
	m := testModule(0, []byte{0x0b})
	m.CodeSection[0].LocalTypes = []wabin.ValueType{wabin.ValueTypeI32, 0x7b, 0x7b, wabin.ValueTypeExternref}
	_, c := scan(t, m)
	if c.Features != FeatSIMD|FeatRefTypes {
		t.Errorf("Features = %v", c.Features.Names())
	}
	// locals: count 3; (1, i32) (2, v128) (1, externref)
	if at := c.FeatureAt[FeatSIMD]; at != c.Bodies[0].Offset+4 {
		t.Errorf("FeatureAt[simd] = %#x, body at %#x", at, c.Bodies[0].Offset)
	}
}

// rawModule is a module with one function of type [] -> [] whose body
// (locals included) is given as is.
func rawModule(body []byte) []byte {
	code := cat(leb(1), leb(uint32(len(body))), body)
	return cat([]byte{0, 'a', 's', 'm', 1, 0, 0, 0},
		[]byte{SecType, 4, 1, 0x60, 0, 0},
		[]byte{SecFunction, 2, 1, 0},
		[]byte{SecCode}, leb(uint32(len(code))), code)
}

func leb(v uint32) []byte {
	var b []byte
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v == 0 {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

func TestScanCodeErrors(t *testing.T) {
	tests := []struct {
		name string
		body []byte // with locals
		at   int    // offset of the error in body
		msg  string
	}{
		{"truncated LEB", []byte{0, 0x41, 0x80}, 3, "unexpected end of LEB128"},
		{"truncated f64.const", []byte{0, 0x44, 0, 0}, 2, "length out of bounds"},
		{"truncated v128.const", []byte{0, 0xfd, 0x0c, 0, 0}, 3, "length out of bounds"},
		{"missing end", []byte{0, 0x01}, 2, "missing end"},
		{"missing end of block", []byte{0, 0x02, 0x40, 0x0b}, 4, "missing end"},
		{"unknown opcode", []byte{0, 0x01, 0x27, 0x0b}, 2, "unknown opcode 0x27"},
		{"unknown opcode 0xff", []byte{0, 0xff, 0x0b}, 1, "unknown opcode 0xff"},
		{"unknown simd opcode", []byte{0, 0xfd, 0x9a, 0x01, 0x0b}, 1, "unknown opcode 0xfd 154"},
		{"unknown relaxed simd opcode", []byte{0, 0xfd, 0x94, 0x02, 0x0b}, 1, "unknown opcode 0xfd 276"},
		{"unknown misc opcode", []byte{0, 0xfc, 0x12, 0x0b}, 1, "unknown opcode 0xfc 18"},
		{"unknown atomic opcode", []byte{0, 0xfe, 0x4f, 0x0b}, 1, "unknown opcode 0xfe 79"},
		{"unknown gc opcode", []byte{0, 0xfb, 0x1f, 0x0b}, 1, "unknown opcode 0xfb 31"},
		{"trailing bytes", []byte{0, 0x0b, 0x01}, 2, "continues after its final end"},
		{"else outside if", []byte{0, 0x05, 0x0b}, 1, "else outside an if"},
		{"second else", []byte{0, 0x41, 0, 0x04, 0x40, 0x05, 0x05, 0x0b, 0x0b}, 6, "else outside an if"},
		{"catch outside try", []byte{0, 0x02, 0x40, 0x19, 0x0b, 0x0b}, 3, "catch outside a try"},
		{"bad block type", []byte{0, 0x02, 0x50, 0x0b}, 2, "malformed value type"},
		{"negative block type index", []byte{0, 0x02, 0xff, 0x7e, 0x0b}, 2, "malformed block type"},
		{"bad memarg flags", []byte{0, 0x41, 0, 0x28, 0x80, 0x01, 0, 0x0b}, 3, "malformed memop flags"},
		{"bad fence", []byte{0, 0xfe, 0x03, 0x01, 0x0b}, 1, "atomic.fence"},
		{"bad catch kind", []byte{0, 0x1f, 0x40, 0x01, 0x04, 0x00, 0x0b, 0x0b}, 4, "catch clause"},
		{"too many locals", cat([]byte{2}, []byte{0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f}, []byte{0x01, 0x7f}, []byte{0x0b}), 8, "too many locals"},
		{"locals vector too long", []byte{0x05, 0x01, 0x7f, 0x0b}, 0, "vector length"},
		{"bad local type", []byte{0x01, 0x01, 0x01, 0x0b}, 2, "malformed value type"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bin := rawModule(tc.body)
			m, err := Decode(bin)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			c, err := ScanCode(bin, m)
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("ScanCode = %v, %v; want a *DecodeError", c, err)
			}
			bodyAt := len(bin) - len(tc.body)
			if de.Kind != Malformed || de.Context != "code section, function 0" ||
				int(de.Offset) != bodyAt+tc.at || !strings.Contains(de.Msg, tc.msg) {
				t.Errorf("error %v (offset %#x), want %q at %#x", de, de.Offset, tc.msg, bodyAt+tc.at)
			}
			if c != nil {
				t.Errorf("Code not nil on error")
			}
		})
	}
}

func TestScanCodeSectionErrors(t *testing.T) {
	good := rawModule([]byte{0, 0x0b})
	m, err := Decode(good)
	if err != nil {
		t.Fatal(err)
	}
	// A body size beyond the section; Decode skips bodies, ScanCode finds it.
	bad := append([]byte(nil), good...)
	bad[len(bad)-3] = 9
	if _, err := Decode(bad); err != nil {
		t.Fatal(err)
	}
	if _, err := ScanCode(bad, m); err == nil || !strings.Contains(err.Error(), "exceeds the code section") {
		t.Errorf("ScanCode = %v", err)
	}
	// A body that ends before the section does.
	short := cat(good[:len(good)-6], []byte{SecCode, 5, 1, 2, 0, 0x0b, 0x01})
	if m, err = Decode(short); err != nil {
		t.Fatal(err)
	}
	if _, err := ScanCode(short, m); err == nil || !strings.Contains(err.Error(), "after the last body") {
		t.Errorf("ScanCode = %v", err)
	}
	// Bytes that are not those m came from.
	if _, err := ScanCode(good[:len(good)-2], m); err == nil {
		t.Errorf("ScanCode on truncated bytes succeeded")
	}
	// No code section at all.
	empty := []byte{0, 'a', 's', 'm', 1, 0, 0, 0}
	m, _ = Decode(empty)
	if c, err := ScanCode(empty, m); err != nil || c.Features != 0 || len(c.Calls) != 0 {
		t.Errorf("ScanCode(empty) = %v, %v", c, err)
	}
}

func TestScanCodeDeepNesting(t *testing.T) {
	const depth = 100000
	body := []byte{0}
	for i := 0; i < depth; i++ {
		body = append(body, 0x02, 0x40)
	}
	body = append(body, 0x10, 0) // call 0 at the deepest level
	for i := 0; i <= depth; i++ {
		body = append(body, 0x0b)
	}
	bin := rawModule(body)
	m, err := Decode(bin)
	if err != nil {
		t.Fatal(err)
	}
	c, err := ScanCode(bin, m)
	if err != nil {
		t.Fatal(err)
	}
	if !equalU32(c.Calls[0], []uint32{0}) || len(c.MustCalls[0]) != 0 {
		t.Errorf("Calls = %v, MustCalls = %v", c.Calls[0], c.MustCalls[0])
	}
	// One end short: the body ends inside the blocks.
	bin = rawModule(body[:len(body)-1])
	m, _ = Decode(bin)
	if _, err := ScanCode(bin, m); err == nil || !strings.Contains(err.Error(), "missing end") {
		t.Errorf("ScanCode = %v", err)
	}
}

func TestReach(t *testing.T) {
	// 0 env.f0 (like proc_exit), 1 env.f1; 2 calls 3 then 4 inside an if;
	// 3 calls 0; 4 calls 1; 5 calls indirectly; 6 is only in the table.
	m := testModule(2,
		[]byte{0x10, 3, 0x41, 0, 0x04, 0x40, 0x10, 4, 0x0b, 0x0b}, // 2
		[]byte{0x10, 0, 0x0b},             // 3
		[]byte{0x01, 0x10, 1, 0x0b},       // 4
		[]byte{0x41, 0, 0x11, 0, 0, 0x0b}, // 5
		[]byte{0x10, 1, 0x0b},             // 6
	)
	m.TableSection = []*wabin.Table{{Min: 1, Type: wabin.RefTypeFuncref}}
	six := uint32(6)
	m.ElementSection = []*wabin.ElementSegment{{
		OffsetExpr: &wabin.ConstantExpression{Opcode: wabin.OpcodeI32Const, Data: []byte{0}},
		Init:       []*wabin.Index{&six}, Type: wabin.RefTypeFuncref, Mode: wabin.ElementModeActive}}
	mod, c := scan(t, m)
	if !equalU32(c.ElemFuncs, []uint32{6}) {
		t.Errorf("ElemFuncs = %v", c.ElemFuncs)
	}
	tests := []struct {
		root, target uint32
		must, may    []uint32
	}{
		{2, 0, []uint32{2, 3, 0}, []uint32{2, 3, 0}},
		{2, 1, nil, []uint32{2, 4, 1}},
		{2, 2, []uint32{2}, []uint32{2}},
		{3, 1, nil, nil},
		{5, 1, nil, nil},
		{0, 1, nil, nil},
		{2, 99, nil, nil},
	}
	for _, tc := range tests {
		must, ok := c.MustReach(mod, tc.root, tc.target)
		if ok != (tc.must != nil) || !equalU32(must, tc.must) {
			t.Errorf("MustReach(%d, %d) = %v, %v; want %v", tc.root, tc.target, must, ok, tc.must)
		}
		may, ok := c.MayReach(mod, tc.root, tc.target)
		if ok != (tc.may != nil) || !equalU32(may, tc.may) {
			t.Errorf("MayReach(%d, %d) = %v, %v; want %v", tc.root, tc.target, may, ok, tc.may)
		}
	}
	if got := c.Reachable(mod, false, 2); !reflect.DeepEqual(got, []bool{true, true, true, true, true, false, false}) {
		t.Errorf("Reachable(2) = %v", got)
	}
	if got := c.Reachable(mod, false, 5); !reflect.DeepEqual(got, []bool{false, false, false, false, false, true, false}) {
		t.Errorf("Reachable(5) = %v", got)
	}
	if got := c.Reachable(mod, true, 5, 42); !reflect.DeepEqual(got, []bool{false, true, false, false, false, true, true}) {
		t.Errorf("Reachable(5, indirect) = %v", got)
	}
}

func TestScanCodeElements(t *testing.T) {
	// Element section forms 1 (passive, func indices), 3 (declarative) and
	// 5 (passive, expressions), built by hand; ref.func in a body.
	elem := cat([]byte{3},
		[]byte{1, 0x00, 2, 1, 2},
		[]byte{3, 0x00, 1, 0},
		[]byte{5, 0x70, 2, 0xd2, 3, 0x0b, 0xd0, 0x70, 0x0b})
	body := []byte{0, 0xd2, 0, 0x1a, 0x0b}
	code := cat([]byte{4}, leb(uint32(len(body))), body, leb(uint32(len(body))), body,
		leb(uint32(len(body))), body, leb(uint32(len(body))), body)
	bin := cat([]byte{0, 'a', 's', 'm', 1, 0, 0, 0},
		[]byte{SecType, 4, 1, 0x60, 0, 0},
		[]byte{SecFunction, 5, 4, 0, 0, 0, 0},
		[]byte{SecElement}, leb(uint32(len(elem))), elem,
		[]byte{SecCode}, leb(uint32(len(code))), code)
	m, err := Decode(bin)
	if err != nil {
		t.Fatal(err)
	}
	c, err := ScanCode(bin, m)
	if err != nil {
		t.Fatal(err)
	}
	if !equalU32(c.ElemFuncs, []uint32{1, 2, 0, 3}) || !equalU32(c.RefFuncs, []uint32{0}) {
		t.Errorf("ElemFuncs = %v, RefFuncs = %v", c.ElemFuncs, c.RefFuncs)
	}
	// A malformed segment is reported (Decode rejects it too; ScanCode is
	// given the module decoded from the good bytes).
	bad := append([]byte(nil), bin...)
	bad[len(bin)-len(code)-2-len(elem)+1] = 9 // flags of the first segment
	if _, err := ScanCode(bad, m); err == nil || !strings.Contains(err.Error(), "element section") {
		t.Errorf("ScanCode = %v", err)
	}
}

// corpusFiles lists the .wasm files of the corpus directories that exist.
func corpusFiles(tb testing.TB) []string {
	var files []string
	found := false
	for _, dir := range corpusDirs {
		names, err := filepath.Glob(filepath.Join(dir, "*.wasm"))
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := os.Stat(dir); err == nil {
			found = true
		}
		files = append(files, names...)
	}
	if !found {
		tb.Skip("no corpus: none of " + strings.Join(corpusDirs, ", ") + " exists")
	}
	return files
}

func TestScanCodeCorpus(t *testing.T) {
	files := corpusFiles(t)
	for _, name := range files {
		bin, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		m, err := Decode(bin)
		if err != nil {
			continue // not a module Decode accepts
		}
		c, err := ScanCode(bin, m)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(name), err)
			continue
		}
		checkCode(t, m, c)
	}
}

// checkCode checks the invariants of a scan.
func checkCode(t *testing.T, m *Module, c *Code) {
	t.Helper()
	n := len(m.Funcs)
	if len(c.Bodies) != n || len(c.Calls) != n || len(c.MustCalls) != n || len(c.Indirect) != n {
		t.Fatalf("%d functions, %d bodies, %d calls, %d must-calls, %d indirect",
			n, len(c.Bodies), len(c.Calls), len(c.MustCalls), len(c.Indirect))
	}
	total := m.NumFuncImports + uint32(n)
	for i := range c.Calls {
		in := map[uint32]bool{}
		for _, f := range c.Calls[i] {
			if f >= total || in[f] {
				t.Fatalf("function %d: bad or repeated callee %d", i, f)
			}
			in[f] = true
		}
		for _, f := range c.MustCalls[i] {
			if !in[f] {
				t.Fatalf("function %d: must-call %d is not a call", i, f)
			}
		}
		if b := c.Bodies[i]; int(b.End()) > m.Size {
			t.Fatalf("function %d: body %v beyond the file", i, b)
		}
	}
	if len(c.FeatureAt) != len(c.Features.Names()) {
		t.Fatalf("FeatureAt %v for features %v", c.FeatureAt, c.Features.Names())
	}
}

func BenchmarkScanCode(b *testing.B) {
	var best string
	var size int64
	for _, name := range corpusFiles(b) {
		if st, err := os.Stat(name); err == nil && st.Size() > size {
			if bin, err := os.ReadFile(name); err == nil {
				if _, err := Decode(bin); err == nil {
					best, size = name, st.Size()
				}
			}
		}
	}
	if best == "" {
		b.Skip("no corpus file decodes")
	}
	bin, _ := os.ReadFile(best)
	m, _ := Decode(bin)
	b.SetBytes(int64(len(bin)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := ScanCode(bin, m); err != nil {
			b.Fatal(err)
		}
	}
}
