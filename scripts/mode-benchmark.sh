#!/usr/bin/env bash
# The mode-collapse benchmark (VEEGAN / PacGAN protocol) for a set of configurations on
# ring8 and grid25, with the project's own command, into docs/mode-collapse.md beside the
# published rows.
#   bash scripts/mode-benchmark.sh [RUNS] [ITERATIONS]     # defaults: 4 runs, 20,000
# Each row is `gan-playground benchmark --markdown` (mean ± standard error over the seeds
# 1..RUNS; per run: modes by the papers' rule / high-quality %).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-4}
steps=${2:-20000}
cargo build --release -q
bin=target/release/gan-playground
out=docs/mode-collapse.md
# label|flags: the default networks (2×32 ReLU, Adam 1e-3, batch 256) unless a flag says.
configs=(
  "non-saturating|--loss non-saturating"
  "minimax|--loss minimax"
  "WGAN-GP (λ 0.1)|--loss wgan-gp"
  "hinge|--loss hinge"
  "non-saturating + R1 (γ 1)|--loss non-saturating --r1 1"
  "non-saturating + TTUR|--loss non-saturating --ttur"
  "non-saturating + R1 (γ 1) + TTUR|--loss non-saturating --r1 1 --ttur"
)
tmp=$(mktemp)
{
  echo "# Mode collapse: the VEEGAN / PacGAN benchmark"
  echo
  echo "Made by \`bash scripts/mode-benchmark.sh $runs $steps\` on $(date -u +%Y-%m-%d) ($(nproc) cores):"
  echo "each row is \`gan-playground benchmark --dataset D --runs $runs --steps $steps [flags] --markdown\`,"
  echo "seeds 1 to $runs, each run scored on 2,500 generated samples (\`core/plane/mode_benchmark.rs\`)."
  echo "A sample is high quality within 3 standard deviations of its nearest mode; a mode is"
  echo "covered with one high-quality sample (the papers' rule) or with 1% of the samples (ours);"
  echo "reverse KL is KL(mode histogram of the high-quality samples ‖ uniform). Mean ± standard"
  echo "error; the last column gives each run as modes (papers) / high-quality %. The networks are"
  echo "the page's default (G and D 2 hidden layers of 32 ReLU units, Adam 1e-3, batch 256), not"
  echo "the papers' (G 4×400 with batch norm, D 3×200 maxout, Adam 1e-4, batch 100)."
  echo
  echo "Published (means over the papers' runs; PacGAN Table 1, which reruns VEEGAN's rows; GDPP Table 1):"
  echo
  "$bin" benchmark --published
  for ds in ring8 grid25; do
    echo
    echo "## $ds, $steps iterations, $runs runs"
    echo
    echo "| configuration | modes (papers) | modes (1%) | high quality % | reverse KL | runs |"
    echo "|---|---|---|---|---|---|"
    for c in "${configs[@]}"; do
      label=${c%%|*}
      flags=${c#*|}
      # shellcheck disable=SC2086
      "$bin" benchmark --dataset "$ds" --runs "$runs" --steps "$steps" $flags \
        --label "$label" --markdown 2>/dev/null | head -n 1
    done
  done
} > "$tmp"
mv "$tmp" "$out"
cat "$out"
