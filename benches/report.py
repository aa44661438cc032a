"""Writes BENCHMARKS.md from the JSON lines of scripts/bench.sh: the median iterations/s
of each implementation on each configuration, and the ratio of the project to each peer
measured in the same run."""
import json
import platform
import statistics
import subprocess
import sys
from collections import defaultdict

CONFIGS = ["2d-default", "2d-small", "mnist-mlp", "mnist-mlp-large", "mnist-conv"]
TARGETS = {  # issue 5: (project, peer) -> the ratio to reach
    ("candle-wasm", "tfjs-wasm", "2d-default"): 5, ("candle-wasm", "tfjs-wasm", "2d-small"): 8,
    ("candle-wasm", "tfjs-wasm", "mnist-mlp"): 2, ("candle", "pytorch", "2d-default"): 1.5,
    ("candle", "pytorch", "mnist-mlp"): 1,
    # issue 12: on CUDA, at least PyTorch's eager pace where the GPU is the right device
    ("candle-cuda", "pytorch-cuda", "mnist-conv"): 1, ("candle-cuda", "pytorch-cuda", "mnist-mlp-large"): 1,
}


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"


def main(results_path, out_path, meta_path, profiles_path=None):
    runs = defaultdict(list)
    errors = {}
    for line in open(results_path):
        line = line.strip()
        if line.startswith("{"):
            r = json.loads(line)
            if "profile" in r:  # the wasm profile: a table of its own
                continue
            if "error" in r:
                errors[(r["impl"], r["config"])] = r["error"]
            else:
                runs[(r["impl"], r["config"])].append(r["it_per_s"])
    meta = json.load(open(meta_path))
    med = {k: statistics.median(v) for k, v in runs.items()}
    cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
    lines = [
        "# Benchmarks",
        "",
        "Iterations per second (one D step and one G step each; non-saturating loss; Adam,",
        "β = 0.5, 0.999) of the configurations of `src/core/bench.rs`, the project against",
        "its peers **measured side by side in one run** by `bash scripts/bench.sh`: every",
        "configuration runs each implementation in turn, in a rotated order, "
        f"{meta['rounds']} round(s) of {meta['seconds']} s each after a warm-up; the table gives",
        "medians. Nothing here is asserted by a test.",
        "",
        "Quality rather than speed: the mode-collapse benchmark (VEEGAN / PacGAN protocol, our",
        "configurations beside the published rows) is in [docs/mode-collapse.md](docs/mode-collapse.md),",
        "made by `bash scripts/mode-benchmark.sh`.",
        "",
        "| configuration | model | batch |",
        "|---|---|---|",
        "| 2d-default | G 2-32-32-2, D 2-32-32-1, ReLU (ring8) | 256 |",
        "| 2d-small | G 2-16-16-2, D 2-16-16-1, ReLU (ring8) | 64 |",
        "| mnist-mlp | G 64-128-784 tanh, D 784-128-1, leaky ReLU (MNIST, the page's default) | 64 |",
        "| mnist-mlp-large | the `mlp-large` preset: G 64-512-512-784, D 784-512-512-1 (a size for a GPU) | 64 |",
        "| mnist-conv | the `dcgan` preset (README) | 64 |",
        "",
        "## Machine",
        "",
        f"- CPU: {cpu}, {sh('nproc')} cores; {platform.system()} {platform.release()}",
        f"- {sh('rustc --version')}; Candle 0.11.1; {meta.get('torch', 'PyTorch ?')}; TensorFlow.js 4.22.0",
        f"- Browser: {sh('/usr/bin/chromium --version')} (headless, one tab; TF.js's wasm backend without threads, as a page without cross-origin isolation gets)",
        f"- Native Candle threads: {meta.get('candle_threads', '?')}; PyTorch threads: {meta.get('torch_threads', '?')}",
        f"- Date: {sh('date -u +%Y-%m-%d')}",
        "",
    ]

    def table(title, project, peers):
        lines.extend([f"## {title}", "", "| configuration | " + " | ".join([project] + peers) + " | "
                      + " | ".join(f"{project} / {p}" for p in peers) + " |",
                      "|---" * (1 + 2 * len(peers) + 1) + "|"])
        for c in CONFIGS:
            ours = med.get((project, c))
            cells = [f"{ours:,.0f}" if ours else "–"]
            ratios = []
            for p in peers:
                theirs = med.get((p, c))
                cells.append(f"{theirs:,.1f}" if theirs else ("cannot run¹" if (p, c) in errors else "–"))
                if ours and theirs:
                    target = TARGETS.get((project, p, c))
                    mark = "" if target is None else (f" (target {target}×: met)" if ours / theirs >= target
                                                      else f" (target {target}×: not met)")
                    ratios.append(f"{ours / theirs:.2f}×{mark}")
                else:
                    ratios.append("–")
            lines.append(f"| {c} | " + " | ".join(cells + ratios) + " |")
        lines.append("")

    table("In the browser (headless Chromium)", "candle-wasm", ["tfjs-wasm", "tfjs-cpu"])
    for (impl, c), e in sorted(errors.items()):
        lines.append(f"¹ {impl} on {c}: `{e}`")
    if errors:
        lines.append("")
    table("Natively, CPU", "candle", ["pytorch", "candle-autograd"])
    lines.extend(["`candle-autograd` is this engine with the fused MLP path switched off "
                  "(`bench --autograd`): every step through Candle's autograd graph, as before "
                  "the speed work (with the in-place optimiser update, which both paths share).", ""])
    if any(k[0] == "candle-cuda" for k in runs):
        table(f"Natively, CUDA ({meta.get('gpu') or 'GPU not named'})", "candle-cuda", ["pytorch-cuda"])
        lines.extend(["Measured by `scripts/gpu-run.sh` on a GPU machine (both sides alternating "
                      "there), merged here with `GAN_CUDA_RESULTS`.", ""])
    else:
        lines.extend(["## CUDA", "", "Not measured yet: no NVIDIA GPU was lent to a run of this script. "
                      "`scripts/gpu-bundle.sh` then `scripts/gpu-run.sh` on a GPU machine measure "
                      "`candle-cuda` against `pytorch-cuda`; `GAN_CUDA_RESULTS=DIR bash scripts/bench.sh` "
                      "puts the rows here.", ""])
    lines.extend(["## Every run", "", "| implementation | configuration | iterations/s (each round) |", "|---|---|---|"])
    for (impl, c), v in sorted(runs.items()):
        lines.append(f"| {impl} | {c} | " + ", ".join(f"{x:,.1f}" for x in v) + " |")
    lines.append("")
    if profiles_path:
        profile_tables(lines, [profiles_path, results_path])
    extra = meta.get("extra")  # benches/notes.md: the profile and what it says
    if extra:
        lines.extend([open(extra).read().rstrip(), ""])
    open(out_path, "w").write("\n".join(lines))


PHASES = ["data", "d_forward", "d_backward", "d_update", "g_forward", "g_backward", "g_update"]


def profile_tables(lines, paths):
    """The phases of one iteration and its heap allocations, autograd against fused, from
    `gan-playground bench --profile` (one thread), and the wasm module's phases."""
    rows = [r for path in paths for r in (json.loads(l) for l in open(path) if l.strip().startswith("{"))
            if "profile" in r]
    lines.extend(["## Where the time goes, autograd and fused", "",
                  "`gan-playground bench --config C --profile [--autograd]` times the phases of each "
                  "iteration (the probe in `src/core/gan.rs`, which synchronises the device between "
                  "phases) and counts heap allocations with a counting global allocator "
                  "(`src/cli/alloc_count.rs`). Milliseconds per iteration, natively (one thread) and in "
                  "the page's wasm (`bench_profile`, `performance.now()`; no allocation counts there), "
                  "measured in this run:",
                  "",
                  "| configuration | path | ms / iteration | " + " | ".join(p.replace("_", " ") for p in PHASES)
                  + " | allocations / it | MB allocated / it |",
                  "|---" * (5 + len(PHASES)) + "|"])
    for c in CONFIGS:
        for r in rows:
            if r["config"] != c:
                continue
            p = r["profile"]
            ms = p["ms_per_iteration"]
            total = sum(ms[k] for k in PHASES)
            allocs = p.get("allocations_per_iteration")
            mb = p.get("bytes_per_iteration")
            lines.append(f"| {c} | {r.get('path', '?')} | {total:.3f} | "
                         + " | ".join(f"{ms[k]:.3f}" for k in PHASES)
                         + (f" | {allocs:,.0f} | {mb / 1e6:.2f} |" if allocs is not None else " | – | – |"))
    lines.append("")


if __name__ == "__main__":
    main(*sys.argv[1:5])
