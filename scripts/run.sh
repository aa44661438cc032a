#!/usr/bin/env bash
# The run command: set-up, then serve the playground on http://127.0.0.1:8080/.
set -euo pipefail
cd "$(dirname "$0")/.."
GAN_SETUP_SKIP_BROWSER=1 bash scripts/setup.sh
# shellcheck disable=SC1091
WASM_ENV=""
[ -f .cache/wasm-env ] && source .cache/wasm-env
echo "gan-playground: open http://127.0.0.1:8080/ (Ctrl-C stops)"
exec env $WASM_ENV trunk serve --release
