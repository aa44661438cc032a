#!/usr/bin/env bash
# The page soak: trains in headless Chromium with every layer on,
# switching loss, k, data set and mode in rotation, and samples the JS heaps and the wasm
# memories; fails when memory grows by 10% or more after the first 5 minutes, on any page
# error, or when training stalls. See scripts/soak.mjs.
#
# Usage: bash scripts/soak.sh [MINUTES=30] [SWITCH_S=30] [SAMPLE_S=60] [OUT_DIR=test-artifacts/soak]
# Env:   DIST_DIR       the built page to serve (default dist; built with trunk when missing)
#        SOAK_BASELINE_MIN  the minute growth is measured from (default 5, or half the run if shorter)
#        CHROMIUM       the browser (default /usr/bin/chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-30}
switch_s=${2:-30}
sample_s=${3:-60}
out=${4:-test-artifacts/soak}
dist=${DIST_DIR:-dist}

if [ ! -f "$dist/index.html" ]; then
  if [ "$dist" != dist ]; then
    echo "soak: $dist/index.html does not exist" >&2
    exit 2
  fi
  WASM_ENV=""
  # shellcheck disable=SC1091
  [ -f .cache/wasm-env ] && source .cache/wasm-env
  env $WASM_ENV trunk build --release
fi

# shellcheck source=scripts/serve.sh
source scripts/serve.sh
serve "$dist"
node scripts/soak.mjs "http://127.0.0.1:$port/" "$minutes" "$switch_s" "$sample_s" "$out"
