;; The rebuild of v1.wat that a pull request might bring: ABI 0.2.1, an
;; HTTP call out, the allocator renamed to proxy_on_memory_allocate, WASI
;; clock_time_get (Envoy provides it from 1.17) and sched_yield (from
;; 1.33), and 17 pages of memory with a maximum. Assembled with
;; `wat2wasm v2.wat -o v2.wasm`.
(module
  (import "env" "proxy_log" (func $log (param i32 i32 i32) (result i32)))
  (import "env" "proxy_add_header_map_value"
    (func $add_header (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_http_call"
    (func $http_call (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get"
    (func $clock_time_get (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sched_yield" (func $sched_yield (result i32)))
  (memory (export "memory") 17 64)
  (global $heap (mut i32) (i32.const 1024))
  (data (i32.const 16) "x-filter")
  (data (i32.const 32) "v2")
  (data (i32.const 48) "auth-cluster")

  (func (export "proxy_abi_version_0_2_1"))
  (func (export "_initialize"))

  (func (export "proxy_on_memory_allocate") (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (local.get $p) (local.get $size)))
    (local.get $p))

  (func (export "proxy_on_context_create") (param i32 i32))
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32) (i32.const 1))
  (func (export "proxy_on_configure") (param i32 i32) (result i32) (i32.const 1))
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
    (drop (call $add_header (i32.const 0) (i32.const 16) (i32.const 8) (i32.const 32) (i32.const 2)))
    (drop (call $http_call (i32.const 48) (i32.const 12) (i32.const 0) (i32.const 0) (i32.const 0)
      (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 1000) (i32.const 64)))
    (i32.const 1))
  (func (export "proxy_on_http_call_response") (param i32 i32 i32 i32 i32))
  (func (export "proxy_on_done") (param i32) (result i32) (i32.const 1))
  (func (export "proxy_on_delete") (param i32)))
