"""A new ``genuscreen screen`` process on the bundled sample, from launch to exit.

Target (issue: start-up): at most 3.5 s for the whole process on a 2-core machine, so well under
3 s before the pose front end adds its share.

Run: make bench-startup   (or: .venv/bin/python benchmarks/bench_startup.py [--runs N] [--no-write])
Every measurement is a new process of the command printed in the results, with torch's default
threads, as a user would run it. "cold": an empty cache folder (GENUSCREEN_CACHE_DIR) for every run,
so the trunk's frozen graph is traced and frozen; "warm": a folder filled by one earlier run, so the
graph is loaded from disk. Stage columns are medians of the result JSON's timings; "outside
screen()" is the rest of the wall time: interpreter, imports, argument parsing, writing the JSON
and exit. The graph table times the trunk's first batch alone (graph built or loaded, then run) in
new processes, without the video.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).with_name("RESULTS-startup.md")
SAMPLE = "resources/sample/sample_walk.mp4"
STAGES = ("load model", "video", "model and explanations")

# The trunk as the pipeline prepares it (inference.pipeline._Prepared), its first batch timed.
FIRST_BATCH = r"""
import json, time
import torch
from genuscreen.inference.pipeline import default_weights
from genuscreen.model.runtime import BatchRunner, choose_plan
from genuscreen.model.weights import load_weights
loaded = load_weights(default_weights())
trunk, _ = loaded.model.cam_split()
plan = choose_plan("cpu")
runner = BatchRunner(trunk, plan, cache_id={"weights_sha256": loaded.card["sha256"], "part": "trunk"})
start = time.perf_counter()
runner(torch.zeros(6, 1, 16, 64, 44))
print(json.dumps({"seconds": time.perf_counter() - start, "plan": plan.describe()}))
"""


def screen_command(result: Path) -> list[str]:
    """The installed ``genuscreen`` script beside this interpreter, else ``python -m genuscreen``."""
    script = Path(sys.executable).with_name("genuscreen")
    launcher = [str(script)] if script.exists() else [sys.executable, "-m", "genuscreen"]
    return [*launcher, "screen", SAMPLE, "--age", "8", "--json", str(result)]


def run_screen_process(cache: Path, result: Path) -> dict:
    env = {**os.environ, "GENUSCREEN_CACHE_DIR": str(cache)}
    start = time.perf_counter()
    subprocess.run(screen_command(result), cwd=ROOT, env=env, check=True, capture_output=True)
    wall = time.perf_counter() - start
    timings = json.loads(result.read_text())["timings"]
    return {"wall": wall, "outside": wall - timings["total"], **{stage: timings[stage] for stage in STAGES}}


def first_batch_process(cache: Path) -> dict:
    env = {**os.environ, "GENUSCREEN_CACHE_DIR": str(cache)}
    done = subprocess.run([sys.executable, "-c", FIRST_BATCH], cwd=ROOT, env=env, check=True, capture_output=True,
                          text=True)  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(folder: Path, runs: int, run_once) -> tuple[list, list]:
    """(cold, warm) results of ``run_once(cache_folder)``, ``runs`` of each."""
    cold = []
    for i in range(runs):
        cache = folder / f"cold-{i}"
        cold.append(run_once(cache))
        shutil.rmtree(cache, ignore_errors=True)
    warm_cache = folder / "warm"
    run_once(warm_cache)  # fills the cache
    warm = [run_once(warm_cache) for _ in range(runs)]
    return cold, warm


def median(results: list[dict], field: str) -> float:
    return statistics.median(r[field] for r in results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="processes per row (default 5; the median is shown)")
    parser.add_argument("--no-write", action="store_true", help=f"print only; leave {RESULTS.name} as it is")
    args = parser.parse_args()
    import torch

    load_before = f"{os.getloadavg()[0]:.2f}"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        result = folder / "result.json"
        cold, warm = measure(folder, args.runs, lambda cache: run_screen_process(cache, result))
        graph_cold, graph_warm = measure(folder, args.runs, first_batch_process)
    command = " ".join(Path(part).name if i == 0 else part for i, part in enumerate(screen_command(Path("OUT.json"))))
    lines = [
        "# Start-up benchmark (a new `genuscreen screen` process on the sample)",
        "",
        "Command: `make bench-startup`  ",
        f"Measured: `{command}`, a new process each time, median of {args.runs}  ",
        f"Machine: {describe()}; torch {torch.__version__}, {torch.get_num_threads()} threads (default); "
        f"plan {graph_cold[0]['plan']}  ",
        f"Date: {time.strftime('%Y-%m-%d %H:%M')}",
        "",
        "| graph cache | wall s | outside screen() s | load model s | video s | model + attention s |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, rows in (("cold (traced and frozen)", cold), ("warm (loaded from disk)", warm)):
        lines.append(f"| {name} | {median(rows, 'wall'):.2f} | {median(rows, 'outside'):.2f} | "
                     + " | ".join(f"{median(rows, stage):.2f}" for stage in STAGES) + " |")  # fmt: skip
    build, load = median(graph_cold, "seconds"), median(graph_warm, "seconds")
    lines += [
        "",
        "| trunk's first batch (6 windows), new process | s |",
        "|---|---:|",
        f"| graph traced and frozen, then run | {build:.3f} |",
        f"| graph loaded from the cache, then run | {load:.3f} |",
        "",
        f"Loading the graph instead of building it saves {build - load:.2f} s of the first batch. "
        f"Wall, warm cache: {median(warm, 'wall'):.2f} s (target <= 3.5 s with the pose front end's share). "
        f"Load average before / after: {load_before} / {os.getloadavg()[0]:.2f}.",
    ]
    print("\n".join(lines))
    if not args.no_write:
        RESULTS.write_text("\n".join(lines) + "\n")
        print(f"written to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
