#!/usr/bin/env bash
# The mode-collapse benchmark (VEEGAN / PacGAN protocol) on ring8 and grid25, with the
# project's own command, into docs/mode-collapse.md beside the published rows.
#   bash scripts/mode-benchmark.sh [RUNS] [ITERATIONS]     # defaults: 4 runs, 20,000
# Each row is `gan-playground benchmark --markdown` (mean ± standard error over the seeds
# 1..RUNS; per run: modes by the papers' rule / high-quality %). Three tables: the losses
# and cures on the page's default networks (RUNS × ITERATIONS), the papers' settings
# (their 4×400 networks cost 25 ms an iteration here, 70 with packing m = 4, so one run
# each, PAPER_RUNS × PAPER_STEPS, and PacGAN4 is left out),
# and the target configuration (TARGET_RUNS × TARGET_STEPS). Each row is kept in
# .cache/mode-benchmark/ under its command line, so a rerun after adding a row computes
# only that row; delete the folder to recompute everything (after a change to the code).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-4}
steps=${2:-20000}
paper_runs=${PAPER_RUNS:-1}
paper_steps=${PAPER_STEPS:-15000}
target_runs=${TARGET_RUNS:-10}
target_steps=${TARGET_STEPS:-10000}
cargo build --release -q
bin=target/release/gan-playground
out=docs/mode-collapse.md
cache=.cache/mode-benchmark
mkdir -p "$cache"
# label|flags: the default networks (2×32 ReLU, Adam 1e-3, batch 256) unless a flag says.
configs=(
  "non-saturating|--loss non-saturating"
  "minimax|--loss minimax"
  "WGAN-GP (λ 0.1)|--loss wgan-gp"
  "hinge|--loss hinge"
  "non-saturating + R1 (γ 1)|--loss non-saturating --r1 1"
  "non-saturating + TTUR|--loss non-saturating --ttur"
  "non-saturating + R1 (γ 1) + TTUR|--loss non-saturating --r1 1 --ttur"
  "packing m = 2|--pack 2"
  "packing m = 4|--pack 4"
  "minibatch std|--mbstd"
  "spectral norm|--sn"
  "spectral norm, hinge|--sn --loss hinge"
  "unrolled D, K = 5|--unroll 5"
)
papers=(
  "PacGAN's GAN (preset pacgan)|--preset pacgan"
  "Unrolled GAN notebook (preset unrolled)|--preset unrolled"
)
targets=(
  "4×64, R1 γ 1|--hidden 64 --layers 4 --r1 1"
)
# One row, from the cache or computed: row DATASET RUNS STEPS LABEL FLAGS
row() {
  local key
  key=$(echo "$1 $2 $3 $5" | sha256sum | cut -c1-16)
  if [ ! -s "$cache/$key" ]; then
    # The whole output first: `| head -n 1` would end the command with SIGPIPE, which
    # pipefail turns into the script's exit.
    # shellcheck disable=SC2086
    "$bin" benchmark --dataset "$1" --runs "$2" --steps "$3" $5 --label "$4" --markdown \
      2>/dev/null > "$cache/$key.tmp"
    head -n 1 "$cache/$key.tmp" > "$cache/$key"
    rm "$cache/$key.tmp"
  fi
  cat "$cache/$key"
}
table() { # table TITLE RUNS STEPS CONFIG...
  local title=$1 n=$2 s=$3
  shift 3
  for ds in ring8 grid25; do
    echo
    echo "## $title: $ds, $s iterations, $n runs"
    echo
    echo "| configuration | modes (papers) | modes (1%) | high quality % | reverse KL | runs |"
    echo "|---|---|---|---|---|---|"
    for c in "$@"; do
      row "$ds" "$n" "$s" "${c%%|*}" "${c#*|}"
    done
  done
}
tmp=$(mktemp)
{
  echo "# Mode collapse: the VEEGAN / PacGAN benchmark"
  echo
  echo "Made by \`bash scripts/mode-benchmark.sh $runs $steps\` on $(date -u +%Y-%m-%d) ($(nproc) cores):"
  echo "each row is \`gan-playground benchmark --dataset D --runs N --steps S [flags] --markdown\`,"
  echo "seeds 1 to N, each run scored on 2,500 generated samples (\`core/plane/mode_benchmark.rs\`)."
  echo "A sample is high quality within 3 standard deviations of its nearest mode; a mode is"
  echo "covered with one high-quality sample (the papers' rule) or with 1% of the samples (ours);"
  echo "reverse KL is KL(mode histogram of the high-quality samples ‖ uniform). Mean ± standard"
  echo "error; the last column gives each run as modes (papers) / high-quality %. The first"
  echo "tables use the page's default networks (G and D 2 hidden layers of 32 ReLU units, Adam"
  echo "1e-3, batch 256); the papers' settings (G 4×400 with batch norm, D 3×200, Adam 1e-4,"
  echo "batch 100) have their own table."
  echo
  echo "Published (means over the papers' runs; PacGAN Table 1, which reruns VEEGAN's rows; GDPP Table 1):"
  echo
  "$bin" benchmark --published
  table "Losses and cures" "$runs" "$steps" "${configs[@]}"
  table "The papers' settings" "$paper_runs" "$paper_steps" "${papers[@]}"
  echo
  echo "The target configuration below was the best of the search in"
  echo "[mode-collapse-search.md](mode-collapse-search.md), which also gives its time in the page."
  table "The target configuration" "$target_runs" "$target_steps" "${targets[@]}"
} > "$tmp"
mv "$tmp" "$out"
cat "$out"
