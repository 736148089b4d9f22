// Package smoke is wasmlint's smoke run: it runs a Proxy-Wasm filter module
// the way a proxy does, in wazero, against an emulated host, and reports
// what went wrong (rules PW901-PW908) with the callback, the wasm stack and
// the host call involved.
//
// It is the only package that imports github.com/tetratelabs/wazero
// (.golangci.yml's depguard enforces it).
//
// # The emulated host
//
// The host implements every env host function of the module's ABI version
// (0.1.0, 0.2.0, 0.2.1) with the semantics of proxy-wasm-cpp-host and
// Envoy (host_http.go, host_misc.go), and exactly the WASI functions of the
// host profile with the profile's stub behaviour (wasi.go). It links the
// module as the host does (link.go): a missing or mistyped import, a
// mistyped callback or a missing allocator fails with the host's own
// message. On hosts that restrict host calls during start-up and inside
// the allocator (V8 "restricted callbacks"), so does the emulated host.
//
// # The lifecycle
//
// Run follows Envoy: instantiate; _initialize (and main or __main_void) or
// _start by the profile's convention; root context create;
// proxy_on_vm_start; proxy_on_configure; one proxy_on_tick if a period
// was set; then per request an HTTP stream (or a TCP connection): context
// create, request headers, body, trailers, response headers, body,
// trailers, proxy_on_done, proxy_on_log, proxy_on_delete. Each callback
// runs under a deadline enforced by wazero's close-on-context-done, and
// the whole run is bounded.
//
// The phases (load, initialize, start, configure, request) are those of
// the host verdicts recorded in ../shared/corpus, which the corpus test
// compares phase by phase.
package smoke
