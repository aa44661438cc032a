#!/usr/bin/env bash
# The long fuzz (not in CI): libFuzzer on each target of tests/fuzz/targets.rs, one at a
# time, seeded from tests/fuzz/corpus/<target>/. See docs/FUZZING.md.
#   bash scripts/fuzz.sh [RUNS] [TARGET...]      (RUNS: executions per target, default 10000000)
# FUZZ_SECONDS=N also stops each target after N seconds (libFuzzer's -max_total_time).
# What a run finds new goes to tests/fuzz/grown/<target>/ (ignored by git); a crash or a
# hang is written to tests/fuzz/artifacts/<target>/ and stops that target. A log line
# per target ends in tests/fuzz/grown/summary.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10000000}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(hash digits idx weights points)
log() { printf '[fuzz] %s\n' "$*" >&2; }

command -v cargo-fuzz >/dev/null || { log "installing cargo-fuzz"; cargo install cargo-fuzz --locked; }
# cargo-fuzz wants a nightly toolchain; without one, stable with RUSTC_BOOTSTRAP=1. With
# no sanitizer (-s none) every flag it passes to rustc is a stable -C flag, and
# debug assertions (-a) turn on overflow checks, which is what finds size arithmetic bugs.
toolchain=()
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  toolchain=(+nightly)
else
  export RUSTC_BOOTSTRAP=1
fi
# The longest input each target needs: a weights seed is 6 KB, a points list up to the
# 10,000-point cap (about 120 KB written as "0,0,").
max_len() {
  case $1 in
    weights) echo 16384 ;;
    points) echo 131072 ;;
    *) echo 4096 ;;
  esac
}
flags=(--fuzz-dir tests/fuzz -a -s none -O)
cargo "${toolchain[@]}" fuzz build "${flags[@]}"
mkdir -p tests/fuzz/grown
for t in "${targets[@]}"; do
  mkdir -p "tests/fuzz/grown/$t"
  log "$t: $runs runs"
  start=$(date +%s)
  # -timeout=5: an input that takes 5 s counts as a hang (a crash with a reproducer).
  # -rss_limit_mb=2048: one that asks for more memory counts as a crash too.
  set +e
  cargo "${toolchain[@]}" fuzz run "${flags[@]}" "$t" "tests/fuzz/grown/$t" "tests/fuzz/corpus/$t" -- \
    -runs="$runs" -max_total_time="${FUZZ_SECONDS:-0}" -max_len="$(max_len "$t")" -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 \
    2>&1 | tee "tests/fuzz/grown/$t.log" | grep -E '^(#[0-9]+ +(INITED|DONE|pulse)|==|SUMMARY|stat::|Done)'
  status=${PIPESTATUS[0]}
  set -e
  echo "$t exit=$status wall_s=$(( $(date +%s) - start )) $(grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' "tests/fuzz/grown/$t.log" | tr '\n' ' ')" \
    | tee -a tests/fuzz/grown/summary.txt
done
