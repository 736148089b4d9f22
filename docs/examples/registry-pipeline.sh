#!/usr/bin/env bash
# registry-pipeline.sh: build a Wasm filter image, lint it, push it only
# when it is clean. The image is linted as the archive docker save writes
# (or an oci-archive from buildah/oras): wasmlint finds the module in it,
# checks it for every host in .wasmlint.yaml, and checks the image layout
# against the hosts' image fetchers (PW801: Istio and Higress accept the
# compat layout, one tar+gzip layer holding plugin.wasm, and Solo.io's
# two-layer oci layout).
#
#   IMAGE=registry.example.com/filters/add-header:1.2.0 docs/examples/registry-pipeline.sh
set -euo pipefail
: "${IMAGE:?set IMAGE to the reference to push}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# 1. Build: one COPY, so plugin.wasm is in the last (only) layer.
cp target/wasm32-wasip1/release/filter.wasm "$work/plugin.wasm"
printf 'FROM scratch\nCOPY plugin.wasm ./plugin.wasm\n' >"$work/Dockerfile"
docker build -t "$IMAGE" "$work"

# 2. Lint the image as it will be pushed; keep a SARIF for code scanning.
docker save "$IMAGE" -o "$work/image.tar"
wasmlint --host istio --sarif-output wasmlint.sarif "$work/image.tar"   # exit 1 stops the pipeline

# 3. Push only what passed.
docker push "$IMAGE"
