package toolchain

import (
	"fmt"
	"strings"

	"github.com/wasmlint/wasmlint/analyzer/wasm"
)

// Fingerprints: clues read from names, strings, imports and exports, for
// modules whose producers section is missing or says only "clang".

// tinyGoAllocName: TinyGo's heap allocator is the function runtime.alloc;
// the standard Go runtime has no function of that exact name.
func tinyGoAllocName(f *facts) string {
	if f.m.Custom("go:buildid") != nil {
		return ""
	}
	if n := f.name(func(s string) bool { return s == "runtime.alloc" }); n != "" {
		return "function name \"runtime.alloc\" (TinyGo's allocator)"
	}
	return ""
}

// tinyGoLLVM: TinyGo records the clang of its own LLVM fork.
func tinyGoLLVM(f *facts) string {
	p := f.producer("processed-by", "clang")
	if !strings.Contains(p, "tinygo-org/llvm-project") {
		return ""
	}
	return fmt.Sprintf("producers processed-by %q (TinyGo's LLVM fork)", p)
}

// zigProducerString: Zig writes "zig X.Y.Z" as the DWARF producer.
func zigProducerString(f *facts) string {
	_, src := f.stringVersion("zig ", "Zig's DWARF producer")
	return src
}

// assemblyScriptExports: the AssemblyScript runtime exports its memory
// manager: __alloc/__retain (0.9-0.17) or __new/__pin (0.18 on), and the
// run-time type table __rtti_base.
func assemblyScriptExports(f *facts) string {
	for _, set := range [][]string{{"__alloc", "__retain"}, {"__new", "__pin"}, {"__rtti_base"}} {
		if f.exported(set...) {
			return fmt.Sprintf("exports %s (AssemblyScript runtime)", strings.Join(set, " and "))
		}
	}
	return ""
}

// emscriptenExports: Emscripten's stack helpers and growth hooks.
func emscriptenExports(f *facts) string {
	if f.exported("stackSave", "stackAlloc") {
		return "exports stackSave and stackAlloc (Emscripten runtime)"
	}
	if e := f.exportWithPrefix("emscripten_stack_", "_emscripten_", "__growWasmMemory", "establishStackSpace", "dynCall_"); e != "" {
		return fmt.Sprintf("export %s (Emscripten runtime)", e)
	}
	return ""
}

// emscriptenImports: the host side of Emscripten's runtime.
func emscriptenImports(f *facts) string {
	if im := f.importWithPrefix("env", "emscripten_", "_emscripten_", "abortOnCannotGrowMemory", "enlargeMemory"); im != "" {
		return fmt.Sprintf("import %s (Emscripten runtime)", im)
	}
	if f.modules["global"] && f.imports["global.NaN"] {
		return "import global.NaN (Emscripten fastcomp runtime)"
	}
	return ""
}

// goImports: Go's wasip1 runtime imports sched_yield and proc_exit first;
// its js/wasm runtime imports the module "gojs".
func goImports(f *facts) string {
	if len(f.wasi) >= 2 && f.wasi[0] == "sched_yield" && f.wasi[1] == "proc_exit" {
		return "imports WASI sched_yield then proc_exit first (Go wasip1 runtime)"
	}
	if f.modules["gojs"] {
		return "imports module gojs (Go js/wasm runtime)"
	}
	return ""
}

// tinyGoExports: TinyGo exports its runtime's globals (early releases) or
// the C allocator family with _start.
func tinyGoExports(f *facts) string {
	if e := f.exportWithPrefix("runtime."); e != "" {
		return fmt.Sprintf("export %s (TinyGo runtime)", e)
	}
	if f.exported("malloc", "free", "calloc", "realloc", "_start") && f.hasWASI("fd_write") {
		return "exports malloc, free, calloc, realloc and _start with WASI fd_write (TinyGo runtime)"
	}
	return ""
}

// rustExports: rustc's wasm32 targets export __data_end and __heap_base
// as globals by default; C and TinyGo export them only alongside
// __global_base and __dso_handle.
func rustExports(f *facts) string {
	if f.exports["__data_end"] != wasm.KindGlobal || f.exports["__heap_base"] != wasm.KindGlobal {
		return ""
	}
	if f.exported("__global_base") || f.exported("__dso_handle") {
		return ""
	}
	return "exports globals __data_end and __heap_base (rustc's wasm32 linker defaults)"
}

// watNames: wat2wasm --debug-names names locals; LLVM never does, and a
// compiler that names functions writes a producers section.
func watNames(f *facts) string {
	if f.localNames && f.m.Producers == nil {
		return "name section with local names and no producers section (wat2wasm --debug-names)"
	}
	return ""
}

// watTiny: a few functions, no custom section at all and no compiler
// runtime: likely written by hand. The weakest clue, tried last.
func watTiny(f *facts) string {
	const maxSize, maxFuncs = 1024, 16
	if len(f.m.Customs) > 0 || f.m.Size >= maxSize || len(f.m.Funcs) > maxFuncs {
		return ""
	}
	return fmt.Sprintf("no custom sections and no compiler runtime (%d functions in %d bytes): likely hand-written", len(f.m.Funcs), f.m.Size)
}

func (f *facts) hasWASI(name string) bool {
	for _, n := range f.wasi {
		if n == name {
			return true
		}
	}
	return false
}
