// Package abiversions holds wasmlint's knowledge of the Proxy-Wasm ABI and
// of the hosts, as plain data: one table per ABI version (0.1.0, 0.2.0,
// 0.2.1, and vNEXT, which no host accepts) with every env host function and
// every callback the host looks up, with its exact Wasm signature; and one
// Profile per host release era (Envoy 1.16 to 1.39, Istio, Kong
// ngx_wasm_module, MOSN, APISIX, Higress), each citing its sources.
//
// Each version's table is complete on its own, as the spec's per-version
// documents are, so that it can be checked against its source line by
// line; the repetition between versions is deliberate.
//
// Where the spec text and proxy-wasm-cpp-host differ, the host's signature
// is used, since that is what links; the difference is noted beside the
// entry. Detect picks the ABI version the way each host does.
package abiversions
