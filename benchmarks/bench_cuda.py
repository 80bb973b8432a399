"""The CUDA path: the sample screened on the GPU against the CPU, and the model's speed there.

Run (on a machine with an NVIDIA GPU): python benchmarks/bench_cuda.py [--out FILE.md]

- The bundled sample screened in one process with --device cpu and --device cuda (each twice:
  the first call loads the model, the second is warm); risk, knee angle and category must agree
  (the GPU runs fp16 autocast, the CPU bf16 or fp32, so agreement is within rounding, not bit for bit).
- The default model's windows per second on the GPU at several batch sizes, fp16 and fp32, with
  the same windows' outputs compared against fp32 on the CPU.
Results go to benchmarks/RESULTS-cuda.md (or --out) with the machine in the first lines.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe  # noqa: E402

import torch  # noqa: E402

from genuscreen.inference.pipeline import default_weights, run_screen, spec_from_card  # noqa: E402
from genuscreen.model.runtime import BatchRunner, RunPlan  # noqa: E402
from genuscreen.model.weights import load_weights  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "resources" / "sample" / "sample_walk.mp4"
BATCHES = (1, 8, 32, 128)


def screen_twice(device: str, front_end: str) -> list[dict]:
    runs = []
    for _ in range(2):
        start = time.perf_counter()
        result = run_screen(SAMPLE, age_y=8.0, device=device, front_end=front_end)
        runs.append({"seconds": time.perf_counter() - start, "result": result})
    return runs


def model_speed(model, shape) -> list[dict]:
    rows = []
    reference_input = torch.rand(8, 1, *shape)
    reference = BatchRunner(model, RunPlan("cpu", "fp32", False, 8))(reference_input)
    for precision in ("fp16", "fp32"):
        for batch in BATCHES:
            runner = BatchRunner(model, RunPlan("cuda", precision, False, batch))
            x = torch.rand(batch, 1, *shape)
            for _ in range(3):
                runner(x)
            torch.cuda.synchronize()
            best = float("inf")
            for _ in range(10):
                start = time.perf_counter()
                runner(x)
                torch.cuda.synchronize()
                best = min(best, time.perf_counter() - start)
            rows.append({"precision": precision, "batch": batch, "ms_per_call": 1000 * best,
                         "windows_per_s": batch / best})  # fmt: skip
        outputs = BatchRunner(model, RunPlan("cuda", precision, False, 8))(reference_input)
        p_gpu = outputs["logits"].float().softmax(1)[:, 1]
        p_cpu = reference["logits"].softmax(1)[:, 1]
        rows[-1]["agreement"] = (float((p_gpu - p_cpu).abs().max()),
                                 float((outputs["angle"].float() - reference["angle"]).abs().max()))  # fmt: skip
    return rows


def markdown(screens: dict, speed: list[dict], args) -> str:
    gpu = torch.cuda.get_device_name(0)
    lines = [
        "# The CUDA path",
        "",
        f"Command: `python benchmarks/bench_cuda.py` ({time.strftime('%Y-%m-%d')}); {describe()}; "
        f"GPU: {gpu}; torch {torch.__version__}. Front end: {args.front_end}.",
        "",
        "## The sample screened on each device (one process; first call loads the model, second is warm)",
        "",
        "| device | ran on | call | seconds | model and explanations (s) | risk | knee angle (deg) | category |",
        "|---|---|---|---:|---:|---:|---:|---|",
    ]
    for device, runs in screens.items():
        for i, run in enumerate(runs):
            r = run["result"]
            model_s = r.timings.get("model and explanations", float("nan"))
            lines.append(f"| {device} | {r.device} | {'first' if i == 0 else 'warm'} | {run['seconds']:.2f} | "
                         f"{model_s:.3f} | {r.risk:.4f} | {r.knee_angle_deg:.2f} | {r.category} |")  # fmt: skip
    cpu, cuda = screens["cpu"][-1]["result"], screens["cuda"][-1]["result"]
    lines += ["", f"Difference GPU - CPU: risk {cuda.risk - cpu.risk:+.4f}, knee angle "
                  f"{cuda.knee_angle_deg - cpu.knee_angle_deg:+.3f} deg, same category: {cuda.category == cpu.category}.",
              "", "## The default model's windows on the GPU (best of 10 calls after 3 warm-ups)", "",
              "| precision | batch | ms per call | windows per s |", "|---|---:|---:|---:|"]  # fmt: skip
    for row in speed:
        lines.append(f"| {row['precision']} | {row['batch']} | {row['ms_per_call']:.2f} | {row['windows_per_s']:.0f} |")
    lines.append("")
    for row in speed:
        if "agreement" in row:
            p, a = row["agreement"]
            lines.append(f"- {row['precision']} on the GPU against fp32 on the CPU, 8 random windows: largest "
                         f"probability difference {p:.2e}, largest angle difference {a:.3f} deg.")  # fmt: skip
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(Path(__file__).with_name("RESULTS-cuda.md")))
    parser.add_argument("--front-end", default="auto", choices=["auto", "pose", "background"])
    args = parser.parse_args()
    if not torch.cuda.is_available():
        print("No CUDA device: this benchmark needs an NVIDIA GPU.", file=sys.stderr)
        return 1
    screens = {device: screen_twice(device, args.front_end) for device in ("cpu", "cuda")}
    loaded = load_weights(default_weights())
    spec = spec_from_card(loaded.card)
    shape = (spec.frames, spec.height, spec.width)
    speed = model_speed(loaded.model.eval(), shape)
    text = markdown(screens, speed, args)
    Path(args.out).write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
