"""Screening from file to full result (heatmaps included), on the CPU with 2 threads.

Targets (issue: screening):
- a 5 s 720p 30 fps clip from file to full result in at most 2 s wall;
- at least 5x faster than the same pipeline with the plain full-width r3d18 (same run);
- peak memory for a 60 s 1080p clip under 1.5 GB.

Run: make bench-screen   (or: .venv/bin/python benchmarks/bench_screen.py [--quick])
Each measurement runs in a fresh process (peak memory is that process's ru_maxrss). "cold" is
the first screening of a process (weights loaded, the fast graph traced); "warm" the second,
as in the desktop app, which keeps the model. The r3d18 pipeline uses untrained weights of that
builder with the same card (speed does not depend on the values).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_video import render_clip  # noqa: E402
from machine import describe  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).with_name("RESULTS-screen.md")

MEASURE = r"""
import json, resource, sys, time
import torch
torch.set_num_threads(2)
from genuscreen.inference import run_screen
video, weights, runs, front_end = sys.argv[1], sys.argv[2] or None, int(sys.argv[3]), sys.argv[4]
walls, timings = [], []
for _ in range(runs):
    start = time.perf_counter()
    result = run_screen(video, weights=weights, device="cpu", front_end=front_end)
    walls.append(time.perf_counter() - start)
    timings.append(result.timings)
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"walls": walls, "peak_mb": peak_mb, "screenable": result.screenable, "windows": result.windows,
                  "timings": timings, "heatmap_mb": result.heatmaps.nbytes() / 1e6 if result.heatmaps else 0,
                  "analysed_frames": result.quality.get("measurements", {}).get("analysed_frames"),
                  "frames": result.quality.get("frames")}))
"""


WARM_RUNS = 3


def measure(video: Path, weights: Path | None, runs: int, front_end: str = "pose") -> dict:
    done = subprocess.run([sys.executable, "-c", MEASURE, str(video), str(weights or ""), str(runs), front_end],
                          capture_output=True, text=True, check=True)  # fmt: skip
    r = json.loads(done.stdout.strip().splitlines()[-1])
    warm_walls, warm_timings = r["walls"][1:], r["timings"][1:]
    r["warm"] = statistics.median(warm_walls) if warm_walls else None
    timed = warm_timings or r["timings"]
    r["stages"] = {k: statistics.median(t[k] for t in timed) for k in timed[0]}
    return r


def r3d18_weights(folder: Path) -> Path:
    """Untrained r3d18 weights with a card like the shipped one (same input and threshold)."""
    import torch

    from genuscreen.inference.pipeline import default_weights
    from genuscreen.model.network import build_model
    from genuscreen.model.weights import read_card, save_weights

    card = read_card(default_weights())
    torch.manual_seed(0)
    path = folder / "r3d18.pt"
    descriptive = {k: v for k, v in card.items() if k not in ("builder", "settings", "sha256", "format")}
    save_weights(build_model("r3d18"), path, "r3d18", {}, {**descriptive, "id": "r3d18-untrained"})
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter long clip; results not written")
    args = parser.parse_args()
    load_before = f"{os.getloadavg()[0]:.2f}"
    lines = [
        "# Screening benchmark (file to full result)",
        "",
        f"Command: `make bench-screen`  ",
        f"Machine: {describe()}; 2 torch threads  ",
        f"Date: {time.strftime('%Y-%m-%d %H:%M')}",
        "",
        "| clip | front end | model | windows | cold s | warm s | video s | model + attention s | peak MB | heatmaps MB |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        r3d = r3d18_weights(folder)
        clip5 = folder / "720p30_5s.mp4"
        render_clip(clip5, 1280, 720, 30.0, 5.0)
        long_s = 20.0 if args.quick else 60.0
        clip60 = folder / "1080p30_long.mp4"
        render_clip(clip60, 1920, 1080, 30.0, long_s)
        for name, clip, weights, runs, front_end in (
            ("720p30 5 s", clip5, None, WARM_RUNS + 1, "pose"),
            ("720p30 5 s", clip5, None, WARM_RUNS + 1, "background"),
            ("720p30 5 s", clip5, r3d, WARM_RUNS + 1, "pose"),
            (f"1080p30 {long_s:.0f} s", clip60, None, 1, "pose"),
            (f"1080p30 {long_s:.0f} s", clip60, None, 1, "background"),
        ):
            r = measure(clip, weights, runs, front_end)
            model = "gaitnet (shipped)" if weights is None else "r3d18 (plain, full width)"
            rows[(name, model, front_end)] = r
            warm = f"{r['warm']:.2f}" if r["warm"] is not None else "-"
            t = r["stages"]
            line = (f"| {name} | {front_end} | {model} | {r['windows']} | {r['walls'][0]:.2f} | {warm} | "
                    f"{t.get('video', 0):.2f} | {t.get('model and explanations', 0):.2f} | {r['peak_mb']:.0f} | "
                    f"{r['heatmap_mb']:.2f} |")  # fmt: skip
            print(line, flush=True)
            lines.append(line)
    ours = rows[("720p30 5 s", "gaitnet (shipped)", "pose")]
    theirs = rows[("720p30 5 s", "r3d18 (plain, full width)", "pose")]
    pose = ours["stages"]
    per_frame_ms = 1000 * pose.get("video: tracking", 0) / max(1, ours.get("analysed_frames") or 1)
    ours_model = ours["stages"]["model and explanations"]
    theirs_model = theirs["stages"]["model and explanations"]
    video = ours["stages"]["video"]
    lines += [
        "",
        f"Warm = median of {WARM_RUNS} screenings after the first in the same process (the desktop app keeps the "
        f"model); stage columns are the medians of those runs. Load average before / after: {load_before} / "
        f"{os.getloadavg()[0]:.2f}.",
        "",
        f"Pose front end on the 5 s 720p30 clip (warm): people scan {pose.get('video: people scan', 0):.2f} s, "
        f"tracking {pose.get('video: tracking', 0):.2f} s for {ours.get('analysed_frames')} analysed frames of "
        f"{ours.get('frames')} ({per_frame_ms:.1f} ms of wall time a frame, two parts of the clip tracked at once, one "
        "core each).",
        "",
        f"5 s 720p30, pose front end, warm: {ours['warm']:.2f} s (target <= 2 s). Against plain r3d18 in the same run: whole "
        f"pipeline {theirs['warm'] / ours['warm']:.1f}x faster; model and attention stage "
        f"{theirs_model / ours_model:.1f}x faster. The video stage (decoding, people scan, pose tracking: {video:.2f} s) is "
        "the same for both, so the whole-pipeline ratio cannot exceed (video + r3d18 model) / video = "
        f"{(video + theirs_model) / video:.1f}x however fast our model stage is; a 5x whole-pipeline ratio would need "
        "the r3d18 model stage to take 4x the video stage.",
        f"Peak memory, 1080p30 {long_s:.0f} s: pose front end "
        f"{rows[(f'1080p30 {long_s:.0f} s', 'gaitnet (shipped)', 'pose')]['peak_mb']:.0f} MB, background "
        f"{rows[(f'1080p30 {long_s:.0f} s', 'gaitnet (shipped)', 'background')]['peak_mb']:.0f} MB (target < 1.5 GB).",
    ]
    if not args.quick:
        RESULTS.write_text("\n".join(lines) + "\n")
        print(f"written to {RESULTS.relative_to(ROOT)}")
    else:
        print("\n".join(lines[-2:]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
