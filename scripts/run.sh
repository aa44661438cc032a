#!/usr/bin/env bash
# The run command: set-up, the page built (into the shared cache of scripts/cache.sh), then
# served cross-origin isolated on http://127.0.0.1:8080/ (PORT overrides), so that the
# page may train on wasm threads.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/cache.sh
source scripts/cache.sh
use_shared_target
GAN_SETUP_SKIP_BROWSER=1 bash scripts/setup.sh
WASM_ENV=""
# shellcheck disable=SC1091
[ -f .cache/wasm-env ] && source .cache/wasm-env
env $WASM_ENV trunk build --release
# Serving builds nothing: let a test command from another clone use the cache meanwhile.
exec 9>&-
port=${PORT:-8080}
echo "gan-playground: open http://127.0.0.1:$port/ (Ctrl-C stops)"
exec python3 scripts/isolated_server.py "$port" dist
