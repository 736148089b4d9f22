package rules_test

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	wabinary "github.com/tetratelabs/wabin/binary"
	wabin "github.com/tetratelabs/wabin/wasm"

	"github.com/wasmlint/wasmlint/abiversions"
	"github.com/wasmlint/wasmlint/analyzer"
	"github.com/wasmlint/wasmlint/internal/corpus"
	"github.com/wasmlint/wasmlint/rules"
)

func benchLint(b *testing.B, bin []byte) {
	host, err := abiversions.Select(abiversions.DefaultProfile)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(bin)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		analyzer.Run("bench.wasm", bin, rules.All, analyzer.Config{Host: host})
	}
}

// BenchmarkLintLargestCorpusFile decodes and runs every rule on the largest
// file of the shared corpus (a Go wasip1 filter of about 2.4 MB).
func BenchmarkLintLargestCorpusFile(b *testing.B) {
	var best string
	var size int64
	for _, g := range []string{"corpus/*.wasm", "corpus/wild/*.wasm"} {
		files, _ := filepath.Glob(filepath.Join(corpus.Shared(), g))
		for _, f := range files {
			if st, err := os.Stat(f); err == nil && st.Size() > size {
				best, size = f, st.Size()
			}
		}
	}
	if best == "" {
		b.Skip("shared corpus not found")
	}
	bin, err := os.ReadFile(best)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%s: %d bytes", filepath.Base(best), len(bin))
	benchLint(b, bin)
}

// BenchmarkLintGoFilter lints a 2.4 MB Go wasip1 filter, whose _initialize
// reaches host functions forbidden during start-up: the rules walk its
// start-up call graph, decoding those bodies.
func BenchmarkLintGoFilter(b *testing.B) {
	bin, err := os.ReadFile(filepath.Join(corpus.Shared(), "corpus", "go_wasi_fs.wasm"))
	if err != nil {
		b.Skip("shared corpus not found")
	}
	benchLint(b, bin)
}

var (
	synthOnce sync.Once
	synthBin  []byte
)

// synthetic64MiB builds a 64 MiB filter: 32 MiB of code in 32768
// functions that call one another and the host, and 32 MiB of data.
func synthetic64MiB() []byte {
	synthOnce.Do(func() {
		i32 := wabin.ValueTypeI32
		m := &wabin.Module{
			TypeSection: []*wabin.FunctionType{
				{Params: []wabin.ValueType{i32, i32, i32}, Results: []wabin.ValueType{i32}},
				{},
				{Params: []wabin.ValueType{i32}, Results: []wabin.ValueType{i32}},
				{Params: []wabin.ValueType{i32, i32}},
			},
			ImportSection: []*wabin.Import{{Type: wabin.ExternTypeFunc, Module: "env", Name: "proxy_log", DescFunc: 0}},
			MemorySection: &wabin.Memory{Min: 1024},
		}
		const funcs, bodySize = 32768, 1024
		for i := 0; i < funcs; i++ {
			var body []byte
			next := uint32(1 + (i+1)%funcs)
			body = append(body, 0x02, 0x40, 0x41, 0x01, 0x0d, 0x00)                                    // block; i32.const 1; br_if 0
			body = append(body, 0x10, byte(0x80|next&0x7f), byte(0x80|(next>>7)&0x7f), byte(next>>14)) // call next
			body = append(body, 0x0b)
			for len(body) < bodySize-12 {
				body = append(body, 0x41, 0x2a, 0x41, 0x01, 0x6a, 0x1a) // i32.const 42; i32.const 1; i32.add; drop
			}
			body = append(body, 0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0x10, 0x00, 0x1a, 0x0b) // proxy_log(0,0,0); drop; end
			m.FunctionSection = append(m.FunctionSection, 1)
			m.CodeSection = append(m.CodeSection, &wabin.Code{Body: body})
		}
		m.ExportSection = []*wabin.Export{
			{Type: wabin.ExternTypeFunc, Name: "proxy_abi_version_0_2_1", Index: 1},
			{Type: wabin.ExternTypeMemory, Name: "memory", Index: 0},
		}
		m.DataSection = []*wabin.DataSegment{{OffsetExpression: &wabin.ConstantExpression{Opcode: wabin.OpcodeI32Const, Data: []byte{0}}, Init: make([]byte, 32<<20)}}
		synthBin = wabinary.EncodeModule(m)
	})
	return synthBin
}

// BenchmarkLintSynthetic64MiB decodes and runs every rule on a 64 MiB module.
func BenchmarkLintSynthetic64MiB(b *testing.B) {
	benchLint(b, synthetic64MiB())
}
