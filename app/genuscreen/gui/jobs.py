"""The application's long jobs as plain callables for :mod:`genuscreen.gui.worker` (no Qt here):
screening a clip, exporting its result, and the records' slow parts (saving a screening with its
heatmaps file and the recording's hash, reopening one, writing reports)."""

from __future__ import annotations

import os
from pathlib import Path

from dataclasses import dataclass
from datetime import datetime
from typing import Callable

import numpy as np
import torch

from genuscreen.files import write_json_atomic
from genuscreen.inference import screen
from genuscreen.inference.explain import write_overlay_video
from genuscreen.inference.result import ScreeningResult
from genuscreen.report import suggested_report_name, write_class_summary, write_class_summary_csv, write_report
from genuscreen.storage import Child, Database, ScreeningRecord

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


def export_paths(folder: Path, video: str | os.PathLike) -> tuple[Path, Path]:
    stem = Path(video).stem
    return folder / f"{stem}_result.json", folder / f"{stem}_overlay.mp4"


@dataclass(frozen=True)
class ReportOptions:
    """How PDF reports are written: the interface language, the page size from the settings,
    and whether the key frames show the child's silhouette instead of the picture."""

    language: str = "en"
    page: str = "A4"
    silhouettes_only: bool = False


@dataclass(frozen=True)
class Exported:
    """What an export wrote."""

    json: Path
    report: Path
    overlay: Path | None


def export_job(video: str | os.PathLike | None, result: ScreeningResult, child: dict, folder: Path, opacity: float,
               colormap: int, report_options: ReportOptions, *, operator: str | None = None,
               screened_at: datetime | None = None, records: Database | None = None,
               screening_id: int | None = None):  # fmt: skip
    """A job that writes the result JSON (with the child's details), the PDF report and, for a
    screened clip whose recording is at hand, the video with the attention overlay. With a
    stored screening (``records`` and ``screening_id``) the report and the overlay are noted
    on its record, so deleting the child removes them too."""

    def job(should_cancel, report) -> Exported:
        stem_source = video or (result.video or {}).get("file") or "screening"
        json_path, video_path = export_paths(folder, stem_source)
        data = result.to_dict()
        data["child"] = child
        write_json_atomic(json_path, data)
        report(1, EXPORT_TOTAL, "export")
        report_path = folder / suggested_report_name(child, screened_at)
        write_report(result, report_path, child=child, operator=operator, screened_at=screened_at, video=video,
                     language=report_options.language, page=report_options.page,
                     silhouettes_only=report_options.silhouettes_only)  # fmt: skip
        report(EXPORT_TOTAL // 10, EXPORT_TOTAL, "export")
        overlay = None
        if video is not None and result.screenable and result.heatmaps is not None:
            frames = max(1, int(result.video.get("frames") or 1))
            counter = iter(range(1, 10**9))

            def cancel_and_count() -> bool:
                # write_overlay_video polls once per frame: that poll counts the frames.
                done = EXPORT_TOTAL // 10 + (EXPORT_TOTAL * 9 // 10) * next(counter) // frames
                report(min(EXPORT_TOTAL, done), EXPORT_TOTAL, "export")
                return should_cancel()

            write_overlay_video(video, result, video_path, opacity=opacity, colormap=colormap,
                                should_cancel=cancel_and_count)  # fmt: skip
            overlay = video_path
        if records is not None and screening_id is not None:
            records.set_report_path(screening_id, report_path)
            if overlay is not None:
                records.set_overlay_path(screening_id, overlay)
        report(EXPORT_TOTAL, EXPORT_TOTAL, "export")
        return Exported(json_path, report_path, overlay)

    return job


# --- records --------------------------------------------------------------------------------


def save_screening_job(open_records: Callable[[], Database], result: ScreeningResult, child: dict, *,
                       video: str | os.PathLike | None,
                       session_id: int | None = None, operator: str | None = None,
                       screened_at: datetime | None = None, report_path: Path | None = None,
                       overlay_path: Path | None = None):  # fmt: skip
    """A job that stores a screening for the child with ``child["id"]`` (added to the records
    when new; the details typed in replace the recorded ones, empty ones keep them). Slow parts:
    the recording's sha256 and the heatmaps file. It is one transaction and does not stop
    half-way when cancelled: a screening is either stored whole or not at all. ``open_records``
    gives the records (opening them the first time is slow too)."""

    def job(_should_cancel, _report) -> ScreeningRecord:
        records = open_records()
        known = records.ensure_child(child["id"], child.get("name"), child.get("date_of_birth"), child.get("sex"))
        # What the screener typed now wins over what was recorded (a corrected name or date of
        # birth); details left empty keep the recorded ones.
        typed = {key: child.get(key) for key in ("name", "date_of_birth", "sex", "notes") if child.get(key)}
        changed = {key: value for key, value in typed.items() if str(getattr(known, key) or "") != str(value)}
        if changed:
            known = records.update_child(known.id, **changed)
        return records.record_screening(result, known.id, session_id=session_id, video_path=video,
                                        report_path=report_path, overlay_path=overlay_path, operator=operator,
                                        screened_at=screened_at)  # fmt: skip

    return job


@dataclass(frozen=True)
class StoredScreening:
    """A screening read back from the records, with what the review needs to show it."""

    record: ScreeningRecord
    child: Child
    result: ScreeningResult
    video: Path | None  # the recording, when it is still there and unchanged

    def child_details(self) -> dict:
        """The child's details as the report and the child panel take them (age at the screening)."""
        return self.child.details(age_y=self.record.age_years)


def read_stored(records: Database, screening_id: int) -> StoredScreening:
    record = records.get_screening(screening_id)
    return StoredScreening(record, records.get_child(record.child_id), records.load_result(screening_id),
                           records.video_of(screening_id))  # fmt: skip


def reopen_job(records: Database, screening_id: int):
    """A job that reads a stored screening back (result, heatmaps, the recording checked by its
    hash): no model runs."""

    def job(_should_cancel, _report) -> StoredScreening:
        return read_stored(records, screening_id)

    return job


def report_job(records: Database, screening_id: int, path: Path, report_options: ReportOptions):
    """A job that writes the PDF report of a stored screening to ``path`` and notes it on the record."""

    def job(_should_cancel, _report) -> Path:
        stored = read_stored(records, screening_id)
        write_report(stored.result, path, child=stored.child_details(), operator=stored.record.operator,
                     screened_at=stored.record.screened_at, video=stored.video, language=report_options.language,
                     page=report_options.page, silhouettes_only=report_options.silhouettes_only)  # fmt: skip
        records.set_report_path(screening_id, path)
        return path

    return job


def class_summary_job(records: Database, session_id: int, pdf_path: Path, report_options: ReportOptions):
    """A job that writes a class session's summary: the PDF at ``pdf_path`` and the CSV beside it."""

    def job(_should_cancel, _report) -> tuple[Path, Path]:
        summary = records.class_summary(session_id)
        write_class_summary(summary, pdf_path, language=report_options.language, page=report_options.page)
        csv_path = pdf_path.with_suffix(".csv")
        write_class_summary_csv(summary, csv_path)
        return pdf_path, csv_path

    return job
