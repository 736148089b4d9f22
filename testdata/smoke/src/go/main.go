// Command filter is a Proxy-Wasm 0.2.0 HTTP filter written in standard Go
// (GOOS=wasip1, -buildmode=c-shared, //go:wasmexport) with its own tiny ABI
// binding, for wasmlint's smoke-run tests. Its plugin configuration is
// optional JSON, {"header": "x-name", "value": "..."}; it adds that header
// (default "x-wasm-filter: go") to requests and responses. Built with
// -tags defect_panic, it panics on any request without an "x-user" header.
//
// Built by scripts/build-smoke-filters.sh.
package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"unsafe"
)

func main() {}

//go:wasmimport env proxy_log
func proxyLog(level uint32, msg unsafe.Pointer, size uint32) uint32

//go:wasmimport env proxy_get_buffer_bytes
func proxyGetBufferBytes(typ, start, max uint32, ptr, size unsafe.Pointer) uint32

//go:wasmimport env proxy_add_header_map_value
func proxyAddHeaderMapValue(typ uint32, k unsafe.Pointer, kl uint32, v unsafe.Pointer, vl uint32) uint32

//go:wasmimport env proxy_get_header_map_value
func proxyGetHeaderMapValue(typ uint32, k unsafe.Pointer, kl uint32, ptr, size unsafe.Pointer) uint32

// kept holds what the host allocated, so that the GC leaves it alone until
// the filter reads it.
var kept = map[uintptr][]byte{}

//go:wasmexport proxy_on_memory_allocate
func onMemoryAllocate(size uint32) uint32 {
	b := make([]byte, size)
	p := uintptr(unsafe.Pointer(&b[0]))
	kept[p] = b
	return uint32(p)
}

func take(ptr, size uint32) []byte {
	if ptr == 0 {
		return nil
	}
	b := kept[uintptr(ptr)][:size]
	delete(kept, uintptr(ptr))
	return b
}

func logf(level uint32, format string, args ...any) {
	s := fmt.Sprintf(format, args...)
	if s == "" {
		return
	}
	proxyLog(level, unsafe.Pointer(unsafe.StringData(s)), uint32(len(s)))
}

func addHeader(m uint32, k, v string) {
	proxyAddHeaderMapValue(m, unsafe.Pointer(unsafe.StringData(k)), uint32(len(k)), unsafe.Pointer(unsafe.StringData(v)), uint32(len(v)))
}

func header(m uint32, k string) (string, bool) {
	var ptr, size uint32
	if proxyGetHeaderMapValue(m, unsafe.Pointer(unsafe.StringData(k)), uint32(len(k)), unsafe.Pointer(&ptr), unsafe.Pointer(&size)) != 0 {
		return "", false
	}
	return string(take(ptr, size)), true
}

type config struct {
	Header string `json:"header"`
	Value  string `json:"value"`
}

var cfg = config{Header: "x-wasm-filter", Value: "go"}

//go:wasmexport proxy_abi_version_0_2_0
func abiMarker() {}

//go:wasmexport proxy_on_context_create
func onContextCreate(id, parent uint32) {}

//go:wasmexport proxy_on_vm_start
func onVMStart(id, size uint32) uint32 {
	logf(2, "go filter: vm start")
	return 1
}

//go:wasmexport proxy_on_configure
func onConfigure(id, size uint32) uint32 {
	if size == 0 {
		return 1
	}
	var ptr, n uint32
	proxyGetBufferBytes(7, 0, size, unsafe.Pointer(&ptr), unsafe.Pointer(&n))
	var c config
	if err := json.Unmarshal(take(ptr, n), &c); err != nil {
		logf(4, "go filter: bad configuration: %v", err)
		return 0
	}
	cfg = c
	cfg.Header = strings.ToLower(cfg.Header)
	return 1
}

//go:wasmexport proxy_on_request_headers
func onRequestHeaders(id, n, eos uint32) uint32 {
	checkRequest()
	addHeader(0, cfg.Header, cfg.Value)
	return 0
}

//go:wasmexport proxy_on_response_headers
func onResponseHeaders(id, n, eos uint32) uint32 {
	addHeader(2, cfg.Header, cfg.Value)
	return 0
}

//go:wasmexport proxy_on_done
func onDone(id uint32) uint32 { return 1 }
