package rules

import (
	"fmt"

	"github.com/wasmlint/wasmlint/abiversions"
	"github.com/wasmlint/wasmlint/analyzer"
)

const pageSize = 64 << 10

func memSubject(i int) string { return fmt.Sprintf("memory %d", i) }

func mib(pages uint64) string {
	return fmt.Sprintf("%.4g MiB", float64(pages)*pageSize/(1<<20))
}

// MemoryInitialOverCap reports an initial memory above the host's cap.
var MemoryInitialOverCap = &analyzer.Rule{
	ID: "PW401", Name: "memory-initial-exceeds-host-cap", Severity: analyzer.Error,
	Title: "the initial memory exceeds the host's memory cap",
	What:  "The module's memory starts larger than the host allows one VM: proxy-wasm-cpp-host caps linear memory at 1 GiB (16384 pages) on V8 since Envoy 1.23.",
	Why:   "V8 rejects a module whose initial memory exceeds `--wasm_max_mem_pages` while compiling it, so the VM never loads; and every worker thread would hold that memory anyway.",
	Fix:   "Lower the initial memory (`-Wl,--initial-memory=`, Rust `-C link-arg=--initial-memory=`), and let the allocator grow memory on demand.",
	Host:  "V8: `initial memory size (N pages) is larger than implementation limit (16384)`, which proxy-wasm-cpp-host does not print: the log shows only `Failed to load Wasm bytecode` and `Failed to load Wasm code`.",
	Tags:  []string{"memory", "availability"},
	Run: func(p *analyzer.Pass) {
		limit := uint64(p.Host.MaxMemoryPages)
		if limit == 0 {
			return
		}
		for i, mem := range p.Module.Memories {
			if mem.Is64 || mem.Min <= limit {
				continue
			}
			p.Reportf(errorIf(p.Host.InitialOverCapFails, analyzer.Warning), mem.Span, memSubject(i), "memory %d starts at %d pages (%s), above %s's cap of %d pages (%s)%s",
				i, mem.Min, mib(mem.Min), p.Host.Name(), limit, mib(limit), hostSays(p, ifTrue(p.Host.InitialOverCapFails, p.Host.Msg.CompileFailed)))
		}
	},
}

// MemoryMaxOverCap reports a declared maximum above the host's cap.
var MemoryMaxOverCap = &analyzer.Rule{
	ID: "PW402", Name: "memory-max-exceeds-host-cap", Severity: analyzer.Note,
	Title: "the declared memory maximum exceeds the host's memory cap",
	What:  "The module declares a maximum memory above the host's cap (1 GiB on proxy-wasm-cpp-host with V8).",
	Why:   "The host clamps the maximum: the module loads, but `memory.grow` fails at the cap, where the allocator returns 0 or the runtime panics (TinyGo: `runtime: out of memory`).",
	Fix:   "Declare a maximum within the cap (`-Wl,--max-memory=`) so that out-of-memory is handled where you expect it, and bound the filter's memory use.",
	Host:  "No message at load; at the cap, `memory.grow` returns -1.",
	Tags:  []string{"memory"},
	Run: func(p *analyzer.Pass) {
		limit := uint64(p.Host.MaxMemoryPages)
		if limit == 0 {
			return
		}
		for i, mem := range p.Module.Memories {
			if mem.Is64 || !mem.HasMax || mem.Max <= limit || mem.Min > limit {
				continue
			}
			p.Reportf(analyzer.Note, mem.Span, memSubject(i), "memory %d may grow to %d pages (%s), but %s stops growth at %d pages (%s)",
				i, mem.Max, mib(mem.Max), p.Host.Name(), limit, mib(limit))
		}
	},
}

// Memory64 reports a 64-bit memory.
var Memory64 = &analyzer.Rule{
	ID: "PW403", Name: "memory64", Severity: analyzer.Error,
	Title: "the memory is 64-bit (memory64)",
	What:  "The module's memory uses 64-bit addresses (the memory64 proposal, `wasm64` targets).",
	Why:   "The Proxy-Wasm ABI passes every pointer as i32 and hosts are wasm32-only: proxy-wasm-cpp-host rejects pointers above 4 GiB and the engines of Envoy's builds reject or cannot bind the module.",
	Fix:   "Build for a wasm32 target (`wasm32-wasip1`, `wasm32-unknown-unknown`).",
	Host:  "proxy-wasm-cpp-host: `Failed to load Wasm bytecode`, then `Failed to load Wasm code`.",
	Tags:  []string{"memory", "availability"},
	Run: func(p *analyzer.Pass) {
		for i, mem := range p.Module.Memories {
			if mem.Is64 {
				p.Reportf(analyzer.Error, mem.Span, memSubject(i), "memory %d is a 64-bit memory; Proxy-Wasm hosts are wasm32-only%s", i, hostSays(p, p.Host.Msg.CompileFailed))
			}
		}
	},
}

// SharedMemory reports a shared memory.
var SharedMemory = &analyzer.Rule{
	ID: "PW404", Name: "shared-memory", Severity: analyzer.Error,
	Title: "the memory is shared (threads proposal)",
	What:  "The module's memory is declared `shared`, as built with `-matomics -Wl,--shared-memory` or a threads-enabled toolchain.",
	Why:   "Proxy-Wasm runs one single-threaded VM per worker and has no thread API. proxy-wasm-cpp-host refuses a shared memory at load (checked on its WAMR engine with the host code of Envoy 1.39), and an imported shared memory cannot be provided because the host re-creates imported memories from their limits only.",
	Fix:   "Build without threads: drop `-matomics`/`--shared-memory` (and `-pthread`); Rust: no `+atomics` target feature.",
	Host:  "proxy-wasm-cpp-host: `Failed to load Wasm bytecode`, then `Failed to load Wasm code`.",
	Tags:  []string{"memory", "availability"},
	Run: func(p *analyzer.Pass) {
		for i, mem := range p.Module.Memories {
			if !mem.Shared {
				continue
			}
			fails := p.Host.Family == abiversions.CppHost || !p.Host.HasFeature("threads-atomics") || mem.Imported
			p.Reportf(errorIf(fails, analyzer.Warning), mem.Span, memSubject(i), "memory %d is shared; Proxy-Wasm VMs are single-threaded%s", i, hostSays(p, ifTrue(fails, p.Host.Msg.CompileFailed)))
		}
	},
}

// MultipleMemories reports more than one memory.
var MultipleMemories = &analyzer.Rule{
	ID: "PW405", Name: "multiple-memories", Severity: analyzer.Error,
	Title: "the module has more than one memory",
	What:  "The module declares or imports more than one linear memory (the multi-memory proposal).",
	Why:   "The Proxy-Wasm ABI has no memory index: hosts read and write exactly one memory, and engines without multi-memory refuse the module.",
	Fix:   "Build with one memory.",
	Host:  "proxy-wasm-cpp-host: `Failed to load Wasm bytecode` on engines without multi-memory; otherwise host calls use an arbitrary one of the memories.",
	Tags:  []string{"memory", "availability"},
	Run: func(p *analyzer.Pass) {
		if len(p.Module.Memories) > 1 {
			mem := p.Module.Memories[1]
			p.Reportf(analyzer.Error, mem.Span, memSubject(1), "the module has %d memories; Proxy-Wasm hosts use exactly one%s", len(p.Module.Memories), hostSays(p, p.Host.Msg.CompileFailed))
		}
	},
}

// PerWorkerFootprint reports when one VM per worker exceeds a budget.
var PerWorkerFootprint = &analyzer.Rule{
	ID: "PW406", Name: "per-worker-footprint", Severity: analyzer.Warning,
	Title: "initial memory times the number of workers exceeds the memory budget",
	What:  "With `--workers N` and `--memory-budget SIZE`, the module's initial memory multiplied by N (one VM per worker thread, plus the main thread's base VM) exceeds the budget.",
	Why:   "Envoy creates one VM per worker thread for each plugin, and each VM gets its own linear memory; a large initial memory multiplies into the proxy's footprint before any request.",
	Fix:   "Lower the initial memory, share one VM between plugins with the same `vm_id`, or raise the budget.",
	Host:  "No message: the proxy's memory use grows, and a container limit may OOM-kill it.",
	Tags:  []string{"memory", "cost"},
	Run: func(p *analyzer.Pass) {
		o := p.Options
		if o.Workers <= 0 || o.MemoryBudget == 0 || len(p.Module.Memories) == 0 {
			return
		}
		mem := p.Module.Memories[0]
		total := mem.Min * pageSize * uint64(o.Workers+1)
		if total <= o.MemoryBudget {
			return
		}
		p.Reportf(analyzer.Warning, mem.Span, memSubject(0), "initial memory %s × (%d workers + 1 base VM) = %s exceeds the memory budget of %s",
			mib(mem.Min), o.Workers, fmt.Sprintf("%.4g MiB", float64(total)/(1<<20)), fmt.Sprintf("%.4g MiB", float64(o.MemoryBudget)/(1<<20)))
	},
}
