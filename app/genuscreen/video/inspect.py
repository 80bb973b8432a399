"""The video stage of screening in one call: walker, steps, quality report and clips."""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from genuscreen.video.clips import Clip, ClipSpec, build_clips
from genuscreen.video.quality import QualityLimits, QualityReport, check_quality
from genuscreen.video.steps import StepCount, count_steps
from genuscreen.video.walker import CancelCheck, Extraction, ExtractionParams, ProgressCallback, extract_walker


@dataclass
class Inspection:
    extraction: Extraction
    steps: StepCount
    quality: QualityReport
    clips: list[Clip]

    def to_dict(self) -> dict:
        """The quality report plus what was read, for JSON output."""
        out = self.quality.to_dict()
        out["video"] = {
            "file": os.path.basename(self.extraction.info.source),
            "width": self.extraction.info.width,
            "height": self.extraction.info.height,
            "rotation_deg": self.extraction.info.rotation_deg,
            "header_fps": round(self.extraction.info.fps, 3),
        }
        out["clips"] = len(self.clips)
        return out


def inspect_video(
    path: str | os.PathLike,
    empty_scene=None,
    spec: ClipSpec = ClipSpec(),
    params: ExtractionParams | None = None,
    limits: QualityLimits = QualityLimits(),
    progress: ProgressCallback | None = None,
    should_cancel: CancelCheck | None = None,
) -> Inspection:
    """Read a clip, follow the walker, judge the recording and cut model-ready clips.

    Clips are cut only when the quality gate passes; a failed clip gets the reasons only.

    Raises:
        VideoOpenError: the file cannot be read as a video (the message says why).
        Cancelled: ``should_cancel`` returned True.
    """
    extraction = extract_walker(path, empty_scene, params, progress, should_cancel)
    walker = extraction.walker
    if walker is not None:
        steps = count_steps(walker.times(), np.stack([f.silhouette for f in walker.frames]))
    else:
        steps = StepCount(0, 0.0, 0.0, "none")
    quality = check_quality(extraction, steps, spec, limits)
    clips = build_clips(walker, spec) if quality.ok and walker is not None else []
    return Inspection(extraction, steps, quality, clips)
