"""Quality gate: is this clip a screening recording? If not, say why and what to do.

The recording protocol (ARCHITECTURE.md, CLINICAL.md B4): one child walking straight toward the
camera, whole body in view, good light, at least 4 steps. Every problem has a stable ``code``, a
message that says what to do, and the number behind the verdict.

With the pose front end the view is judged from the landmarks (which way the body faces, how its
image grows), other people count only when they walk with the child, and the camera may move:
the landmarks measure the walk relative to the body, so only shake or panning fast enough to
blur and lose the child refuses a clip (``max_camera_shake``, ``max_camera_pan``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from genuscreen.video.clips import ClipSpec, usable_runs
from genuscreen.video.people import COMPANION, CROSSING, PASSING, SEATED, STANDING
from genuscreen.video.skeleton import LEFT_HIP, LEFT_SHOULDER, RIGHT_HIP, RIGHT_SHOULDER
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
    # Pose front end. Hand shake: 95th percentile of the camera's distance from its own smooth
    # path (1 s running median), as a share of the width. Up to about 3 % is ordinary hand-held
    # filming and must pass; above this the frames blur and the pose model loses the legs.
    max_camera_shake: float = 0.06
    # Panning: the smooth path's speed (widths per second, 90th percentile). A slow pan that keeps
    # the child in the picture is fine; faster sweeps are not a walk filmed toward the camera.
    max_camera_pan: float = 0.3
    # Share of the walker's frames facing sideways (shoulders and hips edge-on) that makes a side view.
    max_side_on_share: float = 0.5
    # Facing the camera: the person's left shoulder and hip appear right of the right ones by at
    # least this share of the body height (negative: the back is to the camera).
    facing_width: float = 0.04


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    value: float | int | None
    # Which of a code's causes (each with its own advice), for an interface to word it:
    # camera_moving "shake" | "pan"; multiple_people "companion" (pose front end).
    cause: str | None = None

    def to_dict(self) -> dict:
        out = {"code": self.code, "message": self.message, "value": self.value}
        if self.cause is not None:
            out["cause"] = self.cause
        return out


@dataclass
class QualityReport:
    ok: bool
    problems: list[Problem]
    frames: int
    fps: float
    walker_frames: int
    steps: int
    measurements: dict = field(default_factory=dict)
    notes: list[Problem] = field(default_factory=list)  # facts that refuse nothing (bystanders), coded like problems
    front_end: str = "background"

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
            "notes": [n.to_dict() for n in self.notes],
            "front_end": self.front_end,
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


def _lateral_travel(track: PersonTrack, frame_width: int, centre_x: np.ndarray | None = None) -> float:
    """Side-to-side range of the walker in body heights (5th to 95th percentile); ``centre_x``
    replaces the boxes' centres (e.g. with the camera's pan taken off)."""
    boxes = track.boxes()
    heights = np.maximum(boxes[:, 3] - boxes[:, 1], 1.0)
    centre = (boxes[:, 0] + boxes[:, 2]) / 2.0 if centre_x is None else centre_x
    x_over_h = (centre - frame_width / 2.0) / heights
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


def _camera_shake_and_pan(extraction: Extraction) -> tuple[float | None, float | None]:
    """Hand shake (95th percentile distance from the smooth path) and pan speed (90th percentile,
    widths per second) from the measured camera path; None when too little was measured."""
    path = extraction.camera_shift
    measured = np.isfinite(path).all(axis=1)
    if measured.sum() < max(8, 0.3 * max(extraction.analysed_frames, 1)):
        return None, None
    times = np.flatnonzero(measured) / max(extraction.fps, 1e-6)
    points = path[measured] / extraction.info.width
    rate = len(times) / max(times[-1] - times[0], 1e-6)
    half = max(1, int(round(0.5 * rate)))
    smooth = np.array([np.median(points[max(0, k - half) : k + half + 1], axis=0) for k in range(len(points))])
    shake = float(np.percentile(np.hypot(*(points - smooth).T), 95))
    if len(times) < 3:
        return shake, 0.0
    speed = np.hypot(*np.diff(smooth, axis=0).T) / np.maximum(np.diff(times), 1e-6)
    return shake, float(np.percentile(speed, 90))


def _scene_x(extraction: Extraction, track: PersonTrack) -> np.ndarray:
    """The walker's horizontal centre against the scene: the camera's own pan taken off."""
    boxes = track.boxes()
    centre = (boxes[:, 0] + boxes[:, 2]) / 2.0
    path = extraction.camera_shift
    if path.size == 0:
        return centre
    measured = np.isfinite(path[:, 0])
    if measured.sum() < 2:
        return centre
    camera_x = np.interp(track.indices(), np.flatnonzero(measured), path[measured, 0])
    return centre - camera_x


def _facing(track: PersonTrack) -> np.ndarray:
    """Per frame with landmarks: how far the person's left shoulder and hip lie right of the right
    ones in the picture, in body heights (positive: facing the camera; about zero: side-on)."""
    values = []
    for frame in track.frames:
        lm = frame.landmarks
        if lm is None:
            continue
        body = max(float(lm[:, 1].max() - lm[:, 1].min()), 1.0)
        width = (lm[LEFT_SHOULDER, 0] - lm[RIGHT_SHOULDER, 0]) + (lm[LEFT_HIP, 0] - lm[RIGHT_HIP, 0])
        values.append(width / (2.0 * body))
    return np.array(values, float)


_BYSTANDER_NOTES = {
    SEATED: ("bystander_seated", "sitting at the side"),
    STANDING: ("bystander_standing", "standing still"),
    CROSSING: ("bystander_crossing", "crossing the picture"),
    PASSING: ("bystander_passing", "walking elsewhere in the picture"),
}


def _bystander_notes(extraction: Extraction) -> list[Problem]:
    notes = []
    for role, (code, words) in _BYSTANDER_NOTES.items():
        n = sum(1 for p in extraction.people if p.role == role)
        if n:
            who = "A person" if n == 1 else f"{n} people"
            notes.append(Problem(code, f"{who} {words} {'was' if n == 1 else 'were'} also in view; only the "
                                       "walking child was screened.", n))  # fmt: skip
    return notes


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
    pose = extraction.front_end == "pose"
    luma = extraction.luma[np.isfinite(extraction.luma)]
    brightness = float(np.median(luma)) if luma.size else 0.0
    measurements: dict = {
        "width": info.width,
        "height": info.height,
        "duration_s": round(extraction.duration_s, 3),
        "brightness": round(brightness, 1),
        "cadence_steps_per_min": steps.cadence_steps_per_min,
        "step_periodicity": steps.periodicity,
        "step_signal": steps.signal,
    }
    if pose:
        shake, pan = _camera_shake_and_pan(extraction)
        measurements.update({"camera_shake": None if shake is None else round(shake, 4),
                             "camera_pan_per_s": None if pan is None else round(pan, 4),
                             "analysed_frames": extraction.analysed_frames})  # fmt: skip
        camera_problem = _camera_problem_pose(shake, pan, limits)
    else:
        camera_shift = _camera_shift(extraction, limits)
        measurements.update({
            "camera_shift": None if camera_shift is None or not math.isfinite(camera_shift) else round(camera_shift, 4),
            "foreground_share_median": round(float(np.median(extraction.foreground_share)), 3) if extraction.foreground_share.size else 0.0,
            "background_inpainted": round(extraction.background_inpainted, 3),
            "used_empty_scene": extraction.used_empty_scene,
        })  # fmt: skip
        camera_problem = _camera_problem_background(camera_shift, limits)

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
    if camera_problem is not None:
        problems.append(camera_problem)

    if walker is None:
        problems.append(
            Problem(
                "no_person",
                "No walking person was found. Check that the child is in view and walks toward the camera, "
                "and record again.",
                0,
            )
        )
        return _report(problems, extraction, 0, steps.steps, measurements)

    if pose:
        companions = sum(1 for p in extraction.people if p.role == COMPANION)
        crowded = companions > 0
        notes = _bystander_notes(extraction)
        people_in_view = 1 + sum(1 for p in extraction.people if p is not walker)
        facing = _facing(walker)
        facing_share = float(np.mean(facing > limits.facing_width)) if facing.size else 0.0
        back_share = float(np.mean(facing < -limits.facing_width)) if facing.size else 0.0
        side_share = 1.0 - facing_share - back_share if facing.size else 0.0
        measurements.update({"people": people_in_view, "walking_with_child": companions,
                             "facing_camera_share": round(facing_share, 3), "back_to_camera_share": round(back_share, 3),
                             "side_on_share": round(side_share, 3)})  # fmt: skip
    else:
        people_in_view, crowded_share = _crowding(extraction)
        crowded = people_in_view >= 2 and crowded_share > limits.max_crowded_share
        notes, side_share, back_share = [], 0.0, 0.0
        measurements.update({"people": people_in_view, "crowded_share": round(crowded_share, 3),
                             "walker_detector_confirmed": round(walker.detector_hits, 3)})  # fmt: skip
    lateral = _lateral_travel(walker, info.width, _scene_x(extraction, walker) if pose else None)
    scale_change = _scale_change(walker)
    cut_off = float(np.mean([f.touches_top or f.touches_bottom for f in walker.frames]))
    usable_frames = sum(len(run) for run in usable_runs(walker))
    measurements.update(
        {
            "lateral_travel_body_heights": round(lateral, 3),
            "scale_change": round(scale_change, 3),
            "cut_off_share": round(cut_off, 3),
            "usable_walker_frames": usable_frames,
            "walker_first_frame": walker.first_index,
            "walker_last_frame": walker.last_index,
        }
    )
    if crowded:
        problems.append(
            Problem(
                "multiple_people",
                (f"{people_in_view} people are in view and another person walks with the child. " if pose else
                 f"{people_in_view} people are in view at the same time. ")
                + "Screen one child at a time with nobody else in the walkway, and record again.",
                people_in_view,
                "companion" if pose else None,
            )
        )
    if lateral > limits.max_lateral_travel or side_share > limits.max_side_on_share:
        problems.append(
            Problem(
                "side_view",
                f"The person walks across the picture ({lateral:.1f} body heights sideways) instead of toward "
                "the camera. Place the camera at the end of the walkway so the child walks straight toward it.",
                round(lateral, 3),
            )
        )
    elif scale_change < limits.walking_away_scale or (back_share > 0.5 and scale_change < 0.1):
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
    usable_s = usable_frames / _walker_rate(walker, extraction)
    if usable_s < spec.duration_s and not any(p.code == "too_few_frames" for p in problems):
        problems.append(
            Problem(
                "too_few_frames",
                f"The child is fully in view for only {usable_s:.1f} s. "
                "Record a longer walk with the whole body in view.",
                usable_frames,
            )
        )
    return _report(problems, extraction, len(walker.frames), steps.steps, measurements, notes)


def _walker_rate(walker: PersonTrack, extraction: Extraction) -> float:
    """Frames a second the walker was looked for in (the pose front end analyses about 15 a
    second, the background model every frame)."""
    if extraction.front_end == "pose" and extraction.analysed_frames and extraction.duration_s > 0:
        return extraction.analysed_frames / extraction.duration_s
    return extraction.fps


def _camera_problem_pose(shake: float | None, pan: float | None, limits: QualityLimits) -> Problem | None:
    if shake is not None and shake > limits.max_camera_shake:
        return Problem("camera_moving", f"The camera shook too much to follow the legs ({100 * shake:.1f}% of the "
                       "picture width). Hold the camera steadier with both hands, or rest it on something, "
                       "and record again.", round(shake, 4), "shake")  # fmt: skip
    if pan is not None and pan > limits.max_camera_pan:
        return Problem("camera_moving", f"The camera swept across the scene ({100 * pan:.0f}% of the picture "
                       "width a second). Keep the camera pointed at the walkway while the child walks toward "
                       "it, and record again.", round(pan, 4), "pan")  # fmt: skip
    return None


def _camera_problem_background(camera_shift: float | None, limits: QualityLimits) -> Problem | None:
    if camera_shift is None or camera_shift <= limits.max_camera_shift:
        return None
    amount = f"up to {100 * camera_shift:.1f}% of the picture width" if math.isfinite(camera_shift) else "the whole picture moves"
    return Problem("camera_moving", f"The camera moved during the recording ({amount}). Put the camera on a tripod "
                   "or a steady surface and record again.", round(camera_shift, 4) if math.isfinite(camera_shift) else None)  # fmt: skip


def _report(problems, extraction: Extraction, walker_frames: int, steps: int, measurements: dict,
            notes: list[Problem] | None = None) -> QualityReport:  # fmt: skip
    return QualityReport(
        ok=not problems,
        problems=problems,
        frames=extraction.frames_read,
        fps=extraction.fps,
        walker_frames=walker_frames,
        steps=steps,
        measurements=measurements,
        notes=notes or [],
        front_end=extraction.front_end,
    )
