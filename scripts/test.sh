#!/usr/bin/env bash
# The one test command. `bash scripts/test.sh` runs every stage; `bash scripts/test.sh e2e`
# (or several names) runs only those, after the set-up. Each stage prints its wall time,
# and a summary closes the run. tests/README.md says what each stage checks.
#
#   lint    rustfmt, clippy (native), the page's type check and lint
#   native  the native tests: one integration crate (tests/native)
#   wasm    clippy for wasm32, then the wasm tests in headless Chrome against native
#           references
#   e2e     the page built by Trunk, end to end in headless Chromium (tests/e2e)
#   cuda    the CUDA build, compiled and linked here with no GPU (tests/cuda.rs skips
#           visibly without one)
set -euo pipefail
cd "$(dirname "$0")/.."
# The CUDA stage goes last: it builds this crate with other features in the same target
# directory (so only what the feature changes builds apart), and the native references
# of the wasm and e2e stages then find the native build the native stage left.
all=(lint native wasm e2e cuda)
stages=("$@")
[ ${#stages[@]} -eq 0 ] && stages=("${all[@]}")
for s in "${stages[@]}"; do
  [[ " ${all[*]} " == *" $s "* ]] || { echo "unknown stage '$s' (stages: ${all[*]})" >&2; exit 2; }
done

# The native builds of the test command skip link-time optimisation: it changes no result
# and only the speed of the code, which no test asserts, and a thin-LTO link of a binary
# over Candle takes most of a minute after every change. The run command, the benchmarks
# and the wasm builds (the page the tests load is the page the run command serves) keep
# the release profile as it is; `wasm_env` runs those.
export CARGO_PROFILE_RELEASE_LTO=false
wasm_env() { env -u CARGO_PROFILE_RELEASE_LTO $WASM_ENV "$@"; }

# shellcheck source=scripts/cache.sh
source scripts/cache.sh
times=()
timed() { # name command...
  local t0=$SECONDS
  printf '\n== %s\n' "$1"
  "${@:2}"
  times+=("$(printf '%-7s %4d s' "$1" $((SECONDS - t0)))")
}
summary() {
  printf '\n== wall time per stage\n'
  printf '%s\n' "${times[@]}"
  printf 'total   %4d s\n' "$SECONDS"
}
trap 'summary' EXIT

setup() {
  use_shared_target
  bash scripts/setup.sh
}
timed setup setup
WASM_ENV=""
# shellcheck disable=SC1091
[ -f .cache/wasm-env ] && source .cache/wasm-env
export CHROMEDRIVER=/usr/bin/chromedriver
mkdir -p test-artifacts

lint() {
  cargo fmt --check
  cargo clippy --release --all-targets -q -- -D warnings
  # The page's modules and workers: TypeScript's checker over their JSDoc types (the page
  # and the workers have different libraries, so two configs), then ESLint.
  npx --no-install tsc -p www/tsconfig.json
  npx --no-install tsc -p www/tsconfig.worker.json
  npx --no-install eslint -c www/eslint.config.mjs www
}

native() {
  cargo test --release
}

cuda() {
  # A subshell: the CUDA toolchain's PATH and LIBRARY_PATH stay out of the other stages.
  (
    eval "$(bash scripts/cuda-setup.sh)"
    # The same target directory and profile as the native stage: only what the feature
    # changes (cudarc, Candle's kernels, candle-core, candle-nn, this crate) builds apart.
    if ! { command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; }; then
      # No driver: the set-up's stub lets the binaries start; opening a device then fails.
      export LD_LIBRARY_PATH="$CUDA_HOME/lib/stubs:$CUDA_HOME/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    else
      export LD_LIBRARY_PATH="$CUDA_HOME/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    fi
    # What the feature changes: the library, the binary and the CUDA tests. The build
    # puts the CUDA binary where the native CLI was; the native one goes back after.
    local cli=target/release/gan-playground
    if [ -f "$cli" ]; then cp -p "$cli" "$cli.native"; fi
    cargo clippy --release --features cuda --lib --bins --test cuda -q -- -D warnings
    cargo test --release --features cuda --test cuda -- --nocapture --test-threads 1
    if [ -f "$cli.native" ]; then mv -f "$cli.native" "$cli"; fi
  )
}

# Native references the wasm tests and the page's tests compare against: a 2D trace, and
# MNIST weights with their grid digest. Made once per run, by whichever stage needs them.
references_made=0
references() {
  [ $references_made = 1 ] && return 0
  cargo build --release -q
  NATIVE_TRACE=$(./target/release/gan-playground train --seed 7 --steps 10 --trace 10 --json | tail -n 1 |
    python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin)["trace"]))')
  echo "native 2D trace: $NATIVE_TRACE"
  rm -rf test-artifacts/mnist-native
  ./target/release/gan-playground train --dataset mnist --steps 300 --seed 1 --json \
    --out test-artifacts/mnist-native | tail -n 1 > test-artifacts/mnist-native.json
  NATIVE_DIGEST=$(python3 -c 'import json; print(json.dumps(json.load(open("test-artifacts/mnist-native.json"))["grid_digest"]))')
  echo "native MNIST grid digest: $NATIVE_DIGEST"
  references_made=1
}

wasm() {
  references
  # The wasm tests compile these references in, so their lints run after they exist.
  export GAN_NATIVE_TRACE="$NATIVE_TRACE" GAN_NATIVE_DIGIT_DIGEST="$NATIVE_DIGEST"
  export GAN_NATIVE_DIGIT_WEIGHTS="$PWD/test-artifacts/mnist-native/weights.safetensors"
  wasm_env cargo clippy --release --target wasm32-unknown-unknown --all-targets -q -- -D warnings
  # The relaxed-SIMD module's own code (src/core/nn/fma.rs's kernel), as build-variants.sh builds it.
  wasm_env RUSTFLAGS='-C target-feature=+simd128,+relaxed-simd --cfg getrandom_backend="wasm_js"' \
    CARGO_TARGET_DIR=target/wasm-fma cargo clippy --release --target wasm32-unknown-unknown --lib -q -- -D warnings
  # wasm-bindgen's own test runner (from wasm-bindgen-cli) runs them in headless Chromium
  # through chromedriver, with webdriver.json's arguments.
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    wasm_env cargo test --release --target wasm32-unknown-unknown --test wasm
}

# A subshell: serve.sh's trap (stopping the servers) stays out of the run's own (the summary).
e2e() (
  references
  wasm_env trunk build --release
  # shellcheck source=scripts/serve.sh
  source scripts/serve.sh
  serve dist isolated
  local isolated_port=$port
  serve dist
  GAN_NATIVE_MNIST=test-artifacts/mnist-native.json \
    bash tests/e2e/run.sh "http://127.0.0.1:$port/" "http://127.0.0.1:$isolated_port/" test-artifacts
)

for s in "${stages[@]}"; do timed "$s" "$s"; done
