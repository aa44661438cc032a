#!/usr/bin/env bash
# Builds the wasm module with threads into OUT (default: Trunk's staging directory's
# threads/, as Trunk's post-build hook in Trunk.toml runs it; else dist/threads).
#
# Threads need std rebuilt with atomics and bulk memory (cargo's -Zbuild-std, with
# RUSTC_BOOTSTRAP=1 on a stable compiler), which needs std's source: rustup's rust-src
# component where it is installed, else Debian's rustc-web toolchain with rust-web-src
# (scripts/setup.sh installs it: rustup's servers cannot be reached from this machine kind).
# The page loads this build only where it is cross-origin isolated (www/worker.js), and the
# plain one, which Trunk builds, everywhere else.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-${TRUNK_STAGING_DIR:-dist}/threads}

if [ -d "$(rustc --print sysroot)/lib/rustlib/src/rust/library" ]; then
  cargo=cargo rustc_bin=rustc
elif [ -x /usr/bin/rustc ] && [ -d /usr/lib/rustlib/src/rust/library ]; then
  cargo=/usr/bin/cargo rustc_bin=/usr/bin/rustc
else
  echo "build-threads: std's source is missing (run bash scripts/setup.sh)" >&2
  exit 1
fi

# Shared memory has a fixed maximum: 4 GiB, wasm32's whole address space, so that the
# threaded build can hold what the plain one can.
flags="-C target-feature=+simd128,+atomics,+bulk-memory,+mutable-globals --cfg getrandom_backend=\"wasm_js\""
# rustc no longer asks the linker for shared memory and the thread-local exports that
# wasm-bindgen's thread support needs; without them the memory cannot go to the workers.
for arg in --shared-memory --import-memory --max-memory=4294967296 --export=__wasm_init_tls \
  --export=__tls_size --export=__tls_align --export=__tls_base; do
  flags="$flags -C link-arg=$arg"
done
# Its own target directory: another compiler and other flags than the plain build.
RUSTC_BOOTSTRAP=1 RUSTC=$rustc_bin RUSTFLAGS=$flags CARGO_TARGET_DIR=target/wasm-threads \
  "$cargo" build -q --release --target wasm32-unknown-unknown --lib --features threads \
  -Zbuild-std=std,panic_abort
wasm-bindgen --target web --no-typescript --out-dir "$out" \
  target/wasm-threads/wasm32-unknown-unknown/release/gan_playground.wasm
