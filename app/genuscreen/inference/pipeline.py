"""``screen()``: the one implementation of screening, used by the GUI, the CLI and the tests.

A generator: it yields :class:`Progress` (stage, done, total; ``done`` never falls, and the
last report is total of total) and returns a :class:`ScreeningResult`. It takes a cancel
check and raises ``Cancelled`` within a second of it turning true. Qt-free.

    gen = screen("walk.mp4", age_y=7)
    for progress in gen: ...            # or: result = run_screen("walk.mp4", age_y=7)

Stages: the video (walker, quality gate, clips), the model on all windows in batches (the
fast path of ``model.runtime``), attention maps (HiResCAM), aggregation and the age norm.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from pathlib import Path
from typing import Callable, Generator

import numpy as np
import torch

from genuscreen import clinical
from genuscreen.assets import weights_dir
from genuscreen.inference.aggregate import clip_estimates, per_frame_curves
from genuscreen.inference.device import DeviceChoice, is_cuda_failure, resolve_device
from genuscreen.inference.explain import attention_maps, frame_heatmaps
from genuscreen.inference.result import (
    CATEGORY_LIKELY,
    CATEGORY_NOT_SCREENABLE,
    CATEGORY_UNCERTAIN,
    CATEGORY_UNLIKELY,
    Progress,
    ScreeningResult,
)
from genuscreen.model.runtime import BatchRunner, choose_plan
from genuscreen.model.weights import DEFAULT_WEIGHTS, LoadedModel, angle_residual_sd, load_weights
from genuscreen.video import choose_front_end, inspect_video, walker_track
from genuscreen.video.clips import ClipSpec
from genuscreen.video.errors import Cancelled

TOTAL = 1000  # progress units: video 0-800, model 800-950, explanations 950-1000
_VIDEO_END, _MODEL_END = 800, 950
# Without a validation residual in the card, the angle interval assumes this model error (deg).
FALLBACK_ANGLE_SD_DEG = 5.0

CancelCheck = Callable[[], bool]


class _Prepared:
    """A loaded model split for attention maps, its fast trunk runner, on one device."""

    def __init__(self, loaded: LoadedModel, device: str, precision: str):
        self.loaded = loaded
        self.device = device
        model = loaded.model.to(device).eval()
        self.trunk, self.tail = model.cam_split()
        self.plan = choose_plan(device, precision)
        # The trunk's frozen graph is kept on disk under its weights' hash: a new process loads
        # it instead of tracing and freezing again (model.graph_cache).
        cache_id = {"weights_sha256": loaded.card["sha256"], "part": "trunk"}
        self.trunk_runner = BatchRunner(self.trunk, self.plan, cache_id=cache_id)


_PREPARED: dict[tuple, _Prepared] = {}
_PREPARED_LOCK = threading.Lock()


def _prepared(path: Path, device: str, precision: str) -> _Prepared:
    """Loaded once per weights file, device and precision; later screenings reuse the model and
    its frozen graph."""
    try:
        stat = path.stat()
    except OSError:
        load_weights(path)  # raises the WeightsError that names the file
        raise
    # A changed file (new time or size) is loaded, and hash-checked, again.
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size, device, precision)
    with _PREPARED_LOCK:
        if key not in _PREPARED:
            _PREPARED[key] = _Prepared(load_weights(path, device="cpu"), device, precision)
        return _PREPARED[key]


def default_weights() -> Path:
    return weights_dir() / DEFAULT_WEIGHTS


def spec_from_card(card: dict) -> ClipSpec:
    i = card["input"]
    return ClipSpec(frames=int(i["frames"]), height=int(i["height"]), width=int(i["width"]), fps=float(i["fps"]),
                    stride=int(i.get("stride", ClipSpec().stride)))  # fmt: skip


def _video_stage(video, empty_scene, spec, should_cancel, front_end) -> Generator[Progress, None, object]:
    """inspect_video in a helper thread; its progress callbacks become yielded Progress."""
    events: queue.Queue = queue.Queue()
    outcome: dict = {}

    def report(stage: str, done: int, total: int) -> None:
        events.put((stage, done, total))

    def work() -> None:
        try:
            outcome["inspection"] = inspect_video(video, empty_scene, spec, progress=report, should_cancel=should_cancel,
                                                  front_end=front_end)  # fmt: skip
        except BaseException as error:  # handed to the generator's thread and raised there
            outcome["error"] = error
        finally:
            events.put(None)

    thread = threading.Thread(target=work, name="genuscreen-video", daemon=True)
    thread.start()
    last = 0
    while True:
        item = events.get()
        if item is None:
            break
        stage, done, total = item
        # Two passes over the video: background or people scan (first half of the stage), then
        # tracking or pose (second).
        first = stage in ("background", "people")
        base, span = (0, _VIDEO_END // 2) if first else (_VIDEO_END // 2, _VIDEO_END // 2)
        units = base + int(span * min(1.0, done / max(1, total)))
        if units > last:
            last = units
            yield Progress("reading video", units, TOTAL)
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["inspection"]


def screen(
    video: str | os.PathLike,
    *,
    age_y: float | None = None,
    sex: str | None = None,
    device: str = "auto",
    weights: str | os.PathLike | None = None,
    precision: str = "auto",
    empty_scene=None,
    should_cancel: CancelCheck | None = None,
    front_end: str = "auto",
) -> Generator[Progress, None, ScreeningResult]:
    """Screen one recording. See the module docstring.

    ``front_end`` finds the child: "pose" (the pose model), "background" (a model of the empty
    scene; ``empty_scene`` helps it) or "auto" (the pose model, or the background model with a
    note when the pose model cannot be loaded).

    Raises:
        VideoOpenError: the file cannot be read as a video.
        WeightsError: the weights or their card cannot be used.
        Cancelled: ``should_cancel`` returned True.
        ValueError: an argument is out of range (age, sex, device, front end).
        PoseModelError: front end "pose" and the pose model cannot be loaded.
    """
    if age_y is not None and not (0.0 < age_y < 19.0):
        raise ValueError(f"age must be between 0 and 18 years, got {age_y}")
    if sex not in (None, "F", "M"):
        raise ValueError(f"sex must be F or M, got {sex!r}")
    cancelled = should_cancel or (lambda: False)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    front_end, front_end_notes = choose_front_end(front_end)

    choice: DeviceChoice = resolve_device(device)
    path = Path(weights) if weights is not None else default_weights()
    prepared = _prepared(path, choice.device, precision)
    card = prepared.loaded.card
    spec = spec_from_card(card)
    timings["load model"] = time.perf_counter() - started
    yield Progress("loading model", 1, TOTAL)

    t0 = time.perf_counter()
    inspection = yield from _video_stage(video, empty_scene, spec, should_cancel, front_end)
    timings["video"] = time.perf_counter() - t0
    timings.update({f"video: {stage}": seconds for stage, seconds in inspection.extraction.timings.items()})
    info = inspection.extraction.info
    video_info = {"file": os.path.basename(str(video)), "width": info.width, "height": info.height,
                  "fps": round(info.fps, 3), "rotation_deg": info.rotation_deg, "frames": inspection.quality.frames}  # fmt: skip
    model_info = {"id": card["id"], "version": card["version"], "builder": card["builder"],
                  "sha256": card["sha256"], "threshold": card["threshold"], "weights": path.name}  # fmt: skip
    notes = list(choice.notes) + front_end_notes + [n.message for n in inspection.quality.notes]
    base = dict(video=video_info, quality=inspection.to_dict(), model=model_info, device=choice.name,
                timings=timings, age_y=age_y, sex=sex, notes=notes, front_end=inspection.extraction.front_end,
                walker=walker_track(inspection))  # fmt: skip
    if age_y is not None:
        base["norm_band_deg"] = clinical.age_norm(age_y)
        lo, hi = clinical.AGE_RANGE_Y
        if not lo <= age_y <= hi:
            base["notes"].append(f"The age norms cover {lo:.0f}-{hi:.0f} years; the band of the nearest age was used.")
    if not inspection.quality.ok or not inspection.clips:
        yield Progress("done", TOTAL, TOTAL)
        reasons = " ".join(p.message for p in inspection.quality.problems) or "No usable walking frames were found."
        timings["total"] = time.perf_counter() - started
        return ScreeningResult(screenable=False, category=CATEGORY_NOT_SCREENABLE, recommendation=None,
                               reason=f"This recording cannot be screened. {reasons}", **base)  # fmt: skip
    if cancelled():
        raise Cancelled("screening cancelled")

    t0 = time.perf_counter()
    windows = torch.from_numpy(np.stack([c.silhouettes for c in inspection.clips])).float().unsqueeze(1)
    try:
        outputs, cams = yield from _run_model(prepared, windows, cancelled)
    except Exception as error:
        if not (prepared.device != "cpu" and is_cuda_failure(error)):
            raise
        base["notes"].append(f"The GPU failed ({type(error).__name__}); the model ran on the CPU instead.")
        base["device"] = "cpu"
        prepared = _prepared(path, "cpu", precision)
        outputs, cams = yield from _run_model(prepared, windows, cancelled)
    timings["model and explanations"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    prob = outputs["logits"].softmax(1)[:, 1].numpy()
    angle = outputs["angle"].numpy()
    residual_sd = angle_residual_sd(card)
    if residual_sd is None:
        residual_sd = FALLBACK_ANGLE_SD_DEG
        base["notes"].append("The model card gives no angle error; the angle interval assumes 5 degrees.")
    risk, knee = clip_estimates(prob, angle, spec.frames, spec.stride, float(residual_sd))
    threshold = float(card["threshold"])
    if risk.low >= threshold:
        category = CATEGORY_LIKELY
    elif risk.high < threshold:
        category = CATEGORY_UNLIKELY
    else:
        category = CATEGORY_UNCERTAIN
    recommendation, reason = clinical.recommend(knee.value, (knee.low, knee.high), risk.value, (risk.low, risk.high),
                                                threshold, age_y)  # fmt: skip
    heatmaps = frame_heatmaps(cams, inspection.clips, (spec.height, spec.width))
    timings["aggregation"] = time.perf_counter() - t0
    timings["total"] = time.perf_counter() - started
    yield Progress("done", TOTAL, TOTAL)
    return ScreeningResult(
        screenable=True, category=category, recommendation=recommendation, reason=reason,
        risk=risk.value, risk_interval=(risk.low, risk.high), knee_angle_deg=knee.value,
        knee_angle_interval=(knee.low, knee.high), per_frame=per_frame_curves(prob, angle, inspection.clips),
        windows=len(inspection.clips), heatmaps=heatmaps, **base,
    )  # fmt: skip


# Windows per pass of the tail with gradients: eager 3D convolutions on a few windows take a slow
# path (benchmarks/RESULTS-model.md); 32 at once is 25 % faster than 8 and bounds the memory.
TAIL_BATCH = 32


def _run_model(prepared: _Prepared, windows: torch.Tensor, cancelled: CancelCheck):
    """Trunk on the fast path, tail with gradients for the attention maps; yields progress per
    trunk batch."""
    size = prepared.plan.batch_size
    outputs: dict[str, list] = {"logits": [], "angle": []}
    cams = []
    autocast = _autocast(prepared.plan)
    n = windows.shape[0]
    pending: list[torch.Tensor] = []
    for start in range(0, n, size):
        if cancelled():
            raise Cancelled("screening cancelled")
        pending.append(prepared.trunk_runner(windows[start : start + size]).to(prepared.device))
        if sum(len(f) for f in pending) >= TAIL_BATCH or start + size >= n:
            out, cam = attention_maps(prepared.tail, torch.cat(pending), autocast)
            pending = []
            for key in outputs:
                outputs[key].append(out[key].cpu())
            cams.append(cam.cpu())
        done = _VIDEO_END + int((_MODEL_END - _VIDEO_END) * min(n, start + size) / n)
        yield Progress("analysing", done, TOTAL)
    yield Progress("explaining", _MODEL_END + (TOTAL - _MODEL_END) // 2, TOTAL)
    return {k: torch.cat(v) for k, v in outputs.items()}, torch.cat(cams)


def _autocast(plan) -> dict:
    # Gradients for the attention maps run in fp32 on the CPU; fp16 on CUDA.
    if plan.precision == "fp16":
        return {"dtype": torch.float16}
    return {"enabled": False}


def run_screen(video, on_progress: Callable[[Progress], None] | None = None, **kwargs) -> ScreeningResult:
    """Drive ``screen()`` to its result, passing each progress report to ``on_progress``."""
    gen = screen(video, **kwargs)
    while True:
        try:
            progress = next(gen)
        except StopIteration as stop:
            return stop.value
        if on_progress is not None:
            on_progress(progress)
