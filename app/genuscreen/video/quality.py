"""Quality gate: is this clip a screening recording? If not, say why and what to do.

The recording protocol (ARCHITECTURE.md, CLINICAL.md B4): one child walking straight toward a
static camera, whole body in view, good light, at least 4 steps. Every problem has a stable
``code``, a message that says what to do, and the number behind the verdict.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from genuscreen.video.clips import ClipSpec, usable_runs
from genuscreen.video.steps import StepCount
from genuscreen.video.walker import Extraction, PersonTrack


@dataclass(frozen=True)
class QualityLimits:
    """Where each verdict turns. Protocol limits, not clinical thresholds."""

    # CLINICAL.md B4: "At least 4 footsteps per pass".
    min_steps: int = 4
    # Share of the walker's frames with head or feet cut by the frame edge.
    max_cut_off_share: float = 0.3
    # Side-to-side travel of the walker, in body heights (frame-position / box-height is X / H of
    # the person, independent of distance). Walking toward the camera keeps it small.
    max_lateral_travel: float = 0.8
    # Growth of the walker's image (log of end/start height); below minus this it walks away.
    walking_away_scale: float = -0.25
    # Share of the walker's frames with two or more people in view.
    max_crowded_share: float = 0.15
    # 95th percentile of the camera's distance from its median position, as a share of width.
    max_camera_shift: float = 0.015
    # When the shift cannot be measured (the scene's corners are lost in most frames) and this
    # share of the picture differs from the background, the picture moves as a whole.
    unmeasured_foreground_share: float = 0.25
    # Median brightness (0-255) below which the legs cannot be separated from the floor.
    min_brightness: float = 40.0


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    value: float | int | None

    def to_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "value": self.value}


@dataclass
class QualityReport:
    ok: bool
    problems: list[Problem]
    frames: int
    fps: float
    walker_frames: int
    steps: int
    measurements: dict = field(default_factory=dict)

    def codes(self) -> list[str]:
        return [p.code for p in self.problems]

    def to_dict(self) -> dict:
        return {
            "ok": self.ok,
            "problems": [p.to_dict() for p in self.problems],
            "frames": self.frames,
            "fps": round(self.fps, 3),
            "walker_frames": self.walker_frames,
            "steps": self.steps,
            "measurements": self.measurements,
        }


def _camera_shift(extraction: Extraction, limits: QualityLimits) -> float | None:
    """95th percentile of the camera's shift as a share of width; None when it cannot be told."""
    shifts = extraction.camera_shift
    measured_frames = shifts[::2]  # the shift is measured on every other frame
    finite = np.isfinite(shifts).all(axis=1)
    if finite.sum() >= max(3, 0.3 * len(measured_frames)):
        path = shifts[finite]
        offsets = np.hypot(*(path - np.median(path, axis=0)).T)
        return float(np.percentile(offsets, 95)) / extraction.info.width
    share = extraction.foreground_share
    if share.size and float(np.median(share)) > limits.unmeasured_foreground_share:
        # Lost the scene in most frames while much of the picture changes: the camera moves.
        return float("inf")
    return None


def _lateral_travel(track: PersonTrack, frame_width: int) -> float:
    """Side-to-side range of the walker in body heights (5th to 95th percentile)."""
    boxes = track.boxes()
    heights = np.maximum(boxes[:, 3] - boxes[:, 1], 1.0)
    x_over_h = ((boxes[:, 0] + boxes[:, 2]) / 2.0 - frame_width / 2.0) / heights
    lo, hi = np.percentile(x_over_h, [5, 95])
    return float(hi - lo)


def _scale_change(track: PersonTrack) -> float:
    """Log growth of the walker's height from the first to the last fifth of its whole-body frames."""
    whole = np.array([not (f.touches_top or f.touches_bottom) for f in track.frames])
    boxes = track.boxes()[whole] if whole.sum() >= 5 else track.boxes()
    heights = boxes[:, 3] - boxes[:, 1]
    k = max(1, len(heights) // 5)
    return math.log(max(float(np.median(heights[-k:])), 1.0) / max(float(np.median(heights[:k])), 1.0))


def _crowding(extraction: Extraction) -> tuple[int, float]:
    """Most people seen at once, and the share of the walker's frames with two or more."""
    walker = extraction.walker
    if walker is None or not extraction.people:
        return len(extraction.people), 0.0
    present = np.zeros(extraction.frames_read, np.int32)
    for person in extraction.people:
        present[person.indices()] += 1
    walker_counts = present[walker.indices()]
    return int(present.max()), float(np.mean(walker_counts >= 2))


def check_quality(
    extraction: Extraction,
    steps: StepCount,
    spec: ClipSpec = ClipSpec(),
    limits: QualityLimits = QualityLimits(),
) -> QualityReport:
    """Judge a clip against the recording protocol."""
    problems: list[Problem] = []
    info = extraction.info
    walker = extraction.walker
    brightness = float(np.median(extraction.luma)) if extraction.luma.size else 0.0
    camera_shift = _camera_shift(extraction, limits)
    measurements: dict = {
        "width": info.width,
        "height": info.height,
        "duration_s": round(extraction.duration_s, 3),
        "brightness": round(brightness, 1),
        "camera_shift": None if camera_shift is None or not math.isfinite(camera_shift) else round(camera_shift, 4),
        "foreground_share_median": round(float(np.median(extraction.foreground_share)), 3) if extraction.foreground_share.size else 0.0,
        "background_inpainted": round(extraction.background_inpainted, 3),
        "used_empty_scene": extraction.used_empty_scene,
        "cadence_steps_per_min": steps.cadence_steps_per_min,
        "step_periodicity": steps.periodicity,
    }

    if extraction.frames_read < 2 or extraction.duration_s < spec.duration_s:
        problems.append(
            Problem(
                "too_few_frames",
                f"The clip is too short ({extraction.frames_read} frames, {extraction.duration_s:.1f} s). "
                "Record the child walking the whole way toward the camera (about 4-6 seconds).",
                extraction.frames_read,
            )
        )
    if brightness < limits.min_brightness:
        problems.append(
            Problem(
                "too_dark",
                f"The clip is too dark (brightness {brightness:.0f} of 255). Turn on more light or move "
                "to a brighter room, avoid backlight, and record again.",
                round(brightness, 1),
            )
        )
    if camera_shift is not None and camera_shift > limits.max_camera_shift:
        amount = (
            f"up to {100 * camera_shift:.1f}% of the picture width"
            if math.isfinite(camera_shift)
            else "the whole picture moves"
        )
        problems.append(
            Problem(
                "camera_moving",
                f"The camera moved during the recording ({amount}). "
                "Put the camera on a tripod or a steady surface and record again.",
                round(camera_shift, 4) if math.isfinite(camera_shift) else None,
            )
        )

    if walker is None:
        problems.append(
            Problem(
                "no_person",
                "No walking person was found. Check that the child is in view and walks toward the camera, "
                "that the camera does not move, and record again.",
                0,
            )
        )
        return _report(problems, extraction, 0, steps.steps, measurements)

    most_people, crowded_share = _crowding(extraction)
    lateral = _lateral_travel(walker, info.width)
    scale_change = _scale_change(walker)
    cut_off = float(np.mean([f.touches_top or f.touches_bottom for f in walker.frames]))
    usable_frames = sum(len(run) for run in usable_runs(walker))
    measurements.update(
        {
            "people": most_people,
            "crowded_share": round(crowded_share, 3),
            "lateral_travel_body_heights": round(lateral, 3),
            "scale_change": round(scale_change, 3),
            "cut_off_share": round(cut_off, 3),
            "usable_walker_frames": usable_frames,
            "walker_first_frame": walker.first_index,
            "walker_last_frame": walker.last_index,
            "walker_detector_confirmed": round(walker.detector_hits, 3),
        }
    )
    if most_people >= 2 and crowded_share > limits.max_crowded_share:
        problems.append(
            Problem(
                "multiple_people",
                f"{most_people} people are in view at the same time. Screen one child at a time with nobody "
                "else in the picture, and record again.",
                most_people,
            )
        )
    if lateral > limits.max_lateral_travel:
        problems.append(
            Problem(
                "side_view",
                f"The person walks across the picture ({lateral:.1f} body heights sideways) instead of toward "
                "the camera. Place the camera at the end of the walkway so the child walks straight toward it.",
                round(lateral, 3),
            )
        )
    elif scale_change < limits.walking_away_scale:
        problems.append(
            Problem(
                "walking_away",
                "The person walks away from the camera. The child should start far away and walk toward "
                "the camera.",
                round(scale_change, 3),
            )
        )
    if cut_off > limits.max_cut_off_share:
        problems.append(
            Problem(
                "body_cut_off",
                f"Head or feet are outside the picture in {100 * cut_off:.0f}% of the frames. Move the camera "
                "back or lower it to knee-to-waist height so the whole body stays in view.",
                round(cut_off, 3),
            )
        )
    if steps.steps < limits.min_steps:
        problems.append(
            Problem(
                "too_few_steps",
                f"Only {steps.steps} steps were seen; at least {limits.min_steps} are needed. Let the child "
                "walk the whole way (about 4-6 m) toward the camera.",
                steps.steps,
            )
        )
    if usable_frames / extraction.fps < spec.duration_s and not any(p.code == "too_few_frames" for p in problems):
        problems.append(
            Problem(
                "too_few_frames",
                f"The child is fully in view for only {usable_frames / extraction.fps:.1f} s. Record a longer "
                "walk with the whole body in view.",
                usable_frames,
            )
        )
    return _report(problems, extraction, len(walker.frames), steps.steps, measurements)


def _report(problems, extraction: Extraction, walker_frames: int, steps: int, measurements: dict) -> QualityReport:
    return QualityReport(
        ok=not problems,
        problems=problems,
        frames=extraction.frames_read,
        fps=extraction.fps,
        walker_frames=walker_frames,
        steps=steps,
        measurements=measurements,
    )
