// Package inspect answers what a filter author asks before linting: what
// is this binary, what does it need, and where will it run?
//
// Three pure computations, each returning a struct with JSON tags that the
// CLI prints as text or encodes as JSON:
//
//   - Summarize: an ABI-aware summary of one input (ABI version, toolchain
//     and SDK with evidence, filter kinds, host capabilities used, WASI
//     surface, memory, size by section);
//   - BuildMatrix: for each host profile, whether the module loads and, if
//     not, the first error-level finding (the rules' own verdict, so the
//     matrix and `wasmlint --host X` always agree);
//   - Compare: what changed between two builds of a filter, including the
//     hosts that gained or lost compatibility.
//
// # Why run every rule per host for the matrix?
//
// Whether a host loads a module is exactly what the error-level rules
// predict for that host's profile; a separate "compatibility" check would
// drift from them. Profiles are independent, so BuildMatrix runs them in
// parallel; each run decodes the module again, which costs about a
// millisecond for a typical filter.
package inspect
