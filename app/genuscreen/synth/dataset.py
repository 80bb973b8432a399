"""Labelled synthetic data sets of children walking toward the camera.

Three layers, each usable on its own:

- Sampling: ``sample_child`` draws a child (age, sex, stature, BMI, gait, knee angle for a label,
  clothing) and ``sample_scene`` a recording of that child (camera, room, light, sensor), both
  from a numpy ``Generator`` so that one seed fixes everything. The spread covers what real
  screening recordings vary (ARCHITECTURE.md, "Recording protocol"), and the camera is always
  placed so that the whole child stays in view, so the clips pass the product's quality gate.
- Files: ``write_dataset`` renders clips in parallel processes to ``DIR/clips/<id>.mp4`` with
  ``DIR/labels.jsonl`` and ``DIR/labels.csv`` (and optionally exact masks, boxes and joints per
  frame in ``DIR/masks/<id>.npz``). It is what ``genuscreen synth`` runs. ``tier="school"``
  renders the same children with the conditions of school recordings (``synth.school``:
  hand-held camera, bystanders, blur, flicker, low light, compression).
- Training fast path: ``silhouette_clips`` skips the image and the video encode altogether. It
  renders exact masks only, normalises them with the very function inference uses
  (``video.walker.canonical_silhouette``) and cuts windows with the inference clip builder
  (``video.clips.build_clips``), so training sees the same input as the screening pipeline.

Labels follow ``genuscreen.clinical``: normal 0-10 degrees, genu valgum >= 15 degrees, borderline
in between (generated only on request, never a hard label) and varus (negative) optionally.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import math
import multiprocessing
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

import cv2
import numpy as np

from genuscreen import clinical
from genuscreen.synth.walk import (
    SKIN_TONES_BGR,
    Scene,
    Walker,
    heel_strike_times,
    intermalleolar_distance_cm,
    render,
    write_video,
)
from genuscreen.video.clips import ClipSpec, build_clips
from genuscreen.video.walker import ExtractionParams, PersonTrack, WalkerFrame, canonical_silhouette

__all__ = [
    "COLUMNS",
    "DatasetError",
    "TIERS",
    "JOINT_NAMES",
    "clip_seed",
    "label_plan",
    "load_masks",
    "sample_child",
    "sample_clip",
    "sample_scene",
    "silhouette_clips",
    "stature_median_m",
    "write_dataset",
]

# --------------------------------------------------------------------------------------------
# Ranges (sampling choices for synthetic data, not clinical thresholds: those are in clinical.py)
# --------------------------------------------------------------------------------------------

AGE_RANGE_Y = (3.0, 12.0)
# Upper end of the synthetic valgum range. Real genu valgum needing treatment rarely exceeds
# 20-25 degrees; above that the figure's knees would have to pass through each other.
TFA_VALGUM_MAX = 25.0
# Varus (bow legs) as an extra "not valgum" class: -10 to -1 degrees.
TFA_VARUS_RANGE = (-10.0, -1.0)
# Share of varus children among all children when varus is enabled. They replace part of the
# normal class, so that valgum vs not-valgum stays balanced 50/50.
VARUS_SHARE = 0.1
# Labels are balanced within every block of this many consecutive clips, so any prefix of a data
# set is nearly balanced and clip i's label does not depend on the data set's size.
_PLAN_BLOCK = 20
_PLAN_SALT = 0x5EED_1AB5  # separates the label-plan stream from the per-clip streams

# Stature medians (cm) by age 3-12 y, rounded from the WHO Child Growth Standards (0-5 y, 2006)
# and the WHO Growth Reference (5-19 y, 2007): about 95 cm at 3 y rising ~6 cm a year to about
# 150 cm at 12 y. Girls overtake boys at 10-12 y (earlier pubertal growth spurt).
_STATURE_AGES = np.arange(3, 13, dtype=np.float64)
_STATURE_CM = {
    "male": np.array([96.1, 103.3, 110.0, 116.0, 121.7, 127.3, 132.6, 137.8, 143.1, 149.1]),
    "female": np.array([95.1, 102.7, 109.4, 115.1, 120.8, 126.6, 132.5, 138.6, 144.9, 151.2]),
}
# Coefficient of variation of stature: the same WHO references have an SD of 4-6.5 cm at these
# ages, about 4-4.7 % of the median.
_STATURE_CV = 0.045
# BMI medians (kg/m2) by age 3-12 y, rounded from the same WHO references: a dip to ~15.2 at
# 5-6 y (the "adiposity rebound") and a rise to ~17.5-18 at 12 y.
_BMI_MEDIAN = {
    "male": np.array([15.6, 15.3, 15.2, 15.3, 15.5, 15.7, 16.0, 16.4, 16.9, 17.5]),
    "female": np.array([15.4, 15.2, 15.2, 15.3, 15.4, 15.7, 16.1, 16.6, 17.2, 18.0]),
}
BMI_RANGE = (13.0, 28.0)
# A share of children drawn from a heavier mode, so overweight and obese bodies (a known
# association of genu valgum, CLINICAL.md B2) are well represented; BMI is drawn independently
# of the label so a model cannot use body width as a shortcut for the knee angle.
_BMI_HEAVY_SHARE = 0.18

CADENCE_RANGE = (120.0, 170.0)  # steps/min
SPEED_RANGE = (0.7, 1.4)  # m/s
# Self-selected step length is about 0.41 x stature in children (spread ~0.035), and cadence
# falls with age from ~165 steps/min at 3 y to ~130 at 12 y (normative child gait studies, e.g.
# Sutherland 1980; Dusing & Thorpe 2007). Speed follows from the two, so it grows with stature.
_STEP_OVER_STATURE = (0.41, 0.035)

LEGWEAR_WEIGHTS = {
    # Protocol recordings prefer shorts or tight trousers; real ones have everything.
    "female": {"shorts": 0.26, "leggings": 0.24, "trousers": 0.18, "skirt": 0.16, "bare": 0.16},
    "male": {"shorts": 0.36, "leggings": 0.10, "trousers": 0.32, "skirt": 0.0, "bare": 0.22},
}
BACKGROUND_WEIGHTS = {"room": 0.6, "corridor": 0.32, "plain": 0.08}
# Recording conditions a data set is made in: "clean" (one child, still camera, the conditions
# above) or "school" (the same children filmed as schools do, see synth.school).
TIERS = ("clean", "school")
SIZES = ((640, 480), (1280, 720), (1920, 1080))
_SIZE_WEIGHTS = (0.3, 0.4, 0.3)
FPS_CHOICES = (25.0, 30.0, 50.0, 60.0)
_FPS_WEIGHTS = (0.25, 0.4, 0.1, 0.25)

START_RANGE_M = (5.0, 6.5)
END_RANGE_M = (1.8, 2.6)
HEADING_MAX_DEG = 8.0
LATERAL_MAX_M = 0.4
# Empty scene before the child enters. The product's background model works best with one:
# without it the distant child, who stays on nearly the same pixels for a while, can be baked
# into the background (ARCHITECTURE.md, "Recording protocol"). Real recordings do not always
# have one, so a share of clips starts with the child already walking. Measured with the
# product's quality gate on 20 clips at 640x480 without a lead-in: 15 passed (too_few_steps 4,
# multiple_people 1); with 0.5-1.0 s, 53 of 60 clips at drawn sizes passed.
NO_LEAD_IN_SHARE = 0.2
LEAD_IN_RANGE_S = (0.5, 1.0)
TAIL_S = 0.5  # standing still after the walk: a late, near frame
CAMERA_HEIGHT_RANGE_M = (0.5, 1.1)
TILT_RANGE_DEG = (0.0, 10.0)
HFOV_RANGE_DEG = (50.0, 80.0)
# The child must keep this share of the image height (width) clear above the head and below
# the feet (beside the hands), so no frame touches the edge the quality gate watches.
_VIEW_MARGIN_V = 0.035
_VIEW_MARGIN_H = 0.025
_MIN_WALK_M = 2.4  # shortest walk (as 5 m -> 2.6 m): five or more child steps
# Shortest walk in time. The quality gate wants 4 counted steps and its step counter misses the
# first and last ones: on 60 clips of this generator, walks under 2.5 s gave only 3 counted
# steps in 4 of 18 clips, and every walk of 2.5 s or more passed (42 clips). A fast child's
# start is moved back (up to 6.5 m) to walk at least this long.
MIN_WALK_S = 2.6

# Colours (BGR). Skin tones are the renderer's Monk scale (very light to very dark), drawn
# uniformly so every tone is as common as every other; each draw adds jitter so no two children
# match.
_HAIR = [(22, 22, 28), (30, 42, 62), (40, 65, 100), (65, 100, 140), (105, 160, 205),
         (40, 70, 150)]  # fmt: skip
_SHIRT = [(40, 40, 200), (180, 90, 30), (60, 150, 60), (40, 200, 230), (235, 235, 235),
          (140, 140, 140), (35, 35, 35), (180, 140, 240), (90, 40, 20), (30, 120, 240),
          (140, 50, 110), (140, 140, 30), (200, 180, 120)]  # fmt: skip
_LEGWEAR = [(80, 40, 25), (30, 30, 30), (120, 120, 120), (140, 95, 60), (180, 140, 100),
            (120, 160, 180), (40, 40, 170), (170, 130, 230), (225, 225, 225),
            (50, 80, 40)]  # fmt: skip
_SHOES = [(225, 225, 230), (30, 30, 30), (130, 130, 130), (160, 80, 30), (40, 40, 190),
          (170, 130, 230)]  # fmt: skip
_BAREFOOT_SHARE = 0.25  # clinic recordings are often barefoot: the "shoe" is skin


class DatasetError(ValueError):
    """A data set cannot be written as asked (the message says what to change)."""


# --------------------------------------------------------------------------------------------
# Sampling
# --------------------------------------------------------------------------------------------


def stature_median_m(age_y: float, sex: str) -> float:
    """Median stature (m) at an age (3-12 y) for ``"female"`` or ``"male"`` (WHO, rounded)."""
    return float(np.interp(age_y, _STATURE_AGES, _STATURE_CM[sex])) / 100.0


def _bmi_median(age_y: float, sex: str) -> float:
    return float(np.interp(age_y, _STATURE_AGES, _BMI_MEDIAN[sex]))


def _colour(rng: np.random.Generator, palette: Sequence[tuple[int, int, int]], jitter: float) -> tuple[int, int, int]:
    base = np.array(palette[int(rng.integers(len(palette)))], dtype=np.float64)
    out = np.clip(np.rint(base + rng.uniform(-jitter, jitter, 3)), 0, 255).astype(int)
    return int(out[0]), int(out[1]), int(out[2])


def _choice(rng: np.random.Generator, weights: dict[str, float]) -> str:
    names = list(weights)
    p = np.array([weights[k] for k in names], dtype=np.float64)
    return names[int(rng.choice(len(names), p=p / p.sum()))]


def _tfa_for(rng: np.random.Generator, label: str) -> float:
    """A static knee angle (degrees, 0.01 precision) whose ``clinical.tfa_label`` is ``label``."""
    if label == clinical.LABEL_NORMAL:
        lo, hi = 0.0, clinical.TFA_NORMAL_MAX
    elif label == clinical.LABEL_VALGUM:
        lo, hi = clinical.TFA_VALGUM_MIN, TFA_VALGUM_MAX
    elif label == clinical.LABEL_BORDERLINE:
        # Open interval: exactly 10 degrees is still normal (clinical.tfa_label).
        lo, hi = clinical.TFA_NORMAL_MAX + 0.01, clinical.TFA_VALGUM_MIN - 0.01
    elif label == clinical.LABEL_VARUS:
        lo, hi = TFA_VARUS_RANGE
    else:
        raise ValueError(
            f"unknown label {label!r}; use one of {clinical.LABEL_NORMAL!r}, {clinical.LABEL_VALGUM!r}, "
            f"{clinical.LABEL_BORDERLINE!r}, {clinical.LABEL_VARUS!r}"
        )
    tfa = round(float(rng.uniform(lo, hi)), 2)
    tfa = min(max(tfa, lo), hi)  # rounding must not leave the label's range
    assert clinical.tfa_label(tfa) == label, (tfa, label)
    return tfa


def sample_child(rng: np.random.Generator, label: str | None = None, *, varus_share: float = 0.0) -> Walker:
    """Draw a child walking toward the camera, with a knee angle that has ``label``.

    Age is uniform over 3-12 y; sex 50/50; stature from the WHO median for age and sex with a
    4.5 % spread; BMI lognormal around the age median with a heavier second mode (13-28);
    cadence falls with age (120-170 steps/min) and speed follows from a step length of about
    0.41 x stature (0.7-1.4 m/s). Clothing and colours come from palettes with jitter. The walk
    itself (distances, heading, lead-in) is drawn here too; ``sample_scene`` may move the start
    and end points back so the child stays in view of the camera it draws and walks long enough.

    Args:
        rng: The random generator; the same state gives the same child.
        label: ``clinical.LABEL_NORMAL`` (TFA 0-10), ``LABEL_VALGUM`` (15-25),
            ``LABEL_BORDERLINE`` (10-15) or ``LABEL_VARUS`` (-10 to -1). None draws normal or
            valgum with equal odds (``varus_share`` of all children varus instead of normal).
        varus_share: With ``label=None``, the share of varus children (0-0.5).

    Returns:
        A ``Walker`` with ``path="toward"``; every value is rounded to the precision it is
        reported with, so a label record holds the exact values that were rendered.
    """
    if label is None:
        if not 0.0 <= varus_share <= 0.5:
            raise ValueError(f"varus_share must be within 0-0.5, got {varus_share}")
        u = float(rng.random())
        label = clinical.LABEL_VALGUM if u < 0.5 else (
            clinical.LABEL_VARUS if u < 0.5 + varus_share else clinical.LABEL_NORMAL)  # fmt: skip
    tfa = _tfa_for(rng, label)
    age = round(float(rng.uniform(*AGE_RANGE_Y)), 2)
    sex = "female" if rng.random() < 0.5 else "male"
    z = float(np.clip(rng.standard_normal(), -2.5, 2.5))
    stature = round(stature_median_m(age, sex) * (1.0 + _STATURE_CV * z), 3)

    # BMI: lognormal around the age median, spread growing with age (as in the WHO LMS tables),
    # plus a heavier mode for overweight and obese children.
    sigma = 0.085 + 0.005 * (age - AGE_RANGE_Y[0])
    median = _bmi_median(age, sex) * (1.28 if rng.random() < _BMI_HEAVY_SHARE else 1.0)
    bmi = round(float(np.clip(median * math.exp(sigma * rng.standard_normal()), *BMI_RANGE)), 2)

    cadence = float(np.clip(165.0 - 4.0 * (age - 3.0) + 8.0 * rng.standard_normal(), *CADENCE_RANGE))
    ratio = float(np.clip(rng.normal(*_STEP_OVER_STATURE), 0.33, 0.5))
    speed = float(np.clip(ratio * stature * cadence / 60.0, *SPEED_RANGE))

    # Step-time variability (coefficient of variation) falls as gait matures: ~5 % at 3 y to
    # ~3 % at 12 y, with a wide individual spread (e.g. Hausdorff 1999, children 3-14 y).
    variability = float(np.clip((0.05 - 0.0025 * (age - 3.0)) * math.exp(0.3 * rng.standard_normal()), 0.01, 0.1))

    lead_in = round(float(rng.uniform(*LEAD_IN_RANGE_S)), 3)
    if rng.random() < NO_LEAD_IN_SHARE:
        lead_in = 0.0
    legwear = _choice(rng, LEGWEAR_WEIGHTS[sex])
    skin = _colour(rng, SKIN_TONES_BGR, 8.0)
    shoe = skin if rng.random() < _BAREFOOT_SHARE else _colour(rng, _SHOES, 15.0)
    return Walker(
        height_m=stature,
        path="toward",
        start_distance_m=round(float(rng.uniform(*START_RANGE_M)), 3),
        end_distance_m=round(float(rng.uniform(*END_RANGE_M)), 3),
        lateral_offset_m=round(float(rng.uniform(-LATERAL_MAX_M, LATERAL_MAX_M)), 3),
        heading_deg=round(float(rng.uniform(-HEADING_MAX_DEG, HEADING_MAX_DEG)), 2),
        speed_m_s=round(speed, 3),
        cadence_steps_per_min=round(cadence, 1),
        tfa_deg=tfa,
        start_time_s=lead_in,
        age_y=age,
        sex=sex,
        bmi=bmi,
        legwear=legwear,
        gait_variability=round(variability, 4),
        shirt_bgr=_colour(rng, _SHIRT, 20.0),
        legwear_bgr=_colour(rng, _LEGWEAR, 15.0),
        skin_bgr=skin,
        hair_bgr=_colour(rng, _HAIR, 10.0),
        shoe_bgr=shoe,
    )


@dataclass(frozen=True)
class _View:
    """The camera's vertical and horizontal limits as tangents of angles from the optical axis."""

    up: float  # tan of the highest usable angle above the axis
    down: float  # tan of the lowest usable angle below the axis
    side: float  # tan of the widest usable angle to either side

    @classmethod
    def of(cls, width: int, height: int, hfov_deg: float) -> "_View":
        # Same pinhole as walk.py: focal length from the width, principal point at the centre.
        f = (width / 2.0) / math.tan(math.radians(hfov_deg) / 2.0)
        v = ((height - 1) / 2.0 - _VIEW_MARGIN_V * height) / f
        h = ((width - 1) / 2.0 - _VIEW_MARGIN_H * width) / f
        return cls(v, v, h)


def _body_points(walker: Walker, z: float, x: float) -> list[tuple[float, float, float]]:
    """World points (x, y, z) that bound the child whose pelvis is at (x, z) at an end of the walk.

    Measured on rendered clips: the top of the head (hair, bob and forward lean included)
    reaches up to ~1.05 x stature; near the end of the walk the nearest toe is up to ~0.15 x
    stature nearer the camera than the end point (the last heel strike comes about a step
    before the standstill, and a standing child's toes are ahead of its pelvis); swinging
    hands reach ~0.22 x stature to the side, more for a heavier child.
    """
    h = walker.height_m
    half_w = 0.22 * h * math.sqrt(max(walker.bmi, 13.0) / 16.0) + 0.03
    return [
        (x, 1.06 * h, z),  # top of the head
        (x, 0.0, z - 0.15 * h),  # nearest toe on the floor
        (x - half_w, 0.5 * h, z - 0.1 * h),
        (x + half_w, 0.5 * h, z - 0.1 * h),
    ]


def _tilt_interval(points, cam_h: float, view: _View) -> tuple[float, float]:
    """Tilts (degrees, positive down) that keep every point within the view's limits."""
    lo, hi = -90.0, 90.0
    for x, y, z in points:
        elev = math.degrees(math.atan2(y - cam_h, z))  # angle above the horizontal
        # A downward tilt t moves a point's angle above the axis to elev + t.
        lo = max(lo, -math.degrees(math.atan(view.down)) - elev)
        hi = min(hi, math.degrees(math.atan(view.up)) - elev)
    return lo, hi


def _fits_sideways(points, cam_h: float, tilt_deg: float, view: _View) -> bool:
    t = math.radians(tilt_deg)
    for x, y, z in points:
        zc = -math.sin(t) * (y - cam_h) + math.cos(t) * z  # depth along the optical axis
        if zc <= 0.05 or abs(x) / zc > view.side:
            return False
    return True


def _walk_x(walker: Walker, z: float) -> float:
    """Lateral position when the pelvis is at distance ``z``: the heading turns the walk off the
    camera's centre line (positive heading: drifting toward +x, the camera's right)."""
    return walker.lateral_offset_m + (walker.start_distance_m - z) * math.tan(math.radians(walker.heading_deg))


def _place_camera(rng: np.random.Generator, walker: Walker, width: int, height: int):
    """Draw camera height, tilt and field of view, and where the walk starts and ends so that
    the child stays in view and walks long enough; redraw the camera when the child would have
    to stop too far away.

    Returns:
        (camera_height_m, tilt_deg, hfov_deg, walker with the start and end distances used).
    """
    # Shortest walk along z: MIN_WALK_S of walking along the (slightly oblique) path.
    need = max(_MIN_WALK_M, MIN_WALK_S * walker.speed_m_s * math.cos(math.radians(walker.heading_deg)))
    for _attempt in range(40):
        cam_h = round(float(rng.uniform(*CAMERA_HEIGHT_RANGE_M)), 3)
        hfov = round(float(rng.uniform(*HFOV_RANGE_DEG)), 2)
        pick = float(rng.random())
        view = _View.of(width, height, hfov)
        end = walker.end_distance_m
        # Move the end point back in 5 cm steps until some allowed tilt frames the child at
        # both ends of the walk (the extremes of its image size and position); the start goes
        # back with it when the walk would get too short, up to the farthest start.
        while (start := round(max(walker.start_distance_m, end + need), 3)) <= START_RANGE_M[1]:
            moved = _replace(walker, start_distance_m=start, end_distance_m=round(end, 3))
            points = _body_points(moved, start, _walk_x(moved, start))
            points += _body_points(moved, end, _walk_x(moved, end))
            lo, hi = _tilt_interval(points, cam_h, view)
            lo, hi = max(lo, TILT_RANGE_DEG[0]), min(hi, TILT_RANGE_DEG[1])
            if lo <= hi:
                tilt = round(lo + pick * (hi - lo), 2)
                tilt = min(max(tilt, math.ceil(lo * 100) / 100), math.floor(hi * 100) / 100)
                if _fits_sideways(points, cam_h, tilt, view):
                    return cam_h, tilt, hfov, moved
            end += 0.05
    raise RuntimeError(f"no camera placement keeps the child in view: {walker}")  # pragma: no cover


def sample_scene(
    rng: np.random.Generator,
    walker: Walker,
    size: tuple[int, int] | None = None,
    fps: float | None = None,
) -> Scene:
    """Draw a recording of ``walker``: camera, room, light and sensor.

    Camera height 0.5-1.1 m, a downward tilt of 0-10 degrees, a horizontal field of view of
    50-80 degrees, 25/30/50/60 fps and 640x480/1280x720/1920x1080 (unless given). The tilt is
    drawn among those that frame the whole child at the start and at the end of the walk; when
    none does, the walk ends farther away (still at least 2.4 m and 2.6 s of walking) or the
    camera is drawn again. A fast child whose walk would last under 2.6 s starts farther away
    (up to 6.5 m), so that the quality gate sees enough steps. The clip lasts the lead-in, the
    walk and half a second of standing.

    Every random value is drawn whether or not ``size``/``fps`` override it, so overriding them
    changes nothing else about the scene or the child.

    Args:
        rng: The random generator (continue with the one that drew ``walker``).
        walker: The child; its ``start_distance_m`` and ``end_distance_m`` may be moved back in
            the returned scene (``scene.walkers[0]``).
        size: (width, height) in pixels, or None to draw one.
        fps: Frame rate, or None to draw one.

    Returns:
        A ``Scene`` whose ``walkers[0]`` is the (possibly adjusted) child.
    """
    drawn_size = SIZES[int(rng.choice(len(SIZES), p=_SIZE_WEIGHTS))]
    drawn_fps = FPS_CHOICES[int(rng.choice(len(FPS_CHOICES), p=_FPS_WEIGHTS))]
    width, height = size if size is not None else drawn_size
    fps = float(fps) if fps is not None else drawn_fps
    cam_h, tilt, hfov, walker = _place_camera(rng, walker, width, height)

    background = _choice(rng, BACKGROUND_WEIGHTS)
    brightness = round(float(rng.uniform(0.7, 1.15)), 3)
    light_direction = round(float(rng.uniform(-180.0, 180.0)), 1)
    light_intensity = round(float(rng.uniform(0.6, 1.3)), 3)
    colour_temperature = round(float(rng.uniform(2800.0, 6500.0)), -1)
    # Most phones blur little at walking speed indoors; a few clips blur a lot.
    motion_blur = round(float(rng.beta(1.2, 4.0)), 3)
    jpeg_quality = None if rng.random() < 0.4 else int(rng.integers(35, 96))
    noise_sigma = round(float(rng.uniform(0.5, 5.0)), 2)
    # Tripod most of the time; a held phone shakes by a pixel or so (the gate allows ~1.5 % of
    # the width, so this stays screenable).
    shake = 0.0 if rng.random() < 0.75 else round(float(rng.uniform(0.2, 1.2)) * width / 640.0, 2)
    shadow = bool(rng.random() < 0.85)
    seed = int(rng.integers(2**31 - 1))
    duration = round(walker.start_time_s + _walk_s(walker) + TAIL_S, 3)
    return Scene(
        width=int(width),
        height=int(height),
        fps=fps,
        duration_s=duration,
        camera_height_m=cam_h,
        hfov_deg=hfov,
        tilt_deg=tilt,
        walkers=(walker,),
        background=background,
        brightness=brightness,
        noise_sigma=noise_sigma,
        camera_shake_px=shake,
        shadow=shadow,
        seed=seed,
        light_direction_deg=light_direction,
        light_intensity=light_intensity,
        colour_temperature_k=colour_temperature,
        motion_blur=motion_blur,
        jpeg_quality=jpeg_quality,
    )


def _walk_s(walker: Walker) -> float:
    """Seconds of walking: the path is longer than its distance along z by 1 / cos(heading)."""
    path_m = (walker.start_distance_m - walker.end_distance_m) / math.cos(math.radians(walker.heading_deg))
    return path_m / walker.speed_m_s


def _replace(obj, **changes):
    return dataclasses.replace(obj, **changes)


# --------------------------------------------------------------------------------------------
# Seeds and label plans
# --------------------------------------------------------------------------------------------


def clip_seed(seed: int, index: int) -> int:
    """The seed of clip ``index`` of a data set made with ``seed``.

    It is ``SeedSequence(seed).spawn(n)[index]``'s first 32-bit word, computed directly: it
    depends only on (seed, index), so clip ``index`` is the same whatever the number of clips
    or workers.
    """
    return int(np.random.SeedSequence(seed, spawn_key=(index,)).generate_state(1)[0])


def label_plan(n: int, seed: int, *, borderline: int = 0, varus: bool = False) -> list[str]:
    """Labels of a data set's clips, in clip order.

    The first ``n`` clips have hard labels, balanced within every block of 20 (10 normal and
    10 valgum; with ``varus``, 8 normal, 2 varus and 10 valgum) and shuffled within the block;
    ``borderline`` clips with borderline angles follow. Clip i's label depends only on
    (seed, i, varus) for i < n.
    """
    if n < 0 or borderline < 0:
        raise ValueError("n and borderline must not be negative")
    n_varus = int(round(VARUS_SHARE * _PLAN_BLOCK)) if varus else 0
    block = (
        [clinical.LABEL_VALGUM] * (_PLAN_BLOCK // 2)
        + [clinical.LABEL_VARUS] * n_varus
        + [clinical.LABEL_NORMAL] * (_PLAN_BLOCK // 2 - n_varus)
    )
    plan: list[str] = []
    for b in range((n + _PLAN_BLOCK - 1) // _PLAN_BLOCK):
        rng = np.random.default_rng(np.random.SeedSequence([seed, _PLAN_SALT], spawn_key=(b,)))
        plan += [block[int(k)] for k in rng.permutation(_PLAN_BLOCK)]
    return plan[:n] + [clinical.LABEL_BORDERLINE] * borderline


def sample_clip(
    seed: int, label: str, size: tuple[int, int] | None = None, fps: float | None = None
) -> tuple[Walker, Scene]:
    """The child and scene of one clip, from the clip's own seed (``clip_seed``) and label."""
    rng = np.random.default_rng(seed)
    walker = sample_child(rng, label)
    scene = sample_scene(rng, walker, size=size, fps=fps)
    return scene.walkers[0], scene


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------

# Columns of labels.jsonl / labels.csv (and the keys of silhouette_clips' records).
COLUMNS = (
    "id", "file", "label", "tfa_deg", "imd_cm", "age", "sex", "stature_cm", "bmi", "speed",
    "cadence", "fps", "size", "camera_height", "tilt", "hfov", "heading", "legwear",
    "background", "lead_in_s", "seed", "n_frames", "heel_strikes",
)  # fmt: skip


def clip_id(index: int) -> str:
    """File stem of clip ``index``: zero-padded so files sort in clip order."""
    return f"{index:06d}"


def clip_record(index: int, label: str, seed: int, scene: Scene, file: str = "") -> dict:
    """The label record of one clip (see ``COLUMNS``).

    ``seed`` is the clip's own seed: ``sample_clip(seed, label, size, fps)`` with the record's
    size and frame rate gives back exactly this child and scene.
    """
    w = scene.walkers[0]
    return {
        "id": clip_id(index),
        "file": file,
        "label": label,
        "tfa_deg": w.tfa_deg,
        "imd_cm": round(float(intermalleolar_distance_cm(w)), 2),
        "age": w.age_y,
        "sex": w.sex,
        "stature_cm": round(100.0 * w.height_m, 1),
        "bmi": w.bmi,
        "speed": w.speed_m_s,
        "cadence": w.cadence_steps_per_min,
        "fps": scene.fps,
        "size": f"{scene.width}x{scene.height}",
        "camera_height": scene.camera_height_m,
        "tilt": scene.tilt_deg,
        "hfov": scene.hfov_deg,
        "heading": w.heading_deg,
        "legwear": w.legwear,
        "background": scene.background,
        "lead_in_s": w.start_time_s,
        "seed": seed,
        "n_frames": scene.n_frames,
        "heel_strikes": [
            round(t, 4) for t in heel_strike_times(w, scene.duration_s, scene_seed=scene.seed, walker_index=0)
        ],
    }


def _csv_text(records: Sequence[dict], columns: Sequence[str] = COLUMNS) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for r in records:
        # Lists (heel strike times, bystander kinds) become one ';'-separated cell.
        writer.writerow({k: ";".join(str(v) for v in r[k]) if isinstance(r[k], list) else r[k] for k in columns})
    return buf.getvalue()


# --------------------------------------------------------------------------------------------
# Writing a data set
# --------------------------------------------------------------------------------------------

_TMP_TAG = ".tmp"  # temporary files are ".<id>.tmp.<ext>": hidden, and swept after a failure
JOINT_NAMES = (
    "head", "neck", "pelvis", "hip_l", "hip_r", "knee_l", "knee_r", "ankle_l", "ankle_r",
    "heel_l", "heel_r", "toe_l", "toe_r", "shoulder_l", "shoulder_r", "elbow_l", "elbow_r",
    "wrist_l", "wrist_r",
)  # fmt: skip


@dataclass(frozen=True)
class _Task:
    out: str
    index: int
    label: str
    seed: int
    size: tuple[int, int] | None
    fps: float | None
    masks: bool
    tier: str = "clean"


class _GroundTruth:
    """Collects per-frame boxes, joints and box-cropped bit-packed masks of walker 0."""

    def __init__(self) -> None:
        self.boxes: list = []
        self.joints: list = []
        self.bits: list[np.ndarray] = []

    def add(self, frame) -> None:
        box = frame.boxes[0]
        self.boxes.append(box if box is not None else (np.nan,) * 4)
        joints = frame.joints[0]
        self.joints.append([joints[n] if joints else (np.nan, np.nan) for n in JOINT_NAMES])
        if box is None:
            self.bits.append(np.zeros(0, np.uint8))
        else:
            x0, y0, x1, y1 = box
            self.bits.append(np.packbits(frame.masks[0][y0:y1, x0:x1] > 0, axis=None))

    def save(self, path: Path, scene: Scene, extra: dict | None = None) -> None:
        offsets = np.zeros(len(self.bits) + 1, np.int64)
        offsets[1:] = np.cumsum([len(b) for b in self.bits])
        arrays = {
            "boxes": np.asarray(self.boxes, np.float32).reshape(-1, 4),
            "joints": np.asarray(self.joints, np.float32).reshape(-1, len(JOINT_NAMES), 2),
            "joint_names": np.array(JOINT_NAMES),
            "mask_bits": np.concatenate(self.bits) if self.bits else np.zeros(0, np.uint8),
            "mask_offsets": offsets,
            "frame_size": np.array([scene.width, scene.height], np.int32),
            "fps": np.array(scene.fps, np.float64),
            **(extra or {}),
        }
        with open(path, "wb") as handle:  # a handle: np.savez would append ".npz" to the name
            np.savez_compressed(handle, **arrays)


def load_masks(path: str | os.PathLike) -> dict:
    """Read a ``masks/<id>.npz`` file back.

    Returns:
        ``boxes`` [T, 4] float32 (x0, y0, x1, y1; x1/y1 exclusive; NaN where the child is not
        in view), ``joints`` [T, J, 2] float32 image coordinates (NaN before entry),
        ``joint_names`` (J names), ``frame_size`` (width, height), ``fps`` and ``masks``: a list
        of T uint8 0/1 arrays cropped to each frame's box (None where there is no box). Paste
        one back with ``full[y0:y1, x0:x1] = masks[t]``. A school-tier file also holds
        ``camera`` [T, 3] float32: the camera's offset (dx, dy, pixels) and roll (degrees) in
        each frame; everything else in it is already in the moved frames' coordinates.
    """
    with np.load(path, allow_pickle=False) as data:
        out = {k: data[k] for k in data.files}
    boxes, offsets, bits = out["boxes"], out.pop("mask_offsets"), out.pop("mask_bits")
    masks: list[np.ndarray | None] = []
    for t, box in enumerate(boxes):
        if not np.all(np.isfinite(box)):
            masks.append(None)
            continue
        x0, y0, x1, y1 = (int(v) for v in box)
        n = (x1 - x0) * (y1 - y0)
        flat = np.unpackbits(bits[offsets[t] : offsets[t + 1]], count=n)
        masks.append(flat.reshape(y1 - y0, x1 - x0))
    out["masks"] = masks
    out["joint_names"] = [str(n) for n in out["joint_names"]]
    out["fps"] = float(out["fps"])
    return out


def _tmp_path(folder: Path, stem: str, ext: str) -> Path:
    # The extension stays last: cv2.VideoWriter picks the container from it.
    return folder / f".{stem}{_TMP_TAG}{ext}"


def _encode(path: Path, frames: Iterable[np.ndarray], fps: float) -> int:
    """Encode frames to an mp4 file (a seam the tests use to make a worker fail)."""
    return write_video(path, frames, fps)


def _tier_clip(task: _Task) -> tuple[Scene, Iterator, dict, dict]:
    """The scene, its frames, its extra label columns and its extra ground-truth arrays for
    the task's tier (none for the clean tier, whose files stay as they always were)."""
    if task.tier == "school":
        # Imported here: the school tier builds on this module's sampling.
        from genuscreen.synth import school

        clip = school.sample_school_clip(task.seed, task.label, task.size, task.fps)
        times = np.arange(clip.scene.n_frames) / clip.scene.fps
        camera = np.stack(clip.conditions.camera.at(times), axis=1).astype(np.float32)
        return clip.scene, school.render_school(clip), school.condition_record(clip), {"camera": camera}
    _, scene = sample_clip(task.seed, task.label, task.size, task.fps)
    return scene, render(scene), {}, {}


def _render_task(task: _Task) -> dict:
    """Render, encode and label one clip (runs in a worker process; must stay top-level)."""
    out = Path(task.out)
    stem = clip_id(task.index)
    scene, frames, conditions, truth_extra = _tier_clip(task)
    truth = _GroundTruth() if task.masks else None
    video_tmp = _tmp_path(out / "clips", stem, ".mp4")
    masks_tmp = _tmp_path(out / "masks", stem, ".npz")
    try:

        def images() -> Iterator[np.ndarray]:
            for frame in frames:
                if truth is not None:
                    truth.add(frame)
                yield frame.image

        _encode(video_tmp, images(), scene.fps)
        if truth is not None:
            truth.save(masks_tmp, scene, truth_extra)
            os.replace(masks_tmp, out / "masks" / f"{stem}.npz")
        # The video last: a clip file exists only when everything about it was written.
        os.replace(video_tmp, out / "clips" / f"{stem}.mp4")
    except BaseException:
        video_tmp.unlink(missing_ok=True)
        masks_tmp.unlink(missing_ok=True)
        raise
    return {**clip_record(task.index, task.label, task.seed, scene, file=f"clips/{stem}.mp4"), **conditions}


def _sweep_temporaries(out: Path) -> None:
    for folder in (out / "clips", out / "masks"):
        if folder.is_dir():
            for p in folder.glob(f".*{_TMP_TAG}.*"):
                p.unlink(missing_ok=True)


def _write_text_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}{_TMP_TAG}")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _prepare_folder(out: Path, overwrite: bool, masks: bool) -> None:
    if out.exists() and not out.is_dir():
        raise DatasetError(f"{out} exists and is not a folder; choose a folder for the data set")
    owned = [out / "labels.jsonl", out / "labels.csv", out / "clips", out / "masks"]
    existing = [p for p in owned if p.exists() and (p.is_file() or any(p.iterdir()))]
    if existing and not overwrite:
        raise DatasetError(
            f"{out} already holds a data set ({existing[0].name}); use --overwrite to replace it "
            "or choose another folder"
        )
    for p in existing:  # only what a data set consists of; anything else in the folder stays
        shutil.rmtree(p) if p.is_dir() else p.unlink()
    (out / "clips").mkdir(parents=True, exist_ok=True)
    if masks:
        (out / "masks").mkdir(exist_ok=True)


def write_dataset(
    out: str | os.PathLike,
    n: int,
    seed: int,
    *,
    borderline: int = 0,
    varus: bool = False,
    masks: bool = False,
    size: tuple[int, int] | None = None,
    fps: float | None = None,
    workers: int = 1,
    overwrite: bool = False,
    progress: Callable[[int, int], None] | None = None,
    start_method: str = "spawn",
    tier: str = "clean",
) -> list[dict]:
    """Render a labelled data set of walking-child clips into a folder.

    Writes ``out/clips/<id>.mp4``, ``out/labels.jsonl`` and ``out/labels.csv`` (one row per clip,
    columns ``COLUMNS``, in clip order; a school tier adds ``school.SCHOOL_COLUMNS``) and with
    ``masks`` ``out/masks/<id>.npz`` (see ``load_masks``). Each file is written under a
    temporary name and renamed when complete; the label files are written last, so a folder
    with ``labels.jsonl`` is a finished data set.
    After a failure or an interruption no temporary files remain (finished clips stay).

    The result depends only on the arguments, not on ``workers``: clip i is drawn from
    ``clip_seed(seed, i)`` with label ``label_plan(...)[i]``.

    Args:
        out: Output folder (created if needed).
        n: Number of clips with hard labels (normal/valgum, and varus with ``varus``).
        seed: Seed of the whole data set.
        borderline: Extra clips with borderline angles (10-15 degrees), after the ``n``.
        varus: Make 10 % of the clips varus instead of normal.
        masks: Also write per-frame masks, boxes and joints.
        size: Force (width, height) for every clip instead of drawing it.
        fps: Force the frame rate.
        workers: Processes to render in (1: in this process).
        overwrite: Replace an existing data set in ``out``.
        progress: Called as ``progress(done, total)`` after each clip.
        start_method: Multiprocessing start method for ``workers > 1``: ``"spawn"`` (default;
            works the same on every platform; a script that calls this must do so under
            ``if __name__ == "__main__":``), ``"forkserver"`` or ``"fork"``.
        tier: ``"clean"`` or ``"school"``: the same children (clip i is the same child in the
            same room either way) with the conditions of school recordings added
            (``synth.school``); the clean tier's files do not change with this option.

    Returns:
        The records, in clip order.

    Raises:
        DatasetError: ``out`` holds a data set and ``overwrite`` is off, or is not a folder.
        ValueError: A bad count, size, frame rate, worker count or tier.
    """
    if n < 1 and borderline < 1:
        raise ValueError(f"need at least one clip, got n={n}, borderline={borderline}")
    if n < 0 or borderline < 0:
        raise ValueError("n and borderline must not be negative")
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    if size is not None and (len(size) != 2 or min(size) < 64 or max(size) > 7680):
        raise ValueError(f"size must be (width, height) within 64-7680 pixels, got {size}")
    if fps is not None and not 1.0 <= fps <= 240.0:
        raise ValueError(f"fps must be within 1-240, got {fps}")
    if tier not in TIERS:
        raise ValueError(f"tier must be one of {', '.join(TIERS)}, got {tier!r}")
    out = Path(out)
    _prepare_folder(out, overwrite, masks)
    plan = label_plan(n, seed, borderline=borderline, varus=varus)
    tasks = [
        _Task(str(out), i, label, clip_seed(seed, i), tuple(size) if size else None, fps, masks, tier)
        for i, label in enumerate(plan)
    ]
    records: list[dict | None] = [None] * len(tasks)
    pool = None
    try:
        if workers == 1 or len(tasks) == 1:
            results: Iterable[dict] = map(_render_task, tasks)
        else:
            pool = multiprocessing.get_context(start_method).Pool(min(workers, len(tasks)))
            results = pool.imap_unordered(_render_task, tasks, chunksize=1)
        for done, record in enumerate(results, 1):
            records[int(record["id"])] = record
            if progress is not None:
                progress(done, len(tasks))
        if pool is not None:
            pool.close()
            pool.join()
            pool = None
    finally:
        if pool is not None:  # a worker failed or we were interrupted: stop the rest now
            pool.terminate()
            pool.join()
            _sweep_temporaries(out)
    final = [r for r in records if r is not None]
    _write_text_atomic(out / "labels.jsonl", "".join(json.dumps(r) + "\n" for r in final))
    columns = COLUMNS
    if tier == "school":
        from genuscreen.synth.school import SCHOOL_COLUMNS

        columns = COLUMNS + SCHOOL_COLUMNS
    _write_text_atomic(out / "labels.csv", _csv_text(final, columns))
    return final


# --------------------------------------------------------------------------------------------
# Training fast path: silhouette windows without images or video files
# --------------------------------------------------------------------------------------------


def _working_scale(width: int, height: int) -> float:
    """The scale the walker extractor segments at (video.walker._extract), so silhouettes here
    have the resolution inference gives them."""
    return 1.0 / max(1, round(max(width, height) / ExtractionParams().working_size))


def _degrade(mask: np.ndarray, rng: np.random.Generator, px: float) -> np.ndarray:
    """Grow or shrink a 0/1 mask by up to ``px`` pixels, as background subtraction does."""
    r = int(round(rng.uniform(-px, px)))
    if r == 0:
        return mask
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * abs(r) + 1, 2 * abs(r) + 1))
    return cv2.dilate(mask, kernel) if r > 0 else cv2.erode(mask, kernel)


def silhouette_clips(
    n: int,
    seed: int,
    spec: ClipSpec | None = None,
    *,
    start: int = 0,
    borderline: int = 0,
    varus: bool = False,
    size: tuple[int, int] | None = None,
    fps: float | None = None,
    frame_step: int | None = None,
    mask_noise_px: float = 0.0,
) -> Iterator[tuple[list[np.ndarray], dict]]:
    """Model-ready silhouette windows of synthetic children, without images or video files.

    Child i is the same child (same seed and label, same walk and camera geometry) as clip i of
    ``write_dataset(out, n, seed, ...)``. Its scene is rendered with ``rgb=False`` (exact masks,
    no image) at the resolution the walker extractor works at for that frame size (640x480
    stays, 1280x720 and 1920x1080 become 640x360), each frame's mask goes through
    ``video.walker.canonical_silhouette`` (the normalisation inference uses) into a
    ``WalkerFrame`` marked as the extractor marks them, and ``video.clips.build_clips`` (the
    inference clip builder) cuts the windows, resampling to ``spec.fps`` by timestamps.

    Only every ``frame_step``-th frame of the recording is rendered: by default as many as
    keep at least ``spec.fps`` (every 2nd of 30 fps, every 4th of 60, every 3rd of 50, all of
    25), at the recording's own frame times. The clip builder then picks from fewer frames than
    it would from the video, so frame times may differ from a real recording's picks by up to
    half a rendered frame interval (<= 1/30 s); ``frame_step=1`` renders every frame.

    Left to training: the segmentation errors of a real background model (only a simple
    per-frame grow/shrink is offered here, ``mask_noise_px``), shadows merged into the
    silhouette, and any flips or crops used as augmentation.

    Args:
        n: Number of children with hard labels (as ``write_dataset``'s ``n``).
        seed: Data set seed.
        spec: ``video.clips.ClipSpec`` of the windows; the default one if None.
        start: Index of the first child to yield (to split the work between processes:
            ``start=k, n=m`` yields children k..m-1 of the same data set).
        borderline: Extra borderline children after the ``n``.
        varus: Make 10 % of the children varus instead of normal.
        size: Force the recording's (width, height) before scaling to the working size.
        fps: Force the recording's frame rate.
        frame_step: Render every this many frames of the recording; None: the largest step
            that keeps ``spec.fps``.
        mask_noise_px: Grow or shrink each frame's mask by a random 0 to this many pixels
            (working resolution); 0 keeps the exact masks.

    Yields:
        ``(windows, record)``: ``windows`` is a list of [T, H, W] float32 arrays in [0, 1]
        (``spec.frames``, ``spec.height``, ``spec.width``), usually several overlapping ones per
        child; ``record`` is the child's label record (``COLUMNS``, describing the recording;
        ``file`` is empty) plus ``index``, ``frame_step`` and ``windows`` (the list's length).
    """
    spec = spec if spec is not None else ClipSpec()
    if frame_step is not None and frame_step < 1:
        raise ValueError(f"frame_step must be at least 1, got {frame_step}")
    plan = label_plan(n, seed, borderline=borderline, varus=varus)
    for index in range(start, len(plan)):
        label = plan[index]
        cseed = clip_seed(seed, index)
        walker, scene = sample_clip(cseed, label, size, fps)
        record = clip_record(index, label, cseed, scene)
        step = frame_step or max(1, int(scene.fps / spec.fps + 1e-9))
        scale = _working_scale(scene.width, scene.height)
        # Frame i of this scene is frame i * step of the recording (same time, same pose).
        work = _replace(
            scene,
            width=max(16, round(scene.width * scale)),
            height=max(16, round(scene.height * scale)),
            fps=scene.fps / step,
            duration_s=max(1, scene.n_frames // step) * step / scene.fps,
        )
        noise_rng = np.random.default_rng(np.random.SeedSequence(cseed, spawn_key=(1,)))
        # Edges as the extractor marks them (video.walker._person_tracks), in full-frame pixels.
        edge = max(2.0, 0.01 * scene.height)
        frames: list[WalkerFrame] = []
        for fr in render(work, rgb=False):
            box = fr.boxes[0]
            if box is None:
                continue
            x0, y0, x1, y1 = box
            mask = (fr.masks[0][y0:y1, x0:x1] > 0).astype(np.uint8)
            if mask_noise_px > 0:
                full = _degrade((fr.masks[0] > 0).astype(np.uint8), noise_rng, mask_noise_px)
                bx, by, bw, bh = cv2.boundingRect(full)
                if bw == 0 or bh == 0:
                    continue
                x0, y0, x1, y1 = bx, by, bx + bw, by + bh
                mask = full[y0:y1, x0:x1]
            bits, crop = canonical_silhouette(mask, (x0, y0, x1, y1), scale)
            full_box = tuple(float(v) / scale for v in (x0, y0, x1, y1))
            frames.append(
                WalkerFrame(
                    index=fr.index * step,
                    time_s=fr.index * step / scene.fps,
                    box=full_box,
                    crop_box=crop,
                    merged=False,
                    touches_top=bool(full_box[1] <= edge),
                    touches_bottom=bool(full_box[3] >= scene.height - edge),
                    _bits=bits,
                )
            )
        windows: list[np.ndarray] = []
        if frames:
            track = PersonTrack(id=1, frames=frames, person_like=1.0, detector_hits=1.0, score=0.0)
            windows = [c.silhouettes for c in build_clips(track, spec)]
        record.update(index=index, frame_step=step, windows=len(windows))
        yield windows, record
