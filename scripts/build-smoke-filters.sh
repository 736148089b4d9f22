#!/usr/bin/env bash
# Builds the real filters of testdata/smoke/ from their sources with real
# SDKs and toolchains. Tests use the committed .wasm files and never need
# these toolchains; run this after changing a source, and commit both.
#
# Needs: Go (GOOS=wasip1, -buildmode=c-shared, //go:wasmexport: Go 1.24+);
# clang 14 with wasi-libc and the wasm32 builtins (Debian: apt-get install
# clang lld wasi-libc libclang-rt-14-dev-wasm32); node and npm (the
# AssemblyScript compiler and @solo-io/proxy-runtime, pinned in
# testdata/smoke/src/as/package.json).
#
# The flags are fixed (no build ids, no paths), so a rebuild with the same
# toolchain versions gives the same bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
src=testdata/smoke/src
out=testdata/smoke

echo "--- C (clang $(clang --version | sed -n 's/.*version \([0-9.]*\).*/\1/p;q'), wasi-libc)"
cflags=(--target=wasm32-wasi -O2 -mexec-model=reactor -Wl,--export=malloc -Wl,--strip-debug
  -fdebug-prefix-map="$PWD"=. -ffile-prefix-map="$PWD"=.)
for variant in good:"" trap_configure:-DDEFECT_TRAP_CONFIG loop:-DDEFECT_LOOP \
  leak:-DDEFECT_LEAK host_errors:-DDEFECT_HOST_ERRORS; do
  name=${variant%%:*} def=${variant#*:}
  # shellcheck disable=SC2086
  clang "${cflags[@]}" $def -o "$out/c_$name.wasm" "$src/c/filter.c"
done

echo "--- Go ($(go env GOVERSION), wasip1 c-shared)"
for variant in good: panic:defect_panic; do
  name=${variant%%:*} tags=${variant#*:}
  (cd "$src/go" && GOOS=wasip1 GOARCH=wasm CGO_ENABLED=0 GOFLAGS= \
    go build -buildmode=c-shared -trimpath -ldflags=-buildid= -tags="$tags" \
    -o "../../go_$name.wasm" .)
done

echo "--- AssemblyScript (@solo-io/proxy-runtime)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$src/as/package.json" "$src/as/index.ts" "$work/"
(cd "$work" && npm install --no-audit --no-fund --silent >/dev/null &&
  npx asc index.ts -b as_add_header.wasm --use abort=abort_proc_exit --optimize 2>/dev/null)
cp "$work/as_add_header.wasm" "$out/as_add_header.wasm"

ls -l "$out"/*.wasm
