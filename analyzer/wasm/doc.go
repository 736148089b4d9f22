// Package wasm decodes the facts wasmlint needs from a core WebAssembly
// module: sections, types, imports, exports, memories, tables, segment
// headers, the start function, and the name, producers and target_features
// custom sections, each with its byte span in the file. Function bodies are
// skipped by size; ScanCode decodes them on demand for call-graph and
// feature questions.
//
// The decoder is tolerant and exact: features newer than Wasm 1.0 (shared
// and 64-bit memories, several memories, tags, GC types) decode into facts;
// only bytes that break the binary format are a *DecodeError, with the
// offset. It never panics and never allocates by a count or length before
// the bytes it describes are known to exist.
//
// It builds on github.com/tetratelabs/wabin's model (value and extern type
// constants); wabin's encoder builds the test modules.
package wasm
