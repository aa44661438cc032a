#!/usr/bin/env bash
# The mode-collapse target in the page: trains the target configuration (TARGET, a link) for
# SECONDS of page time on ring8 and grid25 in Debian's chromium, and prints the iterations
# reached with the live modes and high-quality share. The benchmark's own numbers (2,500
# samples, 10 seeds) come from scripts/mode-benchmark.sh at the same iteration count.
#   bash scripts/page-target.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
target=${TARGET:-hidden=64&layers=4&r1=1}
[ -f .cache/wasm-env ] && source .cache/wasm-env
trunk build --release >/dev/null 2>&1
source scripts/serve.sh
serve dist
for ds in ring8 grid25; do
  node scripts/page-target.mjs "http://127.0.0.1:$port/" "dataset=$ds&$target" "$seconds"
done
