;; A minimal, well-formed Proxy-Wasm 0.2.1 HTTP filter: it adds the request
;; header "x-wasmlint: ok". Assembled with `wat2wasm add_header.wat -o ../ok/add_header.wasm`.
(module
  (import "env" "proxy_add_header_map_value"
    (func $add_header (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_log" (func $log (param i32 i32 i32) (result i32)))
  (memory (export "memory") 2)
  (global $heap (mut i32) (i32.const 1024))
  (data (i32.const 16) "x-wasmlint")
  (data (i32.const 32) "ok")
  (data (i32.const 48) "add_header: configured")

  (func (export "proxy_abi_version_0_2_1"))
  (func (export "_initialize"))

  ;; A bump allocator: enough for a filter that never frees.
  (func (export "malloc") (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (local.get $p) (local.get $size)))
    (local.get $p))

  (func (export "proxy_on_context_create") (param i32 i32))
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32) (i32.const 1))
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    (drop (call $log (i32.const 2) (i32.const 48) (i32.const 22)))
    (i32.const 1))
  ;; map type 0 = request headers; action 0 = continue
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
    (drop (call $add_header (i32.const 0) (i32.const 16) (i32.const 10) (i32.const 32) (i32.const 2)))
    (i32.const 0))
  (func (export "proxy_on_done") (param i32) (result i32) (i32.const 1))
  (func (export "proxy_on_delete") (param i32)))
