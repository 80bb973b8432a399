"""Model speed on the CPU: every builder, batch 1 and 8, eager and the faster inference paths,
against the machine's matmul ceiling measured in the same run; and the choice of input size.

Targets (issue: the model):
- the default model's chosen path reaches at least 60% of the fp32 matmul ceiling;
- a 5 s clip's windows run in well under a second at the chosen input size.

Run: make bench-model   (or: .venv/bin/python benchmarks/bench_model.py [--quick] [--no-inductor])
Latency is the best of several timed calls after warm-up, per window (call time / batch size).
GFLOP/s counts 2 FLOPs per multiply-accumulate of convolutions and linear layers.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe  # noqa: E402

import torch  # noqa: E402

from genuscreen.model.complexity import count_macs, parameter_count  # noqa: E402
from genuscreen.model.network import build_model, list_models  # noqa: E402
from genuscreen.model.runtime import BatchRunner, RunPlan, choose_plan, cpu_has_bf16  # noqa: E402
from genuscreen.video.clips import ClipSpec  # noqa: E402

RESULTS = Path(__file__).with_name("RESULTS-model.md")
THREADS = 2
DEFAULT_MODEL = "gaitnet"
CLIP_SECONDS = 5.0
SIZES = [(16, 64, 44), (16, 96, 64), (16, 128, 88), (24, 64, 44), (32, 64, 44)]


def best_time(fn, reps: int, warmup: int = 2) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def matmul_ceiling(dtype: torch.dtype, reps: int) -> float:
    """Best GFLOP/s of square matrix products over a few sizes, from torch (MKL) and, for fp32,
    numpy (OpenBLAS): on AMD CPUs either library can be the faster one."""
    import numpy as np

    best = 0.0
    for n in (1024, 2048, 3072):
        a = torch.randn(n, n, dtype=dtype)
        b = torch.randn(n, n, dtype=dtype)
        seconds = best_time(lambda: a @ b, reps)
        best = max(best, 2 * n**3 / seconds / 1e9)
        if dtype == torch.float32:
            an, bn = a.numpy(), b.numpy()
            seconds = best_time(lambda: an @ bn, reps)
            best = max(best, 2 * n**3 / seconds / 1e9)
    return best


def conv3d_reference(reps: int) -> float:
    """GFLOP/s of one large fp32 3x3x3 convolution (oneDNN): how fast convolutions can go here."""
    conv = torch.nn.Conv3d(128, 128, 3, padding=1, bias=False).eval()
    x = torch.randn(8, 128, 8, 16, 16)
    with torch.inference_mode():
        seconds = best_time(lambda: conv(x), reps)
    return 2 * 128 * 128 * 27 * 8 * 8 * 16 * 16 / seconds / 1e9


def time_path(model, path: str, batch: int, shape, reps: int) -> tuple[float, float | None]:
    """Seconds per call of ``path`` and its set-up seconds (trace or compile), or None."""
    x = torch.rand(batch, 1, *shape)
    if path in ("eager fp32", "eager bf16", "frozen fp32", "frozen bf16"):
        kind, precision = path.split()
        runner = BatchRunner(model, RunPlan("cpu", precision, kind == "frozen", batch))
        start = time.perf_counter()
        runner(x)  # traces the frozen graph on its first call
        setup = time.perf_counter() - start if kind == "frozen" else None
        return best_time(lambda: runner(x), reps), setup
    if path.startswith("inductor"):
        import torch._inductor.config as inductor_config

        inductor_config.freezing = True
        torch._dynamo.reset()
        compiled = torch.compile(model)
        autocast = torch.autocast("cpu", dtype=torch.bfloat16, enabled=path.endswith("bf16"))

        def call():
            with torch.inference_mode(), autocast:
                compiled(x)

        start = time.perf_counter()
        call()
        setup = time.perf_counter() - start
        return best_time(call, reps), setup
    raise ValueError(path)


def bf16_agreement(model, shape) -> dict:
    """How far bf16 autocast moves the outputs from fp32 on the same windows."""
    x = torch.rand(8, 1, *shape)
    fp32 = BatchRunner(model, choose_plan("cpu", "fp32"))(x)
    bf16 = BatchRunner(model, choose_plan("cpu", "bf16"))(x)
    p32 = fp32["logits"].softmax(1)[:, 1]
    p16 = bf16["logits"].softmax(1)[:, 1]
    return {
        "max_probability_difference": float((p32 - p16).abs().max()),
        "max_angle_difference_deg": float((fp32["angle"] - bf16["angle"]).abs().max()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions; results not written")
    parser.add_argument("--no-inductor", action="store_true", help="skip torch.compile (needs a C++ compiler)")
    args = parser.parse_args()
    torch.set_num_threads(THREADS)
    torch.manual_seed(0)
    reps = 2 if args.quick else 5

    spec = ClipSpec()
    shape = (spec.frames, spec.height, spec.width)
    ceiling32 = matmul_ceiling(torch.float32, reps)
    ceiling16 = matmul_ceiling(torch.bfloat16, reps) if cpu_has_bf16() else None
    conv_reference = conv3d_reference(reps)
    chosen = choose_plan("cpu")
    print(f"fp32 matmul ceiling {ceiling32:.0f} GFLOP/s; bf16 {ceiling16 or 0:.0f}; chosen path {chosen.describe()}")

    paths = ["eager fp32", "frozen fp32"] + (["eager bf16", "frozen bf16"] if cpu_has_bf16() else [])
    rows = []
    for name in list_models():
        model = build_model(name).eval()
        macs = count_macs(model, (1, 1, *shape))
        model_paths = list(paths)
        if name == DEFAULT_MODEL and not args.no_inductor:
            model_paths += ["inductor fp32"] + (["inductor bf16"] if cpu_has_bf16() else [])
        for path in model_paths:
            for batch in (1, 8):
                seconds, setup = time_path(model, path, batch, shape, reps)
                gflops = 2 * macs * batch / seconds / 1e9
                row = {
                    "model": name, "params": parameter_count(model), "gmacs": macs / 1e9, "path": path,
                    "batch": batch, "ms_per_window": 1000 * seconds / batch, "gflops": gflops,
                    "fraction_of_fp32_ceiling": gflops / ceiling32, "setup_s": setup,
                    "chosen": path == f"{'frozen' if chosen.frozen else 'eager'} {chosen.precision}",
                }  # fmt: skip
                rows.append(row)
                print(f"{name:15s} {path:13s} batch {batch}: {row['ms_per_window']:7.1f} ms/window "
                      f"{gflops:5.0f} GFLOP/s ({row['fraction_of_fp32_ceiling']:.0%})", flush=True)  # fmt: skip

    # Input size: the default model on the chosen path, windows of a 5 s clip.
    default = build_model(DEFAULT_MODEL).eval()
    sizes = []
    for size in SIZES:
        frames = int(round(CLIP_SECONDS * spec.fps))
        stride = size[0] // 2
        windows = max(0, (frames - size[0]) // stride + 1)
        x = torch.rand(windows, 1, *size)
        runner = BatchRunner(default, chosen)
        seconds = best_time(lambda: runner(x), reps)
        macs = count_macs(default, (1, 1, *size))
        sizes.append({"size": list(size), "windows": windows, "gmacs": macs / 1e9, "clip_s": seconds,
                      "gflops": 2 * macs * windows / seconds / 1e9})  # fmt: skip
        print(f"size {size}: {windows} windows per {CLIP_SECONDS:g} s clip, {seconds:.3f} s", flush=True)

    agreement = bf16_agreement(default, shape) if cpu_has_bf16() else None
    report = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": describe() + f"; torch {torch.__version__}; {THREADS} threads",
        "command": "make bench-model",
        "input": {"T": spec.frames, "H": spec.height, "W": spec.width, "fps": spec.fps, "stride": spec.stride},
        "fp32_ceiling_gflops": ceiling32, "bf16_ceiling_gflops": ceiling16,
        "fp32_conv3d_reference_gflops": conv_reference, "chosen_path": chosen.describe(),
        "rows": rows, "sizes": sizes, "bf16_agreement_random_weights": agreement,
    }  # fmt: skip
    if not args.quick:
        RESULTS.write_text(render_markdown(report))
        RESULTS.with_suffix(".json").write_text(json.dumps(report, indent=1))
        print(f"wrote {RESULTS}")


def render_markdown(report: dict) -> str:
    lines = [
        "# Model speed (CPU)",
        "",
        f"- Machine: {report['machine']}",
        f"- Date: {report['date']}; command: `{report['command']}`",
        f"- Window: T={report['input']['T']} frames at {report['input']['fps']:g} fps, "
        f"H={report['input']['H']}, W={report['input']['W']}, stride {report['input']['stride']}",
        f"- Matmul ceiling measured in this run: fp32 {report['fp32_ceiling_gflops']:.0f} GFLOP/s"
        + (f", bf16 {report['bf16_ceiling_gflops']:.0f} GFLOP/s" if report["bf16_ceiling_gflops"] else "")
        + f"; one large fp32 3x3x3 convolution (oneDNN) {report['fp32_conv3d_reference_gflops']:.0f} GFLOP/s",
        f"- Chosen path (genuscreen.model.runtime.choose_plan on this machine): {report['chosen_path']}",
        "",
        "Latency per window (best of several calls after warm-up); GFLOP/s = 2 x MACs / time; "
        "the last column is that against the fp32 matmul ceiling (bf16 can exceed it). "
        "Set-up is the one-off trace or compile time.",
        "",
        "| model | params | GMACs | path | batch | ms / window | GFLOP/s | of fp32 ceiling | set-up s |",
        "|---|---:|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in report["rows"]:
        mark = " **(chosen)**" if r["chosen"] else ""
        setup = f"{r['setup_s']:.1f}" if r["setup_s"] is not None else ""
        lines.append(
            f"| {r['model']} | {r['params']:,} | {r['gmacs']:.3f} | {r['path']}{mark} | {r['batch']} | "
            f"{r['ms_per_window']:.1f} | {r['gflops']:.0f} | {r['fraction_of_fp32_ceiling']:.0%} | {setup} |"
        )
    lines += [
        "",
        "## Input size (default model, chosen path, the windows of a 5 s clip, stride T/2)",
        "",
        "| T x H x W | windows | GMACs / window | seconds per 5 s clip | GFLOP/s |",
        "|---|---:|---:|---:|---:|",
    ]
    for s in report["sizes"]:
        t, h, w = s["size"]
        lines.append(f"| {t} x {h} x {w} | {s['windows']} | {s['gmacs']:.2f} | {s['clip_s']:.3f} | {s['gflops']:.0f} |")
    agreement = report["bf16_agreement_random_weights"]
    if agreement:
        lines += [
            "",
            f"bf16 against fp32 on the same 8 windows (untrained weights): largest probability difference "
            f"{agreement['max_probability_difference']:.4f}, largest angle difference "
            f"{agreement['max_angle_difference_deg']:.3f} deg. The screening pipeline checks agreement "
            "again with the shipped weights.",
        ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
