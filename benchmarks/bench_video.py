"""Speed and memory of the video stage (decode + walker extraction + quality gate + clips).

Targets (issue: foundation and video pipeline):
- a 720p 30 fps clip at >= 4x real time on a 2-core machine (>= 120 frames/s);
- peak memory flat in clip length; a 60 s 1080p clip under 600 MB.

Run: make bench   (or: .venv/bin/python benchmarks/bench_video.py [--quick])
Clips are rendered with the synthetic generator into a temporary folder; each measurement runs
in a fresh process so that peak memory (ru_maxrss) belongs to that clip alone.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).with_name("RESULTS-video.md")


def render_clip(path: Path, width: int, height: int, fps: float, seconds: float) -> None:
    from genuscreen.synth import Scene, Walker, render, write_video

    # A slow approach keeps the child walking (and tracked) for the whole clip.
    speed = min(1.0, 4.0 / max(seconds - 1.0, 1.0))
    walker = Walker(start_time_s=0.5, speed_m_s=speed, cadence_steps_per_min=140 if speed > 0.6 else 100)
    scene = Scene(width=width, height=height, fps=fps, duration_s=seconds, walkers=(walker,), seed=7)
    write_video(path, (f.image for f in render(scene)), fps)


MEASURE = r"""
import json, resource, sys, time
from genuscreen.video import inspect_video
start = time.perf_counter()
result = inspect_video(sys.argv[1])
wall = time.perf_counter() - start
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"frames": result.quality.frames, "wall_s": wall, "peak_mb": peak_mb,
                  "ok": result.quality.ok, "codes": result.quality.codes()}))
"""


def measure(path: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", MEASURE, str(path)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter clips (a smoke run, not the targets)")
    args = parser.parse_args()
    speed_seconds = 6.0 if args.quick else 20.0
    memory_seconds = [5.0, 10.0] if args.quick else [15.0, 30.0, 60.0]
    lines = [
        "# Video stage benchmark",
        "",
        f"Command: `{' '.join([Path(sys.executable).name] + sys.argv)}`  ",
        f"Machine: {describe()}  ",
        f"Date: {time.strftime('%Y-%m-%d %H:%M')}",
        "",
        "| clip | frames | wall s | frames/s | x real time | peak MB | verdict |",
        "|---|---|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory() as folder:
        cases = [("720p30", 1280, 720, 30.0, speed_seconds)] + [
            (f"1080p30 {int(s)} s", 1920, 1080, 30.0, s) for s in memory_seconds
        ]
        for name, width, height, fps, seconds in cases:
            path = Path(folder) / f"{name.replace(' ', '_')}.mp4"
            render_clip(path, width, height, fps, seconds)
            r = measure(path)
            rate = r["frames"] / r["wall_s"]
            verdict = "ok" if r["ok"] else ",".join(r["codes"])
            line = (
                f"| {name} ({seconds:.0f} s) | {r['frames']} | {r['wall_s']:.1f} | {rate:.0f} | "
                f"{rate / fps:.1f} | {r['peak_mb']:.0f} | {verdict} |"
            )
            print(line, flush=True)
            lines.append(line)
            path.unlink()
    lines += [
        "",
        "Targets: 720p30 >= 120 frames/s (4x real time); 60 s 1080p peak under 600 MB, flat in length.",
    ]
    if not args.quick:
        RESULTS.write_text("\n".join(lines) + "\n")
        print(f"written to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
