"""Where the attention lands: on synthetic clips with exact boxes and joints, the share of every
frame's heatmap mass inside the child's silhouette box, and the share of that below the hips.

Run: make eval-explanations   (or: .venv/bin/python benchmarks/eval_explanations.py [--n N])
Writes benchmarks/RESULTS-explanations.md. Clips: the synthetic generator (seed 404, a seed no
training or test set uses), 640x480, screened with the shipped weights on the CPU.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe  # noqa: E402

RESULTS = Path(__file__).with_name("RESULTS-explanations.md")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20, help="clips (half genu valgum)")
    args = parser.parse_args()

    import json

    from genuscreen.inference import run_screen
    from genuscreen.synth import load_masks, write_dataset

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "clips"
        write_dataset(out, args.n, seed=404, masks=True, size=(640, 480), workers=2)
        records = [json.loads(line) for line in (out / "labels.jsonl").read_text().splitlines()]
        for rec in records:
            if not rec["file"]:
                continue
            result = run_screen(out / rec["file"], device="cpu")
            if not result.screenable:
                rows.append({"label": rec["label"], "screenable": False})
                continue
            truth = load_masks(out / "masks" / f"{rec['id']}.npz")
            hip = [truth["joint_names"].index(n) for n in truth["joint_names"] if "hip" in n]
            inside, lower = [], []
            heat = result.heatmaps
            for k, frame in enumerate(heat.frame_indices):
                box = truth["boxes"][frame]
                if not np.all(np.isfinite(box)):
                    continue
                full = heat.full_frame(k, result.video["width"], result.video["height"])
                total = full.sum()
                if total <= 0:
                    continue
                x0, y0, x1, y1 = (int(v) for v in box)
                in_box = full[y0:y1, x0:x1]
                hip_y = int(np.nanmean(truth["joints"][frame][hip, 1])) if hip else (y0 + y1) // 2
                inside.append(in_box.sum() / total)
                lower.append(full[max(y0, hip_y) : y1, x0:x1].sum() / max(in_box.sum(), 1e-9))
            rows.append({"label": rec["label"], "screenable": True, "inside": np.array(inside), "lower": np.array(lower),
                         "risk": result.risk})  # fmt: skip
    lines = [
        "# Where the attention lands (HiResCAM on synthetic clips)",
        "",
        f"Command: `make eval-explanations`  ",
        f"Machine: {describe()}  ",
        f"Date: {time.strftime('%Y-%m-%d %H:%M')}",
        "",
        f"{len(rows)} clips (seed 404, 640x480), screened with the shipped weights. Per frame: the share of the "
        "heatmap's mass inside the child's true silhouette box (the heatmap lives in the model's crop, which is "
        "wider than the silhouette), and of that, the share below the hip joints.",
        "",
        "| label | clips screened | frames | inside the box: mean | inside: 10th percentile of frames | frames with most mass inside | below the hips: mean |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label in sorted({r["label"] for r in rows}):
        group = [r for r in rows if r["label"] == label and r["screenable"]]
        inside = np.concatenate([r["inside"] for r in group]) if group else np.zeros(0)
        lower = np.concatenate([r["lower"] for r in group]) if group else np.zeros(0)
        total = sum(1 for r in rows if r["label"] == label)
        if inside.size:
            lines.append(f"| {label} | {len(group)} of {total} | {inside.size} | {inside.mean():.1%} | "
                         f"{np.percentile(inside, 10):.1%} | {np.mean(inside > 0.5):.1%} | {lower.mean():.1%} |")  # fmt: skip
    lines += [
        "",
        "How the method was chosen (same 20 clips, shipped weights; valgum clips, mean share inside the box / "
        "share of frames with most of it inside / share below the hips): Grad-CAM on layer4 53.7% / 69% / 64.4%; "
        "Grad-CAM on layer3 33.7% / 5% / 29.0%; Grad-CAM on layer2 48.4% / 47% / 41.3%; LayerCAM on layer3 "
        "73.8% / 96% / 75.4%; LayerCAM on layer2 84.5% / 98% / 68.5%; HiResCAM on layer3 76.2% / 93% / 80.8%; "
        "HiResCAM on layer2 87.4% / 97% / 71.7% (the product's method, rows above). Channel-averaged gradients "
        "(Grad-CAM) weigh whole feature maps, so background cells inside the crop get weight too; the element-wise "
        "product keeps only the cells whose activation moves the decision.",
    ]
    text = "\n".join(lines) + "\n"
    RESULTS.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
