#!/usr/bin/env bash
# On a machine with an NVIDIA GPU, CUDA's driver and PyTorch (no Rust needed): every check
# of the CUDA build in one run, from target/gpu-bundle.tgz (`scripts/gpu-bundle.sh`).
#   bash scripts/gpu-run.sh OUT_DIR [SECONDS_PER_RUN] [ROUNDS]
# Writes to OUT_DIR (at most 8 files, as the device tool returns them):
#   gpu.txt               the GPU, the driver, the libraries the binary resolved
#   cuda-tests.log        tests/cuda.rs: the CPU/CUDA step comparisons, weights, the CLI
#   mnist-mlp-small.json  + .safetensors: 300 iterations on CUDA, seed 1 (the test
#   dcgan.json            + .safetensors: command's CPU reference run, on the GPU)
#   cuda-bench.jsonl      candle-cuda against pytorch-cuda, alternating, every config
# then `bash scripts/gpu-verify.sh OUT_DIR` here loads the weights in the page and writes
# the benchmark rows.
set -uo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: gpu-run.sh OUT_DIR [SECONDS] [ROUNDS]}
seconds=${2:-3}
rounds=${3:-5}
mkdir -p "$out"
tar xzf target/gpu-bundle.tgz
bin=target/gpu/gan-playground

# The driver (libcuda.so.1) is the machine's. cuBLAS, cuBLASLt, cuRAND and NVRTC come from
# PyTorch's CUDA 13 wheels, which ship only versioned names: link the plain ones.
py=$(command -v python3)
nvlib=$("$py" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/nvidia/cu13/lib
links=$PWD/target/gpu/lib
rm -rf "$links"
mkdir -p "$links"
[ -d "$nvlib" ] || echo "no CUDA 13 libraries under $nvlib (is this PyTorch's python3?)" >&2
shopt -s nullglob
for l in "$nvlib"/lib*.so.*; do
  base=$(basename "$l")
  ln -sf "$l" "$links/${base%%.so.*}.so"
done
export LD_LIBRARY_PATH="$links:$nvlib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
{
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
  "$py" -c 'import torch; print("PyTorch", torch.__version__, "CUDA", torch.version.cuda)'
  echo "libraries the CLI resolved:"
  ldd "$bin" | grep -Ei 'cuda|cublas|curand|nvrtc|not found'
} > "$out/gpu.txt" 2>&1
cat "$out/gpu.txt"

status=0
echo "== tests/cuda.rs"
GAN_PLAYGROUND_BIN=$bin target/gpu/cuda-tests --nocapture --test-threads 1 2>&1 | tee "$out/cuda-tests.log" || status=1

echo "== MNIST trained on CUDA, for the page"
for m in mlp-small dcgan; do
  name=$m; [ "$m" = mlp-small ] && name=mnist-mlp-small
  "$bin" train --dataset mnist --model "$m" --steps 300 --seed 1 --device cuda --json \
    --out "target/gpu/$m" | tail -n 1 > "$out/$name.json" || status=1
  cp "target/gpu/$m/weights.safetensors" "$out/$name.safetensors" || status=1
  cat "$out/$name.json"
done

echo "== benchmark: $rounds rounds of $seconds s, candle-cuda and pytorch-cuda alternating"
: > "$out/cuda-bench.jsonl"
for r in $(seq "$rounds"); do
  for c in 2d-default 2d-small mnist-mlp mnist-mlp-large mnist-conv; do
    if [ $((r % 2)) = 1 ]; then order="candle pytorch"; else order="pytorch candle"; fi
    for impl in $order; do
      if [ "$impl" = candle ]; then
        "$bin" bench --config "$c" --seconds "$seconds" --device cuda |
          sed 's/"impl":"candle"/"impl":"candle-cuda"/' >> "$out/cuda-bench.jsonl" || status=1
      else
        "$py" benches/torch_gan.py --config "$c" --seconds "$seconds" --device cuda 2>/dev/null |
          sed 's/"impl": "pytorch"/"impl": "pytorch-cuda"/' >> "$out/cuda-bench.jsonl" || status=1
      fi
    done
  done
done
# What --device auto picks for each, with its reason.
for c in 2d-default mnist-mlp mnist-mlp-large mnist-conv; do
  echo "$c: $("$bin" bench --config "$c" --seconds 0.1 --device auto 2>&1 >/dev/null | grep 'device auto')"
done | tee -a "$out/gpu.txt"
exit $status
