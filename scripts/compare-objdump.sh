#!/usr/bin/env bash
# Times one wasmlint process over every file of a corpus directory against
# one `wasm-objdump -x` process (Debian's wabt) over the same files, and
# prints the ratio. Usage: scripts/compare-objdump.sh [DIR] (default
# ../shared/corpus/wild). Needs wasm-objdump (apt-get install wabt) and
# hyperfine if present (else bash's time, best of 5).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-../shared/corpus/wild}
command -v wasm-objdump >/dev/null || { echo "wasm-objdump not found: apt-get install wabt" >&2; exit 2; }
bin=$(mktemp -d)/wasmlint
go build -o "$bin" ./cmd/wasmlint
mapfile -t files < <(find "$dir" -maxdepth 1 -name '*.wasm' | sort)
echo "${#files[@]} files in $dir"

best() { # best wall time in ms of 5 runs of "$@"
  local b=""
  for _ in 1 2 3 4 5; do
    local s e
    s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N)
    local ms=$(( (e - s) / 1000000 ))
    if [ -z "$b" ] || [ "$ms" -lt "$b" ]; then b=$ms; fi
  done
  echo "$b"
}
objdump_ms=$(best wasm-objdump -x "${files[@]}")
wasmlint_ms=$(best "$bin" --fail-on none "${files[@]}")
echo "wasm-objdump -x: ${objdump_ms} ms"
echo "wasmlint:        ${wasmlint_ms} ms"
awk -v a="$wasmlint_ms" -v b="$objdump_ms" 'BEGIN { if (b > 0) printf "ratio wasmlint/objdump: %.2f\n", a / b }'
