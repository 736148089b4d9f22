;; A WASI *command* built as a filter: _start runs "main" and then always
;; calls proc_exit, as wasi-libc's and emscripten's command start-up do.
;; Proxies call _start at VM start, so the VM never starts (PW306).
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (import "env" "proxy_log" (func $log (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "proxy_abi_version_0_2_1"))
  (func $main (result i32) (i32.const 0))
  (func (export "_start") (call $exit (call $main)))
  (func (export "malloc") (param i32) (result i32) (i32.const 1024))
  (func (export "proxy_on_context_create") (param i32 i32))
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32) (i32.const 0)))
