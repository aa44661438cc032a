#!/usr/bin/env bash
# Here, after `scripts/gpu-run.sh OUT_DIR` ran on a GPU machine and OUT_DIR came back:
# the CUDA-trained MNIST models load in the page (headless Chromium) with the grid digest
# the CLI printed on the GPU, and the CUDA tests all ran (none skipped) and passed.
#   bash scripts/gpu-verify.sh OUT_DIR
# The benchmark's CUDA rows then go into BENCHMARKS.md with
#   GAN_CUDA_RESULTS=OUT_DIR bash scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:?usage: gpu-verify.sh OUT_DIR}
bash scripts/setup.sh
WASM_ENV=""
# shellcheck disable=SC1091
[ -f .cache/wasm-env ] && source .cache/wasm-env
log() { printf '[gpu-verify] %s\n' "$*" >&2; }

head -n 1 "$dir/gpu.txt"
grep -q '^test result: ok' "$dir/cuda-tests.log" || { log "tests/cuda.rs did not pass: see $dir/cuda-tests.log"; exit 1; }
if grep -q 'SKIPPED (no CUDA device' "$dir/cuda-tests.log"; then
  log "tests/cuda.rs skipped tests: no GPU was opened"; exit 1
fi
log "tests/cuda.rs: $(grep -m1 '^test result' "$dir/cuda-tests.log")"

env $WASM_ENV trunk build --release
mkdir -p test-artifacts
# shellcheck source=scripts/serve.sh
source scripts/serve.sh
serve dist
for m in mnist-mlp-small dcgan; do
  grep -q '"device":"cuda"' "$dir/$m.json" || { log "$m.json was not trained on CUDA"; exit 1; }
  node tests/e2e/weights.mjs "http://127.0.0.1:$port/" "$dir/$m.safetensors" "$dir/$m.json" \
    "test-artifacts/cuda-$m.png"
done
