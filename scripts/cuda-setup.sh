#!/usr/bin/env bash
# The CUDA 13.0 toolchain for building `--features cuda` on a machine with no GPU and no
# system nvcc, from PyPI wheels, cached outside the clone (idempotent) in a folder named by
# the pinned wheels, so that a change of pins installs afresh and every clone shares one
# install (and Candle's kernels, built against its path, stay fresh in the shared target:
# scripts/cache.sh). Prints the environment to source: `eval "$(bash scripts/cuda-setup.sh)"`.
#
# Pinned to 13.0: cudarc 0.19 knows nvcc up to 13.4, and PTX from a newer nvcc may not
# load on driver 580 (the lent H100/H200 machines). The wheels ship only versioned
# libraries (unversioned link names are made here) and no driver: a stub libcuda.so,
# every `cu*` entry point of cudarc returning CUDA_ERROR_NO_DEVICE, satisfies the linker;
# the real driver is loaded at run time on a GPU machine.
set -euo pipefail
cd "$(dirname "$0")/.."
wheels=(nvidia-cuda-nvcc==13.0.88 nvidia-nvvm==13.0.88 nvidia-cuda-crt==13.0.88
  nvidia-cuda-runtime==13.0.96 nvidia-cuda-cccl==13.0.85 nvidia-cuda-nvrtc==13.0.88
  nvidia-curand==10.4.0.35 nvidia-cublas==13.0.2.14)
root=${GAN_CACHE_DIR:-$HOME/.cache/gan-playground}/cuda-$(echo "${wheels[*]}" | sha1sum | cut -c1-10)
log() { printf '[cuda-setup] %s\n' "$*" >&2; }
if [ ! -x "$root/venv/bin/python" ] || [ ! -f "$root/installed" ]; then
  log "installing the CUDA 13.0 wheels into $root/venv (about 1.2 GB, once per machine)"
  rm -rf "$root"
  python3 -m venv "$root/venv"
  "$root/venv/bin/pip" install -q --no-cache-dir --no-deps "${wheels[@]}" >&2
  touch "$root/installed"
fi
cuda_home="$("$root/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/nvidia/cu13"
(cd "$cuda_home/lib" && for l in cudart cublas cublasLt nvrtc; do ln -sf "lib$l.so.13" "lib$l.so"; done &&
  ln -sf libcurand.so.10 libcurand.so && mkdir -p stubs)
if [ ! -f "$cuda_home/lib/stubs/libcuda.so" ]; then
  cargo fetch -q
  cudarc=$(cargo metadata --format-version 1 --features cuda | python3 -c 'import json, sys, os; print([os.path.dirname(p["manifest_path"]) for p in json.load(sys.stdin)["packages"] if p["name"] == "cudarc"][0])')
  grep -ohP '^\s+fn \Kcu[A-Za-z0-9_]+(?=\()' "$cudarc/src/driver/sys/mod.rs" | sort -u |
    sed 's/.*/int &(void){return 100;}/' > "$root/cuda_stub.c"
  gcc -shared -fPIC -Wl,-soname,libcuda.so.1 -o "$cuda_home/lib/stubs/libcuda.so" "$root/cuda_stub.c"
  # Only for starting the binary here (it then reports no device): never on a GPU machine.
  ln -sf libcuda.so "$cuda_home/lib/stubs/libcuda.so.1"
  log "built the driver stub from $(wc -l < "$root/cuda_stub.c") cudarc entry points"
fi
# The GPU's architecture for candle-kernels: this machine's GPU if it has one, else
# Hopper (the H100/H200 the project's GPU runs use); CUDA_COMPUTE_CAP overrides.
cap=${CUDA_COMPUTE_CAP:-}
if [ -z "$cap" ] && command -v nvidia-smi >/dev/null 2>&1; then
  cap=$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader 2>/dev/null | head -n 1 | tr -d . || true)
fi
cat <<ENV
export CUDA_HOME='$cuda_home'
export PATH='$cuda_home/bin':"\$PATH"
export CUDA_COMPUTE_CAP=${cap:-90}
export CUDAFORGE_THREADS=\${CUDAFORGE_THREADS:-2}
export LIBRARY_PATH='$cuda_home/lib:$cuda_home/lib/stubs'
ENV
