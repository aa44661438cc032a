#!/usr/bin/env bash
# The pretrained starting points the page offers ("start from pretrained"), trained by the
# project's own CLI and shipped in www/pretrained/ with a manifest of how each was made and
# what it measured. A maintainer runs this when the networks or the data sets change;
# tests/pretrained.rs checks every shipped file against its manifest entry.
#   bash scripts/pretrain.sh            # about 6 minutes on 2 cores
# For each 2D preset (the default networks, G 2-32×2-2 and D 2-32×2-1): 20,000 iterations
# with minimax and with WGAN-GP (seed 1), keeping the one with the lower W1 on 2,500
# samples. For MNIST: the mlp-small networks, unconditional and conditional, 20,000
# iterations of the default loss (non-saturating, Adam 2e-4, batch 64).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
bin=target/release/gan-playground
out=www/pretrained
work=target/pretrain
steps=${PRETRAIN_STEPS:-20000}
rm -rf "$work"
mkdir -p "$work" "$out"

for ds in ring8 grid25 spiral moons line two-clusters gaussian; do
  for loss in minimax wgan-gp; do
    echo "== $ds, $loss, $steps iterations"
    "$bin" train --dataset "$ds" --loss "$loss" --steps "$steps" --seed 1 --json \
      --out "$work/$ds-$loss" | tail -n 1 > "$work/$ds-$loss.json"
  done
done
[ -d .cache/mnist ] || bash scripts/setup.sh
for cond in 0 1; do
  name=mnist-mlp-small; flag=""
  if [ "$cond" = 1 ]; then name=mnist-mlp-small-cond; flag=--conditional; fi
  echo "== $name, $steps iterations"
  "$bin" train --dataset mnist --model mlp-small $flag --steps "$steps" --seed 1 --json \
    --out "$work/$name" | tail -n 1 > "$work/$name.json"
done

STEPS=$steps python3 - "$work" "$out" <<'EOF'
import json, os, shutil, sys
work, out = sys.argv[1], sys.argv[2]
steps = int(os.environ["STEPS"])
entries = []
for ds in ["ring8", "grid25", "spiral", "moons", "line", "two-clusters", "gaussian"]:
    runs = {loss: json.load(open(f"{work}/{ds}-{loss}.json")) for loss in ["minimax", "wgan-gp"]}
    loss, run = min(runs.items(), key=lambda kv: kv[1]["w1"])
    assert not run["diverged"], (ds, loss)
    shutil.copyfile(f"{work}/{ds}-{loss}/weights.safetensors", f"{out}/{ds}.safetensors")
    entries.append({
        "file": f"{ds}.safetensors", "data": ds, "networks": "G 2-32×2-2, D 2-32×2-1, ReLU",
        "loss": loss, "steps": steps, "seed": 1,
        "command": f"gan-playground train --dataset {ds} --loss {loss} --steps {steps} --seed 1",
        "metrics": {k: run[k] for k in ["js", "kl", "w1", "modes_covered", "modes_total", "high_quality"]},
        "other": {l: {"w1": r["w1"], "modes_covered": r["modes_covered"]} for l, r in runs.items() if l != loss},
    })
for name, cond in [("mnist-mlp-small", False), ("mnist-mlp-small-cond", True)]:
    run = json.load(open(f"{work}/{name}.json"))
    assert not run["diverged"], name
    shutil.copyfile(f"{work}/{name}/weights.safetensors", f"{out}/{name}.safetensors")
    entries.append({
        "file": f"{name}.safetensors", "data": "mnist", "networks": "mlp-small" + (", conditional" if cond else ""),
        "loss": run["loss"], "steps": steps, "seed": 1,
        "command": f"gan-playground train --dataset mnist --model mlp-small{' --conditional' if cond else ''} --steps {steps} --seed 1",
        "metrics": {k: run[k] for k in ["classes_covered", "class_kl", "frechet", "real_frechet", "condition_accuracy"]},
    })
json.dump({"made_by": "bash scripts/pretrain.sh", "entries": entries}, open(f"{out}/manifest.json", "w"),
          indent=1, ensure_ascii=False)
for e in entries:
    print(e["file"], e["loss"], e["metrics"])
EOF
