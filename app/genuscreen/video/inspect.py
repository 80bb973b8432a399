"""The video stage of screening in one call: walker, steps, quality report and clips."""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from genuscreen.video.clips import Clip, ClipSpec, build_clips
from genuscreen.video.quality import QualityLimits, QualityReport, check_quality
from genuscreen.video.pose import pose_model_problem
from genuscreen.video.pose_walker import PoseParams, extract_walker_pose
from genuscreen.video.steps import StepCount, count_steps, count_steps_from_landmarks
from genuscreen.video.walker import CancelCheck, Extraction, ExtractionParams, PersonTrack, ProgressCallback, extract_walker


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
        out["front_end"] = self.extraction.front_end
        return out


FRONT_ENDS = ("pose", "background")


FRONT_END_CHOICES = ("auto",) + FRONT_ENDS


def choose_front_end(front_end: str) -> tuple[str, list[str]]:
    """The front end to run and the notes that explain a fallback."""
    if front_end not in FRONT_END_CHOICES:
        raise ValueError(f"front end must be one of {', '.join(FRONT_END_CHOICES)}, got {front_end!r}")
    if front_end == "background":
        return "background", []
    problem = pose_model_problem()
    if problem is None:
        return "pose", []
    if front_end == "pose":
        raise problem
    return "background", [f"{problem} The child was found with the background model instead."]


def _rounded_landmarks(landmarks: np.ndarray) -> list:
    """Pixels to a tenth, visibility to a hundredth: enough to draw, a third of the JSON."""
    return [[round(float(x), 1), round(float(y), 1), round(float(v), 2)] for x, y, v in landmarks]


def walker_track(inspection: Inspection) -> dict | None:
    """The followed person as plain data (JSON, records): per analysed frame its index, time,
    box (x0, y0, x1, y1, full-frame pixels) and, from the pose front end, its 33 landmarks as
    [x, y, visibility]. None when nobody was followed."""
    walker = inspection.extraction.walker
    if walker is None:
        return None
    frames = walker.frames
    with_landmarks = all(f.landmarks is not None for f in frames)
    return {
        "frames": [f.index for f in frames],
        "times_s": [round(f.time_s, 4) for f in frames],
        "boxes": [[round(v, 1) for v in f.box] for f in frames],
        "landmarks": [_rounded_landmarks(f.landmarks) for f in frames] if with_landmarks else None,
    }


def walker_steps(walker: PersonTrack | None, enough: int) -> StepCount:
    """The walker's steps: from the ankles' landmarks where there are landmarks; when they show
    fewer than ``enough`` (ankles blurred or dark, as in a dim corridor filmed by hand), from the
    silhouettes too, and the clearer count of the two."""
    if walker is None:
        return StepCount(0, 0.0, 0.0, "none")
    with_landmarks = [f for f in walker.frames if f.landmarks is not None]
    if with_landmarks:
        steps = count_steps_from_landmarks(np.array([f.time_s for f in with_landmarks]),
                                           np.stack([f.landmarks for f in with_landmarks]))  # fmt: skip
        if steps.steps >= enough:
            return steps
        if not _walks(walker):  # a child standing still has no steps to find in its outline either
            return steps
    else:
        steps = StepCount(0, 0.0, 0.0, "none")
    from_silhouettes = count_steps(walker.times(), np.stack([f.silhouette for f in walker.frames]))
    return from_silhouettes if from_silhouettes.steps > steps.steps else steps


def _walks(walker: PersonTrack) -> bool:
    """The person comes closer (the image grows by a fifth or more) or crosses the picture."""
    boxes = walker.boxes()
    heights = np.maximum(boxes[:, 3] - boxes[:, 1], 1.0)
    k = max(1, len(heights) // 5)
    growth = abs(np.log(np.median(heights[-k:]) / np.median(heights[:k])))
    centre_over_height = (boxes[:, 0] + boxes[:, 2]) / 2.0 / heights
    return growth > 0.2 or float(np.ptp(centre_over_height)) > 1.0


def inspect_video(
    path: str | os.PathLike,
    empty_scene=None,
    spec: ClipSpec = ClipSpec(),
    params: ExtractionParams | None = None,
    limits: QualityLimits = QualityLimits(),
    progress: ProgressCallback | None = None,
    should_cancel: CancelCheck | None = None,
    front_end: str = "pose",
    pose_params: PoseParams | None = None,
) -> Inspection:
    """Read a clip, follow the walker, judge the recording and cut model-ready clips.

    Clips are cut only when the quality gate passes; a failed clip gets the reasons only.

    Args:
        front_end: "pose" (the pose model finds and follows the child) or "background" (a model
            of the empty scene; ``empty_scene`` and ``params`` apply to it).

    Raises:
        VideoOpenError: the file cannot be read as a video (the message says why).
        PoseModelError: the pose model cannot be loaded (front end "pose").
        Cancelled: ``should_cancel`` returned True.
    """
    if front_end not in FRONT_ENDS:
        raise ValueError(f"front end must be one of {', '.join(FRONT_ENDS)}, got {front_end!r}")
    if front_end == "pose":
        extraction = extract_walker_pose(path, pose_params, progress, should_cancel)
    else:
        extraction = extract_walker(path, empty_scene, params, progress, should_cancel)
    walker = extraction.walker
    steps = walker_steps(walker, limits.min_steps)
    quality = check_quality(extraction, steps, spec, limits)
    clips = build_clips(walker, spec) if quality.ok and walker is not None else []
    return Inspection(extraction, steps, quality, clips)
