// Package toolchain tells what built a WebAssembly module: the compiler
// toolchain and its version, the Proxy-Wasm SDK and its version, and the
// guest interface the module was built for (Proxy-Wasm, http-wasm, MOSN's
// protocol extension, or none).
//
// # Evidence
//
// Detection reads only what the binary carries, strongest clue first:
//
//  1. the producers custom section ("processed-by: rustc 1.79.0",
//     "TinyGo 0.28.1", "Go cmd/compile go1.24.1", clang built from
//     tinygo-org's LLVM);
//  2. toolchain custom sections (go:buildid, emscripten_metadata);
//  3. function names from the name section (Rust's std mangling, TinyGo's
//     runtime.alloc, AssemblyScript's ~lib/, Zig's __zig_ helpers, SDK
//     package paths such as proxy_wasm:: or proxy-wasm-go-sdk);
//  4. strings in the data and custom sections, when the bytes are given to
//     Analyze: Go build information (dep lines with module versions), Cargo
//     registry paths (proxy-wasm-0.2.1/src), AssemblyScript's UTF-16 file
//     names, DWARF producer strings ("zig 0.14.0");
//  5. import and export fingerprints: the runtime exports of AssemblyScript
//     (__alloc, __retain, __new, __pin) and Emscripten (stackSave,
//     stackAlloc, emscripten_stack_*), Go's wasip1 import order, rustc's
//     __data_end and __heap_base exports, and an SDK dispatcher's full set
//     of proxy_on_* callbacks.
//
// Every conclusion comes with the evidence that supports it, so a user can
// check it. A module with no clue at all is reported as unknown, except
// that a tiny module with no custom sections and no compiler runtime is
// taken for hand-written WebAssembly text (WAT).
//
// # Why not trust the producers section alone?
//
// It is optional, stripped by many release builds, and describes the last
// compiler and linker, not the language or the SDK: a TinyGo module says
// "language: C99; processed-by: clang" because its runtime is partly C.
package toolchain
