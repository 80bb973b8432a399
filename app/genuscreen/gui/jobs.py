"""The application's long jobs as plain callables for :mod:`genuscreen.gui.worker` (no Qt here):
screening a clip and exporting its result."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import numpy as np
import torch

from genuscreen.inference import screen
from genuscreen.inference.explain import write_overlay_video
from genuscreen.inference.result import ScreeningResult

EXPORT_TOTAL = 1000


def model_threads() -> int:
    """CPU threads for the model in the desktop application: all cores but one, which stays
    free for the window (benchmarks/RESULTS-gui.md: on 2 cores, two model threads made the
    model stage up to 25 times slower whenever another thread or program wanted the CPU,
    and stalled the window for over 100 ms)."""
    return max(1, (os.cpu_count() or 1) - 1)


def screening_job(video: str | os.PathLike, age_y: float | None, sex: str | None, device: str,
                  empty_scene: np.ndarray | None = None):  # fmt: skip
    """A job that runs ``screen()`` to its result, passing its progress on."""

    def job(should_cancel, report) -> ScreeningResult:
        torch.set_num_threads(model_threads())
        steps = screen(video, age_y=age_y, sex=sex, device=device, empty_scene=empty_scene, should_cancel=should_cancel)
        while True:
            try:
                progress = next(steps)
            except StopIteration as stop:
                return stop.value
            report(progress.done, progress.total, progress.stage)

    return job


def write_json_atomic(path: Path, data: dict) -> None:
    """Write JSON through a temporary file in the same folder, so no half-written file is left."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, ensure_ascii=False)
            handle.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def export_paths(folder: Path, video: str | os.PathLike) -> tuple[Path, Path]:
    stem = Path(video).stem
    return folder / f"{stem}_result.json", folder / f"{stem}_overlay.mp4"


def export_job(video: str | os.PathLike, result: ScreeningResult, child: dict, folder: Path, opacity: float,
               colormap: int):  # fmt: skip
    """A job that writes the result JSON (with the child's details) and, for a screened clip,
    the video with the attention overlay. Returns the paths written."""

    def job(should_cancel, report) -> list[Path]:
        json_path, video_path = export_paths(folder, video)
        data = result.to_dict()
        data["child"] = child
        write_json_atomic(json_path, data)
        written = [json_path]
        frames = max(1, int(result.video.get("frames") or 1))
        report(1, EXPORT_TOTAL, "export")
        if result.screenable and result.heatmaps is not None:
            counter = iter(range(1, 10**9))

            def cancel_and_count() -> bool:
                # write_overlay_video polls once per frame: that poll counts the frames.
                report(min(EXPORT_TOTAL, EXPORT_TOTAL * next(counter) // frames), EXPORT_TOTAL, "export")
                return should_cancel()

            write_overlay_video(video, result, video_path, opacity=opacity, colormap=colormap,
                                should_cancel=cancel_and_count)  # fmt: skip
            written.append(video_path)
        report(EXPORT_TOTAL, EXPORT_TOTAL, "export")
        return written

    return job
