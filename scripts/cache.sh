# Sourced by the two README commands: what a fresh clone would otherwise rebuild unchanged
# (every dependency natively, for wasm and for CUDA; Candle's CUDA kernels, compiled by
# nvcc in candle-kernels' build script; the wasm std rebuilt with atomics for the threaded
# module) is kept in one Cargo target directory outside the clone, which `target` links
# to. GAN_CACHE_DIR moves it (default ~/.cache/gan-playground); a clone that already has a
# `target` directory of its own keeps it.
#
# Why it cannot serve a stale build: Cargo decides what to rebuild from fingerprints (the
# compiler, flags, features, profile and dependency versions, hashed) and, for the
# project's own sources, from their modification times against its last build. Two clones
# of this crate share those fingerprints (Cargo hashes a path package relative to its
# workspace), so a build from clone B is newer than clone A's older sources, and A would
# take B's artifacts as fresh. So one command holds the cache at a time (flock), the cache
# records which clone built last, and a command from another clone first touches its own
# sources: Cargo then rebuilds this crate (and only it) from them, as a fresh clone would.

# use_shared_target: link `target` to the shared cache and claim it for this clone.
use_shared_target() {
  local cache=${GAN_CACHE_DIR:-$HOME/.cache/gan-playground}
  mkdir -p "$cache/target"
  [ -e target ] || [ -L target ] || ln -s "$cache/target" target
  [ "$(readlink -f target)" = "$(readlink -f "$cache/target")" ] || return 0
  exec 9>"$cache/lock"
  if ! flock -n 9; then
    echo "[cache] waiting for another command using $cache" >&2
    flock 9
  fi
  if [ "$(cat "$cache/owner" 2>/dev/null || true)" != "$PWD" ]; then
    echo "[cache] $cache was last built from another clone: rebuilding this crate from these sources" >&2
    find src tests benches www Cargo.toml Cargo.lock build.rs -type f -exec touch {} + 2>/dev/null || true
    echo "$PWD" > "$cache/owner"
  fi
}
