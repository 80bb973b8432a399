"""Render synthetic videos of people walking in a room, with exact per-frame ground truth.

The scene is a pinhole camera looking into a box-shaped room. Each person is an articulated 3D
figure (head, neck, trunk, arms, thighs, shanks, feet) whose sagittal hip, knee and ankle angles
follow normative gait curves, with arm swing and lateral sway. The body is carried by its stance
foot, which rolls on the floor without sliding; the forward motion and the vertical bob both come
from that, and the hip curve is scaled so the result walks at the requested speed. The static
knee frontal-plane angle (tibiofemoral angle, TFA, positive = valgus) is built into the leg
geometry, so a valgus figure walks with its knees close together and its ankles apart.

Every body part is projected through the camera and drawn as a filled convex polygon, far parts
first, into the image and into a label image; the label image gives exact, occlusion-aware masks.
The room is ray-cast once per scene and sensor noise comes from a pre-drawn tile, so a frame costs
little more than copying the background and filling a few dozen small polygons.

World coordinates: metres, x to the right of the camera, y up (floor at y = 0), z away from the
camera along the floor. The camera stands at (0, ``camera_height_m``, 0) and looks along +z,
tilted down by ``tilt_deg``.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import cv2
import numpy as np

__all__ = [
    "RenderedFrame",
    "Scene",
    "Walker",
    "heel_strike_times",
    "heel_strikes",
    "render",
    "write_video",
]

PATHS = ("toward", "across", "away", "still")
LEGWEAR = ("shorts", "leggings", "trousers")
BACKGROUNDS = ("room", "plain")
FLOORS = ("auto", "tiles", "planks", "carpet")

# Sub-pixel bits for cv2 polygon filling: outlines keep 1/16 px precision, so small, distant
# figures do not wobble by whole pixels from frame to frame.
_SHIFT = 4
_ONE = float(1 << _SHIFT)

# Seconds a walker needs to come to a standstill at the end of a "toward"/"away" walk.
_STOP_BLEND_S = 0.6
# Gait phase (fraction of a stride, 0 = right heel strike) at which a walker enters. Entering
# mid-stance means the first heel strike happens on screen and can be detected as an event.
_ENTRY_PHASE = 0.3


# --------------------------------------------------------------------------------------------
# Public data types
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Walker:
    """One person in the scene.

    Attributes:
        height_m: Stature in metres. Child proportions (big head, legs ~47% of stature) up to
            1.4 m, blending to adult proportions at 1.65 m and above (0.8-2.0 m accepted).
        path: ``"toward"`` (walks toward the camera, front visible), ``"across"`` (walks left to
            right, side view), ``"away"`` (walks away, back visible) or ``"still"`` (stands
            facing the camera with a small sway).
        start_distance_m: Distance from the camera along z at entry; for ``"across"`` and
            ``"still"`` the constant distance.
        end_distance_m: For ``"toward"``/``"away"``, where the walk ends: the walker comes to a
            standstill within about half a step of it and stays standing. Unused otherwise.
        lateral_offset_m: x offset from the camera's centre line; for ``"across"`` the starting x.
        speed_m_s: Walking speed. With the cadence it sets the step length; the defaults suit a
            6-8 year old. Give adults their own (e.g. 1.3 m/s at 110 steps/min): at a child's
            speed and cadence an adult shuffles with very short steps.
        cadence_steps_per_min: Steps (heel strikes of either foot) per minute.
        tfa_deg: Static knee frontal angle, positive = valgus (knees together, ankles apart),
            negative = varus (bow legs).
        start_time_s: When the walker appears; before that the scene is empty of them.
        shirt_bgr: Shirt colour.
        legwear_bgr: Shorts/leggings/trousers colour.
        skin_bgr: Skin colour.
        hair_bgr: Hair colour.
        shoe_bgr: Shoe colour.
        legwear: ``"shorts"`` (thighs half covered, knees and shanks bare), ``"leggings"`` (tight,
            whole leg) or ``"trousers"`` (loose, hides the knee shape).
    """

    height_m: float = 1.25
    path: str = "toward"
    start_distance_m: float = 6.0
    end_distance_m: float = 2.0
    lateral_offset_m: float = 0.0
    speed_m_s: float = 1.0
    cadence_steps_per_min: float = 140.0
    tfa_deg: float = 5.0
    start_time_s: float = 0.0
    shirt_bgr: tuple[int, int, int] = (170, 110, 40)
    legwear_bgr: tuple[int, int, int] = (55, 45, 40)
    skin_bgr: tuple[int, int, int] = (135, 165, 215)
    hair_bgr: tuple[int, int, int] = (30, 45, 70)
    shoe_bgr: tuple[int, int, int] = (215, 215, 220)
    legwear: str = "shorts"

    def __post_init__(self) -> None:
        if self.path not in PATHS:
            raise ValueError(f"Walker.path must be one of {PATHS}, got {self.path!r}")
        if self.legwear not in LEGWEAR:
            raise ValueError(f"Walker.legwear must be one of {LEGWEAR}, got {self.legwear!r}")
        if not 0.8 <= self.height_m <= 2.0:
            raise ValueError(f"Walker.height_m must be within 0.8-2.0 m, got {self.height_m}")
        if self.cadence_steps_per_min <= 0:
            raise ValueError("Walker.cadence_steps_per_min must be positive")
        if self.speed_m_s < 0:
            raise ValueError("Walker.speed_m_s must not be negative")
        if self.path != "still" and self.speed_m_s <= 0:
            raise ValueError(f"a {self.path!r} walker needs speed_m_s > 0")
        if self.start_distance_m <= 0.3:
            raise ValueError("Walker.start_distance_m must be more than 0.3 m from the camera")
        if self.path == "toward" and not 0.3 < self.end_distance_m < self.start_distance_m:
            raise ValueError(
                "a 'toward' walker needs 0.3 < end_distance_m < start_distance_m, got "
                f"start={self.start_distance_m}, end={self.end_distance_m}"
            )
        if self.path == "away" and not self.end_distance_m > self.start_distance_m:
            raise ValueError(
                "an 'away' walker needs end_distance_m > start_distance_m, got "
                f"start={self.start_distance_m}, end={self.end_distance_m}"
            )
        for name in ("shirt_bgr", "legwear_bgr", "skin_bgr", "hair_bgr", "shoe_bgr"):
            colour = getattr(self, name)
            if len(colour) != 3 or not all(0 <= int(c) <= 255 for c in colour):
                raise ValueError(f"Walker.{name} must be three values in 0-255, got {colour!r}")


@dataclass(frozen=True)
class Scene:
    """Camera, room and people of one synthetic clip.

    Attributes:
        width: Image width in pixels.
        height: Image height in pixels.
        fps: Frame rate.
        duration_s: Clip length; the clip has ``round(duration_s * fps)`` frames.
        camera_height_m: Height of the camera's centre above the floor.
        hfov_deg: Horizontal field of view.
        tilt_deg: Camera pitch, positive looks down.
        walkers: The people; ``walkers[0]`` is the child whose ground truth matters. May be empty
            (an empty-room reference clip).
        background: ``"room"`` (textured floor, walls with skirting, a door, a picture, furniture,
            vignetting; layout and colours vary with ``seed``) or ``"plain"`` (one flat colour).
        brightness: Multiplies the whole image (0.15 gives a too-dark clip).
        noise_sigma: Standard deviation of the additive sensor noise, in grey levels.
        camera_shake_px: Amplitude of a smooth random image translation (a hand-held camera).
        shadow: Draw a soft contact shadow on the floor under each walker.
        seed: Seeds every random choice, so a scene renders identically each time.
        floor: ``"auto"`` (tiles, planks or carpet chosen by seed) or one of those three.
        floor_bgr: Overrides the floor's base colour (e.g. a pale floor under pale legs).
        room_depth_m: Distance of the back wall; it is moved back if a walker would stand
            within 1.5 m of it.
    """

    width: int = 640
    height: int = 480
    fps: float = 30.0
    duration_s: float = 4.0
    camera_height_m: float = 0.8
    hfov_deg: float = 65.0
    tilt_deg: float = 0.0
    walkers: tuple[Walker, ...] = (Walker(),)
    background: str = "room"
    brightness: float = 1.0
    noise_sigma: float = 2.0
    camera_shake_px: float = 0.0
    shadow: bool = True
    seed: int = 0
    floor: str = "auto"
    floor_bgr: tuple[int, int, int] | None = None
    room_depth_m: float = 9.0

    def __post_init__(self) -> None:
        if self.width < 16 or self.height < 16:
            raise ValueError(f"Scene size must be at least 16x16, got {self.width}x{self.height}")
        if self.fps <= 0 or self.duration_s <= 0:
            raise ValueError("Scene.fps and Scene.duration_s must be positive")
        if not 10.0 <= self.hfov_deg <= 150.0:
            raise ValueError(f"Scene.hfov_deg must be within 10-150, got {self.hfov_deg}")
        if not 0.1 <= self.camera_height_m <= 2.4:
            raise ValueError("Scene.camera_height_m must be within 0.1-2.4 m (below the ceiling)")
        if abs(self.tilt_deg) > 60.0:
            raise ValueError("Scene.tilt_deg must be within +-60")
        if self.background not in BACKGROUNDS:
            raise ValueError(f"Scene.background must be one of {BACKGROUNDS}")
        if self.floor not in FLOORS:
            raise ValueError(f"Scene.floor must be one of {FLOORS}")
        if self.brightness <= 0 or self.noise_sigma < 0 or self.camera_shake_px < 0:
            raise ValueError("Scene.brightness must be > 0; noise_sigma and camera_shake_px >= 0")
        if len(self.walkers) > 250:
            raise ValueError("at most 250 walkers fit in the uint8 label image")
        if not all(isinstance(w, Walker) for w in self.walkers):
            raise TypeError("Scene.walkers must be a tuple of Walker")

    @property
    def n_frames(self) -> int:
        """Number of frames ``render`` yields."""
        return max(1, int(round(self.duration_s * self.fps)))


@dataclass
class RenderedFrame:
    """One rendered frame and its ground truth.

    Attributes:
        index: Frame number, from 0.
        time_s: ``index / fps``.
        image: HxWx3 BGR uint8.
        masks: Per walker (order of ``scene.walkers``), an HxW uint8 mask, 255 where that walker
            is the visible surface: a nearer walker hides a farther one. All zero while a walker
            is absent or out of view.
        boxes: Per walker, the tight box ``(x0, y0, x1, y1)`` of its mask (x1, y1 exclusive), or
            None when nothing of it is visible.
        joints: Per walker, image coordinates (x, y) of ``head`` (centre), ``neck``, ``pelvis``
            and ``hip``/``knee``/``ankle``/``heel``/``toe``/``shoulder``/``elbow``/``wrist`` with
            ``_l``/``_r`` suffixes (the person's own left and right; heel and toe are the centres
            of the shoe's rounded ends). Coordinates may lie outside the image or on occluded
            parts. None before the walker enters or if it is behind the camera.
        distances_m: Per walker, its pelvis' distance from the camera along z, or None when
            absent.
        camera_offset_px: The (dx, dy) image translation of camera shake in this frame.
    """

    index: int
    time_s: float
    image: np.ndarray
    masks: list[np.ndarray]
    boxes: list[tuple[int, int, int, int] | None]
    joints: list[dict[str, tuple[float, float]] | None]
    distances_m: list[float | None] = field(default_factory=list)
    camera_offset_px: tuple[int, int] = (0, 0)


# --------------------------------------------------------------------------------------------
# Gait curves
# --------------------------------------------------------------------------------------------

# Normative sagittal joint angles in degrees at 0, 5, ..., 95 % of the stride (0 = heel strike of
# that leg; toe-off near 60 %). Shapes follow the usual adult/child normative curves (Perry;
# Winter): hip +30 at heel strike to -9 at terminal stance; knee 18 loading-response flexion and
# ~61 peak in swing; ankle plantarflexion after heel strike, dorsiflexion in stance, -12 push-off
# and a few degrees more dorsiflexion in swing than normative, so the rigid toe clears the floor.
_HIP_TABLE = [30, 29, 27, 23, 19, 15, 11, 7, 3, -1, -6, -9, -5, 4, 14, 22, 28, 31, 32, 31]
_KNEE_TABLE = [5, 12, 17, 18, 15, 11, 8, 6, 5, 8, 14, 24, 38, 53, 61, 59, 48, 32, 17, 8]
_ANKLE_TABLE = [0, -4, -5, -1, 3, 6, 8, 9, 10, 9, 5, -4, -12, -10, 0, 5, 6, 4, 2, 0]
_GAIT_SAMPLES = 256


def _smooth_periodic(values: list[float], harmonics: int = 6) -> np.ndarray:
    """Resample a periodic table to ``_GAIT_SAMPLES`` points through its first harmonics.

    Keeping a few Fourier harmonics gives smooth, periodic curves without the overshoot of an
    interpolating spline through coarse hand-made tables.
    """
    spec = np.fft.rfft(np.asarray(values, dtype=np.float64))
    spec[harmonics + 1 :] = 0.0
    return np.fft.irfft(spec, n=_GAIT_SAMPLES) * (_GAIT_SAMPLES / len(values))


# Rows: hip, knee, ankle. Sampled once; a pose lookup is a linear interpolation between samples.
_GAIT = np.stack([_smooth_periodic(t) for t in (_HIP_TABLE, _KNEE_TABLE, _ANKLE_TABLE)])
_HIP_MEAN = float(_GAIT[0].mean())
# Hip flexion is measured against the pelvis, which tilts forward by about 10 degrees in gait;
# the thigh's angle to the vertical is hip flexion minus that tilt.
_PELVIC_TILT = 10.0


def _gait_angles(phases: np.ndarray) -> np.ndarray:
    """Hip, knee and ankle angles (degrees), shape [3, len(phases)], at stride phases."""
    x = (np.asarray(phases) % 1.0) * _GAIT_SAMPLES
    i0 = x.astype(np.int64) % _GAIT_SAMPLES
    frac = x - np.floor(x)
    i1 = (i0 + 1) % _GAIT_SAMPLES
    return _GAIT[:, i0] * (1.0 - frac) + _GAIT[:, i1] * frac


def _smoothstep(x: float) -> float:
    x = min(max(x, 0.0), 1.0)
    return x * x * (3.0 - 2.0 * x)


# --------------------------------------------------------------------------------------------
# Timing (shared by the renderer and the ground truth functions)
# --------------------------------------------------------------------------------------------


def _stride_s(w: Walker) -> float:
    """Seconds per stride (two steps)."""
    return 120.0 / w.cadence_steps_per_min


@functools.lru_cache(maxsize=256)
def _gait_of(w: Walker) -> "_Body":
    """The body model that fixes a walker's timing; cached because fitting the gait costs ms."""
    return _Body(w, 1.0)


def heel_strikes(walker: Walker, duration_s: float) -> list[tuple[float, str]]:
    """Ground-truth heel strikes as ``(time_s, "left" | "right")``, in time order.

    A strike is the moment the rendered heel meets the floor: the support shifts onto the
    leading leg so that its heel touches down exactly at the stride phase of heel strike, so the
    truth matches the pixels, not just the gait tables. Only strikes taken while
    the walker walks are listed: from its entry until, for "toward"/"away", it starts to slow
    down at the end of the walk (the closing, blended step is not a strike), and none for
    "still". Strikes are listed whether or not the feet are in view: an "across" walker keeps
    striking after it has left the frame, so intersect with the frames whose box is not None
    when only visible strikes count.

    Args:
        walker: The walker.
        duration_s: Clip length; strikes at or after it are left out.

    Returns:
        The strikes at exact times (not snapped to frames).
    """
    if walker.path == "still":
        return []
    return [
        (walker.start_time_s + tau, side)
        for tau, side in _gait_of(walker).strikes(duration_s - walker.start_time_s)
        if walker.start_time_s + tau < duration_s
    ]


def heel_strike_times(walker: Walker, duration_s: float) -> list[float]:
    """Ground-truth heel strike times (either foot) in seconds; see ``heel_strikes``."""
    return [t for t, _ in heel_strikes(walker, duration_s)]


# --------------------------------------------------------------------------------------------
# Camera
# --------------------------------------------------------------------------------------------


class _Camera:
    """Pinhole camera: focal length ``f`` (pixels), principal point (cx, cy) of the unshaken
    frame, position ``pos`` and rotation ``rot`` (world to camera)."""

    def __init__(self, scene: Scene) -> None:
        self.f = (scene.width / 2.0) / math.tan(math.radians(scene.hfov_deg) / 2.0)
        self.cx = (scene.width - 1) / 2.0
        self.cy = (scene.height - 1) / 2.0
        tilt = math.radians(scene.tilt_deg)
        self.pos = np.array([0.0, scene.camera_height_m, 0.0])
        # Rows: image right, image down, optical axis, in world coordinates.
        self.rot = np.array(
            [
                [1.0, 0.0, 0.0],
                [0.0, -math.cos(tilt), -math.sin(tilt)],
                [0.0, -math.sin(tilt), math.cos(tilt)],
            ]
        )


# --------------------------------------------------------------------------------------------
# Body model
# --------------------------------------------------------------------------------------------

# Named points of the per-frame point array (local body coordinates: forward, left, up).
_NAMES = [
    "head", "neck", "neck_base", "pelvis",
    "hip_l", "hip_r", "knee_l", "knee_r", "ankle_l", "ankle_r", "heel_l", "heel_r",
    "toe_l", "toe_r", "ball_l", "ball_r", "shorts_l", "shorts_r", "calf_l", "calf_r",
    "shoulder_l", "shoulder_r", "elbow_l", "elbow_r", "wrist_l", "wrist_r",
    "finger_l", "finger_r", "sleeve_l", "sleeve_r", "eye_l", "eye_r",
]  # fmt: skip
_IDX = {n: i for i, n in enumerate(_NAMES)}
_JOINT_NAMES = [
    "head", "neck", "pelvis", "hip_l", "hip_r", "knee_l", "knee_r", "ankle_l", "ankle_r",
    "heel_l", "heel_r", "toe_l", "toe_r", "shoulder_l", "shoulder_r", "elbow_l", "elbow_r",
    "wrist_l", "wrist_r",
]  # fmt: skip
_JOINT_IDX = np.array([_IDX[n] for n in _JOINT_NAMES])
_RING_N = 12
_RING = np.linspace(0.0, 2.0 * np.pi, _RING_N, endpoint=False)


def _ellipsoid_unit() -> np.ndarray:
    """Points on a unit sphere (forward, left, up): 9 latitude rings of 20 plus the poles.

    Dense enough that the convex hull of a head filling a third of a 1080p frame shows no
    facets.
    """
    pts = [(0.0, 0.0, 1.0), (0.0, 0.0, -1.0)]
    ring = np.linspace(0.0, 2.0 * np.pi, 20, endpoint=False)
    for lat in np.linspace(-1.25, 1.25, 9):
        r = math.cos(lat)
        pts += [(r * math.sin(a), r * math.cos(a), math.sin(lat)) for a in ring]
    return np.array(pts)


_SPHERE = _ellipsoid_unit()


def _lerp(child: float, adult: float, s: float) -> float:
    return child + (adult - child) * s


def _bgr(colour: Iterable[float], gain: float) -> tuple[float, float, float]:
    return tuple(float(min(255.0, c * gain)) for c in colour)  # type: ignore[return-value]


class _Body:
    """Per-walker constants (proportions, templates, capsules) and the pose at a time."""

    def __init__(self, w: Walker, brightness: float) -> None:
        self.w = w
        h = w.height_m
        # 0 = child proportions, 1 = adult; children up to 1.4 m, adults from 1.65 m.
        s = min(max((h - 1.4) / 0.25, 0.0), 1.0)
        self.h = h
        head_h = _lerp(0.18, 0.13, s) * h
        hip_h = _lerp(0.47, 0.51, s) * h  # hip joint height standing = leg length
        self.ankle_h = _lerp(0.045, 0.039, s) * h
        leg = hip_h - self.ankle_h
        self.thigh = 0.52 * leg
        self.shank = 0.48 * leg
        self.foot = _lerp(0.15, 0.152, s) * h
        self.heel_r = 0.022 * h
        self.toe_r = 0.019 * h
        self.hip_half = 0.05 * h
        shoulder_h = h - head_h - _lerp(0.03, 0.05, s) * h
        self.upper_arm = _lerp(0.165, 0.186, s) * h
        self.forearm = _lerp(0.13, 0.146, s) * h
        self.hand = _lerp(0.08, 0.105, s) * h

        # Frontal-plane knee angle split between thigh (medial tilt, a) and shank (lateral tilt,
        # b). Valgus first moves the knees in; once the knees touch, the rest of the angle moves
        # the ankles out, as in real genu valgum (knees together, intermalleolar gap opens).
        tfa = math.radians(w.tfa_deg)
        knee_r = 0.031 * h
        a = tfa / 2.0
        if tfa > 0:
            a_max = math.asin(max(self.hip_half - 0.9 * knee_r, 0.0) / self.thigh)
            a = min(a, a_max)
        self.add_thigh = a
        self.abd_shank = tfa - a
        self.toe_out = math.radians(7.0)
        self.lean = math.radians(_lerp(3.0, 2.0, s))

        self.stride = _stride_s(w)
        self._fit_gait()

        # Rigid upper body template, relative to (0, sway, hip height): trunk rings, head, hair.
        tan_lean = math.tan(self.lean)

        def at(up: float, fwd: float = 0.0, left: float = 0.0) -> np.ndarray:
            return np.array([fwd + tan_lean * up, left, up])

        rel = lambda frac: frac * h - hip_h  # noqa: E731  (height fraction -> above hip joint)
        # (height above the hip joint, lateral semi-axis, depth semi-axis), fractions of stature.
        pelvis_rings = [(-0.03, 0.072, 0.052), (0.02, 0.091, 0.062), (0.10, 0.084, 0.058)]
        shirt_rings = [
            (0.07, 0.089, 0.062), (0.18, 0.083, 0.058), (0.27, 0.092, 0.064),
            (shoulder_h / h - hip_h / h - 0.02, _lerp(0.1, 0.112, s), 0.058),
            (shoulder_h / h - hip_h / h + 0.02, _lerp(0.086, 0.1, s), 0.045),
        ]  # fmt: skip

        def rings(spec: list[tuple[float, float, float]]) -> np.ndarray:
            out = []
            for up_frac, a_, b_ in spec:
                c = at(up_frac * h)
                ring = np.stack(
                    [b_ * h * np.sin(_RING), a_ * h * np.cos(_RING), np.zeros(_RING_N)], axis=1
                )
                out.append(ring + c)
            return np.concatenate(out)

        pelvis_pts = rings(pelvis_rings)
        shirt_pts = rings(shirt_rings)
        head_c = rel(1.0) - head_h / 2.0
        self.head_axes = np.array([0.068, 0.062, 0.49 * head_h / h]) * h
        head_pts = _SPHERE * self.head_axes + at(head_c)
        hair_c = at(head_c + 0.03 * h, fwd=-0.018 * h)
        hair_pts = _SPHERE * (self.head_axes * np.array([1.0, 1.1, 0.84])) + hair_c

        named = np.zeros((len(_NAMES), 3))
        named[_IDX["head"]] = at(head_c)
        named[_IDX["neck"]] = at(head_c - 0.3 * head_h)
        named[_IDX["neck_base"]] = at(rel(shoulder_h / h) - 0.01 * h)
        named[_IDX["pelvis"]] = at(0.0)
        for side, sgn in (("l", 1.0), ("r", -1.0)):
            named[_IDX["shoulder_" + side]] = at(
                rel(shoulder_h / h), left=sgn * _lerp(0.092, 0.105, s) * h
            )
            named[_IDX["eye_" + side]] = at(
                head_c + 0.12 * self.head_axes[2], fwd=0.93 * self.head_axes[0],
                left=sgn * 0.36 * self.head_axes[1],
            )  # fmt: skip
        n0 = len(_NAMES)
        self.sl_pelvis = slice(n0, n0 + len(pelvis_pts))
        self.sl_shirt = slice(self.sl_pelvis.stop, self.sl_pelvis.stop + len(shirt_pts))
        self.sl_head = slice(self.sl_shirt.stop, self.sl_shirt.stop + len(head_pts))
        self.sl_hair = slice(self.sl_head.stop, self.sl_head.stop + len(hair_pts))
        self.template = np.concatenate([named, pelvis_pts, shirt_pts, head_pts, hair_pts])

        # Colours with the scene brightness applied once, here, instead of per frame.
        self.col = {
            "skin": _bgr(w.skin_bgr, brightness),
            "shirt": _bgr(w.shirt_bgr, brightness),
            "leg": _bgr(w.legwear_bgr, brightness),
            "hair": _bgr(w.hair_bgr, brightness),
            "shoe": _bgr(w.shoe_bgr, brightness),
        }
        self.eye_col = _bgr((35, 30, 30), brightness)
        self.dark = {k: _shade(c, _DARK) for k, c in self.col.items()}
        self.rim_skin = _shade(self.col["skin"], 0.85)
        self._build_capsules()

    # -- geometry -----------------------------------------------------------------------------

    def _build_capsules(self) -> None:
        """Lay out the limb capsules: (part, start point, end point, radii, colour)."""
        h = self.h
        caps: list[tuple[str, str, str, float, float, str]] = []
        lw = self.w.legwear
        for sd in ("l", "r"):
            hip, knee, ankle = "hip_" + sd, "knee_" + sd, "ankle_" + sd
            calf = "calf_" + sd
            thigh_part, shank_part = "thigh_" + sd, "shank_" + sd
            if lw == "shorts":
                caps += [
                    (thigh_part, hip, knee, 0.046 * h, 0.031 * h, "skin"),
                    (thigh_part, hip, "shorts_" + sd, 0.052 * h, 0.046 * h, "leg"),
                    (shank_part, knee, calf, 0.031 * h, 0.033 * h, "skin"),
                    (shank_part, calf, ankle, 0.033 * h, 0.018 * h, "skin"),
                ]
            elif lw == "leggings":
                caps += [
                    (thigh_part, hip, knee, 0.048 * h, 0.032 * h, "leg"),
                    (shank_part, knee, calf, 0.032 * h, 0.034 * h, "leg"),
                    (shank_part, calf, ankle, 0.034 * h, 0.019 * h, "leg"),
                ]
            else:  # loose trousers: straight legs that hide the knee's outline
                caps += [
                    (thigh_part, hip, knee, 0.06 * h, 0.045 * h, "leg"),
                    (shank_part, knee, ankle, 0.045 * h, 0.04 * h, "leg"),
                ]
            caps += [
                ("foot_" + sd, "heel_" + sd, "ball_" + sd, self.heel_r, self.toe_r, "shoe"),
                ("foot_" + sd, "ball_" + sd, "toe_" + sd, self.toe_r, 0.9 * self.toe_r, "shoe"),
            ]
            caps += [
                ("uarm_" + sd, "shoulder_" + sd, "elbow_" + sd, 0.028 * h, 0.022 * h, "skin"),
                ("uarm_" + sd, "shoulder_" + sd, "sleeve_" + sd, 0.03 * h, 0.028 * h, "shirt"),
                ("farm_" + sd, "elbow_" + sd, "wrist_" + sd, 0.021 * h, 0.016 * h, "skin"),
                ("farm_" + sd, "wrist_" + sd, "finger_" + sd, 0.019 * h, 0.014 * h, "skin"),
            ]
        caps.append(("neck", "neck_base", "neck", 0.03 * h, 0.028 * h, "skin"))
        self.cap_part = [c[0] for c in caps]
        self.cap_i0 = np.array([_IDX[c[1]] for c in caps])
        self.cap_i1 = np.array([_IDX[c[2]] for c in caps])
        self.cap_r0 = np.array([c[3] for c in caps])
        self.cap_r1 = np.array([c[4] for c in caps])
        self.cap_col = [self.col[c[5]] for c in caps]
        self.cap_dark = [_shade(self.col[c[5]], _DARK) for c in caps]
        parts: dict[str, list[int]] = {}
        for i, p in enumerate(self.cap_part):
            parts.setdefault(p, []).append(i)
        self.cap_parts = list(parts.items())

    def _legs(self, thigh_deg, knee_deg, ankle_deg, sgn):
        """Knee, ankle and shoe points relative to the hip joint, for N leg poses at once.

        Args:
            thigh_deg: Thigh angle to the vertical, forward positive, [N].
            knee_deg: Knee flexion, [N].
            ankle_deg: Ankle dorsiflexion, [N].
            sgn: +1 for a left leg, -1 for a right leg, [N].

        Returns:
            knee, ankle, heel, ball, toe ([N, 3], forward/left/up; heel, ball and toe are the
            centres of the shoe's rounded heel, ball and tip), foot pitch [N] (radians, toes up
            positive, heel to ball) and the height of each sole's lowest point [N].
        """
        sgn = np.asarray(sgn, dtype=np.float64)
        th_t = np.radians(thigh_deg)
        th_s = np.radians(np.asarray(thigh_deg) - knee_deg)
        pitch = np.radians(np.asarray(thigh_deg) - knee_deg + ankle_deg)
        ca, sa = math.cos(self.add_thigh), math.sin(self.add_thigh)
        cb, sb = math.cos(self.abd_shank), math.sin(self.abd_shank)
        knee = self.thigh * np.stack([np.sin(th_t) * ca, -sgn * sa, -np.cos(th_t) * ca], 1)
        ankle = knee + self.shank * np.stack([np.sin(th_s) * cb, sgn * sb, -np.cos(th_s) * cb], 1)
        fwd = np.stack([np.full(len(sgn), math.cos(self.toe_out)), sgn * math.sin(self.toe_out),
                        np.zeros(len(sgn))], 1)  # fmt: skip
        cp, sp = np.cos(pitch)[:, None], np.sin(pitch)[:, None]
        up = np.array([0.0, 0.0, 1.0])

        def foot_point(x: float, y: float) -> np.ndarray:
            return ankle + (x * cp - y * sp) * fwd + (x * sp + y * cp) * up

        heel = foot_point(-0.2 * self.foot, -(self.ankle_h - self.heel_r))
        ball = foot_point(0.55 * self.foot, -(self.ankle_h - self.toe_r))
        # The toes bend at the ball: with the heel up they stay nearly flat on the floor, which
        # is what lets the trailing leg reach the floor together with the leading heel.
        q = np.where(pitch < 0, 0.3 * pitch, pitch)[:, None]
        toe = ball + (0.25 * self.foot - self.toe_r) * (np.cos(q) * fwd + np.sin(q) * up)
        low = np.minimum(heel[:, 2] - self.heel_r, ball[:, 2] - self.toe_r)
        low = np.minimum(low, toe[:, 2] - self.toe_r)
        return knee, ankle, heel, ball, toe, pitch, low

    def _angles(self, phases, gain: float | None = None, lift: float | None = None):
        """Thigh, knee and ankle angles (degrees) at leg phases, plus the raw hip curve.

        Args:
            phases: Stride phases of the legs, [N] (0 = that leg's heel strike).
            gain: Hip curve scale; defaults to the fitted one. Below 0.75 (short steps for the
                leg length) knee and ankle excursions shrink with it, as in slow walking;
                otherwise rolling over the foot alone would make the steps too long.
            lift: Extra swing-phase flexion; defaults to the fitted one.

        The fitted push (extra knee flexion at the end of stance) always applies.
        """
        phases = np.asarray(phases, dtype=np.float64)
        ang = _gait_angles(phases)
        gain = self.hip_gain if gain is None else gain
        lift = self.swing_lift if lift is None else lift
        rom = min(max(gain / 0.75, 0.35), 1.0)
        thigh = _HIP_MEAN - _PELVIC_TILT + gain * (ang[0] - _HIP_MEAN)
        u = phases % 1.0
        y = (u - 0.3) / 0.34
        push = np.where((y > 0) & (y < 1), np.sin(np.pi * np.clip(y, 0, 1)) ** 2, 0.0)
        knee = np.maximum(5.0 + rom * (ang[1] - 5.0) + self.push * push, 0.0)
        ankle = rom * ang[2]
        x = (u - 0.6) / 0.38
        bump = np.where((x > 0) & (x < 1), np.sin(np.pi * np.clip(x, 0, 1)) ** 2, 0.0)
        thigh = thigh + 0.5 * lift * bump
        ankle = ankle + lift * bump
        # Foot flat from loading response to heel-off: the floor stops the forefoot from
        # pitching down, which the table's plantarflexion alone would do and so lift the heel.
        flat = np.clip((u - 0.02) / 0.05, 0, 1) * np.clip((0.44 - u) / 0.1, 0, 1)
        ankle = ankle + flat * np.maximum(0.0, -(thigh - knee + ankle))
        return thigh, knee, ankle, ang[0]

    def _step_table(self, gain: float, lift: float, n: int = 96) -> np.ndarray:
        """Forward travel of the body over one step with the stance foot locked to the floor.

        The stance leg is the one that struck at phase 0. Its shoe rolls on the floor without
        slipping: on the heel's rounded end while the toes point up, on the ball while the heel
        is up. A sphere of radius r rolling through pitch dp moves its centre by -r dp, so the
        body moves forward by -(d centre_x + r dp).

        Returns:
            Travel at ``n + 1`` evenly spaced phases over [0, 0.5].
        """
        ph = np.linspace(0.0, 0.5, n + 1)
        th, kn, an, _ = self._angles(ph, gain, lift)
        _, _, heel, ball, _, pitch, _ = self._legs(th, kn, an, np.ones(n + 1))
        on_heel = 0.5 * (pitch[1:] + pitch[:-1]) >= 0
        d_centre = np.where(on_heel, np.diff(heel[:, 0]), np.diff(ball[:, 0]))
        radius = np.where(on_heel, self.heel_r, self.toe_r)
        return np.concatenate([[0.0], np.cumsum(-(d_centre + radius * np.diff(pitch)))])

    def _fit_gait(self) -> None:
        """Fit the gait to this body, speed and cadence.

        - hip gain: scales the hip curve so that a step with the stance foot locked covers
          speed * stride / 2, i.e. the body walks at ``speed_m_s`` without sliding feet;
        - push: extra (or less) knee flexion at the end of stance, so that when the leading
          heel reaches the floor at phase 0 the trailing foot is just on the floor too; a rigid
          leg with the heel up is otherwise too long or too short for double support;
        - swing lift: extra mid-swing dorsiflexion (and half as much hip flexion) so the rigid
          swing foot clears the floor by ~1 % of stature; real feet clear it with pelvic and
          ankle motions this model leaves out, and a scraping toe would lift the whole body.

        What is left over is absorbed at run time (see ``pose``).
        """
        self.hip_gain, self.swing_lift, self.push = 1.0, 0.0, 0.0
        if self.w.path == "still":
            self.step_len = 0.0
            self.step_tab = np.zeros(2)
            self.stop_tau = 0.0
            return
        want = self.w.speed_m_s * 0.5 * self.stride

        def bisect(f, lo: float, hi: float) -> float:
            """Root of an increasing function on [lo, hi] (clamped to the ends)."""
            for _ in range(26):
                mid = 0.5 * (lo + hi)
                lo, hi = (mid, hi) if f(mid) < 0 else (lo, mid)
            return 0.5 * (lo + hi)

        def double_support_gap(push: float) -> float:
            # Trailing sole height minus leading heel height at the leading heel strike.
            self.push = push
            th, kn, an, _ = self._angles(np.array([0.0, 0.5]))
            low = self._legs(th, kn, an, np.array([1.0, -1.0]))[6]
            return float(low[1] - low[0])

        for _ in range(3):  # gain and push depend on each other weakly
            self.hip_gain = bisect(lambda g: self._step_table(g, 0.0, 48)[-1] - want, 0.1, 3.0)
            self.push = bisect(double_support_gap, -15.0, 30.0)
        ph = np.linspace(0.66, 0.82, 9)
        self.swing_lift = 30.0
        for lift in np.arange(0.0, 31.0, 2.0):
            th, kn, an, _ = self._angles(np.concatenate([ph, ph + 0.5]), lift=lift)
            low = self._legs(th, kn, an, np.repeat([1.0, -1.0], len(ph)))[6]
            if (low[: len(ph)] - low[len(ph) :]).min() >= 0.01 * self.h:
                self.swing_lift = float(lift)
                break
        # The lift only acts in swing, so the stance table needs no refit; scale away the
        # bisection's last fraction of a millimetre so the body keeps exactly the set speed.
        tab = self._step_table(self.hip_gain, self.swing_lift)
        self.step_tab = tab * (want / tab[-1])
        self.step_len = float(want)

        # A "toward"/"away" walk stops at the last heel strike that lets the slowing-down (which
        # covers 0.5 * speed * _STOP_BLEND_S) end near end_distance_m.
        self.stop_tau = math.inf
        if self.w.path in ("toward", "away"):
            dist = abs(self.w.start_distance_m - self.w.end_distance_m)
            reach = dist / self.w.speed_m_s - 0.5 * _STOP_BLEND_S
            taus = [tau for tau, _ in self.strikes(reach)]
            self.stop_tau = taus[-1] if taus else max(reach, 0.0)

    def _bend_to_floor(self, legs: list, j: int, floor: float, ang: tuple) -> None:
        """Bend leg ``j``'s knee and ankle together (foot angle kept) until its sole is at
        ``floor``; ``legs`` (the arrays from ``_legs`` for both legs) is updated in place."""
        thigh, knee, ankle = (float(a[j]) for a in ang)
        sgn = (1.0, -1.0)[j]
        delta = np.linspace(0.0, 80.0, 81)
        n = len(delta)
        low = self._legs(np.full(n, thigh), knee + delta, ankle + delta, np.full(n, sgn))[6]
        ok = np.nonzero(low >= floor)[0]
        i = int(ok[0]) if len(ok) else n - 1
        d = 0.0
        if i > 0:
            # Linear interpolation between the last sample below the floor and the first above.
            frac = (floor - low[i - 1]) / max(low[i] - low[i - 1], 1e-9)
            d = float(delta[i - 1] + min(max(frac, 0.0), 1.0) * (delta[i] - delta[i - 1]))
        bent = self._legs([thigh], [knee + d], [ankle + d], [sgn])
        for arr, new in zip(legs, bent):
            arr[j] = new[0]

    def strikes(self, until_tau: float) -> list[tuple[float, str]]:
        """Heel strikes (time after entry, side) while walking, up to ``until_tau``."""
        end = min(until_tau, getattr(self, "stop_tau", math.inf))
        out = []
        k = 1
        while True:
            # The right leg's phase is _ENTRY_PHASE + tau / stride; a leg strikes when its phase
            # passes a whole number (the left leg runs half a stride ahead).
            tau = (0.5 * k - _ENTRY_PHASE) * self.stride
            if tau > end + 1e-9:
                return out
            if tau > 0:
                out.append((tau, "right" if k % 2 == 0 else "left"))
            k += 1

    def _travel(self, phase: float) -> float:
        """Forward travel since entry at right-leg phase ``phase`` (stance foot locked)."""

        def raw(p: float) -> float:
            u = p / 0.5
            k = math.floor(u)
            frac = (u - k) * (len(self.step_tab) - 1)
            i = min(int(frac), len(self.step_tab) - 2)
            part = self.step_tab[i] + (frac - i) * (self.step_tab[i + 1] - self.step_tab[i])
            return k * self.step_len + float(part)

        return raw(phase) - raw(_ENTRY_PHASE)

    def pose(self, t: float):
        """Pose at clip time ``t``.

        Returns:
            None before entry, else (points [P, 3] in local forward/left/up coordinates with the
            origin on the floor under the pelvis, root (x, z) in the world, forward and left unit
            vectors in the world).
        """
        w = self.w
        tau = t - w.start_time_s
        if tau < 0:
            return None
        # Travelled distance and how far the pose has blended into standing.
        if w.path == "still":
            blend, travelled = 1.0, 0.0
        elif tau <= self.stop_tau:
            blend = 0.0
            travelled = self._travel(_ENTRY_PHASE + tau / self.stride)
        else:
            x = min((tau - self.stop_tau) / _STOP_BLEND_S, 1.0)
            blend = _smoothstep(x)
            # Speed fades as (1 - smoothstep); this is its integral, so the body decelerates.
            travelled = self._travel(_ENTRY_PHASE + self.stop_tau / self.stride)
            travelled += w.speed_m_s * _STOP_BLEND_S * (x - x**3 + 0.5 * x**4)
        if w.path == "toward":
            root = (w.lateral_offset_m, w.start_distance_m - travelled)
            fwd, left = (0.0, 0.0, -1.0), (1.0, 0.0, 0.0)
        elif w.path == "away":
            root = (w.lateral_offset_m, w.start_distance_m + travelled)
            fwd, left = (0.0, 0.0, 1.0), (-1.0, 0.0, 0.0)
        elif w.path == "across":
            # Facing +x with the camera on the right-hand side: the left side faces away.
            root = (w.lateral_offset_m + travelled, w.start_distance_m)
            fwd, left = (1.0, 0.0, 0.0), (0.0, 0.0, 1.0)
        else:
            root = (w.lateral_offset_m, w.start_distance_m)
            fwd, left = (0.0, 0.0, -1.0), (1.0, 0.0, 0.0)

        phase = _ENTRY_PHASE + tau / self.stride
        thigh, knee, ankle, hip_tab = self._angles(np.array([phase + 0.5, phase]))  # (left, right)
        hip = thigh * (1.0 - blend)
        knee = knee * (1.0 - blend) + 3.0 * blend
        ankle = ankle * (1.0 - blend) + 3.0 * blend
        # Arms swing against the same-side leg.
        shoulder = -0.5 * self.hip_gain * (hip_tab - _HIP_MEAN) * (1.0 - blend) + 2.0 * blend
        elbow = 12.0 + 0.6 * np.maximum(shoulder, 0.0)

        h = self.h
        # Sway over the stance foot; a slow, small sway while standing.
        sway = -0.016 * h * math.sin(2.0 * math.pi * phase) * (1.0 - blend)
        sway += 0.004 * h * math.sin(2.0 * math.pi * 0.3 * tau) * blend

        legs = list(self._legs(hip, knee, ankle, (1.0, -1.0)))
        low = legs[6]
        if blend == 0.0:
            # Which sole is on the floor. The leg that struck last (s) carries the body; in the
            # last 14 % of the other leg's swing the support shifts smoothly onto it, so its heel
            # meets the floor exactly at phase 0, the ground-truth strike. A leg that would then
            # go through the floor (the trailing one, pushing off) bends its knee and ankle
            # until it just touches, as a real trailing leg does in double support.
            s = 1 if phase % 1.0 < 0.5 else 0  # 0 left, 1 right
            o = 1 - s
            phase_o = (phase + (0.5 if o == 0 else 0.0)) % 1.0
            if phase_o < 0.75:
                floor = float(low[s])
            else:
                wgt = _smoothstep((phase_o - 0.86) / 0.14)
                floor = min((1.0 - wgt) * float(low[s]) + wgt * float(low[o]), float(low[o]))
            for j in (0, 1):
                if low[j] < floor - 1e-6:
                    self._bend_to_floor(legs, j, floor, (hip, knee, ankle))
            hip_y = -floor
        else:
            hip_y = -float(low.min())  # standing: the lower sole is on the floor
        kn, an, he, ba, to = legs[:5]
        pts = self.template.copy()
        pts += (0.0, sway, hip_y)
        hips = np.array([[0.0, self.hip_half + sway, hip_y], [0.0, -self.hip_half + sway, hip_y]])
        for j, sd in enumerate(("l", "r")):
            pts[_IDX["hip_" + sd]] = hips[j]
            pts[_IDX["knee_" + sd]] = hips[j] + kn[j]
            pts[_IDX["ankle_" + sd]] = hips[j] + an[j]
            pts[_IDX["heel_" + sd]] = hips[j] + he[j]
            pts[_IDX["toe_" + sd]] = hips[j] + to[j]
            pts[_IDX["ball_" + sd]] = hips[j] + ba[j]
            pts[_IDX["shorts_" + sd]] = hips[j] + 0.45 * kn[j]
            pts[_IDX["calf_" + sd]] = hips[j] + kn[j] + 0.3 * (an[j] - kn[j])
        # Arms: sagittal swing with a small abduction so they stay clear of the trunk.
        sgn = np.array([1.0, -1.0])
        abd = math.radians(7.0)
        sh = np.radians(shoulder)
        fa = np.radians(shoulder + elbow)
        d_up = np.stack([np.sin(sh) * math.cos(abd), sgn * math.sin(abd),
                         -np.cos(sh) * math.cos(abd)], 1)  # fmt: skip
        d_fa = np.stack([np.sin(fa) * math.cos(abd), sgn * math.sin(abd),
                         -np.cos(fa) * math.cos(abd)], 1)  # fmt: skip
        for j, sd in enumerate(("l", "r")):
            s0 = pts[_IDX["shoulder_" + sd]] + (0.0, -sgn[j] * 0.01 * h, -0.02 * h)
            el = s0 + self.upper_arm * d_up[j]
            wr = el + self.forearm * d_fa[j]
            pts[_IDX["shoulder_" + sd]] = s0
            pts[_IDX["elbow_" + sd]] = el
            pts[_IDX["wrist_" + sd]] = wr
            pts[_IDX["finger_" + sd]] = wr + self.hand * d_fa[j]
            pts[_IDX["sleeve_" + sd]] = s0 + 0.5 * self.upper_arm * d_up[j]
        return pts, root, np.array(fwd), np.array(left)


# --------------------------------------------------------------------------------------------
# Drawing helpers
# --------------------------------------------------------------------------------------------

_CAP_K = 12
_CAP_T = np.linspace(0.0, 1.0, _CAP_K)


def _capsule_polys(c0: np.ndarray, c1: np.ndarray, r0: np.ndarray, r1: np.ndarray) -> np.ndarray:
    """Outlines of tapered capsules (two circles joined by their outer tangents).

    Args:
        c0, c1: End centres, [N, 2] pixels.
        r0, r1: End radii, [N] pixels.

    Returns:
        Convex outlines, [N, 2 * _CAP_K, 2].
    """
    d = c1 - c0
    length = np.maximum(np.hypot(d[:, 0], d[:, 1]), 1e-6)
    ang = np.arctan2(d[:, 1], d[:, 0])
    # The outer tangents touch both circles at +-beta from the axis, cos(beta) = (r0 - r1) / L.
    beta = np.arccos(np.clip((r0 - r1) / length, -1.0, 1.0))
    th0 = (ang + beta)[:, None] + _CAP_T[None, :] * (2.0 * np.pi - 2.0 * beta)[:, None]
    th1 = (ang - beta)[:, None] + _CAP_T[None, :] * (2.0 * beta)[:, None]
    p0 = c0[:, None, :] + r0[:, None, None] * np.stack([np.cos(th0), np.sin(th0)], -1)
    p1 = c1[:, None, :] + r1[:, None, None] * np.stack([np.cos(th1), np.sin(th1)], -1)
    return np.concatenate([p0, p1], axis=1)


def _fixed(pts: np.ndarray) -> np.ndarray:
    """Pixel coordinates -> int32 fixed point for cv2's ``shift`` argument."""
    return np.rint(np.clip(pts, -1e6, 1e6) * _ONE).astype(np.int32)


_DARK = 0.7  # shade of the outline band; the inner, offset fill is the lit side


def _shade(col: tuple[float, float, float], k: float) -> tuple[float, float, float]:
    return (col[0] * k, col[1] * k, col[2] * k)


# --------------------------------------------------------------------------------------------
# Background
# --------------------------------------------------------------------------------------------


def _hash01(a: np.ndarray, b: np.ndarray | float = 0.0, salt: float = 0.0) -> np.ndarray:
    """Cheap deterministic pseudo-random value in [0, 1) per integer cell (a, b)."""
    v = np.sin(a * 12.9898 + b * 78.233 + salt * 37.719) * 43758.5453
    return v - np.floor(v)


def _line_cover(c: np.ndarray, period: float, half_w: float, fp: np.ndarray) -> np.ndarray:
    """Fraction of a pixel covered by periodic lines of half-width ``half_w`` (box-filtered).

    ``fp`` is the pixel footprint in the same units; where it approaches the period, the
    coverage fades to its mean so distant floor patterns do not alias into moire.
    """
    d = np.abs((c / period + 0.5) % 1.0 - 0.5) * period
    lo = np.maximum(d - fp / 2, -half_w)
    hi = np.minimum(d + fp / 2, half_w)
    cover = np.clip(hi - lo, 0.0, None) / np.maximum(fp, 1e-6)
    cover = np.minimum(cover, 1.0)
    mix = np.clip(fp / period - 0.5, 0.0, 1.0)
    return cover * (1.0 - mix) + (2.0 * half_w / period) * mix


_WALL_COLOURS = [(200, 222, 232), (222, 206, 186), (196, 218, 200), (206, 204, 232),
                 (205, 205, 205), (170, 200, 225), (228, 226, 214)]  # fmt: skip
_TILE_COLOURS = [(175, 185, 192), (150, 160, 168), (200, 200, 198), (120, 135, 150)]
_WOOD_COLOURS = [(70, 110, 160), (95, 140, 185), (60, 90, 130), (120, 160, 200)]
_CARPET_COLOURS = [(110, 100, 95), (90, 110, 140), (120, 125, 100), (80, 80, 120)]
_FURNITURE_COLOURS = [(230, 230, 232), (70, 95, 130), (140, 120, 90), (60, 60, 65),
                      (100, 150, 190), (160, 170, 120)]  # fmt: skip


def _pick(rng: np.random.Generator, palette: list, jitter: float = 12.0) -> np.ndarray:
    base = np.array(palette[int(rng.integers(len(palette)))], dtype=np.float32)
    return np.clip(base + rng.uniform(-jitter, jitter, 3), 0, 255).astype(np.float32)


def _render_background(
    scene: Scene,
    cam: _Camera,
    cw: int,
    ch: int,
    pcx: float,
    pcy: float,
    rng: np.random.Generator,
    unit_noise: np.ndarray,
) -> np.ndarray:
    """Ray-cast the empty room once into a ``ch x cw`` canvas with principal point (pcx, pcy).

    Each pixel gets a surface label (an index into a small colour palette) and a scalar shade;
    the image is ``palette[label] * shade``. Keeping per-pixel work to scalars, and doing the
    door, picture and furniture only inside their screen rectangles, keeps a 1080p room to a
    fraction of a second.

    Args:
        scene: The scene (room layout and colours come from ``rng``).
        cam: The camera.
        cw, ch: Canvas size (the frame plus the camera-shake margin).
        pcx, pcy: Principal point in canvas pixels.
        rng: Random generator for layout and colours.
        unit_noise: Standard normal noise at least ``ch x cw``; reused for the surfaces' fine
            grain instead of drawing millions more normals.

    Returns:
        BGR uint8 canvas, brightness applied.
    """
    if scene.background == "plain":
        col = np.array([168.0, 170.0, 172.0]) + rng.uniform(-18, 18, 3)
        img = np.empty((ch, cw, 3), np.float32)
        img[:] = col * scene.brightness
        return np.clip(img, 0, 255).astype(np.uint8)

    f32 = np.float32
    f = cam.f
    tilt = math.radians(scene.tilt_deg)
    ct, st = math.cos(tilt), math.sin(tilt)
    hc = scene.camera_height_m
    far = max([w.start_distance_m for w in scene.walkers]
              + [w.end_distance_m for w in scene.walkers if w.path == "away"] + [0.0])  # fmt: skip
    depth = max(scene.room_depth_m, far + 1.5)
    half_w = float(rng.uniform(2.8, 3.6))
    ceil_h = 2.6

    # Ray directions (not normalised): dx depends only on the column, dy and dz only on the row.
    dx = ((np.arange(cw, dtype=f32) - f32(pcx)) / f32(f))[None, :]
    v = (np.arange(ch, dtype=f32) - f32(pcy)) / f32(f)
    dy = (f32(-ct) * v - f32(st))[:, None]
    dz = (f32(-st) * v + f32(ct))[:, None]
    big = f32(1e6)
    with np.errstate(divide="ignore", invalid="ignore"):
        t_fc = np.where(dy < 0, hc / -dy, np.where(dy > 0, (ceil_h - hc) / dy, big)).astype(f32)
        t_back = np.where(dz > 0, depth / dz, big).astype(f32)
        t_side = np.where(np.abs(dx) > 1e-9, half_w / np.abs(dx), big).astype(f32)
    t_wall = np.minimum(t_back, t_side)  # [ch, cw]
    is_fc = t_fc <= t_wall
    t = np.minimum(t_fc, t_wall)
    X = t * dx
    Y = f32(hc) + t * dy
    Z = t * dz
    fp = t * np.sqrt(dx * dx + dy * dy + dz * dz) / f32(f)  # world size of a pixel

    # Palette entries.
    FLOOR, BACK, SIDE, SKIRT, DOOR, FRAME, DARK, ART1, ART2, CEIL, FURN = range(11)
    palette = np.zeros((FURN + 4, 3), f32)
    label = np.full((ch, cw), BACK, np.uint8)
    shade = np.ones((ch, cw), f32)

    # Walls: back wall by default, side walls where they are hit first; skirting board.
    is_side = (~is_fc) & (t_side < t_back)
    label[is_side] = SIDE
    np.copyto(shade, (1.0 - 0.12 * np.exp(-np.clip(Y, 0, None) / 0.4)).astype(f32))
    shade *= (1.0 - 0.1 * np.clip((Y - 1.6) / 1.0, 0, 1)).astype(f32)
    wall = _pick(rng, _WALL_COLOURS, 8.0)
    palette[BACK], palette[SIDE] = wall, wall * 0.86
    palette[SKIRT] = _pick(rng, [(235, 235, 235), (80, 100, 130), (200, 200, 200)], 6.0)
    label[(~is_fc) & (Y < 0.09)] = SKIRT

    # Floor (only rows below the horizon can see it) and ceiling.
    rows = np.nonzero(dy[:, 0] < 0)[0]
    floor_kind = scene.floor
    if floor_kind == "auto":
        floor_kind = ["tiles", "planks", "carpet"][int(rng.choice(3, p=[0.4, 0.45, 0.15]))]
    palette[FLOOR] = _pick(
        rng, {"tiles": _TILE_COLOURS, "planks": _WOOD_COLOURS, "carpet": _CARPET_COLOURS}[floor_kind]
    )
    if scene.floor_bgr is not None:
        palette[FLOOR] = np.array(scene.floor_bgr, f32)
    if len(rows):
        r0 = int(rows[0])
        fX, fZ, ffp = X[r0:], Z[r0:], fp[r0:]
        # A pixel's footprint along z is stretched by the grazing angle.
        graze = np.clip(np.abs(dy[r0:]) * f32(f) * ffp / np.maximum(t[r0:], 1e-6), 0.03, 1.0)
        fpz = ffp / graze
        if floor_kind == "tiles":
            size = float(rng.uniform(0.3, 0.6))
            grout = np.clip(_line_cover(fX, size, 0.004, ffp) + _line_cover(fZ, size, 0.004, fpz),
                            0, 1)  # fmt: skip
            ix, iz = np.floor(fX / size), np.floor(fZ / size)
            fade = 1.0 - np.clip(fpz / size, 0.0, 1.0)
            checker = ((ix + iz) % 2) * (0.06 if rng.random() < 0.4 else 0.0)
            tint = 1.0 + (0.06 * (_hash01(ix, iz) - 0.5) - checker) * fade
            fshade = tint * (1.0 - 0.35 * grout)
        elif floor_kind == "planks":
            pw = float(rng.uniform(0.12, 0.2))
            plank_len = float(rng.uniform(1.2, 2.0))
            ip = np.floor(fX / pw)
            off = _hash01(ip, salt=1.0) * plank_len
            seam = _line_cover(fX, pw, 0.002, ffp)
            ends = _line_cover(fZ + off, plank_len, 0.002, fpz)
            board = np.floor((fZ + off) / plank_len)
            fade = 1.0 - np.clip(ffp / pw, 0.0, 1.0)
            tint = 1.0 + 0.12 * (_hash01(ip, board, 2.0) - 0.5) * fade
            grain_fade = 1.0 - np.clip(ffp * 8.0 / pw, 0.0, 1.0)
            grain = 0.035 * np.sin(fX * (2 * np.pi * 5.0 / pw) + 6.0 * _hash01(ip, board)) * grain_fade
            fshade = (tint + grain) * (1.0 - 0.45 * np.maximum(seam, ends))
        else:
            fshade = np.ones_like(fX)
        # Darker towards the walls (the light hangs in the middle of the room).
        wall_d = np.clip(np.minimum(half_w - np.abs(fX), depth - fZ), 0, None)
        fshade = fshade * (1.0 - 0.18 * np.exp(-wall_d / 0.5))
        on_floor = is_fc[r0:] & (dy[r0:] < 0)
        np.copyto(shade[r0:], fshade.astype(f32), where=on_floor)
        label[r0:][on_floor] = FLOOR
    palette[CEIL] = (238, 238, 236)
    on_ceil = is_fc & (dy > 0)
    label[on_ceil] = CEIL
    np.copyto(shade, (0.92 - 0.1 * np.clip(Z / depth, 0, 1)).astype(f32), where=on_ceil)

    def screen_rect(x0, x1, y0, y1, z0, z1):
        """Canvas rows/columns covering a world box, or None if it is not fully in front."""
        corners = np.array([[x, y, z] for x in (x0, x1) for y in (y0, y1) for z in (z0, z1)])
        pc = (corners - cam.pos) @ cam.rot.T
        if (pc[:, 2] <= 0.05).any():
            return None
        cu = pcx + f * pc[:, 0] / pc[:, 2]
        cv = pcy + f * pc[:, 1] / pc[:, 2]
        c0, c1 = max(int(cu.min()) - 1, 0), min(int(cu.max()) + 2, cw)
        r0_, r1_ = max(int(cv.min()) - 1, 0), min(int(cv.max()) + 2, ch)
        if c0 >= c1 or r0_ >= r1_:
            return None
        return slice(r0_, r1_), slice(c0, c1)

    # Door with frame and handle on the back wall.
    door_w, door_h = 0.9, 2.05
    door_x = float(rng.uniform(-half_w + 0.3, half_w - 0.3 - door_w))
    palette[DOOR] = _pick(rng, [(240, 240, 240), (80, 110, 150), (60, 80, 110), (150, 175, 200)])
    palette[FRAME] = palette[SKIRT] * 0.97
    palette[DARK] = (60, 60, 60)
    roi = screen_rect(door_x - 0.08, door_x + door_w + 0.08, 0.0, door_h + 0.08, depth, depth)
    if roi is not None:
        rX, rY, back = X[roi], Y[roi], (label[roi] == BACK) | (label[roi] == SKIRT)
        lab, sh = label[roi], shade[roi]
        in_frame = back & (rX > door_x - 0.07) & (rX < door_x + door_w + 0.07) & (rY < door_h + 0.07)
        in_door = back & (rX > door_x) & (rX < door_x + door_w) & (rY < door_h)
        lab[in_frame] = FRAME
        lab[in_door] = DOOR
        # Two vertical grooves on the door leaf.
        groove = _line_cover(rX - door_x - 0.1, door_w - 0.2, 0.008, fp[roi])
        np.copyto(sh, (1.0 - 0.12 * groove).astype(f32), where=in_door)
        handle = in_door & (((rX - (door_x + door_w - 0.1)) ** 2 + (rY - 1.0) ** 2) < 0.035**2)
        lab[handle] = DARK

    # A picture on the back wall, away from the door.
    pic_w, pic_h = float(rng.uniform(0.5, 0.9)), float(rng.uniform(0.4, 0.6))
    spans = [(-half_w + 0.2, door_x - 0.2), (door_x + door_w + 0.2, half_w - 0.2)]
    spans = [s for s in spans if s[1] - s[0] > pic_w]
    palette[ART1], palette[ART2] = _pick(rng, _FURNITURE_COLOURS, 40.0), _pick(rng, _WALL_COLOURS, 40.0)
    if spans:
        lo, hi = spans[int(rng.integers(len(spans)))]
        pic_x = float(rng.uniform(lo, hi - pic_w))
        pic_y = float(rng.uniform(1.25, 1.55))
        roi = screen_rect(pic_x, pic_x + pic_w, pic_y, pic_y + pic_h, depth, depth)
        if roi is not None:
            rX, rY, lab = X[roi], Y[roi], label[roi]
            in_pic = (lab == BACK) & (rX > pic_x) & (rX < pic_x + pic_w) & (rY > pic_y) & (
                rY < pic_y + pic_h
            )
            inner = in_pic & (rX > pic_x + 0.04) & (rX < pic_x + pic_w - 0.04) & (
                rY > pic_y + 0.04) & (rY < pic_y + pic_h - 0.04)  # fmt: skip
            hill = rY > pic_y + 0.35 * pic_h + 0.1 * np.sin(rX * 9.0)
            lab[in_pic] = DARK
            lab[inner] = ART1
            lab[inner & hill] = ART2

    # Furniture: axis-aligned boxes against the walls, ray-cast only inside their screen boxes.
    boxes = [
        (-half_w, -half_w + rng.uniform(0.4, 0.6), 0.0, rng.uniform(0.6, 0.9),
         rng.uniform(2.5, 3.5), rng.uniform(4.2, 5.0)),  # cabinet or sofa on the left wall
        (half_w - rng.uniform(0.35, 0.5), half_w, 0.0, rng.uniform(0.35, 0.5),
         rng.uniform(4.5, 5.5), rng.uniform(5.8, 6.5)),  # toy box on the right wall
    ]  # fmt: skip
    shelf_x = door_x + door_w + 0.3 if door_x < 0 else door_x - 1.3
    if -half_w < shelf_x and shelf_x + 1.0 < half_w:
        boxes.append((shelf_x, shelf_x + 1.0, 0.0, rng.uniform(1.5, 1.9), depth - 0.35, depth))
    for bi, (x0, x1, y0, y1, z0, z1) in enumerate(boxes):
        palette[FURN + bi] = _pick(rng, _FURNITURE_COLOURS, 10.0)
        roi = screen_rect(x0, x1, y0, y1, z0, z1)
        if roi is None:
            continue
        rows_, cols_ = roi
        shape = (rows_.stop - rows_.start, cols_.stop - cols_.start)
        dirs = (np.broadcast_to(dx[:, cols_], shape), np.broadcast_to(dy[rows_], shape),
                np.broadcast_to(dz[rows_], shape))  # fmt: skip
        org = (0.0, hc, 0.0)
        tmin = np.zeros(shape, f32)
        tmax = np.full(shape, np.inf, f32)
        face = np.zeros(shape, np.int8)
        with np.errstate(divide="ignore", invalid="ignore"):
            for axis, (d, lo, hi) in enumerate(zip(dirs, (x0, y0, z0), (x1, y1, z1))):
                ta = (lo - org[axis]) / d
                tb = (hi - org[axis]) / d
                near = np.nan_to_num(np.minimum(ta, tb), nan=-np.inf)
                farr = np.nan_to_num(np.maximum(ta, tb), nan=np.inf)
                face = np.where(near > tmin, axis, face).astype(np.int8)
                tmin = np.maximum(tmin, near)
                tmax = np.minimum(tmax, farr)
        hit = (tmax >= tmin) & (tmin > 0) & (tmin < t[roi])
        if not hit.any():
            continue
        # Faces lit from above and the front: top brightest, sides darker.
        fshade = np.choose(face, [0.78, 1.08, 0.95]).astype(f32)
        if bi == 2:  # shelves: dark bands across the bookcase's front
            hy = hc + tmin * dirs[1]
            shelves = (np.abs(((hy + 0.2) % 0.42) - 0.21) > 0.19) & (face == 2)
            fshade = np.where(shelves, fshade * 0.55, fshade)
        label[roi][hit] = FURN + bi
        np.copyto(shade[roi], fshade, where=hit)
        t[roi] = np.where(hit, tmin, t[roi])

    # Light falls off away from a ceiling lamp in the middle of the room; mild vignetting;
    # low-frequency blotches and fine grain so flat surfaces are not perfectly uniform.
    X, Y, Z = t * dx, f32(hc) + t * dy, t * dz
    shade *= 0.78 + 0.3 / (1.0 + (X * X + (Y - ceil_h) ** 2 + (Z - 0.5 * depth) ** 2) / 12.0)
    yy = (np.arange(ch, dtype=f32)[:, None] - f32(pcy)) / f32(0.5 * scene.height)
    xx = (np.arange(cw, dtype=f32)[None, :] - f32(pcx)) / f32(0.5 * scene.width)
    shade *= 1.0 - 0.11 * (xx * xx + yy * yy)
    small = rng.standard_normal((max(ch // 48, 2) + 1, max(cw // 48, 2) + 1), dtype=f32)
    shade *= 1.0 + 0.02 * cv2.resize(small, (cw, ch), interpolation=cv2.INTER_CUBIC)
    shade *= f32(scene.brightness)
    img = palette[label]
    img *= shade[..., None]
    img += unit_noise[:ch, :cw, :1] * f32(1.5 * scene.brightness)
    return np.clip(img, 0, 255).astype(np.uint8)


# --------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------


def _shake_fn(scene: Scene, rng: np.random.Generator):
    """Smooth pseudo-random camera translation in whole pixels, |offset| <= amplitude."""
    amp = scene.camera_shake_px
    if amp <= 0:
        return lambda t: (0, 0)
    freqs = np.array([0.6, 1.7, 3.9])
    weights = np.array([0.55, 0.3, 0.15])
    ph = rng.uniform(0, 2 * np.pi, (2, 3))

    def offset(t: float) -> tuple[int, int]:
        s = (weights * np.sin(2 * np.pi * freqs * t + ph)).sum(axis=1) * amp
        return int(round(float(s[0]))), int(round(float(s[1])))

    return offset


def render(scene: Scene) -> Iterator[RenderedFrame]:
    """Render a scene frame by frame.

    The room, the noise tile and the body templates are made once; each frame then copies the
    background with noise, draws contact shadows and the body parts, and derives masks and boxes
    from a label image drawn in the same depth order. Memory use does not grow with clip length.

    Args:
        scene: What to render. It is validated when this is called, not on the first frame.

    Returns:
        An iterator of ``scene.n_frames`` ``RenderedFrame`` objects; each frame's arrays are new
        and may be kept by the caller.
    """
    if not isinstance(scene, Scene):
        raise TypeError(f"render() needs a Scene, got {type(scene).__name__}")
    return _render(scene)


def _render(scene: Scene) -> Iterator[RenderedFrame]:
    W, H = scene.width, scene.height
    rng = np.random.default_rng(scene.seed)
    cam = _Camera(scene)
    pad = int(math.ceil(scene.camera_shake_px)) + 1 if scene.camera_shake_px > 0 else 0
    # Noise: one tile a little larger than the frame, read at a random offset each frame; a
    # fresh Gaussian image per frame would cost more than drawing everything else.
    npad = max(48, 2 * pad + 8)
    unit = rng.standard_normal((H + npad, W + npad, 3), dtype=np.float32)
    bg = _render_background(
        scene, cam, W + 2 * pad, H + 2 * pad, cam.cx + pad, cam.cy + pad, rng, unit[::-1]
    )
    shake = _shake_fn(scene, rng)
    if scene.noise_sigma > 0:
        # Split into positive and negative parts so two saturating uint8 operations apply it.
        unit *= np.float32(scene.noise_sigma)
        n_pos = np.clip(np.rint(unit), 0, 255).astype(np.uint8)
        n_neg = np.clip(np.rint(-unit), 0, 255).astype(np.uint8)
    del unit
    bodies = [_Body(w, scene.brightness) for w in scene.walkers]
    shadow_gain = 0.42

    for index in range(scene.n_frames):
        t = index / scene.fps
        sx, sy = shake(t)
        bg_view = bg[pad + sy : pad + sy + H, pad + sx : pad + sx + W]
        if scene.noise_sigma > 0:
            ox, oy = int(rng.integers(npad)), int(rng.integers(npad))
            img = cv2.add(bg_view, n_pos[oy : oy + H, ox : ox + W])
            cv2.subtract(img, n_neg[oy : oy + H, ox : ox + W], dst=img)
        else:
            img = bg_view.copy()  # never draw into the shared background
        # The image moves by (-sx, -sy) relative to the room when the crop moves by (sx, sy).
        cx, cy = cam.cx - sx, cam.cy - sy

        label = np.zeros((H, W), np.uint8)
        draw_list: list[tuple[float, int, list]] = []
        joints: list[dict[str, tuple[float, float]] | None] = []
        dists: list[float | None] = []
        extents: list[tuple[float, float, float, float] | None] = []

        for wi, body in enumerate(bodies):
            posed = body.pose(t)
            if posed is None:
                joints.append(None)
                dists.append(None)
                extents.append(None)
                continue
            local, root, fwd, left = posed
            basis = np.stack([fwd, left, np.array([0.0, 1.0, 0.0])])  # local -> world rows
            rel0 = np.array([root[0], 0.0, root[1]]) - cam.pos
            pc = local @ (basis @ cam.rot.T) + rel0 @ cam.rot.T  # camera coordinates [P, 3]
            z = pc[:, 2]
            dists.append(float(root[1]))
            if z.min() < 0.05:  # part of the body at or behind the camera: not drawable
                joints.append(None)
                extents.append(None)
                continue
            uv = np.empty((len(pc), 2))
            uv[:, 0] = cx + cam.f * pc[:, 0] / z
            uv[:, 1] = cy + cam.f * pc[:, 1] / z
            joints.append({n: (float(uv[i, 0]), float(uv[i, 1]))
                           for n, i in zip(_JOINT_NAMES, _JOINT_IDX)})  # fmt: skip

            if scene.shadow:
                _draw_shadow(img, cam, cx, cy, body, root, shadow_gain)

            # Capsules (limbs, neck): an outline band in the dark shade and an inner lit fill
            # shifted towards the light (upper left), both computed for all capsules at once.
            i0, i1 = body.cap_i0, body.cap_i1
            r0 = cam.f * body.cap_r0 / z[i0]
            r1 = cam.f * body.cap_r1 / z[i1]
            ravg = (0.5 * (r0 + r1))[:, None]
            light = np.array([-0.3, -0.25])
            polys = _fixed(_capsule_polys(
                np.concatenate([uv[i0], uv[i0] + light * ravg]),
                np.concatenate([uv[i1], uv[i1] + light * ravg]),
                np.concatenate([r0, 0.55 * r0]), np.concatenate([r1, 0.55 * r1]),
            ))  # fmt: skip
            nc = len(i0)
            dk = body.dark
            for part, caps in body.cap_parts:
                ops = []
                for c in caps:
                    ops.append((polys[c], body.cap_dark[c], True))
                    ops.append((polys[nc + c], body.cap_col[c], False))
                depth = float(np.mean(z[np.concatenate([i0[caps], i1[caps]])]))
                draw_list.append((depth, wi, ops))

            # Hull parts: trunk (pelvis in legwear, shirt over it), head, hair.
            trunk_ops = []
            for sl, key in ((body.sl_pelvis, "leg"), (body.sl_shirt, "shirt")):
                trunk_ops += _hull_ops(uv[sl], body.col[key], dk[key], 0.8, 0.07)
            draw_list.append((float(z[body.sl_shirt].mean()), wi, trunk_ops))
            # The face gets a thin, soft rim; a wide dark band reads as a beard.
            head_ops = _hull_ops(uv[body.sl_head], body.col["skin"], body.rim_skin, 0.9, 0.03)
            hair_ops = _hull_ops(uv[body.sl_hair], body.col["hair"], dk["hair"], 0.8, 0.07)
            head_z = float(z[_IDX["head"]])
            # Facing the camera: hair behind the face, showing as a rim; otherwise hair in front,
            # covering the back and top of the head.
            to_cam = cam.pos - np.array([root[0], body.h * 0.9, root[1]])
            facing = float(fwd @ to_cam) / float(np.linalg.norm(to_cam))
            eps = 1e-3 if facing > 0.5 else -1e-3
            if facing > 0.5:
                eye_r = cam.f * 0.0055 * body.h / head_z
                if eye_r >= 0.6:
                    for e in ("eye_l", "eye_r"):
                        head_ops.append(("circle", uv[_IDX[e]], eye_r, body.eye_col))
            draw_list.append((head_z, wi, head_ops))
            draw_list.append((head_z + eps, wi, hair_ops))
            # Capsule radii stick out of the point cloud by up to ~6 % of stature at the nearest
            # point's scale; the mask search window is widened by a little more than that.
            margin = 0.08 * cam.f * body.h / float(z.min()) + 2.0
            extents.append((uv[:, 0].min() - margin, uv[:, 1].min() - margin,
                            uv[:, 0].max() + margin, uv[:, 1].max() + margin))  # fmt: skip

        # Painter's algorithm over every part of every walker: far parts first.
        draw_list.sort(key=lambda item: -item[0])
        for _, wi, ops in draw_list:
            for op in ops:
                if isinstance(op[0], str):  # ("circle", centre, radius, colour)
                    _, c, r, col = op
                    cv2.circle(img, (int(round(c[0] * _ONE)), int(round(c[1] * _ONE))),
                               max(int(round(r * _ONE)), 1), col, -1, cv2.LINE_AA, _SHIFT)
                    continue  # fmt: skip
                pts, col, outline = op
                cv2.fillConvexPoly(img, pts, col, cv2.LINE_AA, _SHIFT)
                if outline:
                    cv2.fillConvexPoly(label, pts, wi + 1, cv2.LINE_8, _SHIFT)

        masks, boxes = [], []
        for wi, ext in enumerate(extents):
            mask = np.zeros((H, W), np.uint8)
            box = None
            if ext is not None:
                x0 = max(int(ext[0]), 0)
                y0 = max(int(ext[1]), 0)
                x1 = min(int(ext[2]) + 1, W)
                y1 = min(int(ext[3]) + 1, H)
                if x0 < x1 and y0 < y1:
                    # inRange, not cv2.compare: compare against a scalar is ~50x slower here.
                    sub = cv2.inRange(label[y0:y1, x0:x1], wi + 1, wi + 1)
                    mask[y0:y1, x0:x1] = sub
                    bx, by, bw, bh = cv2.boundingRect(sub)
                    if bw > 0 and bh > 0:
                        box = (x0 + bx, y0 + by, x0 + bx + bw, y0 + by + bh)
            masks.append(mask)
            boxes.append(box)

        yield RenderedFrame(
            index=index,
            time_s=t,
            image=img,
            masks=masks,
            boxes=boxes,
            joints=joints,
            distances_m=dists,
            camera_offset_px=(sx, sy),
        )


def _hull_ops(pts2d: np.ndarray, col, dark_col, shrink: float, shift: float) -> list:
    """Dark outline hull plus an inner, lit hull shrunk towards and shifted to the light.

    Args:
        pts2d: Projected surface points, [N, 2].
        col: Lit colour.
        dark_col: Outline colour.
        shrink: Size of the lit hull relative to the outline.
        shift: Offset of the lit hull towards the upper left, as a fraction of the hull's size.
    """
    hull = cv2.convexHull(pts2d.astype(np.float32)).reshape(-1, 2).astype(np.float64)
    centre = hull.mean(axis=0)
    span = hull.max(axis=0) - hull.min(axis=0)
    inner = centre + shrink * (hull - centre) - shift * span
    return [(_fixed(hull), dark_col, True), (_fixed(inner), col, False)]


def _draw_shadow(img, cam: _Camera, cx: float, cy: float, body: _Body, root, gain: float) -> None:
    """Darken a soft ellipse on the floor under (and slightly behind) a walker, in place."""
    h = body.h
    ang = np.linspace(0, 2 * np.pi, 20, endpoint=False)
    pts = np.stack([root[0] + 0.2 * h * np.cos(ang), np.zeros_like(ang),
                    root[1] + 0.06 * h + 0.14 * h * np.sin(ang)], 1)  # fmt: skip
    pc = (pts - cam.pos) @ cam.rot.T
    if (pc[:, 2] <= 0.05).any():
        return
    u = cx + cam.f * pc[:, 0] / pc[:, 2]
    v = cy + cam.f * pc[:, 1] / pc[:, 2]
    ImgH, ImgW = img.shape[:2]
    blur = 0.25 * (v.max() - v.min() + 0.3 * (u.max() - u.min())) + 1.0
    x0, x1 = int(u.min() - 2 * blur), int(u.max() + 2 * blur) + 1
    y0, y1 = int(v.min() - 2 * blur), int(v.max() + 2 * blur) + 1
    cx0, cy0, cx1, cy1 = max(x0, 0), max(y0, 0), min(x1, ImgW), min(y1, ImgH)
    if cx0 >= cx1 or cy0 >= cy1:
        return
    # Drawn and blurred at quarter resolution: the shadow is soft, so detail is not needed.
    q = 4
    sw, shh = max((x1 - x0) // q, 1), max((y1 - y0) // q, 1)
    small = np.zeros((shh, sw), np.uint8)
    poly = np.stack([(u - x0) / q, (v - y0) / q], 1)
    cv2.fillConvexPoly(small, _fixed(poly), 255, cv2.LINE_AA, _SHIFT)
    sigma = max(blur / q, 0.5)
    small = cv2.GaussianBlur(small, (0, 0), sigma)
    full = cv2.resize(small, (x1 - x0, y1 - y0), interpolation=cv2.INTER_LINEAR)
    m = full[cy0 - y0 : cy1 - y0, cx0 - x0 : cx1 - x0]
    roi = img[cy0:cy1, cx0:cx1]
    factor = 1.0 - (gain / 255.0) * m.astype(np.float32)
    roi[:] = (roi * factor[..., None]).astype(np.uint8)


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------


def write_video(path, frames: Iterable[np.ndarray], fps: float, fourcc: str = "mp4v") -> int:
    """Write frames to a video file with cv2.VideoWriter.

    Args:
        path: Output file; its folder must exist. The container follows the extension
            (``.mp4`` with ``mp4v``, ``.avi`` with ``MJPG``).
        frames: HxWx3 BGR uint8 images (or objects with an ``image`` attribute, such as
            ``RenderedFrame``), all the same size. HxW grey images are converted to BGR.
        fps: Frame rate stored in the file.
        fourcc: Four-character codec code.

    Returns:
        The number of frames written.

    Raises:
        ValueError: No frames, a bad fourcc, or a frame of another size or type.
        OSError: The writer cannot open the file (missing folder or unsupported codec).
    """
    path = Path(path)
    if len(fourcc) != 4:
        raise ValueError(f"fourcc must be four characters, got {fourcc!r}")
    if fps <= 0:
        raise ValueError(f"fps must be positive, got {fps}")
    if not path.parent.is_dir():
        raise OSError(f"cannot write video {str(path)!r}: folder {str(path.parent)!r} does not exist")
    writer = None
    count = 0
    size = None
    try:
        for frame in frames:
            image = getattr(frame, "image", frame)
            image = np.asarray(image)
            if image.dtype != np.uint8:
                raise ValueError(f"frame {count} is {image.dtype}, expected uint8")
            if image.ndim == 2:
                image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
            if image.ndim != 3 or image.shape[2] != 3:
                raise ValueError(f"frame {count} has shape {image.shape}, expected HxWx3")
            if writer is None:
                size = (image.shape[1], image.shape[0])
                writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*fourcc), fps, size)
                if not writer.isOpened():
                    raise OSError(
                        f"cannot open a video writer for {str(path)!r} with codec {fourcc!r} at "
                        f"{size[0]}x{size[1]}: try 'mp4v' for .mp4 or 'MJPG' for .avi"
                    )
            elif (image.shape[1], image.shape[0]) != size:
                raise ValueError(
                    f"frame {count} is {image.shape[1]}x{image.shape[0]}, the video is "
                    f"{size[0]}x{size[1]}"
                )
            writer.write(np.ascontiguousarray(image))
            count += 1
    finally:
        if writer is not None:
            writer.release()
    if count == 0:
        raise ValueError(f"no frames to write to {str(path)!r}")
    return count
