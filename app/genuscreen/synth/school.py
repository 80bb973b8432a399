"""The "school" tier of the synthetic generator: recordings as schools make them.

The clean tier (``dataset.sample_clip``) films one child from a still camera in good light. Real
screening footage comes from a tablet held by hand in a corridor or a hall, with other children
and adults about. This module takes a clean clip's child and scene unchanged and adds what such
a recording meets, each drawn per clip so that results can be broken down by condition:

- a hand-held camera: shake (hand tremor of 1-4 Hz plus a slow drift, translation and roll)
  and, in some clips, a slow horizontal pan;
- one or two bystanders in some clips: a child or an adult sitting at the side (on a bench or
  on the floor), standing at the side, or crossing the picture behind the walker; they are the
  renderer's own people in other clothes, so a pose model sees people, and they are placed so
  that they never hide the walker for more than a moment;
- strong motion blur, exposure flicker (frame-to-frame gain changes), low light (a dark picture
  with more sensor noise) and strong compression (JPEG at a low quality) in some clips.

The conditions come from their own random streams (``np.random.SeedSequence(seed, spawn_key=
(SCHOOL_STREAM,))``), so a school clip shows the same child in the same room as the clean clip
of the same seed and the clean tier does not change at all.

How the picture is made. The renderer draws the scene on a canvas wider than the frame by the
camera's largest excursion, with the same focal length (so the canvas is the frame seen through
a wider lens); each output frame is that canvas warped by the camera's pose at the frame's time
(translation and roll about the frame's centre), averaged over the exposure when the camera
moves fast (camera motion blur), then given the frame's exposure gain (flicker), sensor noise
and JPEG compression. The ground truth (masks, boxes, joints) goes through the same warp at the
frame's time, so it is in the coordinates of the final frames. The camera's motion is scaled
down where needed so that the walker stays whole in view in every frame.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Iterator

import cv2
import numpy as np

from genuscreen.synth import dataset as ds
from genuscreen.synth.body import _NAMES
from genuscreen.synth.walk import (
    SKIN_TONES_BGR,
    Prop,
    RenderedFrame,
    Scene,
    Walker,
    _body_of,
    _Camera,
    _project,
    _Posed,
    render,
    room_half_width_m,
)

__all__ = [
    "BYSTANDER_KINDS",
    "SCHOOL_COLUMNS",
    "TIERS",
    "Conditions",
    "HandHeld",
    "SchoolClip",
    "condition_record",
    "render_school",
    "sample_school_clip",
    "school_clip",
]

TIERS = ds.TIERS
BYSTANDER_KINDS = ("sitting", "standing", "crossing")

# Label columns a school clip adds to ``dataset.COLUMNS`` (see ``condition_record``).
SCHOOL_COLUMNS = (
    "tier", "shake", "shake_roll_deg", "shake_hz", "pan", "bystanders", "bystander_kinds",
    "bystander_adults", "blur", "camera_blur", "flicker", "low_light", "brightness",
    "noise_sigma", "jpeg_quality",
)  # fmt: skip

# Separates the school tier's streams from the clip's own (clean) stream and from the training
# fast path's mask noise (spawn key 1).
SCHOOL_STREAM = 0x5C400

# --------------------------------------------------------------------------------------------
# Ranges (sampling choices, not clinical thresholds)
# --------------------------------------------------------------------------------------------

# Hand-held camera. Most school recordings are hand-held; a few rest on a table or a shelf.
STEADY_SHARE = 0.1
# Peak translation of the shake as a share of the picture width, drawn uniformly per clip.
SHAKE_RANGE = (0.002, 0.03)
# Hand tremor of a held tablet: 1-4 Hz; the arm drifts more slowly (0.1-0.5 Hz).
TREMOR_HZ = (1.0, 4.0)
DRIFT_HZ = (0.1, 0.5)
# Peak roll (degrees) of the strongest shake; weaker shakes roll proportionally less.
ROLL_MAX_DEG = 1.2
# Some operators pan slowly (following the child, or just drifting): a few % of the width a
# second.
PAN_SHARE = 0.35
PAN_RANGE = (0.01, 0.04)  # share of the width per second

# People about: how many bystanders a clip draws (before placement, which may drop one that
# cannot stand clear of the walker), of which kinds, and how many are adults.
BYSTANDER_COUNT_WEIGHTS = (0.4, 0.4, 0.2)  # 0, 1, 2
BYSTANDER_KIND_WEIGHTS = {"sitting": 0.3, "standing": 0.35, "crossing": 0.35}
ADULT_SHARE = 0.35
BENCH_SHARE = 0.5  # a sitting bystander sits on a bench, else on the floor
# A bystander may stand in front of part of the walker for at most this long (seconds), where
# "in front of" means nearer the camera and covering over 10 % of the walker's box.
MAX_OCCLUSION_S = 0.3
_PLACEMENT_TRIES = 12

# Picture. Each condition is on in a share of the clips; otherwise the clean scene's value
# stays.
BLUR_SHARE = 0.4
BLUR_RANGE = (0.5, 1.0)  # exposure as a share of the frame interval
FLICKER_SHARE = 0.3
FLICKER_RANGE = (0.03, 0.12)  # peak gain change
FLICKER_HZ = (1.0, 12.0)  # beat of mains-powered lights with the frame rate
LOW_LIGHT_SHARE = 0.25
# Dim but screenable: the picture's median grey level (0-255) a low-light clip is dimmed to.
# The quality gate refuses under 40; clean clips lie at about 90-220.
LOW_LIGHT_LUMA = (48.0, 80.0)
LOW_LIGHT_NOISE = (6.0, 12.0)  # grey levels, the camera's gain turned up
COMPRESSION_SHARE = 0.6
STRONG_JPEG_QUALITY = (10, 30)

# Margins the walker's box keeps from the frame's edges in every frame (share of the height and
# of the width); the quality gate marks a person as cut off within 1 % of the height.
_EDGE_V = 0.012
_EDGE_H = 0.008
# Placement checks every this many seconds (people move little in between).
_CHECK_STEP_S = 0.1


# --------------------------------------------------------------------------------------------
# Data types
# --------------------------------------------------------------------------------------------

Wave = tuple[tuple[float, float, float], ...]  # (frequency Hz, amplitude, phase rad) terms


def _wave(wave: Wave, t: np.ndarray) -> np.ndarray:
    out = np.zeros_like(t, dtype=np.float64)
    for hz, amp, phase in wave:
        out += amp * np.sin(2.0 * np.pi * hz * t + phase)
    return out


@dataclass(frozen=True)
class HandHeld:
    """How the camera moves: where the frame lies on the wide canvas at any time.

    Attributes:
        shake_px: Peak translation of the shake over the clip's frames, pixels.
        roll_deg: Peak roll of the shake, degrees.
        pan_px_s: Horizontal pan, pixels per second (positive: the view moves right, so the
            scene moves left in the picture).
        pan_mid_s: The time at which the pan passes the unmoved view (the middle of the clip),
            so the canvas needs only half the pan's travel on either side.
        wave_x, wave_y, wave_roll: Unit shake signals (peak translation 1, peak roll 1).
        tremor_hz: Amplitude-weighted mean frequency of the tremor terms (for the label).
    """

    shake_px: float = 0.0
    roll_deg: float = 0.0
    pan_px_s: float = 0.0
    pan_mid_s: float = 0.0
    wave_x: Wave = ()
    wave_y: Wave = ()
    wave_roll: Wave = ()
    tremor_hz: float = 0.0

    def at(self, t) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Offset (dx, dy) in pixels and roll (degrees) at time(s) ``t``: the frame's centre
        lies (dx, dy) from the canvas' centre and the frame is turned by the roll."""
        t = np.asarray(t, dtype=np.float64)
        dx = self.shake_px * _wave(self.wave_x, t) + self.pan_px_s * (t - self.pan_mid_s)
        dy = self.shake_px * _wave(self.wave_y, t)
        return dx, dy, self.roll_deg * _wave(self.wave_roll, t)

    def scaled(self, shake: float, pan: float) -> "HandHeld":
        """The same motion with the shake (translation and roll) and the pan scaled."""
        return dataclasses.replace(self, shake_px=self.shake_px * shake, roll_deg=self.roll_deg * shake,
                                   pan_px_s=self.pan_px_s * pan)  # fmt: skip


@dataclass(frozen=True)
class Conditions:
    """What a school clip adds to its clean scene (the label record holds all of it).

    Attributes:
        camera: The camera's motion.
        bystanders: Kind of each bystander (``BYSTANDER_KINDS``), in the order of
            ``scene.walkers[1:]``.
        adults: How many of the bystanders are adults.
        blur: Exposure as a share of the frame interval (walkers and camera motion blur).
        flicker: Peak frame-to-frame exposure gain change (0: none).
        flicker_hz: Frequency of the flicker's periodic part.
        low_light: Whether the clip was drawn dim (brightness and noise then say how dim).
        jpeg_quality: JPEG quality every frame goes through (None: none).
        seed: Seed of the picture's random parts (flicker, noise).
    """

    camera: HandHeld
    bystanders: tuple[str, ...]
    adults: int
    blur: float
    flicker: float
    flicker_hz: float
    low_light: bool
    jpeg_quality: int | None
    seed: int


@dataclass(frozen=True)
class SchoolClip:
    """A school-tier recording: its scene and the conditions drawn for it.

    ``scene`` is the clean scene with the bystanders added after the child
    (``scene.walkers[0]``), their props (benches) and exits, and the clip's brightness, noise,
    blur and JPEG quality; its ``camera_shake_px`` is 0 because the camera's motion is
    ``conditions.camera``. Render it with ``render_school``.
    """

    scene: Scene
    conditions: Conditions


# --------------------------------------------------------------------------------------------
# Sampling
# --------------------------------------------------------------------------------------------


def sample_school_clip(
    seed: int, label: str, size: tuple[int, int] | None = None, fps: float | None = None
) -> SchoolClip:
    """The school clip of a clip seed: the clean clip's child and scene plus school conditions."""
    _, scene = ds.sample_clip(seed, label, size, fps)
    return school_clip(scene, seed)


def school_clip(scene: Scene, seed: int) -> SchoolClip:
    """Add school conditions, drawn from ``seed``'s school streams, to a one-child scene.

    Each kind of draw has its own stream (picture, people, camera), so that, say, a bystander
    that needed more placement tries does not change the camera's shake.
    """
    streams = np.random.SeedSequence(seed, spawn_key=(SCHOOL_STREAM,)).spawn(3)
    picture_rng, people_rng, camera_rng = (np.random.default_rng(s) for s in streams)
    picture = _draw_picture(picture_rng, scene)
    if picture["low_light"]:
        picture["brightness"] = _dimmed(scene, picture["luma"])
    people = _place_bystanders(people_rng, scene)
    scene = dataclasses.replace(
        scene,
        walkers=(scene.walkers[0], *(p.walker for p in people)),
        props=tuple(p.bench for p in people if p.bench is not None),
        exit_times_s=(None, *(p.exit_s for p in people)),
        brightness=picture["brightness"],
        noise_sigma=picture["noise_sigma"],
        motion_blur=picture["blur"],
        jpeg_quality=picture["jpeg_quality"],
        camera_shake_px=0.0,
    )
    camera = _fit_in_view(_draw_camera(camera_rng, scene), scene)
    conditions = Conditions(
        camera=camera,
        bystanders=tuple(p.kind for p in people),
        adults=sum(p.adult for p in people),
        blur=picture["blur"],
        flicker=picture["flicker"],
        flicker_hz=picture["flicker_hz"],
        low_light=picture["low_light"],
        jpeg_quality=picture["jpeg_quality"],
        seed=picture["seed"],
    )
    return SchoolClip(scene, conditions)


def _draw_picture(rng: np.random.Generator, scene: Scene) -> dict:
    """Blur, flicker, low light and compression. Every value is drawn whether or not its
    condition is on, so switching one on never changes another."""
    on = rng.random(4) < (BLUR_SHARE, FLICKER_SHARE, LOW_LIGHT_SHARE, COMPRESSION_SHARE)
    blur = round(float(rng.uniform(*BLUR_RANGE)), 3)
    flicker = round(float(rng.uniform(*FLICKER_RANGE)), 3)
    flicker_hz = round(float(rng.uniform(*FLICKER_HZ)), 2)
    luma = float(rng.uniform(*LOW_LIGHT_LUMA))
    noise = round(float(rng.uniform(*LOW_LIGHT_NOISE)), 2)
    quality = int(rng.integers(STRONG_JPEG_QUALITY[0], STRONG_JPEG_QUALITY[1] + 1))
    return {
        "blur": blur if on[0] else scene.motion_blur,
        "flicker": flicker if on[1] else 0.0,
        "flicker_hz": flicker_hz if on[1] else 0.0,
        "low_light": bool(on[2]),
        "luma": luma,
        "brightness": scene.brightness,
        "noise_sigma": noise if on[2] else scene.noise_sigma,
        "jpeg_quality": quality if on[3] else scene.jpeg_quality,
        "seed": int(rng.integers(2**31 - 1)),
    }


def _dimmed(scene: Scene, luma: float) -> float:
    """The brightness that gives the scene's picture a median grey level of about ``luma``.

    Rooms differ a lot (pale walls, dark corridors, back light), so one dimming factor would
    leave some clips too dark to screen and others hardly dim: the empty scene's first frame is
    rendered small and the brightness scaled to the wanted level (the picture is linear in it
    below white).
    """
    k = max(1, round(scene.width / 160))
    small = dataclasses.replace(scene, width=max(16, scene.width // k), height=max(16, scene.height // k),
                                walkers=(), noise_sigma=0.0, jpeg_quality=None, camera_shake_px=0.0)  # fmt: skip
    grey = cv2.cvtColor(next(iter(render(small))).image, cv2.COLOR_BGR2GRAY)
    measured = max(float(np.median(grey)), 1.0)
    # Never brighter than the clean clip: a room already that dim stays as it is.
    return round(float(np.clip(scene.brightness * luma / measured, 0.15, scene.brightness)), 3)


# -- the camera --------------------------------------------------------------------------------


def _unit_wave(rng: np.random.Generator, bands: list[tuple[tuple[float, float], int, float]]) -> Wave:
    """A sum of sines: for each (frequency range, number of terms, share of the amplitude)."""
    terms = []
    for (lo, hi), n, share in bands:
        amps = rng.uniform(0.5, 1.0, n)
        amps *= share / amps.sum()
        for amp in amps:
            terms.append((round(float(rng.uniform(lo, hi)), 3), float(amp), float(rng.uniform(0, 2 * np.pi))))
    return tuple(terms)


def _draw_camera(rng: np.random.Generator, scene: Scene) -> HandHeld:
    """Draw the hand-held camera's shake and pan (before fitting the walker in view).

    The shake is tremor (four sines of 1-4 Hz) plus drift (two of 0.1-0.5 Hz) on each axis and
    in roll, not white noise: a hand moves smoothly. Its peak over the clip's frames is scaled
    to the drawn amplitude.
    """
    steady = rng.random() < STEADY_SHARE
    share = float(rng.uniform(*SHAKE_RANGE))
    tremor_share = float(rng.uniform(0.4, 0.8))
    bands = [(TREMOR_HZ, 4, tremor_share), (DRIFT_HZ, 2, 1.0 - tremor_share)]
    waves = [_unit_wave(rng, bands) for _ in range(3)]
    pan = float(rng.uniform(*PAN_RANGE)) * (1.0 if rng.random() < 0.5 else -1.0)
    panning = rng.random() < PAN_SHARE
    roll = ROLL_MAX_DEG * (share / SHAKE_RANGE[1]) * float(rng.uniform(0.3, 1.0))

    times = np.arange(scene.n_frames) / scene.fps
    peak_xy = float(np.hypot(_wave(waves[0], times), _wave(waves[1], times)).max())
    peak_roll = float(np.abs(_wave(waves[2], times)).max())
    wx, wy, wr = (tuple((hz, amp / peak, ph) for hz, amp, ph in w)
                  for w, peak in zip(waves, (peak_xy, peak_xy, peak_roll)))  # fmt: skip
    tremor = [(hz, abs(amp)) for w in waves[:2] for hz, amp, _ in w if hz >= TREMOR_HZ[0]]
    return HandHeld(
        shake_px=0.0 if steady else share * scene.width,
        roll_deg=0.0 if steady else roll,
        pan_px_s=pan * scene.width if panning else 0.0,
        pan_mid_s=0.5 * (scene.n_frames - 1) / scene.fps,
        wave_x=wx,
        wave_y=wy,
        wave_roll=wr,
        tremor_hz=0.0 if steady else sum(hz * a for hz, a in tremor) / sum(a for _, a in tremor),
    )


def _frame_corners(camera: HandHeld, times: np.ndarray, boxes: np.ndarray, scene: Scene) -> np.ndarray:
    """Corners of boxes (unmoved-view pixels, [T, 4]) in the moved frames: [T, 4 corners, 2]."""
    dx, dy, roll = camera.at(times)
    c = np.array([(scene.width - 1) / 2.0, (scene.height - 1) / 2.0])
    x0, y0, x1, y1 = boxes.T
    pts = np.stack([np.stack([x0, y0], -1), np.stack([x1, y0], -1), np.stack([x0, y1], -1),
                    np.stack([x1, y1], -1)], 1) - c - np.stack([dx, dy], -1)[:, None]  # fmt: skip
    # A frame turned by +roll sees the scene turned by -roll.
    a = np.radians(roll)[:, None]
    cos, sin = np.cos(a), np.sin(a)
    out = np.empty_like(pts)
    out[..., 0] = cos * pts[..., 0] + sin * pts[..., 1]
    out[..., 1] = -sin * pts[..., 0] + cos * pts[..., 1]
    return out + c


def _in_view(camera: HandHeld, times: np.ndarray, boxes: np.ndarray, scene: Scene) -> bool:
    corners = _frame_corners(camera, times, boxes, scene)
    mx, my = _EDGE_H * scene.width, _EDGE_V * scene.height
    return bool(corners[..., 0].min() >= mx and corners[..., 0].max() <= scene.width - 1 - mx
                and corners[..., 1].min() >= my and corners[..., 1].max() <= scene.height - 1 - my)  # fmt: skip


def _largest_scale(fits) -> float:
    """The largest s in [0, 1] with fits(s) (fits is monotonic; fits(0) is assumed)."""
    if fits(1.0):
        return 1.0
    lo, hi = 0.0, 1.0
    for _ in range(12):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if fits(mid) else (lo, mid)
    return lo


def _walker_boxes(scene: Scene) -> tuple[np.ndarray, np.ndarray]:
    """Frame times and the walker's tight boxes (unmoved view) in the frames where it is seen.

    The boxes come from the walker's own masks rendered at about 480 pixels wide (masks only,
    a fraction of a second), scaled back with a pixel of slack per scale step: the projected
    extents that placement uses carry a margin of a limb's radius, as much as the framing
    leaves at the near end of the walk.
    """
    k = max(1, round(scene.width / 480))
    small = dataclasses.replace(scene, width=max(16, scene.width // k), height=max(16, scene.height // k),
                                walkers=scene.walkers[:1], props=(), exit_times_s=())  # fmt: skip
    sx, sy = scene.width / small.width, scene.height / small.height
    times, boxes = [], []
    for frame in render(small, rgb=False):
        if frame.boxes[0] is not None:
            x0, y0, x1, y1 = frame.boxes[0]
            times.append(frame.time_s)
            boxes.append((x0 * sx - sx, y0 * sy - sy, x1 * sx + sx, y1 * sy + sy))
    return np.array(times), np.array(boxes, np.float64).reshape(-1, 4)


def _fit_in_view(camera: HandHeld, scene: Scene) -> HandHeld:
    """Scale the pan, then the shake, down until the walker stays whole in every frame.

    The clean scene frames the child with little room to spare at the near end of the walk, so
    a strong shake of a large child is reduced there; the label records what was rendered.
    """
    times, boxes = _walker_boxes(scene)
    pan = _largest_scale(lambda s: _in_view(camera.scaled(0.0, s), times, boxes, scene))
    shake = _largest_scale(lambda s: _in_view(camera.scaled(s, pan), times, boxes, scene))
    return camera.scaled(round(shake, 3), round(pan, 3))


# -- the bystanders ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Bystander:
    kind: str
    walker: Walker
    adult: bool
    bench: Prop | None = None
    exit_s: float | None = None


def _track(scene: Scene, index: int, times: np.ndarray, walker: Walker | None = None):
    """Image extents [T, 4] (NaN where absent) and depths [T] of one person in the unmoved view.

    ``walker`` (default ``scene.walkers[index]``) lets a candidate be tried at ``index`` before
    it is in the scene.
    """
    walker = walker if walker is not None else scene.walkers[index]
    body = _body_of(walker, scene.seed, index)
    cam = _Camera(scene)
    boxes = np.full((len(times), 4), np.nan)
    depth = np.full(len(times), np.nan)
    for k, t in enumerate(times):
        p = _project(body, float(t), cam, cam.cx, cam.cy)
        if isinstance(p, _Posed):
            boxes[k] = p.extent
            depth[k] = p.root[1]
    return boxes, depth


def _overlap_share(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Share of each box in ``a`` covered by the box in ``b`` at the same time (NaN -> 0)."""
    w = np.minimum(a[:, 2], b[:, 2]) - np.maximum(a[:, 0], b[:, 0])
    h = np.minimum(a[:, 3], b[:, 3]) - np.maximum(a[:, 1], b[:, 1])
    area = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    with np.errstate(invalid="ignore"):
        share = np.clip(w, 0, None) * np.clip(h, 0, None) / area
    return np.nan_to_num(share)


def _keeps_clear(times: np.ndarray, tracks: list, cand) -> bool:
    """True when the candidate hides none of the people already placed (the walker first) for
    more than ``MAX_OCCLUSION_S``, and none of them hides it for long either."""
    boxes, depth = cand
    step = times[1] - times[0] if len(times) > 1 else 1.0
    for other_boxes, other_depth in tracks:
        with np.errstate(invalid="ignore"):
            in_front = depth < other_depth
            behind = depth > other_depth
        hides = in_front & (_overlap_share(other_boxes, boxes) > 0.1)
        hidden = behind & (_overlap_share(boxes, other_boxes) > 0.5)
        if hides.sum() * step > MAX_OCCLUSION_S or hidden.sum() * step > 1.0:
            return False
    return True


def _seen_for(scene: Scene, boxes: np.ndarray, step: float) -> float:
    """Seconds during which a person's box centre is in the picture."""
    cx = 0.5 * (boxes[:, 0] + boxes[:, 2])
    cy = 0.5 * (boxes[:, 1] + boxes[:, 3])
    with np.errstate(invalid="ignore"):
        inside = (cx > 0) & (cx < scene.width) & (cy > 0) & (cy < scene.height)
    return float(inside.sum() * step)


def _person(rng: np.random.Generator, adult: bool, seated: bool) -> dict:
    """Body and clothes of a bystander (``Walker`` fields), unlike any particular walker's."""
    sex = "female" if rng.random() < 0.5 else "male"
    if adult:
        mean, sd = (1.64, 0.06) if sex == "female" else (1.77, 0.07)
        height = float(np.clip(rng.normal(mean, sd), 1.5, 1.95))
        age, bmi = 18.0, float(rng.uniform(19.0, 30.0))
        legwear = ds._choice(rng, {"trousers": 0.6, "leggings": 0.15, "shorts": 0.1,
                                   "skirt": 0.15 if sex == "female" else 0.0})  # fmt: skip
    else:
        age = float(rng.uniform(4.0, 12.0))
        height = ds.stature_median_m(age, sex) * float(np.clip(1.0 + 0.045 * rng.standard_normal(), 0.9, 1.1))
        bmi = float(np.clip(16.0 * math.exp(0.12 * rng.standard_normal()), 13.0, 26.0))
        legwear = ds._choice(rng, ds.LEGWEAR_WEIGHTS[sex])
    if seated and legwear == "skirt":
        legwear = "trousers"  # the skirt's hem follows walking knees, not seated ones
    skin = ds._colour(rng, SKIN_TONES_BGR, 8.0)
    return {
        "height_m": round(height, 3),
        "age_y": round(age, 2),
        "sex": sex,
        "bmi": round(bmi, 2),
        "legwear": legwear,
        "skin_bgr": skin,
        "hair_bgr": ds._colour(rng, ds._HAIR, 12.0),
        "shirt_bgr": ds._colour(rng, ds._SHIRT, 20.0),
        "legwear_bgr": ds._colour(rng, ds._LEGWEAR, 20.0),
        "shoe_bgr": ds._colour(rng, ds._SHOES, 15.0),
    }


def _side_limit(scene: Scene, z: float, wall: float | None) -> float:
    """Largest |x| (metres) at depth z for a person's centre: inside the walls and the view."""
    view = z * math.tan(math.radians(scene.hfov_deg) / 2.0) - 0.3
    return min(view, wall - 0.3) if wall is not None else view


def _beside_walk(rng: np.random.Generator, scene: Scene, z: float, wall: float | None) -> float | None:
    """A lateral position at depth z clear of the walker's path, or None when none fits."""
    child = scene.walkers[0]
    z_path = min(max(z, child.end_distance_m), child.start_distance_m)
    x_child = ds._walk_x(child, z_path)
    side = 1.0 if rng.random() < 0.5 else -1.0
    limit = _side_limit(scene, z, wall)
    lo = side * x_child + 0.6  # the walker's half width, swinging arms and a gap
    if limit <= lo:
        side, lo = -side, -side * x_child + 0.6
        if limit <= lo:
            return None
    return side * float(rng.uniform(lo, limit))


def _static_bystander(rng: np.random.Generator, scene: Scene, kind: str, adult: bool,
                      wall: float | None) -> _Bystander | None:  # fmt: skip
    """One try at a sitting or standing person beside the walk, facing roughly the walkway."""
    child = scene.walkers[0]
    near = max(2.0, child.end_distance_m - 0.3)
    z = float(rng.uniform(near, child.start_distance_m + (1.5 if kind == "sitting" else 2.5)))
    x = _beside_walk(rng, scene, z, wall)
    # The plain background has no room to put a bench in: sitters sit on the floor there.
    on_bench = rng.random() < BENCH_SHARE and scene.background != "plain"
    if x is None:
        return None
    looks = _person(rng, adult, seated=kind == "sitting")
    # Turned toward the walkway: positive heading faces the camera's right.
    turn = float(rng.uniform(20.0, 70.0) if kind == "sitting" else rng.uniform(0.0, 40.0))
    path = "still" if kind == "standing" else ("sit" if on_bench else "sit_floor")
    walker = Walker(path=path, start_distance_m=round(z, 3), lateral_offset_m=round(x, 3),
                    heading_deg=round(-math.copysign(turn, x), 1), speed_m_s=0.0, **looks)  # fmt: skip
    bench = _bench_under(rng, walker) if path == "sit" else None
    return _Bystander(kind, walker, adult, bench=bench)


def _bench_under(rng: np.random.Generator, walker: Walker) -> Prop:
    """A bench along the room (long side away from the camera) whose seat meets the sitter."""
    body = _body_of(walker)
    points, root, _, _ = body.pose(0.0)
    # The pelvis rings follow the named points; their lowest point rests on the seat.
    pelvis = points[len(_NAMES) : len(_NAMES) + len(body.pelvis_pts)]
    seat = float(pelvis[:, 2].min())
    half_len = float(rng.uniform(0.6, 0.9))
    colour = ds._colour(rng, [(60, 90, 130), (45, 65, 95), (150, 150, 150), (40, 110, 60), (120, 70, 40)], 12.0)
    return Prop(root[0] - 0.2, root[0] + 0.2, 0.0, round(seat, 3), root[1] - half_len, root[1] + half_len, colour)


def _crossing_bystander(rng: np.random.Generator, scene: Scene, adult: bool, wall: float | None,
                        walker_track) -> _Bystander | None:  # fmt: skip
    """One try at a person walking across the picture behind the walker.

    They walk left to right (the renderer's "across" path), up to 10 degrees off square
    (turned a little toward or away from the camera), and pass behind the walker 1-2.5 m
    farther away in the middle part of its walk (15-85 % of the time it is in view; earlier
    both would be too small to tell apart). They enter from outside the picture or from a
    side wall (a door) and leave likewise.
    """
    times, (boxes, depth) = walker_track
    present = np.flatnonzero(np.isfinite(depth))
    if len(present) < 4:
        return None
    k = int(rng.choice(present[int(0.15 * len(present)) : max(1, int(0.85 * len(present)))]))
    t_pass = float(times[k])
    z = float(depth[k] + rng.uniform(1.0, 2.5))
    x_pass = ds._walk_x(scene.walkers[0], min(max(depth[k], scene.walkers[0].end_distance_m),
                                              scene.walkers[0].start_distance_m))  # fmt: skip
    view = z * math.tan(math.radians(scene.hfov_deg) / 2.0) + 0.5
    bound = min(view, wall - 0.15) if wall is not None else view
    looks = _person(rng, adult, seated=False)
    if adult:
        speed, cadence = float(rng.uniform(1.1, 1.5)), float(rng.uniform(100.0, 120.0))
    else:
        speed = float(rng.uniform(0.9, 1.4))
        cadence = float(np.clip(60.0 * speed / (0.41 * looks["height_m"]), 110.0, 170.0))
    start_x = -bound
    start_t = t_pass - (x_pass - start_x) / speed
    if start_t < 0:  # already in the room when the clip starts
        start_x, start_t = start_x - start_t * speed, 0.0
    exit_s = start_t + (bound - start_x) / speed
    walker = Walker(path="across", start_distance_m=round(z, 3), lateral_offset_m=round(start_x, 3),
                    start_time_s=round(start_t, 3), speed_m_s=round(speed, 3),
                    cadence_steps_per_min=round(cadence, 1), heading_deg=round(float(rng.uniform(-10, 5)), 1),
                    **looks)  # fmt: skip
    return _Bystander("crossing", walker, adult, exit_s=round(exit_s, 3))


def _place_bystanders(rng: np.random.Generator, scene: Scene) -> list[_Bystander]:
    """Draw how many bystanders and of which kinds, and place each where it keeps clear of the
    walker and of the others; one that finds no such place in a few tries is left out."""
    count = int(rng.choice(len(BYSTANDER_COUNT_WEIGHTS), p=BYSTANDER_COUNT_WEIGHTS))
    kinds = [ds._choice(rng, BYSTANDER_KIND_WEIGHTS) for _ in range(count)]
    adults = [bool(rng.random() < ADULT_SHARE) for _ in range(count)]
    if count == 0:
        return []
    wall = room_half_width_m(scene)
    times = np.arange(0.0, scene.duration_s, _CHECK_STEP_S)
    tracks = [_track(scene, 0, times)]
    placed: list[_Bystander] = []
    for kind, adult in zip(kinds, adults):
        for _ in range(_PLACEMENT_TRIES):
            if kind == "crossing":
                cand = _crossing_bystander(rng, scene, adult, wall, (times, tracks[0]))
            else:
                cand = _static_bystander(rng, scene, kind, adult, wall)
            if cand is None:
                continue
            track = _track(scene, len(placed) + 1, times, cand.walker)
            if cand.exit_s is not None:
                track[0][times >= cand.exit_s] = np.nan
                track[1][times >= cand.exit_s] = np.nan
            need = 0.8 if kind == "crossing" else 0.8 * scene.duration_s
            if _seen_for(scene, track[0], _CHECK_STEP_S) >= need and _keeps_clear(times, tracks, track):
                placed.append(cand)
                tracks.append(track)
                break
    return placed


# --------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------


def _smear_px(clip: SchoolClip, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """How far (dx, dy pixels) the camera moves from time t to either end of the exposure:
    the larger of the two, per axis."""
    half = 0.5 * clip.conditions.blur / clip.scene.fps
    mid, before, after = (clip.conditions.camera.at(t + s) for s in (0.0, -half, half))
    return (np.maximum(np.abs(before[0] - mid[0]), np.abs(after[0] - mid[0])),
            np.maximum(np.abs(before[1] - mid[1]), np.abs(after[1] - mid[1])))  # fmt: skip


def _pads(clip: SchoolClip) -> tuple[int, int]:
    """Canvas margins (pixels, each side) that the camera's largest excursion needs: offset,
    roll (at the frame's corners) and the exposure's smear."""
    scene = clip.scene
    t = np.arange(scene.n_frames) / scene.fps
    dx, dy, roll = clip.conditions.camera.at(t)
    smear_x, smear_y = _smear_px(clip, t)
    turn = np.abs(np.radians(roll)) * 0.5 * math.hypot(scene.width, scene.height)
    return (int(math.ceil((np.abs(dx) + smear_x + turn).max(initial=0.0))) + 2,
            int(math.ceil((np.abs(dy) + smear_y + turn).max(initial=0.0))) + 2)  # fmt: skip


def _wide_scene(clip: SchoolClip, pad_x: int, pad_y: int) -> Scene:
    """The scene on a canvas wider by the pads, seen with the same focal length (a wider lens),
    without the picture steps done after the camera's motion (noise, JPEG)."""
    s = clip.scene
    f = (s.width / 2.0) / math.tan(math.radians(s.hfov_deg) / 2.0)
    width = s.width + 2 * pad_x
    lens = s.lens_blur_px if s.lens_blur_px is not None else 0.3 + 0.3 * s.width / 640.0
    return dataclasses.replace(
        s, width=width, height=s.height + 2 * pad_y, hfov_deg=math.degrees(2.0 * math.atan(width / 2.0 / f)),
        noise_sigma=0.0, jpeg_quality=None, camera_shake_px=0.0, lens_blur_px=lens,
    )  # fmt: skip


def _to_canvas(camera: HandHeld, t: float, scene: Scene, pads: tuple[int, int]) -> np.ndarray:
    """2x3 affine map from output pixels to canvas pixels at time t."""
    dx, dy, roll = (float(v) for v in camera.at(t))
    a = math.radians(roll)
    cos, sin = math.cos(a), math.sin(a)
    cx, cy = (scene.width - 1) / 2.0, (scene.height - 1) / 2.0
    # canvas = R (out - c) + c + pad + d
    return np.array([[cos, -sin, cx + pads[0] + dx - (cos * cx - sin * cy)],
                     [sin, cos, cy + pads[1] + dy - (sin * cx + cos * cy)]])  # fmt: skip


def _warp(image: np.ndarray, to_canvas: np.ndarray, size: tuple[int, int], nearest: bool = False) -> np.ndarray:
    flags = (cv2.INTER_NEAREST if nearest else cv2.INTER_LINEAR) | cv2.WARP_INVERSE_MAP
    return cv2.warpAffine(image, to_canvas, size, flags=flags, borderMode=cv2.BORDER_REPLICATE)


def _exposed(canvas: np.ndarray, clip: SchoolClip, t: float, pads: tuple[int, int]) -> np.ndarray:
    """The frame as the moving camera exposes it.

    Within one exposure the camera's translation smears the picture: the canvas is averaged
    over whole-pixel shifts along the camera's path (up to 10, about 1.5 px apart; none when
    it moves under half a pixel), then warped once with the camera's pose at the frame's time.
    The roll's own smear within an exposure (a few pixels at the corners at most) is left out:
    it would need a warp per sub-exposure.
    """
    scene, cond = clip.scene, clip.conditions
    exposure = cond.blur / scene.fps
    to_canvas = _to_canvas(cond.camera, t, scene, pads)
    steps = np.linspace(-0.5, 0.5, 2) * exposure
    dx, dy, _ = cond.camera.at(t + steps)
    move = math.hypot(float(dx[1] - dx[0]), float(dy[1] - dy[0]))
    if move >= 0.5:
        n = int(min(max(math.ceil(move / 1.5) + 1, 2), 10))
        dx, dy, _ = cond.camera.at(t + np.linspace(-0.5, 0.5, n) * exposure)
        mid_x, mid_y = (float(v) for v in cond.camera.at(t)[:2])
        shifts = [(int(round(float(x) - mid_x)), int(round(float(y) - mid_y))) for x, y in zip(dx, dy)]
        m = max(max(abs(sx), abs(sy)) for sx, sy in shifts)
        h, w = canvas.shape[0] - 2 * m, canvas.shape[1] - 2 * m
        acc = np.zeros((h, w, 3), np.uint16)
        for sx, sy in shifts:
            acc += canvas[m + sy : m + sy + h, m + sx : m + sx + w]
        canvas = ((acc + n // 2) // n).astype(np.uint8)
        to_canvas = to_canvas - np.array([[0.0, 0.0, m], [0.0, 0.0, m]])  # the smeared canvas starts m in
    return _warp(canvas, to_canvas, (scene.width, scene.height))


class _Sensor:
    """Exposure gain (flicker), sensor noise and JPEG compression, in that order, per frame."""

    def __init__(self, clip: SchoolClip) -> None:
        scene, cond = clip.scene, clip.conditions
        rng = np.random.default_rng([cond.seed, 1])
        t = np.arange(scene.n_frames) / scene.fps
        # Mains lights beating with the frame rate (periodic) plus auto-exposure hunting
        # (a jump every frame).
        beat = np.sin(2 * np.pi * cond.flicker_hz * t + rng.uniform(0, 2 * np.pi))
        self.gains = 1.0 + cond.flicker * (0.7 * beat + 0.3 * rng.uniform(-1, 1, len(t)))
        self.quality = cond.jpeg_quality
        self.rng = np.random.default_rng([cond.seed, 2])
        self.pad = 48
        self.noise = None
        if scene.noise_sigma > 0:
            # One tile read at a random offset each frame, as the renderer does: a fresh Gaussian
            # image per frame would cost more than everything else here.
            unit = self.rng.standard_normal((scene.height + self.pad, scene.width + self.pad, 3), dtype=np.float32)
            unit *= np.float32(scene.noise_sigma)
            self.noise = (np.clip(np.rint(unit), 0, 255).astype(np.uint8),
                          np.clip(np.rint(-unit), 0, 255).astype(np.uint8))  # fmt: skip

    def __call__(self, image: np.ndarray, index: int) -> np.ndarray:
        gain = float(self.gains[index])
        if gain != 1.0:
            image = cv2.convertScaleAbs(image, alpha=gain)
        if self.noise is not None:
            h, w = image.shape[:2]
            ox, oy = (int(v) for v in self.rng.integers(self.pad, size=2))
            cv2.add(image, self.noise[0][oy : oy + h, ox : ox + w], dst=image)
            cv2.subtract(image, self.noise[1][oy : oy + h, ox : ox + w], dst=image)
        if self.quality is not None:
            _, buf = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, int(self.quality)])
            image = cv2.imdecode(buf, cv2.IMREAD_COLOR)
        return image


def _joints_in_frame(joints: dict | None, to_canvas: np.ndarray) -> dict | None:
    if joints is None:
        return None
    a, b = to_canvas[:, :2], to_canvas[:, 2]
    inv = np.linalg.inv(a)
    names = list(joints)
    pts = (np.array([joints[n] for n in names]) - b) @ inv.T
    return dict(zip(names, map(tuple, pts.tolist())))


def _mask_in_frame(mask: np.ndarray, box, to_canvas: np.ndarray, size: tuple[int, int]):
    """A person's canvas mask in the output frame, and its tight box (or None).

    Only the part of the frame that the person's canvas box maps to is warped (nearest
    neighbour: a mask stays 0/255).
    """
    out = np.zeros((size[1], size[0]), np.uint8)
    if box is None:
        return out, None
    x0, y0, x1, y1 = box
    a, b = to_canvas[:, :2], to_canvas[:, 2]
    corners = (np.array([[x0, y0], [x1, y0], [x0, y1], [x1, y1]], np.float64) - b) @ np.linalg.inv(a).T
    u0, v0 = (max(int(math.floor(c)) - 1, 0) for c in corners.min(axis=0))
    u1 = min(int(math.ceil(corners[:, 0].max())) + 2, size[0])
    v1 = min(int(math.ceil(corners[:, 1].max())) + 2, size[1])
    if u0 >= u1 or v0 >= v1:
        return out, None
    # The same map, for a destination that starts at (u0, v0).
    roi_map = np.concatenate([a, (b + a @ np.array([u0, v0], np.float64))[:, None]], axis=1)
    out[v0:v1, u0:u1] = _warp(mask, roi_map, (u1 - u0, v1 - v0), nearest=True)
    bx, by, bw, bh = cv2.boundingRect(out[v0:v1, u0:u1])
    return out, ((u0 + bx, v0 + by, u0 + bx + bw, v0 + by + bh) if bw > 0 and bh > 0 else None)


def render_school(clip: SchoolClip, rgb: bool = True) -> Iterator[RenderedFrame]:
    """Render a school clip frame by frame, like ``walk.render`` (same ``RenderedFrame``s).

    Masks, boxes and joints are every person's (``clip.scene.walkers`` order, the walker
    first) in the final frames' coordinates; ``camera_offset_px`` is the camera's offset at the
    frame's time, rounded. With ``rgb=False`` only the ground truth is made.
    """
    scene = clip.scene
    pads = _pads(clip)
    sensor = _Sensor(clip) if rgb else None
    size = (scene.width, scene.height)
    for frame in render(_wide_scene(clip, *pads), rgb):
        t = frame.time_s
        to_canvas = _to_canvas(clip.conditions.camera, t, scene, pads)
        truth = [_mask_in_frame(m, b, to_canvas, size) for m, b in zip(frame.masks, frame.boxes)]
        image = None
        if rgb:
            image = sensor(_exposed(frame.image, clip, t, pads), frame.index)
        dx, dy, _ = clip.conditions.camera.at(t)
        yield RenderedFrame(
            index=frame.index,
            time_s=t,
            image=image,
            masks=[m for m, _ in truth],
            boxes=[b for _, b in truth],
            joints=[_joints_in_frame(j, to_canvas) for j in frame.joints],
            distances_m=frame.distances_m,
            camera_offset_px=(int(round(float(dx))), int(round(float(dy)))),
        )


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------


def _camera_blur(clip: SchoolClip) -> float:
    """Longest smear of the picture by the camera's translation within one exposure, pixels."""
    scene, cond = clip.scene, clip.conditions
    if cond.blur <= 0:
        return 0.0
    half = 0.5 * cond.blur / scene.fps
    t = np.arange(scene.n_frames) / scene.fps
    a, b = cond.camera.at(t - half), cond.camera.at(t + half)
    return float(np.hypot(b[0] - a[0], b[1] - a[1]).max())


def condition_record(clip: SchoolClip) -> dict:
    """The label columns a school clip adds (``SCHOOL_COLUMNS``).

    ``shake`` is the peak translation of the shake as a share of the width, ``pan`` the pan
    speed as a share of the width per second (signed), ``camera_blur`` the longest smear by
    the camera's motion in one exposure as a share of the width, ``blur`` the exposure as a
    share of the frame interval, ``flicker`` the peak exposure gain change, ``jpeg_quality``
    the JPEG quality every frame went through (None: none).
    """
    scene, cond = clip.scene, clip.conditions
    return {
        "tier": "school",
        "shake": round(cond.camera.shake_px / scene.width, 4),
        "shake_roll_deg": round(cond.camera.roll_deg, 3),
        "shake_hz": round(cond.camera.tremor_hz, 2),
        "pan": round(cond.camera.pan_px_s / scene.width, 4),
        "bystanders": len(cond.bystanders),
        "bystander_kinds": list(cond.bystanders),
        "bystander_adults": cond.adults,
        "blur": cond.blur,
        "camera_blur": round(_camera_blur(clip) / scene.width, 4),
        "flicker": cond.flicker,
        "low_light": cond.low_light,
        "brightness": scene.brightness,
        "noise_sigma": scene.noise_sigma,
        "jpeg_quality": cond.jpeg_quality,
    }
