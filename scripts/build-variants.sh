#!/usr/bin/env bash
# Builds the page's two other wasm modules beside the plain one Trunk builds (simd128):
#   fma/      + relaxed SIMD: the large products on fused multiply-add (src/core/nn/fma.rs)
#   threads/  + relaxed SIMD and threads: std rebuilt with atomics, a wasm-bindgen-rayon pool
# into OUT (default: Trunk's staging directory, as Trunk's post-build hook in Trunk.toml
# runs it; else dist). `build-variants.sh OUT fma` or `... threads` builds one.
# www/worker.js picks at run time: threads where the page is cross-origin isolated and the
# browser validates relaxed SIMD, fma where it only validates relaxed SIMD, else the plain
# module; and the plain one whenever another fails to start.
#
# Threads need std rebuilt with atomics and bulk memory (cargo's -Zbuild-std, with
# RUSTC_BOOTSTRAP=1 on a stable compiler), which needs std's source: rustup's rust-src
# component where it is installed, else Debian's rustc-web toolchain with rust-web-src
# (scripts/setup.sh installs it: rustup's servers cannot be reached from this machine kind).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-${TRUNK_STAGING_DIR:-dist}}
which=${2:-all}
wasm=wasm32-unknown-unknown/release/gan_playground.wasm
base='-C target-feature=+simd128,+relaxed-simd --cfg getrandom_backend="wasm_js"'

if [ "$which" = all ] || [ "$which" = fma ]; then
  RUSTFLAGS=$base CARGO_TARGET_DIR=target/wasm-fma \
    cargo build -q --release --target wasm32-unknown-unknown --lib
  wasm-bindgen --target web --no-typescript --out-dir "$out/fma" "target/wasm-fma/$wasm"
fi

if [ "$which" = all ] || [ "$which" = threads ]; then
  if [ -d "$(rustc --print sysroot)/lib/rustlib/src/rust/library" ]; then
    cargo=cargo rustc_bin=rustc
  elif [ -x /usr/bin/rustc ] && [ -d /usr/lib/rustlib/src/rust/library ]; then
    cargo=/usr/bin/cargo rustc_bin=/usr/bin/rustc
  else
    echo "build-variants: std's source is missing (run bash scripts/setup.sh)" >&2
    exit 1
  fi
  flags="$base -C target-feature=+atomics,+bulk-memory,+mutable-globals"
  # rustc no longer asks the linker for shared memory and the thread-local exports that
  # wasm-bindgen's thread support needs; without them the memory cannot go to the workers.
  # The maximum is fixed with shared memory: 4 GiB, wasm32's whole address space, so that
  # the threaded build can hold what the plain one can.
  for arg in --shared-memory --import-memory --max-memory=4294967296 --export=__wasm_init_tls \
    --export=__tls_size --export=__tls_align --export=__tls_base; do
    flags="$flags -C link-arg=$arg"
  done
  # Its own target directory: another compiler and other flags than the plain build. The
  # compiler's warning that atomics are unstable is expected; it is left out of the log.
  RUSTC_BOOTSTRAP=1 RUSTC=$rustc_bin RUSTFLAGS=$flags CARGO_TARGET_DIR=target/wasm-threads \
    "$cargo" build -q --release --target wasm32-unknown-unknown --lib --features threads \
    -Zbuild-std=std,panic_abort 2> >(grep -v -e 'unstable feature specified for `-Ctarget-feature`: `atomics`' \
    -e 'this feature is not stably supported' -e '^ *|$' -e '^ *= note' -e '^$' >&2)
  wasm-bindgen --target web --no-typescript --out-dir "$out/threads" "target/wasm-threads/$wasm"
  # wasm-bindgen-rayon's pool workers start the module with init's older positional
  # arguments, for which wasm-bindgen warns on the console once per worker: the same
  # call in the object form it asks for.
  sed -i 's/await pkg\.default(data\.module, data\.memory);/await pkg.default({ module_or_path: data.module, memory: data.memory });/' \
    "$out"/threads/snippets/wasm-bindgen-rayon-*/src/workerHelpers*.js
fi

# The modules' sizes, for the page's progress bar: a compressed download's length does not
# say how many bytes it unpacks to.
if [ "$which" = all ]; then
  size() { stat -c %s "$out/$1"; }
  printf '{"plain": %s, "fma": %s, "threads": %s}\n' "$(size gan-playground_bg.wasm)" \
    "$(size fma/gan_playground_bg.wasm)" "$(size threads/gan_playground_bg.wasm)" > "$out/modules.json"
fi
