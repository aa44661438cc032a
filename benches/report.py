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
TARGETS = {  # (project, peer, configuration) -> the ratio to reach
    ("candle-wasm", "tfjs-wasm", "2d-default"): 5, ("candle-wasm", "tfjs-wasm", "2d-small"): 8,
    ("candle-wasm", "tfjs-wasm", "mnist-mlp"): 2, ("candle", "pytorch", "2d-default"): 1.5,
    ("candle", "pytorch", "mnist-mlp"): 1,
    # On CUDA, at least PyTorch's eager pace where the GPU is the right device
    ("candle-cuda", "pytorch-cuda", "mnist-conv"): 1, ("candle-cuda", "pytorch-cuda", "mnist-mlp-large"): 1,
    # Both at their best on an isolated page (our threaded module with FMA, TF.js's
    # wasm backend with threads), and the DCGAN natively
    ("candle-wasm-best", "tfjs-wasm-isolated", "2d-default"): 10,
    ("candle-wasm-best", "tfjs-wasm-isolated", "mnist-mlp"): 10,
    ("candle", "pytorch", "mnist-conv"): 1.5,
}
# Iterations/s to reach, (implementation, configuration) -> rate; in Chromium the
# project's fastest module on each configuration
RATE_TARGETS = {
    ("candle-wasm-best", "mnist-conv"): 40, ("candle-wasm-best", "mnist-mlp"): 542,
    ("candle-wasm-best", "2d-default"): 5000, ("page-isolated", "mnist-conv"): 30,
}
# The project's modules in the browser (scripts/build-variants.sh; www/worker.js picks one).
WASM_BUILDS = {"candle-wasm": "simd128 (the plain module, any browser)",
               "candle-wasm-fma": "relaxed SIMD: the large products on FMA (a page without isolation in Chromium)",
               "candle-wasm-threads": "relaxed SIMD and threads, a pool of one per core (a cross-origin isolated page)"}
# FLOPs per cycle and core of the instruction sets in the limit table: lanes × 2 (a
# multiply and an add, or one fused multiply-add counted as two) × 2 issue ports.
PER_CYCLE = {"AVX2 with FMA (native: the gemm kernels this build uses)": 8 * 2 * 2,
             "AVX-512 with FMA (native, gemm's x86-v4 kernels, off in this build)": 16 * 2 * 2,
             "wasm simd128 (no FMA)": 4 * 2, "wasm relaxed SIMD with FMA": 4 * 2 * 2}


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"


def main(results_path, out_path, meta_path, profiles_path=None):
    runs = defaultdict(list)
    errors = {}
    peaks, tfjs_info, fps, gflop_per_it = {}, None, defaultdict(list), {}
    for line in open(results_path):
        line = line.strip()
        if line.startswith("{"):
            r = json.loads(line)
            if "profile" in r:  # the wasm profile: a table of its own
                continue
            if r["impl"] in ("peak", "peak-wasm", "peak-wasm-fma"):
                peaks[(r["impl"], r["threads"])] = r["gflops"]
                continue
            if r["impl"] == "tfjs-info":
                tfjs_info = r
                continue
            if "gflop_per_iteration" in r:
                gflop_per_it[r["config"]] = r["gflop_per_iteration"]
            if r["impl"] in ("page", "page-isolated") and "fps" in r:
                fps[(r["impl"], r["config"])].append(r["fps"])
            if "error" in r:
                errors[(r["impl"], r["config"])] = r["error"]
            else:
                runs[(r["impl"], r["config"])].append(r["it_per_s"])
    meta = json.load(open(meta_path))
    med = {k: statistics.median(v) for k, v in runs.items()}
    # The project's fastest module on each configuration (its row names which).
    best_of = {}
    for c in CONFIGS:
        have = [(med[(b, c)], b) for b in WASM_BUILDS if (b, c) in med]
        if have:
            med[("candle-wasm-best", c)], best_of[c] = max(have)
    cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
    lines = [
        "# Benchmarks",
        "",
        "Iterations per second (one D step and one G step each; non-saturating loss; Adam,",
        "β = 0.5, 0.999) of the configurations of `src/core/speed_bench.rs`, the project against",
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
        "| mnist-conv | the `dcgan` preset (docs/PAGE.md) | 64 |",
        "",
        "## Machine",
        "",
        f"- CPU: {cpu}, {sh('nproc')} cores; {platform.system()} {platform.release()}",
        f"- {sh('rustc --version')}; Candle 0.11.1; {meta.get('torch', 'PyTorch ?')}; TensorFlow.js 4.22.0",
        f"- Browser: {sh('/usr/bin/chromium --version')} (headless, one tab). TF.js's wasm backend runs twice: "
        "`tfjs-wasm` on a plain page (no threads, as a page without cross-origin isolation gets) and "
        "`tfjs-wasm-isolated` on a cross-origin isolated one (COOP/COEP headers, `scripts/isolated_server.py`): "
        + (f"there it reported SIMD {'on' if tfjs_info.get('simd') else 'off'}, multithread support "
           f"{'on' if tfjs_info.get('multithread') else 'off'}, {tfjs_info.get('threads')} thread(s)"
           + (" (TF.js sizes its thread pool from the cores; asked for one per core with `setThreadsCount`, it still reported this)"
              if tfjs_info.get("threads", 1) < 2 else
              " (it caps its threads at `navigator.hardwareConcurrency / 2`, so the isolated benchmark page reports twice the cores to it)")
           if tfjs_info else "its configuration was not reported"),
        f"- Native Candle threads: {meta.get('candle_threads', '?')}; PyTorch threads: {meta.get('torch_threads', '?')}",
        f"- Date: {sh('date -u +%Y-%m-%d')}",
        "",
    ]

    def table(title, project, peers, also=(), names=None):
        """Our `project` beside its `peers`, with the ratios; `also`: more of our rows shown
        beside it, without ratios."""
        lines.extend([f"## {title}", "", "| configuration | " + " | ".join([project, *also] + peers) + " | "
                      + " | ".join(f"{project} / {p}" for p in peers) + " |",
                      "|---" * (1 + len(also) + 2 * len(peers) + 1) + "|"])
        for c in CONFIGS:
            ours = med.get((project, c))
            cells = [(f"{ours:,.0f}" + (f" ({names[c]})" if names and c in names else "")) if ours else "–"]
            cells += [f"{med[(a, c)]:,.0f}" if (a, c) in med else "–" for a in also]
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

    table("In the browser (headless Chromium), at their best", "candle-wasm-best",
          ["tfjs-wasm-isolated", "tfjs-wasm"], also=list(WASM_BUILDS), names=best_of)
    table("In the browser (headless Chromium), the plain module", "candle-wasm",
          ["tfjs-wasm-isolated", "tfjs-wasm", "tfjs-cpu"])
    lines.extend(["The project's modules: " + "; ".join(f"`{k}`, {v}" for k, v in WASM_BUILDS.items())
                  + ". `candle-wasm-best` is the fastest of the three on each configuration. "
                  "`candle-wasm-threads` runs in a worker of the isolated page (the training thread "
                  "waits for its pool there; on the page's own thread it would spin), the others on the "
                  "page's thread, as the TF.js rows do.", ""])
    for (impl, c), e in sorted(errors.items()):
        lines.append(f"¹ {impl} on {c}: `{e}`")
    if errors:
        lines.append("")
    if any(k[0] == "page" for k in runs):
        lines.extend(["## The page itself", "",
                      "`benches/page.mjs`: the real playground (`dist/`, 1280×800) trains each configuration "
                      "at full speed for twice the run length after 2 s; steps per second from its step "
                      "counter, frames per second from an animation-frame counter, drawing included. "
                      "Served plainly (the relaxed-SIMD module, one thread) and cross-origin isolated "
                      "(the threaded module).", "",
                      "| configuration | page: steps/s | frames/s | page, isolated: steps/s | frames/s |",
                      "|---|---|---|---|---|"])
        for c in CONFIGS:
            cells = []
            for impl in ("page", "page-isolated"):
                f = statistics.median(fps[(impl, c)]) if fps[(impl, c)] else None
                cells += [f"{med[(impl, c)]:,.0f}" if (impl, c) in med else "–", f"{f:.0f}" if f else "–"]
            if any(x != "–" for x in cells):
                lines.append(f"| {c} | " + " | ".join(cells) + " |")
        lines.append("")
    table("Natively, CPU", "candle", ["pytorch", "candle-autograd"])
    lines.extend(["`candle-autograd` is this engine with the fused paths switched off "
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
    limit_table(lines, med, peaks, gflop_per_it)
    targets = []
    for (impl, c), rate in RATE_TARGETS.items():
        got = med.get((impl, c))
        if got is not None:
            targets.append(f"- {impl} on {c}: {got:,.1f} it/s against the target {rate:,} "
                           + ("(met)" if got >= rate else f"(not met: {got / rate:.0%} of it)"))
    if fps.get(("page-isolated", "mnist-conv")):
        f = statistics.median(fps[("page-isolated", "mnist-conv")])
        targets.append(f"- page-isolated on mnist-conv: painting at {f:.0f} frames/s meanwhile against the target 55 "
                       + ("(met)" if f >= 55 else "(not met)"))
    if targets:
        lines.extend(["## Rates to reach", ""] + targets + [""])
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


def limit_table(lines, med, peaks, gflop_per_it):
    """Achieved GFLOP/s of each row beside the machine's peaks: measured (square products
    through the same `gemm` kernels, `bench --peak` and the page's `bench_peak`) and per
    cycle from the instruction set."""
    if not gflop_per_it:
        return
    mhz = sh("grep -m1 'cpu MHz' /proc/cpuinfo | cut -d: -f2").strip()
    lines.extend(["## The limit", "",
                  "GFLOP/s achieved = iterations/s × the configuration's FLOPs per iteration "
                  "(`Gan::flops_per_iteration`: 2 per multiply-add of the model as defined, backward "
                  "twice the forward; the same count for every implementation). The DCGAN's fused pass "
                  "computes the upsampling convolutions as sub-pixel 2×2 ones (16 of their 36 "
                  "multiply-adds), so its figure counts work it does not do.", "",
                  "| configuration | GFLOP / it | " + " | ".join(IMPLS_FOR_LIMIT) + " |",
                  "|---" * (2 + len(IMPLS_FOR_LIMIT)) + "|"])
    for c in CONFIGS:
        if c not in gflop_per_it:
            continue
        g = gflop_per_it[c]
        cells = [f"{med[(i, c)] * g:.1f}" if (i, c) in med else "–" for i in IMPLS_FOR_LIMIT]
        lines.append(f"| {c} | {g:.4f} | " + " | ".join(cells) + " |")
    lines.extend(["", "Peaks, measured (GFLOP/s of repeated 512³ products through the same kernels):", ""])
    for (impl, threads), v in sorted(peaks.items()):
        where = {"peak": "natively (gemm)", "peak-wasm": "in wasm, simd128 (gemm's kernels, Chromium)",
                 "peak-wasm-fma": "in wasm, relaxed SIMD (the FMA kernel, `src/core/nn/fma.rs`, Chromium)"}[impl]
        lines.append(f"- {where}, {threads} thread(s): {v:.1f}")
    if mhz:
        ghz = float(mhz) / 1000
        lines.extend(["", f"Peaks per cycle at the {ghz:.2f} GHz /proc/cpuinfo reports (per core; "
                      "× the cores for all of them):", ""])
        for isa, per in PER_CYCLE.items():
            lines.append(f"- {isa}: {per} FLOP/cycle, {per * ghz:.0f} GFLOP/s")
    lines.append("")


IMPLS_FOR_LIMIT = ["candle", "pytorch", "candle-wasm", "candle-wasm-fma", "candle-wasm-threads",
                   "tfjs-wasm-isolated", "page", "page-isolated"]

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
