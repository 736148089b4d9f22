;; The marker says ABI 0.1.0, but the callbacks and an import are 0.2.x:
;; proxy_on_request_headers takes end_of_stream (0.2.x arity) and
;; env.proxy_continue_stream exists only from 0.2.0 (PW201, PW302).
(module
  (import "env" "proxy_continue_stream" (func (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "proxy_abi_version_0_1_0"))
  (func (export "malloc") (param i32) (result i32) (i32.const 1024))
  (func (export "proxy_on_context_create") (param i32 i32))
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32) (i32.const 0)))
