package rules_test

import (
	"math/rand"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/wasmlint/wasmlint/abiversions"
	"github.com/wasmlint/wasmlint/analyzer"
	"github.com/wasmlint/wasmlint/internal/corpus"
	"github.com/wasmlint/wasmlint/rules"
)

// TestMutations lints thousands of corrupted variants of real filters (byte
// flips, truncations, overlong LEB128 integers, length fields set to huge
// values) under several host profiles. Every run must end in findings or a
// clean result, never a panic or a hang; a generous per-run bound catches
// a hang without timing the code.
func TestMutations(t *testing.T) {
	var seeds [][]byte
	for _, g := range []string{"corpus/*.wasm", "corpus/wild/*.wasm"} {
		files, _ := filepath.Glob(filepath.Join(corpus.Shared(), g))
		for _, f := range files {
			if st, err := os.Stat(f); err == nil && st.Size() <= 128<<10 {
				if b, err := os.ReadFile(f); err == nil {
					seeds = append(seeds, b)
				}
			}
		}
	}
	seeds = append(seeds, readTestdata(t)...)
	var hosts []*abiversions.Profile
	for _, sel := range []string{"envoy", "envoy@1.18", "kong", "apisix", "mosn"} {
		h, err := abiversions.Select(sel)
		if err != nil {
			t.Fatal(err)
		}
		hosts = append(hosts, h)
	}
	n := 20000
	if testing.Short() {
		n = 1000
	}
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < n; i++ {
		seed := seeds[rng.Intn(len(seeds))]
		bin, what := mutate(rng, seed)
		host := hosts[i%len(hosts)]
		start := time.Now()
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("mutation %d (%s) on %s panicked: %v", i, what, host.Name(), r)
				}
			}()
			res := analyzer.Run("mutant.wasm", bin, rules.All, analyzer.Config{Host: host})
			for _, d := range res.Diagnostics {
				if int64(d.Span.Offset)+int64(d.Span.Length) > int64(len(bin)) {
					t.Errorf("mutation %d (%s): %s span %+v outside the %d-byte input", i, what, d.Rule, d.Span, len(bin))
				}
			}
		}()
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("mutation %d (%s) took %v: a hang", i, what, d)
		}
	}
}

func readTestdata(t *testing.T) [][]byte {
	files, _ := filepath.Glob("../testdata/*/*.wasm")
	var out [][]byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// mutate returns a corrupted copy of b and what was done to it.
func mutate(rng *rand.Rand, b []byte) ([]byte, string) {
	out := append([]byte(nil), b...)
	if len(out) < 9 {
		return out, "unchanged"
	}
	switch rng.Intn(5) {
	case 0: // flip bits in a few bytes
		for k := 0; k < 1+rng.Intn(4); k++ {
			out[8+rng.Intn(len(out)-8)] ^= byte(1 << rng.Intn(8))
		}
		return out, "bit flips"
	case 1: // truncate
		return out[:8+rng.Intn(len(out)-8)], "truncation"
	case 2: // overlong LEB128: insert a continuation byte
		i := 8 + rng.Intn(len(out)-8)
		out = append(out[:i], append([]byte{out[i] | 0x80, 0x80, 0x00}, out[i+1:]...)...)
		return out, "overlong LEB128"
	case 3: // a length or count set to a huge value
		i := 8 + rng.Intn(len(out)-8)
		huge := []byte{0xff, 0xff, 0xff, 0xff, 0x0f}
		return append(out[:i], append(huge, out[i:]...)...), "huge length"
	default: // random bytes over a span
		i := 8 + rng.Intn(len(out)-8)
		for k := i; k < len(out) && k < i+16; k++ {
			out[k] = byte(rng.Intn(256))
		}
		return out, "random span"
	}
}
