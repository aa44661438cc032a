#!/usr/bin/env bash
# The one test command: set-up, lint, native tests, the CUDA build (compiled without a
# GPU; its tests run where one is), wasm tests in headless Chrome (with the native/wasm
# equality check), and the page end to end in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# shellcheck disable=SC1091
WASM_ENV=""
[ -f .cache/wasm-env ] && source .cache/wasm-env
export CHROMEDRIVER=/usr/bin/chromedriver
mkdir -p test-artifacts

step() { printf '\n== %s\n' "$*"; }

step "format and lints"
cargo fmt --check
cargo clippy --release --all-targets -q -- -D warnings

step "native tests"
cargo test --release

step "the CUDA build: --features cuda, compiled and linked here with no GPU (tests/cuda.rs skips visibly without one)"
# A subshell: the CUDA toolchain's PATH and LIBRARY_PATH stay out of the other steps.
(
  eval "$(bash scripts/cuda-setup.sh)"
  export CARGO_TARGET_DIR=target/cuda
  if ! { command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; }; then
    # No driver: the set-up's stub lets the binaries start; opening a device then fails.
    export LD_LIBRARY_PATH="$CUDA_HOME/lib/stubs:$CUDA_HOME/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  else
    export LD_LIBRARY_PATH="$CUDA_HOME/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  fi
  cargo clippy --release --features cuda --all-targets -q -- -D warnings
  cargo test --release --features cuda --test cuda -- --nocapture --test-threads 1
)

step "native references for the wasm tests: a 2D trace, and MNIST weights"
cargo build --release -q
trace=$(./target/release/gan-playground train --seed 7 --steps 10 --trace 10 --json | tail -n 1 |
  python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin)["trace"]))')
echo "$trace"
rm -rf test-artifacts/mnist-native
./target/release/gan-playground train --dataset mnist --steps 300 --seed 1 --json \
  --out test-artifacts/mnist-native | tail -n 1 > test-artifacts/mnist-native.json
digest=$(python3 -c 'import json; print(json.dumps(json.load(open("test-artifacts/mnist-native.json"))["grid_digest"]))')
echo "native MNIST grid digest: $digest"

# The wasm tests compile these references in, so their lints run after they exist.
export GAN_NATIVE_TRACE="$trace" GAN_NATIVE_DIGIT_DIGEST="$digest"
export GAN_NATIVE_DIGIT_WEIGHTS="$PWD/test-artifacts/mnist-native/weights.safetensors"
step "wasm lints"
env $WASM_ENV cargo clippy --release --target wasm32-unknown-unknown --all-targets -q -- -D warnings
# The relaxed-SIMD module's own code (src/core/nn/fma.rs's kernel), as build-variants.sh builds it.
env $WASM_ENV RUSTFLAGS='-C target-feature=+simd128,+relaxed-simd --cfg getrandom_backend="wasm_js"' \
  CARGO_TARGET_DIR=target/wasm-fma cargo clippy --release --target wasm32-unknown-unknown --lib -q -- -D warnings

step "wasm tests in headless Chrome"
env $WASM_ENV wasm-pack test --release --headless --chrome \
  --chromedriver /usr/bin/chromedriver -- --test wasm

step "the page, end to end in headless Chromium"
env $WASM_ENV trunk build --release
# shellcheck source=scripts/serve.sh
source scripts/serve.sh
serve dist isolated
isolated_port=$port
serve dist
GAN_NATIVE_MNIST=test-artifacts/mnist-native.json GAN_E2E_ISOLATED_URL="http://127.0.0.1:$isolated_port/" \
  node tests/e2e/page.mjs "http://127.0.0.1:$port/" test-artifacts
