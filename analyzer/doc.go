// Package analyzer is wasmlint's framework: it decodes an input, works out
// the facts every rule shares (the host profile, the ABI version the host
// would pick), runs the selected rules and collects their findings.
//
// # Data flow
//
//	bytes ─▶ wasm.Decode ─▶ *wasm.Module (facts with byte spans)
//	      ─▶ abiversions.Detect(module, profile) ─▶ Pass{Module, Host, ABI, Marker}
//	      ─▶ rule.Run(pass) for each selected rule ─▶ Diagnostics (sorted, de-duplicated)
//	      ─▶ report.Text | report.JSON
//
// An input that does not decode still gets a Pass, with DecodeErr set and no
// Module; only rules marked OnInput (PW001, PW002) run on it. Rules marked
// Runtime (PW9xx) are documented here like the others but produced by the
// smoke run (package analyzer/smoke), never by Run. Packaging facts of a
// module taken from an OCI image reach the rules as Config.Package.
//
// To check one input against many host profiles (the host matrix),
// Prepare decodes it and scans all its code once, and RunInput runs the
// rules for each profile on that shared, read-only input.
//
// # Writing a rule
//
// A rule is a plain *Rule value in package rules, listed in rules.All. Its
// Run reads facts from the Pass and calls Report; it never prints, reads
// files, flags or globals, and keeps no state. The severity of each finding
// is chosen by the rule from the host profile, with one meaning everywhere:
// Error = the host refuses to load, link or start the module; Warning = it
// loads but something fails or misbehaves at run time; Note = cost, hygiene,
// advice. Messages start in lower case, name the import, export or section,
// and end with the host's own log line when it has one.
//
// # Why a lazy code scan?
//
// Most rules need only imports, exports and section headers, which decode
// in microseconds. Call-graph questions (does _initialize always reach
// proc_exit? which proposals do the bodies use?) need every function body
// decoded; Pass.Code does that once, on first use, for the rules that ask.
package analyzer
