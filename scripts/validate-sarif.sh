#!/usr/bin/env bash
# validate-sarif.sh: check that every SARIF log wasmlint writes passes the
# SARIF Multitool validator with GitHub's ingestion rules ("Sarif;Gh") with
# zero errors and zero warnings.
#
# It lints the real-world corpus (../shared/corpus, which holds wild/, so
# every .wasm there) once per host profile, one SARIF per profile as the
# GitHub Action does, plus the shipped testdata through the other paths of
# the writer (side outputs, stdin, an unreadable input), and validates all
# of them, with the SARIF goldens of testdata/format, in one run of the
# validator.
#
#   SARIF_MULTITOOL=/path/to/Sarif.Multitool scripts/validate-sarif.sh
#
# .ci/run installs the validator (npm package @microsoft/sarif-multitool)
# and sets SARIF_MULTITOOL. The corpus is looked for in $WASMLINT_SHARED
# (default ../shared); without it the corpus part is skipped with a message.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${SARIF_MULTITOOL:?set SARIF_MULTITOOL to the validator binary: npm install --no-save --prefix DIR @microsoft/sarif-multitool@VERSION, then DIR/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool}"
shared="${WASMLINT_SHARED:-../shared}"
hosts=(envoy envoy@1.16 istio kong kong@0.1.0 mosn apisix higress)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
go build -o "$work/wasmlint" ./cmd/wasmlint
mkdir "$work/sarif"

# lint EXPECTED_EXIT ARGS...: run wasmlint and insist on its exit code (the
# exit code never depends on the format).
lint() {
  local want=$1 rc=0
  shift
  "$work/wasmlint" "$@" >/dev/null 2>"$work/stderr" || rc=$?
  if [ "$rc" -ne "$want" ]; then
    echo "validate-sarif: wasmlint $* exited $rc, want $want:" >&2
    cat "$work/stderr" >&2
    exit 1
  fi
}

if [ -d "$shared/corpus" ]; then
  for h in "${hosts[@]}"; do
    lint 0 --host "$h" --fail-on none --sarif-root "$shared" -f sarif -o "$work/sarif/corpus-$h.sarif" "$shared/corpus"
  done
else
  echo "validate-sarif: $shared/corpus is absent: corpus SARIF skipped (set WASMLINT_SHARED)"
fi
lint 1 -f text --sarif-output "$work/sarif/testdata.sarif" --json-output "$work/testdata.json" testdata/ok testdata/err
lint 3 --sarif-output "$work/sarif/unreadable.sarif" --sarif-category ci/unreadable testdata/ok testdata/nope.wasm
lint 1 --host kong -f sarif -o "$work/sarif/stdin.sarif" - <testdata/err/abi_mismatch.wasm
lint 0 --disable all -f sarif -o "$work/sarif/no-rules.sarif" testdata/ok

files=("$work"/sarif/*.sarif testdata/format/*.sarif) # with the goldens, which cover the writer's edge cases
"$SARIF_MULTITOOL" validate --rule-kind "Sarif;Gh" --output "$work/validation.json" "${files[@]}" >"$work/validator.out" 2>&1 || {
  cat "$work/validator.out" >&2
  echo "validate-sarif: the validator failed to run" >&2
  exit 1
}

# The validator exits 0 even when it finds errors: count them in its own
# SARIF log (a result without a level is a warning), and on failure show
# its messages.
node - "$work/validation.json" "${#files[@]}" <<'EOF' || { grep -E ': (error|warning) ' "$work/validator.out" >&2; exit 1; }
const [file, nfiles] = process.argv.slice(2);
const log = JSON.parse(require("fs").readFileSync(file, "utf8"));
const count = { error: 0, warning: 0, note: 0 };
for (const run of log.runs || []) {
  for (const inv of run.invocations || []) {
    if (inv.executionSuccessful === false) { console.error("validate-sarif: the validator reports an unsuccessful run"); process.exit(1); }
  }
  for (const r of run.results || []) {
    const level = r.level || "warning";
    count[level] = (count[level] || 0) + 1;
  }
}
console.log(`validate-sarif: ${nfiles} SARIF files, ${count.error} errors, ${count.warning} warnings, ${count.note} notes (Sarif;Gh rules)`);
process.exit(count.error + count.warning > 0 ? 1 : 0);
EOF
