;; Neither an ABI marker nor an allocator: refused at load (PW101) and,
;; were it loaded, at initialisation (PW301). A global import (PW205) too.
(module
  (import "env" "__memory_base" (global i32))
  (memory (export "memory") 1)
  (func (export "proxy_on_context_create") (param i32 i32))
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32) (i32.const 0)))
