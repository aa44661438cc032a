#!/usr/bin/env bash
# The end-to-end tests (tests/e2e/*.test.mjs, node:test), files in parallel.
#   bash tests/e2e/run.sh URL ISOLATED_URL ARTIFACTS [FILE.test.mjs ...] [node --test options ...]
# URL and ISOLATED_URL serve dist/ plainly and cross-origin isolated (scripts/serve.sh);
# screenshots and downloads go to ARTIFACTS. GAN_NATIVE_MNIST (the CLI's MNIST summary)
# is read from the environment; the rest of the configuration is in tests/e2e/fixture.mjs.
# Examples:
#   bash tests/e2e/run.sh "$url" "$iso" test-artifacts tests/e2e/compare.test.mjs
#   bash tests/e2e/run.sh "$url" "$iso" test-artifacts --test-name-pattern='diverge'
# GAN_E2E_CONCURRENCY: how many files run at once (default 2: one per core here).
set -euo pipefail
[ $# -ge 3 ] || { sed -n 2,10p "$0" >&2; exit 2; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export GAN_E2E_URL=$1 GAN_E2E_ISOLATED_URL=$2 GAN_E2E_ARTIFACTS=$3
shift 3
mkdir -p "$GAN_E2E_ARTIFACTS"
files=() opts=()
for a in "$@"; do
  case $a in *.test.mjs) files+=("$a") ;; *) opts+=("$a") ;; esac
done
if [ ${#files[@]} -eq 0 ]; then
  # The longest first, so that the two lanes end together.
  for f in cures lessons engine-webkit engine-firefox training controls engine-chromium files layers mnist compare mnist-models link charts isolated games; do
    files+=("$here/$f.test.mjs")
  done
  for f in "$here"/*.test.mjs; do
    case " ${files[*]} " in *" $f "*) ;; *) files+=("$f") ;; esac
  done
fi
exec node --test --test-concurrency="${GAN_E2E_CONCURRENCY:-2}" \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=junit --test-reporter-destination="$GAN_E2E_ARTIFACTS/e2e-junit.xml" \
  "${opts[@]}" "${files[@]}"
