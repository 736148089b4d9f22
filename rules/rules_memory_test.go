package rules_test

import (
	"testing"

	"github.com/wasmlint/wasmlint/analyzer"
	wt "github.com/wasmlint/wasmlint/internal/wasmtest"
	"github.com/wasmlint/wasmlint/rules"
)

// Memory rules: PW401-PW406. Shared and 64-bit memories carry limits flags
// wabin cannot encode; wasmtest writes the memory section itself.

func pwMem(min uint32) wt.Option { return wt.Memory(wt.Mem{Min: min}) }

func pwMemMax(min, max uint32) wt.Option { return wt.Memory(wt.Mem{Min: min, Max: max, HasMax: true}) }

func TestMemoryInitialOverCap(t *testing.T) {
	big := wt.Filter(pwMem(20000))
	pwCheck(t, rules.MemoryInitialOverCap, []pwCase{
		{name: "20000 pages", bin: big,
			want: []pwWant{pwF(pwE, "memory 0", "memory 0 starts at 20000 pages (1250 MiB), above envoy@1.39's cap of 16384 pages (1024 MiB)", `envoy@1.39: "Failed to load Wasm bytecode"`)}},
		{name: "20000 pages", host: "envoy@1.24", bin: big,
			want: []pwWant{pwF(pwE, "memory 0", "above envoy@1.24's cap")}},
		{name: "20000 pages", host: "istio@1.24", bin: big,
			want: []pwWant{pwF(pwE, "memory 0", "above istio@1.24's cap")}},
		{name: "20000 pages", host: "higress", bin: big,
			want: []pwWant{pwF(pwE, "memory 0", "above higress@2's cap")}},
		// No cap before Envoy 1.24 (1.23's inclusion of the cap is unconfirmed).
		{name: "20000 pages", host: "envoy@1.22", bin: big},
		{name: "20000 pages", host: "envoy@1.23", bin: big},
		{name: "20000 pages", host: "kong", bin: big},
		{name: "20000 pages", host: "apisix", bin: big},
		{name: "at the cap", bin: wt.Filter(pwMem(16384))},
		{name: "one page over the cap", bin: wt.Filter(pwMem(16385)),
			want: []pwWant{pwF(pwE, "memory 0", "starts at 16385 pages")}},
		{name: "imported memory over the cap", bin: wt.Filter(wt.ImportMemory("env", "memory", wt.Mem{Min: 20000})),
			want: []pwWant{pwF(pwE, "memory 0", "starts at 20000 pages")}},
		{name: "second memory over the cap", bin: wt.Filter(wt.Memory(wt.Mem{Min: 1}, wt.Mem{Min: 20000})),
			want: []pwWant{pwF(pwE, "memory 1", "memory 1 starts at 20000 pages")}},
		// A 64-bit memory is PW403's.
		{name: "64-bit memory", bin: wt.Filter(wt.Memory(wt.Mem{Min: 20000, Is64: true}))},
	})
}

func TestMemoryMaxOverCap(t *testing.T) {
	pwCheck(t, rules.MemoryMaxOverCap, []pwCase{
		{name: "maximum 20000 pages", bin: wt.Filter(pwMemMax(1, 20000)),
			want: []pwWant{pwF(pwN, "memory 0", "memory 0 may grow to 20000 pages (1250 MiB), but envoy@1.39 stops growth at 16384 pages (1024 MiB)")}},
		{name: "maximum 65536 pages", host: "envoy@1.24", bin: wt.Filter(pwMemMax(1, 65536)),
			want: []pwWant{pwF(pwN, "memory 0", "may grow to 65536 pages (4096 MiB)")}},
		{name: "maximum 20000 pages", host: "envoy@1.22", bin: wt.Filter(pwMemMax(1, 20000))},
		{name: "maximum 20000 pages", host: "kong", bin: wt.Filter(pwMemMax(1, 20000))},
		{name: "maximum at the cap", bin: wt.Filter(pwMemMax(1, 16384))},
		{name: "no maximum", bin: wt.Filter(pwMem(100))},
		// The initial size over the cap is PW401's.
		{name: "initial and maximum over the cap", bin: wt.Filter(pwMemMax(20000, 30000))},
		{name: "imported memory", bin: wt.Filter(wt.ImportMemory("env", "memory", wt.Mem{Min: 1, Max: 20000, HasMax: true})),
			want: []pwWant{pwF(pwN, "memory 0", "may grow to 20000 pages")}},
		{name: "64-bit memory", bin: wt.Filter(wt.Memory(wt.Mem{Min: 1, Max: 20000, HasMax: true, Is64: true}))},
	})
}

func TestMemory64(t *testing.T) {
	m64 := wt.Filter(wt.Memory(wt.Mem{Min: 1, Is64: true}))
	pwCheck(t, rules.Memory64, []pwCase{
		{name: "64-bit memory", bin: m64,
			want: []pwWant{pwF(pwE, "memory 0", "memory 0 is a 64-bit memory; Proxy-Wasm hosts are wasm32-only", `envoy@1.39: "Failed to load Wasm bytecode"`)}},
		{name: "64-bit memory", host: "envoy@1.17", bin: m64,
			want: []pwWant{pwF(pwE, "memory 0", "64-bit", `envoy@1.17: "Failed to load Wasm code"`)}},
		{name: "64-bit memory", host: "kong", bin: m64,
			want: []pwWant{pwF(pwE, "memory 0", "64-bit", "!kong@0.6.0:")}},
		{name: "64-bit memory with a maximum", bin: wt.Filter(wt.Memory(wt.Mem{Min: 1, Max: 2, HasMax: true, Is64: true})),
			want: []pwWant{pwF(pwE, "memory 0", "64-bit")}},
		{name: "imported 64-bit memory", bin: wt.Filter(wt.ImportMemory("env", "memory", wt.Mem{Min: 1, Is64: true})),
			want: []pwWant{pwF(pwE, "memory 0", "64-bit")}},
		{name: "second memory", bin: wt.Filter(wt.Memory(wt.Mem{Min: 1}, wt.Mem{Min: 1, Is64: true})),
			want: []pwWant{pwF(pwE, "memory 1", "memory 1 is a 64-bit memory")}},
		{name: "32-bit memory", host: "kong", bin: wt.Filter(pwMemMax(1, 2))},
	})
}

func TestSharedMemory(t *testing.T) {
	shared := wt.Mem{Min: 1, Max: 2, HasMax: true, Shared: true}
	declared := wt.Filter(wt.Memory(shared))
	imported := wt.Filter(wt.ImportMemory("env", "memory", shared))
	pwCheck(t, rules.SharedMemory, []pwCase{
		{name: "shared", bin: declared,
			want: []pwWant{pwF(pwE, "memory 0", "memory 0 is shared; Proxy-Wasm VMs are single-threaded", `envoy@1.39: "Failed to load Wasm bytecode"`)}},
		{name: "shared", host: "envoy@1.16", bin: declared,
			want: []pwWant{pwF(pwE, "memory 0", "is shared", `envoy@1.16: "Failed to initialize Wasm code"`)}},
		{name: "shared", host: "higress", bin: declared,
			want: []pwWant{pwF(pwE, "memory 0", "is shared")}},
		// Kong's Wasmtime enables threads: the module loads.
		{name: "shared", host: "kong", bin: declared,
			want: []pwWant{pwF(pwW, "memory 0", "is shared", "!kong@0.6.0:")}},
		// MOSN's wazero and APISIX's Wasmtime 0.38 do not enable threads.
		{name: "shared", host: "mosn", bin: wt.Filter(wt.ABI("0.2.0"), wt.Memory(shared)),
			want: []pwWant{pwF(pwE, "memory 0", "is shared")}},
		{name: "shared", host: "apisix", bin: declared,
			want: []pwWant{pwF(pwE, "memory 0", "is shared")}},
		{name: "imported shared", bin: imported,
			want: []pwWant{pwF(pwE, "memory 0", "is shared")}},
		// An imported shared memory cannot be provided even where threads work.
		{name: "imported shared", host: "kong", bin: imported,
			want: []pwWant{pwF(pwE, "memory 0", "is shared")}},
		{name: "shared without maximum", bin: wt.Filter(wt.Memory(wt.Mem{Min: 1, Shared: true})),
			want: []pwWant{pwF(pwE, "memory 0", "is shared")}},
		{name: "not shared", host: "kong", bin: wt.Filter(pwMemMax(1, 2))},
	})
}

func TestMultipleMemories(t *testing.T) {
	two := wt.Filter(wt.Memory(wt.Mem{Min: 1}, wt.Mem{Min: 1}))
	pwCheck(t, rules.MultipleMemories, []pwCase{
		{name: "two memories", bin: two,
			want: []pwWant{pwF(pwE, "memory 1", "the module has 2 memories; Proxy-Wasm hosts use exactly one", `envoy@1.39: "Failed to load Wasm bytecode"`)}},
		{name: "two memories", host: "kong", bin: two,
			want: []pwWant{pwF(pwE, "memory 1", "has 2 memories", "!kong@0.6.0:")}},
		{name: "three memories", bin: wt.Filter(wt.Memory(wt.Mem{Min: 1}, wt.Mem{Min: 1}, wt.Mem{Min: 2})),
			want: []pwWant{pwF(pwE, "memory 1", "has 3 memories")}},
		{name: "imported and declared", bin: wt.Filter(wt.AddImport(wt.Import{Module: "env", Name: "memory", Kind: wt.KindMemory, Mem: wt.Mem{Min: 1}})),
			want: []pwWant{pwF(pwE, "memory 1", "has 2 memories")}},
		{name: "one imported memory", bin: wt.Filter(wt.ImportMemory("env", "memory", wt.Mem{Min: 1}))},
		{name: "no memory", bin: wt.Filter(wt.NoMemory())},
	})
}

func TestPerWorkerFootprint(t *testing.T) {
	const mib = 1 << 20
	mem16 := wt.Filter(pwMem(256)) // 16 MiB
	opts := func(workers int, budget uint64) analyzer.Options {
		return analyzer.Options{Workers: workers, MemoryBudget: budget}
	}
	pwCheck(t, rules.PerWorkerFootprint, []pwCase{
		{name: "over budget", bin: mem16, opts: opts(4, 64*mib),
			want: []pwWant{pwF(pwW, "memory 0", "initial memory 16 MiB × (4 workers + 1 base VM) = 80 MiB exceeds the memory budget of 64 MiB")}},
		{name: "over budget", host: "kong", bin: mem16, opts: opts(4, 64*mib),
			want: []pwWant{pwF(pwW, "memory 0", "= 80 MiB exceeds")}},
		{name: "exactly the budget", bin: mem16, opts: opts(4, 80*mib)},
		{name: "one byte under", bin: mem16, opts: opts(4, 80*mib-1),
			want: []pwWant{pwF(pwW, "memory 0", "exceeds the memory budget")}},
		{name: "one worker", bin: mem16, opts: opts(1, 16*mib),
			want: []pwWant{pwF(pwW, "memory 0", "(1 workers + 1 base VM) = 32 MiB")}},
		{name: "no workers", bin: mem16, opts: opts(0, 1)},
		{name: "negative workers", bin: mem16, opts: opts(-1, 1)},
		{name: "no budget", bin: mem16, opts: opts(64, 0)},
		{name: "no memory", bin: wt.Filter(wt.NoMemory()), opts: opts(4, 1)},
		{name: "imported memory counts", bin: wt.Filter(wt.ImportMemory("env", "memory", wt.Mem{Min: 256})), opts: opts(4, 64*mib),
			want: []pwWant{pwF(pwW, "memory 0", "80 MiB")}},
		{name: "one-page filter", bin: wt.Filter(), opts: opts(32, 1*mib),
			want: []pwWant{pwF(pwW, "memory 0", "0.0625 MiB × (32 workers + 1 base VM) = 2.062 MiB exceeds the memory budget of 1 MiB")}},
	})
}
