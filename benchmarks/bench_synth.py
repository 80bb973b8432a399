"""Speed of the synthetic data generator: RGB video clips and the silhouette fast path.

Targets (issue: synthetic data set generator):
- RGB clips at 640x480 with the mp4 encode: >= 20 clips of 4 s per minute on a 2-core machine;
- the silhouette fast path (no image, no encode; windows for training): >= 10x the RGB rate.

Both paths make the same children (same seed): the clip durations are drawn (lead-in, a walk of
about 6 m -> 2 m, half a second standing), so the RGB rate is also given per 4 s of video.
Both run on all cores (one process per core, pool start-up included).

Run: .venv/bin/python benchmarks/bench_synth.py [--quick] [--n N] [--workers W]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).with_name("RESULTS-synth.md")
SIZE = (640, 480)
FPS = 30.0
SEED = 2026


def _fast_shard(bounds: tuple[int, int]) -> tuple[int, int]:
    """Children ``start``..``stop``-1 through the fast path: (children, windows)."""
    from genuscreen.synth.dataset import silhouette_clips

    start, stop = bounds
    children = windows = 0
    for clips, _record in silhouette_clips(stop, SEED, start=start, size=SIZE, fps=FPS):
        children += 1
        windows += len(clips)
    return children, windows


def bench_rgb(n: int, workers: int) -> dict:
    from genuscreen.synth.dataset import write_dataset

    out = Path(tempfile.mkdtemp(prefix="bench_synth_"))
    try:
        start = time.perf_counter()
        records = write_dataset(out, n, SEED, size=SIZE, fps=FPS, workers=workers)
        wall = time.perf_counter() - start
        video_s = sum(r["n_frames"] for r in records) / FPS
        mb = sum(p.stat().st_size for p in (out / "clips").iterdir()) / 1e6
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return {"n": n, "wall_s": wall, "per_min": 60.0 * n / wall, "video_s": video_s,
            "per_min_4s": 60.0 * video_s / 4.0 / wall, "mb": mb}  # fmt: skip


def bench_fast(n: int, workers: int) -> dict:
    start = time.perf_counter()
    if workers == 1:
        children, windows = _fast_shard((0, n))
    else:
        cuts = [round(k * n / workers) for k in range(workers + 1)]
        with multiprocessing.get_context("spawn").Pool(workers) as pool:
            parts = pool.map(_fast_shard, list(zip(cuts[:-1], cuts[1:])))
        children, windows = sum(p[0] for p in parts), sum(p[1] for p in parts)
    wall = time.perf_counter() - start
    return {"n": children, "wall_s": wall, "per_min": 60.0 * children / wall, "windows": windows,
            "windows_per_min": 60.0 * windows / wall}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few clips (a smoke run, not the targets)")
    parser.add_argument("--n", type=int, help="RGB clips (the fast path makes 4x as many)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes (default: all cores)")
    args = parser.parse_args()
    n = args.n or (6 if args.quick else 60)
    rgb = bench_rgb(n, args.workers)
    fast = bench_fast(4 * n, args.workers)
    fast1 = bench_fast(n, 1)
    ratio = fast["per_min"] / rgb["per_min"]
    lines = [
        "# Synthetic data generator benchmark",
        "",
        f"Command: `{' '.join([Path(sys.executable).name] + sys.argv)}`  ",
        f"Machine: {describe()}  ",
        f"Date: {time.strftime('%Y-%m-%d %H:%M')}",
        "",
        f"Children drawn with seed {SEED} (sampled ages, walks and cameras), frames {SIZE[0]}x{SIZE[1]} at {FPS:g} fps.",
        "",
        "| path | processes | children | wall s | per minute | notes |",
        "|---|---|---|---|---|---|",
        f"| RGB clips, mp4 encode | {args.workers} | {rgb['n']} | {rgb['wall_s']:.1f} | {rgb['per_min']:.0f} clips "
        f"| {rgb['video_s']:.0f} s of video (mean {rgb['video_s'] / rgb['n']:.1f} s a clip) = "
        f"{rgb['per_min_4s']:.0f} clips of 4 s a minute; {rgb['mb']:.0f} MB |",
        f"| silhouette fast path | {args.workers} | {fast['n']} | {fast['wall_s']:.1f} | {fast['per_min']:.0f} children "
        f"| {fast['windows']} windows ({fast['windows_per_min']:.0f} a minute); {ratio:.1f}x the RGB rate |",
        f"| silhouette fast path | 1 | {fast1['n']} | {fast1['wall_s']:.1f} | {fast1['per_min']:.0f} children "
        f"| {fast1['windows']} windows |",
        "",
        "Targets: RGB >= 20 clips of 4 s a minute on 2 cores; fast path >= 10x the RGB rate "
        "(children a minute against clips a minute, same children, same cores).",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.quick:
        RESULTS.write_text(text, encoding="utf-8")
        print(f"written to {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
