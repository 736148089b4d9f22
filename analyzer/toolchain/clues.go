package toolchain

import (
	"fmt"
	"strings"
)

// clue is one test of the binary: when it holds, it supports value, and
// test returns what was seen ("" when it does not hold).
type clue struct {
	value string
	test  func(f *facts) string
}

// toolchainClues are in priority order: the first that holds decides, and
// every other clue for the same toolchain is kept as evidence.
var toolchainClues = []clue{
	{TinyGo, producerClue("processed-by", "TinyGo")},
	{Go, producerClue("processed-by", "Go cmd/compile")},
	{Go, languageClue("Go")},
	{Rust, producerClue("processed-by", "rustc")},
	{Rust, languageClue("Rust")},
	{AssemblyScript, producerClue("processed-by", "AssemblyScript")},
	{Zig, languageClue("Zig")},
	{Emscripten, producerClue("processed-by", "Emscripten")},
	{Go, customClue("go:buildid", "the Go linker's build id")},
	{Emscripten, customClue("emscripten_metadata", "written by Emscripten 1.39-2.0")},
	{TinyGo, tinyGoAllocName},
	{TinyGo, tinyGoLLVM},
	{Rust, nameClue(isRustStdName, "mangled name of Rust's standard library")},
	{AssemblyScript, nameClue(func(s string) bool { return strings.HasPrefix(s, "~lib/") }, "AssemblyScript standard library")},
	{Zig, nameClue(isZigName, "Zig standard library")},
	{Emscripten, nameClue(isEmscriptenName, "Emscripten runtime")},
	{AssemblyScript, utf16Clue("~lib/rt/", "AssemblyScript runtime source path")},
	{Zig, zigProducerString},
	{TinyGo, stringClue("tinygo/", "src/runtime", "TinyGo's runtime source path")},
	{Rust, stringClue("/.cargo/registry/src/", "", "Cargo registry path")},
	{Rust, stringClue("/rustc", "library/", "Rust standard library source path")},
	{AssemblyScript, assemblyScriptExports},
	{Emscripten, emscriptenExports},
	{Emscripten, emscriptenImports},
	{Go, goImports},
	{TinyGo, tinyGoExports},
	{Rust, rustExports},
	{Clang, producerClue("processed-by", "clang")},
	{Clang, languageClue("C99", "C11", "C17", "C89", "C++", "C++11", "C++14", "C++17", "C++20")},
	{WAT, watNames},
	{WAT, watTiny},
}

// pickToolchain returns the toolchain of the first clue that holds, and
// records the evidence for it.
func (f *facts) pickToolchain(r *Report) string {
	winner := unknownToolchain
	for _, c := range toolchainClues {
		if winner != unknownToolchain && c.value != winner {
			continue
		}
		if src := c.test(f); src != "" {
			winner = c.value
			r.add(fieldToolchain, winner, src)
		}
	}
	return winner
}

const unknownToolchain = ""

func producerClue(field, key string) func(*facts) string {
	return func(f *facts) string {
		if p := f.producer(field, key); p != "" {
			return fmt.Sprintf("producers %s %q", field, p)
		}
		return ""
	}
}

// languageClue holds when a producers language entry is one of names.
func languageClue(names ...string) func(*facts) string {
	return func(f *facts) string {
		for _, p := range f.m.Producers["language"] {
			for _, n := range names {
				if strings.EqualFold(p.Name, n) {
					return fmt.Sprintf("producers language %q", strings.TrimSpace(p.Name+" "+p.Version))
				}
			}
		}
		return ""
	}
}

func customClue(name, what string) func(*facts) string {
	return func(f *facts) string {
		if f.m.Custom(name) != nil {
			return fmt.Sprintf("custom section %s (%s)", name, what)
		}
		return ""
	}
}

func nameClue(match func(string) bool, what string) func(*facts) string {
	return func(f *facts) string {
		if n := f.name(match); n != "" {
			return fmt.Sprintf("function name %q (%s)", clip(n), what)
		}
		return ""
	}
}

// stringClue holds when needle occurs in the data or custom sections,
// followed within 48 bytes by then (when then is not empty).
func stringClue(needle, then, what string) func(*facts) string {
	return func(f *facts) string {
		where := f.text.find([]byte(needle), func(at []byte) bool {
			if then == "" {
				return true
			}
			window := at[len(needle):min(len(at), len(needle)+48)]
			return strings.Contains(string(window), then)
		})
		if where == "" {
			return ""
		}
		return fmt.Sprintf("string %q in %s (%s)", needle+ellipsis(then), where, what)
	}
}

func utf16Clue(needle, what string) func(*facts) string {
	return func(f *facts) string {
		if where := f.text.containsUTF16(needle); where != "" {
			return fmt.Sprintf("UTF-16 string %q in %s (%s)", needle, where, what)
		}
		return ""
	}
}

func ellipsis(s string) string {
	if s == "" {
		return ""
	}
	return "…" + s
}

// clip shortens long names for evidence text.
func clip(s string) string {
	const max = 96
	if len(s) <= max {
		return s
	}
	return s[:max] + "…"
}

func isRustStdName(s string) bool {
	for _, p := range []string{"_ZN4core", "_ZN5alloc", "_ZN3std", "core::", "alloc::", "std::panicking"} {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

func isZigName(s string) bool {
	return strings.HasPrefix(s, "__zig_") || strings.HasPrefix(s, "heap.WasmAllocator")
}

func isEmscriptenName(s string) bool {
	return strings.HasPrefix(s, "emscripten_") || strings.HasPrefix(s, "_emscripten_")
}
