package wasm

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// maxFuzzSeed bounds the corpus files used as seeds: large ones make every
// mutation, and above all the minimization of every new input, slow;
// TestScanCodeCorpus covers them.
const maxFuzzSeed = 4 << 10

func FuzzScanCode(f *testing.F) {
	for _, dir := range corpusDirs {
		names, _ := filepath.Glob(filepath.Join(dir, "*.wasm"))
		for _, name := range names {
			if st, err := os.Stat(name); err != nil || st.Size() > maxFuzzSeed {
				continue
			}
			if bin, err := os.ReadFile(name); err == nil {
				f.Add(bin)
			}
		}
	}
	f.Add(rawModule([]byte{0, 0x0b}))
	f.Add(rawModule([]byte{1, 2, 0x7b, 0x02, 0x40, 0x10, 0, 0x0d, 0, 0x0b, 0x10, 0, 0x0b}))
	f.Add(rawModule([]byte{0, 0x1f, 0x40, 1, 0, 0, 0, 0xfd, 0x0c, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
		0x1a, 0x0b, 0xfb, 0x18, 0x01, 0x00, 0x6e, 0x00, 0x0b}))
	f.Add(rawModule([]byte{0, 0x28, 0x42, 0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0xfe, 0x03, 0x00, 0x0b}))
	f.Fuzz(func(t *testing.T, bin []byte) {
		m, err := Decode(bin)
		if err != nil {
			return
		}
		c, err := ScanCode(bin, m)
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) || de.Kind != Malformed || c != nil {
				t.Fatalf("ScanCode = %v, %#v", c, err)
			}
			return
		}
		checkCode(t, m, c)
		// A few exports and targets keep each run fast.
		n := m.NumFuncImports + uint32(len(m.Funcs))
		for i, e := range m.Exports {
			if i >= 4 || e.Kind != KindFunc || e.Index >= n {
				continue
			}
			reach := c.Reachable(m, true, e.Index)
			for target := uint32(0); target < n && target < 8; target++ {
				path, may := c.MayReach(m, e.Index, target)
				if may && (path[0] != e.Index || path[len(path)-1] != target || !reach[target]) {
					t.Fatalf("MayReach(%d, %d) = %v", e.Index, target, path)
				}
				if _, must := c.MustReach(m, e.Index, target); must && !may {
					t.Fatalf("MustReach(%d, %d) without MayReach", e.Index, target)
				}
			}
		}
	})
}
