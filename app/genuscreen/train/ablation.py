"""Ablation and comparison table, as in the paper: the full model against itself without
attention, without pyramid pooling, plain R3D-18 and the gait-energy-image CNN, plus the
geometric baseline, all trained and tested on the same data with the same seeds.

Each row: parameters, GMACs per window, CPU latency per window (the product's inference path,
batch 8, measured here), and the test metrics. ``genuscreen ablate --config FILE --out DIR``.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import torch

from genuscreen.model.complexity import count_macs, parameter_count
from genuscreen.model.runtime import BatchRunner, choose_plan
from genuscreen.model.weights import load_weights
from genuscreen.train.evaluate import evaluate
from genuscreen.train.loop import TrainConfig, train

DEFAULT_MODELS = ("gaitnet", "gaitnet_no_ta", "gaitnet_no_spp", "r3d18", "gei_cnn")


def latency_ms(model: torch.nn.Module, shape: tuple[int, int, int], batch: int = 8, reps: int = 5) -> float:
    runner = BatchRunner(model, choose_plan("cpu", batch_size=batch))
    x = torch.rand(batch, 1, *shape)
    runner(x)
    best = float("inf")
    for _ in range(reps):
        start = time.perf_counter()
        runner(x)
        best = min(best, time.perf_counter() - start)
    return 1000 * best / batch


def run_ablation(config_path: str | Path, out: str | Path, models=DEFAULT_MODELS, cache: str | Path | None = None,
                 runs: str | Path = "runs/ablation", log=print) -> dict:  # fmt: skip
    """Train (into ``runs``; a finished run is reused) and evaluate every model of ``models``
    with the training settings of ``config_path`` (its ``model`` and ``model_settings`` are
    replaced per row); write ``ablation.md`` and ``ablation.json`` into ``out``."""
    out, runs = Path(out), Path(runs)
    out.mkdir(parents=True, exist_ok=True)
    base = TrainConfig.from_file(config_path)
    cache = Path(cache) if cache else runs / "cache"
    rows = []
    baseline = None
    for name in models:
        run_dir = runs / name
        started = time.monotonic()
        if not (run_dir / "model.pt").is_file():
            train(replace(base, model=name, model_settings={}, card_id=f"ablation-{name}"), run_dir, cache=cache, quiet=True, log=log)
        train_s = time.monotonic() - started
        report = evaluate(run_dir / "model.pt", run_dir / "evaluation", cache)
        loaded = load_weights(run_dir / "model.pt")
        spec = loaded.card["input"]
        shape = (spec["frames"], spec["height"], spec["width"])
        test = report["sets"]["test"]
        rows.append({
            "model": name, "params": parameter_count(loaded.model), "gmacs": count_macs(loaded.model, (1, 1, *shape)) / 1e9,
            "latency_ms": latency_ms(loaded.model, shape), "precision": test["precision"], "recall": test["recall"],
            "f1": test["f1"], "roc_auc": test["roc_auc"], "angle_mae_deg": test["angle_mae_deg"], "train_s": train_s,
        })  # fmt: skip
        baseline = report["baseline"]["test"]
        log(f"{name}: test F1 {test['f1']:.3f}, AUC {test['roc_auc']:.3f}, angle MAE {test['angle_mae_deg']:.2f} deg")
    result = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d"),
        "config": json.loads(Path(config_path).read_text()),
        "command": f"genuscreen ablate --config {config_path} --out {out} --runs {runs}",
        "torch": torch.__version__,
        "rows": rows,
        "geometric_baseline": baseline,
    }
    (out / "ablation.json").write_text(json.dumps(result, indent=1, default=float))
    (out / "ablation.md").write_text(render_markdown(result))
    return result


def render_markdown(result: dict) -> str:
    cfg = result["config"]
    lines = [
        "# Ablation and comparison",
        "",
        f"Command: `{result['command']}` ({result['date']}, torch {result['torch']}, CPU).",
        f"Training data: {json.dumps(cfg.get('data'))}; test data: {json.dumps(cfg.get('test_data'))}; "
        f"{cfg.get('epochs')} epochs at most, seed {cfg.get('seed', 0)}; the same for every row.",
        "Latency: the product's inference path on this CPU (2 threads), batch 8, per window.",
        "",
        "| model | parameters | GMACs / window | CPU ms / window | precision | recall | F1 | ROC AUC | angle MAE (deg) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in result["rows"]:
        lines.append(
            f"| {r['model']} | {r['params']:,} | {r['gmacs']:.3f} | {r['latency_ms']:.1f} | {r['precision']:.3f} | "
            f"{r['recall']:.3f} | {r['f1']:.3f} | {r['roc_auc']:.3f} | {r['angle_mae_deg']:.2f} |"
        )
    b = result.get("geometric_baseline")
    if b:
        lines.append(
            f"| geometric baseline (no learning) | 0 | - | - | {b['precision']:.3f} | {b['recall']:.3f} | {b['f1']:.3f} | "
            f"{b['roc_auc']:.3f} | {b['angle_mae_deg']:.2f} |"
        )
    return "\n".join(lines) + "\n"
