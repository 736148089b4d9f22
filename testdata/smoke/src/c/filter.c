// A Proxy-Wasm 0.2.1 HTTP filter in plain C (clang + wasi-libc), written for
// wasmlint's smoke-run tests. It adds "x-wasm-filter: c-clang" to request
// and response headers. Each -DDEFECT_* flag adds one runtime defect:
//
//   DEFECT_TRAP_CONFIG   proxy_on_configure traps unless the config is JSON ('{...')
//   DEFECT_LOOP          proxy_on_request_headers never returns
//   DEFECT_LEAK          proxy_on_request_headers keeps 1 MiB per request
//   DEFECT_HOST_ERRORS   bad host calls: a log with a pointer outside memory,
//                        an undefined property, and an error-level log line
//
// Built by scripts/build-smoke-filters.sh.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define IMPORT(n) __attribute__((import_module("env"), import_name(#n)))
#define EXPORT(n) __attribute__((export_name(#n)))

IMPORT(proxy_log) int32_t proxy_log(int32_t level, const char *msg, size_t size);
IMPORT(proxy_get_buffer_bytes)
int32_t proxy_get_buffer_bytes(int32_t type, int32_t start, int32_t max, char **ptr, size_t *size);
IMPORT(proxy_add_header_map_value)
int32_t proxy_add_header_map_value(int32_t map, const char *k, size_t kl, const char *v, size_t vl);
IMPORT(proxy_get_property) int32_t proxy_get_property(const char *path, size_t pl, char **ptr, size_t *size);

enum { LOG_INFO = 2, LOG_ERROR = 4 };
enum { REQUEST_HEADERS = 0, RESPONSE_HEADERS = 2 };
enum { PLUGIN_CONFIGURATION = 7 };

static void log_str(int32_t level, const char *s) { proxy_log(level, s, strlen(s)); }

EXPORT(proxy_abi_version_0_2_1) void abi_marker(void) {}

EXPORT(proxy_on_context_create) void on_context_create(uint32_t id, uint32_t parent) {}

EXPORT(proxy_on_vm_start) uint32_t on_vm_start(uint32_t id, uint32_t size) {
  log_str(LOG_INFO, "c filter: vm started");
  return 1;
}

EXPORT(proxy_on_configure) uint32_t on_configure(uint32_t id, uint32_t size) {
  char *cfg = NULL;
  size_t n = 0;
  if (size > 0) {
    proxy_get_buffer_bytes(PLUGIN_CONFIGURATION, 0, size, &cfg, &n);
  }
#ifdef DEFECT_TRAP_CONFIG
  if (n == 0 || cfg[0] != '{') {
    __builtin_trap();
  }
#endif
  free(cfg);
  log_str(LOG_INFO, "c filter: configured");
  return 1;
}

#ifdef DEFECT_LEAK
static char *kept;
#endif

EXPORT(proxy_on_request_headers) uint32_t on_request_headers(uint32_t id, uint32_t n, uint32_t eos) {
#ifdef DEFECT_LOOP
  volatile int spin = 1;
  while (spin) {
  }
#endif
#ifdef DEFECT_LEAK
  char *p = malloc(1 << 20);
  memset(p, 1, 1 << 20);
  kept = p; // the previous block is never freed
#endif
#ifdef DEFECT_HOST_ERRORS
  proxy_log(LOG_INFO, (const char *)0x7ffffff0, 64);
  char *v = NULL;
  size_t vl = 0;
  if (proxy_get_property("wasmlint\0undefined", 18, &v, &vl) != 0) {
    log_str(LOG_ERROR, "c filter: property wasmlint.undefined is missing");
  }
#endif
  proxy_add_header_map_value(REQUEST_HEADERS, "x-wasm-filter", 13, "c-clang", 7);
  return 0;
}

EXPORT(proxy_on_response_headers) uint32_t on_response_headers(uint32_t id, uint32_t n, uint32_t eos) {
  proxy_add_header_map_value(RESPONSE_HEADERS, "x-wasm-filter", 13, "c-clang", 7);
  return 0;
}

EXPORT(proxy_on_done) uint32_t on_done(uint32_t id) { return 1; }
EXPORT(proxy_on_delete) void on_delete(uint32_t id) {}
