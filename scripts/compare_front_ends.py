"""Both front ends, the model and the geometric baseline on the same rendered videos, per tier.

For each tier (clean: still camera, one child; school: hand-held camera, bystanders, blur,
flicker, low light, strong compression) a fixed test set and a separate validation set are
rendered (fixed seeds, never used for anything but this table), read end to end through the
product's video pipeline with each front end, and scored. The validation videos size the angle
interval and fit the baseline's threshold and angle line; nothing is chosen on the test videos.

    python scripts/compare_front_ends.py [--runs runs] [--out docs/evaluation/front_ends]

Writes OUT/front_ends.md (the table), OUT/front_ends.json and each evaluation's own report in
OUT/<tier>-<front end>/.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# name: (test seed, clips, borderline clips), (validation seed, clips, borderline clips)
TIERS = {
    "clean": ((202, 400, 40), (303, 150, 15)),
    "school": ((505, 200, 20), (606, 100, 10)),
}
FRONT_ENDS = ("pose", "background")
TEST_SET = "videos (end to end)"


def render(folder: Path, tier: str, seed: int, n: int, borderline: int) -> None:
    if (folder / "labels.csv").is_file():
        return
    command = [sys.executable, "-m", "genuscreen", "synth", "--out", str(folder), "--n", str(n), "--seed", str(seed),
               "--borderline", str(borderline), "--varus", "--workers", "2", "--overwrite", "--tier", tier]  # fmt: skip
    subprocess.run(command, check=True)


def run(args) -> dict:
    from genuscreen.train.evaluate import evaluate

    runs, out = Path(args.runs), Path(args.out)
    results = {}
    for tier in args.tiers:
        (test_seed, n, border), (val_seed, n_val, border_val) = TIERS[tier]
        test, val = runs / f"{tier}_test_{test_seed}", runs / f"{tier}_val_{val_seed}"
        render(test, tier, test_seed, n, border)
        render(val, tier, val_seed, n_val, border_val)
        for front_end in FRONT_ENDS:
            started = time.monotonic()
            report = evaluate(args.weights, out / f"{tier}-{front_end}", runs / "cache",
                              {"videos": str(test), "front_end": front_end},
                              validation_videos={"videos": str(val), "front_end": front_end}, card_sets=False,
                              command=f"python scripts/compare_front_ends.py (tier {tier}, front end {front_end})")  # fmt: skip
            results[f"{tier}/{front_end}"] = {"tier": tier, "front_end": front_end, "test_seed": test_seed,
                                              "validation_seed": val_seed, "report": report,
                                              "seconds": round(time.monotonic() - started)}  # fmt: skip
            print(f"{tier} / {front_end}: done in {time.monotonic() - started:.0f} s", flush=True)
    return results


def _f(value, digits=3) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _percent(share) -> str:
    return "" if share is None else f"{100 * share:.1f} %"


def table(results: dict) -> str:
    lines = [
        "| tier | front end | clips | accepted | method | scored | F1 | ROC AUC | angle MAE (deg) | 90 % interval held "
        "(width from this tier's validation videos) | 90 % interval held (the shipped card's width) |",
        "|---|---|---:|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for entry in results.values():
        report = entry["report"]
        block, base = report["sets"][TEST_SET], report["baseline"][TEST_SET]
        accepted = 1.0 - block["rejected_share"]
        head = f"| {entry['tier']} | {entry['front_end']} | {block['clips']} | {100 * accepted:.1f} % "
        lines.append(head + f"| model | {block['n']} | {_f(block['f1'])} | {_f(block['roc_auc'])} | "
                            f"{_f(block['angle_mae_deg'], 2)} | {_percent(block.get('angle_interval_coverage_90'))} | "
                            f"{_percent(block.get('angle_interval_coverage_90_card'))} |")  # fmt: skip
        lines.append(head + f"| geometric baseline | {base['n']} | {_f(base['f1'])} | {_f(base['roc_auc'])} | "
                            f"{_f(base.get('angle_mae_deg'), 2)} | | |")  # fmt: skip
    return "\n".join(lines)


def reasons(results: dict) -> str:
    lines = ["| tier | front end | rejected | reasons (clips; a clip can have several) |", "|---|---|---:|---|"]
    for entry in results.values():
        block = entry["report"]["sets"][TEST_SET]
        why = ", ".join(f"{code} {count}" for code, count in sorted(block["rejection_reasons"].items(), key=lambda kv: -kv[1]))
        lines.append(f"| {entry['tier']} | {entry['front_end']} | {block['rejected_by_gate']} | {why or '-'} |")
    return "\n".join(lines)


def markdown(results: dict, args) -> str:
    first = next(iter(results.values()))["report"]
    seeds = "; ".join(f"{t}: test seed {TIERS[t][0][0]} ({TIERS[t][0][1]} children + {TIERS[t][0][2]} borderline), "
                      f"validation seed {TIERS[t][1][0]}" for t in args.tiers)  # fmt: skip
    return f"""# The two front ends on the same videos

Command: `python scripts/compare_front_ends.py` ({time.strftime('%Y-%m-%d')}, {platform.processor() or platform.machine()},
torch {first.get('torch')}). Weights: {first['weights']} ({first['card_id']} {first['version']}).

Synthetic children rendered as RGB videos and read end to end by the product's video pipeline,
once with each front end (pose: BlazePose finds and follows the child; background: a model of
the scene). Sets: {seeds}. Every clip is a valid screening recording by construction, so
"accepted" is the share the quality gate let through; the other columns are on the accepted,
hard-labelled clips of that front end (the two front ends accept different clips). The geometric
baseline (ankle gap against knee gap of the silhouette, no learning) reads the same silhouettes
as the model; its threshold and angle line are fitted on the validation videos, as is the width
of the model's angle interval in the first interval column. The last column is the interval
screening gives today, with the model error the shipped card carries
({_f(first.get('card_interval_sd_deg'), 2)} deg, from `docs/evaluation/end_to_end/`). The clean
tier's test children are those of `docs/evaluation/end_to_end/` (same seed).

{table(results)}

## Why clips were refused

{reasons(results)}

Each evaluation's full report (confusion, by age and legwear, calibration): `{args.out}/<tier>-<front end>/evaluation.md`.
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", default=str(ROOT / "runs"), help="where the rendered videos and the window cache go")
    parser.add_argument("--out", default="docs/evaluation/front_ends")
    parser.add_argument("--weights", default=str(ROOT / "weights" / "gaitnet-synthetic.pt"))
    parser.add_argument("--tiers", nargs="+", default=list(TIERS), choices=list(TIERS))
    args = parser.parse_args()
    results = run(args)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "front_ends.json").write_text(json.dumps({k: {kk: vv for kk, vv in v.items() if kk != "report"} | {
        "test": v["report"]["sets"][TEST_SET], "baseline": v["report"]["baseline"][TEST_SET]} for k, v in results.items()},
        indent=1, default=str))  # fmt: skip
    (out / "front_ends.md").write_text(markdown(results, args))
    print((out / "front_ends.md").read_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
