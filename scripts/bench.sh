#!/usr/bin/env bash
# The benchmark: the project against its peers, side by side, written to BENCHMARKS.md.
#   bash scripts/bench.sh [SECONDS_PER_RUN] [ROUNDS]
# Native: gan-playground bench vs PyTorch (CPU; and CUDA: see GAN_CUDA_RESULTS below).
# Browser: the project's wasm (the plain simd128 module and the relaxed-SIMD FMA one) vs
# TensorFlow.js (wasm and cpu backends), one Chromium tab; on a cross-origin isolated page
# the project's threaded module and TF.js's wasm backend with threads; and the page itself
# (steps/s at full speed, drawing included), plain and isolated.
# The limit: GFLOP/s of square products through the same kernels, natively and in wasm.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-3}
rounds=${2:-5}
bash scripts/setup.sh
WASM_ENV=""
# shellcheck disable=SC1091
[ -f .cache/wasm-env ] && source .cache/wasm-env
log() { printf '[bench] %s\n' "$*" >&2; }

# PyTorch from PyPI, in its own virtual environment (once; about 5 GB with its CUDA libraries).
venv=.cache/bench-venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import torch' 2>/dev/null; then
  log "installing PyTorch from PyPI into $venv (once)"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check torch numpy
fi

log "building the native binary and the wasm benchmark module"
cargo build --release -q
env $WASM_ENV cargo build --release --target wasm32-unknown-unknown --lib -q
wasm-bindgen --target web --no-typescript --out-dir target/bench-pkg \
  target/wasm32-unknown-unknown/release/gan_playground.wasm
# The modules with relaxed SIMD's FMA and with threads, as the page loads them.
env $WASM_ENV bash scripts/build-variants.sh target/bench-variants

out=target/bench
mkdir -p "$out"
results="$out/results.jsonl"
: > "$results"
configs="2d-default 2d-small mnist-mlp mnist-mlp-large mnist-conv"
# CUDA rows: from a GPU run made elsewhere (GAN_CUDA_RESULTS=the folder scripts/gpu-run.sh
# wrote), or run here when this machine has an NVIDIA GPU.
cuda_dir=${GAN_CUDA_RESULTS:-}
if [ -z "$cuda_dir" ] && command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then
  bash scripts/gpu-bundle.sh
  cuda_dir=target/gpu-out
  bash scripts/gpu-run.sh "$cuda_dir" "$seconds" "$rounds" || log "the GPU run failed: see $cuda_dir"
fi
gpu=""
if [ -n "$cuda_dir" ]; then
  cat "$cuda_dir/cuda-bench.jsonl" >> "$results"
  gpu=$(head -n 1 "$cuda_dir/gpu.txt")
fi

log "native: $rounds rounds of $seconds s per run"
for r in $(seq "$rounds"); do
  for c in $configs; do
    # Alternate which implementation goes first.
    # candle-autograd: the same engine with the fused paths off (every step through autograd).
    if [ $((r % 2)) = 1 ]; then order="candle pytorch candle-autograd"; else order="pytorch candle-autograd candle"; fi
    for impl in $order; do
      if [ "$impl" = candle ]; then
        ./target/release/gan-playground bench --config "$c" --seconds "$seconds" >> "$results"
      elif [ "$impl" = candle-autograd ]; then
        ./target/release/gan-playground bench --config "$c" --seconds "$seconds" --autograd >> "$results"
      else
        "$venv/bin/python" benches/torch_gan.py --config "$c" --seconds "$seconds" 2>/dev/null >> "$results"
      fi
    done
  done
done

log "native profiles: the phases and allocations of one iteration, autograd and fused"
profiles="$out/profiles.jsonl"
: > "$profiles"
for c in $configs; do
  ./target/release/gan-playground bench --config "$c" --seconds "$seconds" --profile --autograd >> "$profiles"
  ./target/release/gan-playground bench --config "$c" --seconds "$seconds" --profile >> "$profiles"
done
log "native peak: square products through the same kernels"
./target/release/gan-playground bench --peak --seconds "$seconds" >> "$results"

log "browser: $rounds rounds of $seconds s per run"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/" >/dev/null 2>&1 && break; sleep 0.1; done
node benches/browser.mjs "http://127.0.0.1:$port/benches/browser/index.html" "$seconds" "$rounds" 2d-default 2d-small mnist-mlp mnist-conv >> "$results"

log "browser, cross-origin isolated: the threaded module and TF.js's wasm backend, threads allowed"
iport=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 scripts/isolated_server.py "$iport" . &
iserver=$!
trap 'kill $server $iserver 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$iport/" >/dev/null 2>&1 && break; sleep 0.1; done
GAN_BENCH_IMPLS=candle-wasm-threads,tfjs-wasm GAN_BENCH_EXTRAS=0 node benches/browser.mjs \
  "http://127.0.0.1:$iport/benches/browser/index.html" "$seconds" "$rounds" 2d-default 2d-small mnist-mlp mnist-conv >> "$results"

log "the page itself: steps/s at full speed, drawing included"
env $WASM_ENV trunk build --release >/dev/null 2>&1
pport=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$pport" --bind 127.0.0.1 --directory dist >/dev/null 2>&1 &
pserver=$!
trap 'kill $server $iserver $pserver 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$pport/" >/dev/null 2>&1 && break; sleep 0.1; done
node benches/page.mjs "http://127.0.0.1:$pport/" "$((seconds * 2))" 2d-default mnist-mlp mnist-conv >> "$results"
log "the page itself, cross-origin isolated: the threaded module"
ipport=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 scripts/isolated_server.py "$ipport" dist &
ipserver=$!
trap 'kill $server $iserver $pserver $ipserver 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$ipport/" >/dev/null 2>&1 && break; sleep 0.1; done
node benches/page.mjs "http://127.0.0.1:$ipport/" "$((seconds * 2))" 2d-default mnist-mlp mnist-conv >> "$results"

torch_version=$("$venv/bin/python" -c 'import torch; print("PyTorch", torch.__version__)' 2>/dev/null)
torch_threads=$("$venv/bin/python" -c 'import torch; print(torch.get_num_threads())' 2>/dev/null)
python3 - "$out/meta.json" <<PY
import json, sys
json.dump({"seconds": $seconds, "rounds": $rounds, "torch": "$torch_version",
           "torch_threads": "$torch_threads", "gpu": "$gpu",
           "candle_threads": "1 for the MLPs (the CLI chooses one thread below hidden × batch = 128k, which covers them), 2 for mnist-conv (its pass splits its work in two)",
           "extra": "benches/notes.md"}, open(sys.argv[1], "w"))
PY
python3 benches/report.py "$results" BENCHMARKS.md "$out/meta.json" "$profiles"
log "wrote BENCHMARKS.md"
