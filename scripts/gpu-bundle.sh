#!/usr/bin/env bash
# Here, on a machine with no GPU: builds what the GPU run needs and packs it into
# target/gpu-bundle.tgz (the device machines lent to this project have CUDA and PyTorch
# but no Rust). Carry it with `scripts/gpu-run.sh`, which unpacks it there:
#   bash scripts/gpu-bundle.sh   # then, on the GPU machine: bash scripts/gpu-run.sh OUT_DIR
# Holds: the CLI and the CUDA test binary (built with --features cuda, stripped) and the
# MNIST files the CLI, the tests and the PyTorch peer read.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
eval "$(bash scripts/cuda-setup.sh)"
export CARGO_TARGET_DIR=target/cuda
log() { printf '[gpu-bundle] %s\n' "$*" >&2; }
log "building the CLI and tests/cuda.rs with --features cuda"
cargo build --release --features cuda --bin gan-playground -q
tests=$(cargo test --release --features cuda --test cuda --no-run --message-format=json -q |
  python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "cuda" and m.get("executable"):
        print(m["executable"])')
stage=target/gpu-stage
rm -rf "$stage"
mkdir -p "$stage/target/gpu" "$stage/.cache/mnist" "$stage/.cache/digits"
cp target/cuda/release/gan-playground "$stage/target/gpu/gan-playground"
cp "$tests" "$stage/target/gpu/cuda-tests"
strip "$stage/target/gpu/gan-playground" "$stage/target/gpu/cuda-tests"
cp .cache/mnist/train.digits .cache/mnist/test.digits "$stage/.cache/mnist/"
cp .cache/digits/page.digits .cache/digits/classifier.safetensors "$stage/.cache/digits/"
tar czf target/gpu-bundle.tgz -C "$stage" .
log "target/gpu-bundle.tgz: $(du -h target/gpu-bundle.tgz | cut -f1) (the device tool carries at most 64 MiB)"
