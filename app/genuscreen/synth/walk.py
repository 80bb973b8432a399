"""Render synthetic videos of people walking in a room, with exact per-frame ground truth.

The scene is a pinhole camera looking into a box-shaped room or a corridor. Each person is an
articulated 3D figure (``genuscreen.synth.body``: proportions by age, sex and BMI, a knee
geometry with an exact static tibiofemoral angle, normative gait with pelvic motion, sway, arm
swing, the gait features of genu valgum, and step-to-step variability). The body is carried by
its stance foot, which rolls on the floor without sliding.

Every body part is projected through the camera and drawn as a filled convex polygon, far parts
first, into the image and into a label image; the label image gives exact, occlusion-aware
masks. Limbs are tapered capsules, trunk and skirt convex hulls of rings, head and hair the
exact outlines of ellipsoids seen from the camera. Each part is shaded as a dark outline band
with mid-tone and lit fills shifted toward the light, which the lens blur softens into a
gradient. The room is ray-cast once per scene (walls with paint, wallpaper, panelling or tiles;
doors, a bright window, pictures, furniture, a rug; or a long corridor with side doors and
ceiling lights); light direction, intensity and colour temperature shade and tint everything;
the lens blurs the picture, sensor noise (from a pre-drawn tile) lies over it, and motion blur
and JPEG compression are optional. A frame therefore costs little more than copying the
background and filling a few dozen small polygons; ``render(scene, rgb=False)`` skips the
picture altogether and draws only the label image, for exact masks, boxes and joints at a
fraction of the cost.

World coordinates: metres, x to the right of the camera, y up (floor at y = 0), z away from the
camera along the floor. The camera stands at (0, ``camera_height_m``, 0) and looks along +z,
tilted down by ``tilt_deg``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import cv2
import numpy as np

from genuscreen.synth.body import (
    _HEM_N,
    _IDX,
    _JOINT_IDX,
    _JOINT_NAMES,
    _NAMES,
    LEGWEAR,
    PATHS,
    SEXES,
    SKIN_TONES_BGR,
    LegGeometry,
    Walker,
    _Body,
    _body_of,
    heel_strike_times,
    heel_strikes,
    intermalleolar_distance_cm,
    leg_geometry,
    valgum_severity,
)

__all__ = [
    "BACKGROUNDS",
    "FLOORS",
    "LEGWEAR",
    "PATHS",
    "SEXES",
    "SKIN_TONES_BGR",
    "LegGeometry",
    "Prop",
    "RenderedFrame",
    "Scene",
    "Walker",
    "heel_strike_times",
    "heel_strikes",
    "intermalleolar_distance_cm",
    "leg_geometry",
    "render",
    "room_half_width_m",
    "valgum_severity",
    "write_video",
]

BACKGROUNDS = ("room", "plain", "corridor")
FLOORS = ("auto", "tiles", "planks", "carpet", "lino")

# Sub-pixel bits for cv2 polygon filling: outlines keep 1/16 px precision, so small, distant
# figures do not wobble by whole pixels from frame to frame.
_SHIFT = 4
_ONE = float(1 << _SHIFT)
_UP = np.array([0.0, 1.0, 0.0])


# --------------------------------------------------------------------------------------------
# Public data types
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prop:
    """An axis-aligned box of furniture the scene asks for (a bench for a sitting person).

    Attributes:
        x0, x1: Extent across the room (metres, x to the camera's right).
        y0, y1: Extent in height (y0 = 0 stands on the floor).
        z0, z1: Extent along the room, away from the camera.
        bgr: Colour before light and white balance.
    """

    x0: float
    x1: float
    y0: float
    y1: float
    z0: float
    z1: float
    bgr: tuple[int, int, int] = (70, 100, 140)

    def __post_init__(self) -> None:
        if not (self.x0 < self.x1 and 0.0 <= self.y0 < self.y1 and 0.05 < self.z0 < self.z1):
            raise ValueError(f"a Prop needs x0 < x1, 0 <= y0 < y1 and 0.05 < z0 < z1, got {self}")


@dataclass(frozen=True)
class Scene:
    """Camera, room, light and people of one synthetic clip.

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
        background: ``"room"`` (floor, walls with paint, wallpaper, panelling or tiles, doors, a
            window, a picture, furniture, sometimes a rug; layout and colours vary with
            ``seed``), ``"corridor"`` (long and narrow, doors along both walls, ceiling lights,
            a window or a door at the end) or ``"plain"`` (one flat colour).
        brightness: Multiplies the whole image (0.15 gives a too-dark clip).
        noise_sigma: Standard deviation of the additive sensor noise, in grey levels.
        camera_shake_px: Amplitude of a smooth random image translation (a hand-held camera).
        shadow: Draw a soft contact shadow on the floor under each walker.
        seed: Seeds every random choice, so a scene renders identically each time. It also
            seeds each walker's gait variability and style (with the walker's index).
        floor: ``"auto"`` (chosen by seed) or one of ``"tiles"``, ``"planks"``, ``"carpet"``,
            ``"lino"``.
        floor_bgr: Overrides the floor's base colour (e.g. a pale floor under pale legs).
        room_depth_m: Distance of the back wall; it is moved back if a walker would stand
            within 1.5 m of it. A corridor is at least 14 m long.
        light_direction_deg: Where the main light comes from, seen from above: 0 from behind
            the camera (front light), +90 from the camera's right, -90 from its left, 180 from
            behind the walker (back light: a dark figure). It moves the lit side of every body
            part, the shadow and a gradient across the room.
        light_intensity: Strength of the main light relative to the ambient light (1 = the
            default look; 0.3 flat and dim, 2 harsh and bright).
        colour_temperature_k: Colour temperature of the light in kelvin: below 5000 warm
            (orange, e.g. 2800 for incandescent), above cool (blue, e.g. 6500 for daylight);
            the picture keeps part of the tint, as a camera's white balance leaves it.
        motion_blur: Exposure as a share of the frame interval (0-1): each walker is averaged
            over 2-8 sub-frame renders spread over the exposure, so fast limbs smear along their
            own image motion. Masks, boxes and joints stay those of the frame's time.
        jpeg_quality: When set (1-100), every image goes through JPEG at that quality, adding
            compression artefacts as a phone or a still camera would.
        lens_blur_px: Standard deviation (pixels) of the Gaussian blur of lens and sensor, over
            the whole picture, before the sensor noise. None: typical of phone video at this
            size, 0.3 + 0.3 * width / 640 (0.6 px at 640, 1.2 px at 1920); 0: none.
        props: Extra furniture (``Prop`` boxes), ray-cast with the room (not in ``"plain"``).
        exit_times_s: Per walker (same order, may be shorter), the time it leaves the scene, or
            None to stay: from then on it is absent, as before its entry (someone who has
            walked out through a door). Walkers without an entry here stay.
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
    light_direction_deg: float = 0.0
    light_intensity: float = 1.0
    colour_temperature_k: float = 5000.0
    motion_blur: float = 0.0
    jpeg_quality: int | None = None
    lens_blur_px: float | None = None
    props: tuple[Prop, ...] = ()
    exit_times_s: tuple[float | None, ...] = ()

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
        if not 0.0 < self.light_intensity <= 4.0:
            raise ValueError(
                f"Scene.light_intensity must be within (0, 4], got {self.light_intensity}"
            )
        if not 1500.0 <= self.colour_temperature_k <= 15000.0:
            raise ValueError(
                "Scene.colour_temperature_k must be within 1500-15000 K, got "
                f"{self.colour_temperature_k}"
            )
        if not 0.0 <= self.motion_blur <= 1.0:
            raise ValueError(f"Scene.motion_blur must be within 0-1, got {self.motion_blur}")
        if self.lens_blur_px is not None and not 0.0 <= self.lens_blur_px <= 10.0:
            raise ValueError(
                f"Scene.lens_blur_px must be None or within 0-10, got {self.lens_blur_px}"
            )
        if self.jpeg_quality is not None and not 1 <= int(self.jpeg_quality) <= 100:
            raise ValueError(f"Scene.jpeg_quality must be None or 1-100, got {self.jpeg_quality}")
        if len(self.walkers) > 250:
            raise ValueError("at most 250 walkers fit in the uint8 label image")
        if not all(isinstance(w, Walker) for w in self.walkers):
            raise TypeError("Scene.walkers must be a tuple of Walker")
        if not all(isinstance(p, Prop) for p in self.props):
            raise TypeError("Scene.props must be a tuple of Prop")
        if len(self.props) > 200:
            raise ValueError("at most 200 props fit in the background's label image")
        if len(self.exit_times_s) > len(self.walkers):
            raise ValueError("Scene.exit_times_s has more entries than there are walkers")

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
        image: HxWx3 BGR uint8, or None when rendered with ``rgb=False``.
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
    image: np.ndarray | None
    masks: list[np.ndarray]
    boxes: list[tuple[int, int, int, int] | None]
    joints: list[dict[str, tuple[float, float]] | None]
    distances_m: list[float | None] = field(default_factory=list)
    camera_offset_px: tuple[int, int] = (0, 0)


# --------------------------------------------------------------------------------------------
# Camera and light
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


def _kelvin_bgr(kelvin: float) -> np.ndarray:
    """Approximate BGR colour of a black body (Tanner Helland's fit to the CIE tables)."""
    t = kelvin / 100.0
    if t <= 66.0:
        r = 255.0
        g = 99.4708025861 * math.log(t) - 161.1195681661
    else:
        r = 329.698727446 * (t - 60.0) ** -0.1332047592
        g = 288.1221695283 * (t - 60.0) ** -0.0755148492
    if t >= 66.0:
        b = 255.0
    elif t <= 19.0:
        b = 0.0
    else:
        b = 138.5177312231 * math.log(t - 10.0) - 305.0447927307
    return np.clip(np.array([b, g, r]), 1.0, 255.0)


def _white_balance(kelvin: float) -> np.ndarray:
    """Per-channel (BGR) gains of light at ``kelvin`` relative to 5000 K, luminance kept.

    A camera's automatic white balance removes most but not all of a light's tint; the 0.6
    power keeps the part that survives in typical phone footage.
    """
    ratio = (_kelvin_bgr(kelvin) / _kelvin_bgr(5000.0)) ** 0.6
    return ratio / float(0.114 * ratio[0] + 0.587 * ratio[1] + 0.299 * ratio[2])


class _Light:
    """Key light plus ambient: shading levels of lit and dark sides, where the lit side lies,
    and the colour gain (brightness and white balance) of everything."""

    def __init__(self, scene: Scene) -> None:
        th = math.radians(scene.light_direction_deg)
        c, s = math.cos(th), math.sin(th)
        i = scene.light_intensity
        self.cos, self.sin, self.intensity = c, s, i
        ambient = 0.55
        # At the default (front light, intensity 1) lit = 1 and dark = 0.7: the original look.
        self.lit = ambient + 0.45 * i * (0.6 + 0.4 * c)
        self.dark = ambient + 0.45 * i * 0.33 * 0.5 * (1.0 + c)
        self.room = ambient + 0.45 * i
        # Lit fill offset in units of a part's radius (image x right, y down): toward the light's
        # side and up (light comes from above).
        self.shift = np.array([0.35 * s, -0.25])
        self.gain = scene.brightness * _white_balance(scene.colour_temperature_k)

    def colour(self, bgr: Iterable[float], level: float) -> tuple[float, float, float]:
        c = np.minimum(np.asarray(list(bgr), np.float64) * self.gain * level, 255.0)
        return float(c[0]), float(c[1]), float(c[2])


class _Look:
    """A walker's colours under the scene's light: dark (edge), mid and lit per colour key.

    Each part is drawn as its outline in the dark shade, a slightly smaller mid-tone fill and a
    small lit core, both moved toward the light; the lens blur then turns the three bands into
    a soft gradient across the limb.
    """

    def __init__(self, body: _Body, light: _Light) -> None:
        w = body.w
        base = {
            "skin": w.skin_bgr, "shirt": w.shirt_bgr, "leg": w.legwear_bgr, "hair": w.hair_bgr,
            "shoe": w.shoe_bgr, "sock": body.sock_bgr,
        }  # fmt: skip
        mid = 0.5 * (light.lit + light.dark)
        self.lit = {k: light.colour(v, light.lit) for k, v in base.items()}
        self.mid = {k: light.colour(v, mid) for k, v in base.items()}
        self.dark = {k: light.colour(v, light.dark) for k, v in base.items()}
        # The face gets a thin, soft rim; a wide dark band reads as a beard.
        self.rim_skin = light.colour(w.skin_bgr, 0.5 * (mid + light.dark))
        self.eye = light.colour((35, 30, 30), light.lit)
        self.cap_lit = [self.lit[k] for k in body.cap_key]
        self.cap_mid = [self.mid[k] for k in body.cap_key]
        self.cap_dark = [self.dark[k] for k in body.cap_key]


# --------------------------------------------------------------------------------------------
# Drawing helpers
# --------------------------------------------------------------------------------------------

_CAP_K = 12
_CAP_T = np.linspace(0.0, 1.0, _CAP_K)
_ELL_K = 28
_ELL_ANG = np.linspace(0.0, 2.0 * np.pi, _ELL_K, endpoint=False)
_ELL_BASIS = np.stack([np.ones(_ELL_K), np.cos(_ELL_ANG), np.sin(_ELL_ANG)], 1)  # [K, 3]
_ELL_IDX = np.array([_IDX["head"], _IDX["hair_top"], _IDX["fringe"], _IDX["hair_back"]])


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
    beta = np.arccos(np.minimum(np.maximum((r0 - r1) / length, -1.0), 1.0))
    n = len(c0)
    th = np.empty((n, 2 * _CAP_K))
    th[:, :_CAP_K] = (ang + beta)[:, None] + _CAP_T[None, :] * (2.0 * np.pi - 2.0 * beta)[:, None]
    th[:, _CAP_K:] = (ang - beta)[:, None] + _CAP_T[None, :] * (2.0 * beta)[:, None]
    rad = np.empty((n, 2 * _CAP_K))
    rad[:, :_CAP_K] = r0[:, None]
    rad[:, _CAP_K:] = r1[:, None]
    out = np.empty((n, 2 * _CAP_K, 2))
    out[:, :_CAP_K] = c0[:, None, :]
    out[:, _CAP_K:] = c1[:, None, :]
    # float32 trigonometry is several times faster and exact to ~1e-5 px at these radii.
    th32 = th.astype(np.float32)
    out[..., 0] += rad * np.cos(th32)
    out[..., 1] += rad * np.sin(th32)
    return out


def _ellipsoid_outlines(centres: np.ndarray, axes: np.ndarray, eye: np.ndarray) -> np.ndarray:
    """Points of the outlines (contour generators) of axis-aligned ellipsoids seen from ``eye``.

    In coordinates scaled by the axes the ellipsoid is the unit sphere and the eye is at q; the
    sphere's outline seen from q is the circle p . q = 1 on it (centre q / |q|^2, radius
    sqrt(1 - 1 / |q|^2)). Projected, these points trace the exact silhouette in cyclic order,
    so they form a convex polygon without a hull computation.

    Args:
        centres: [n, 3]. axes: [n, 3] semi-axes. eye: [3], all in the same frame.

    Returns:
        [n, _ELL_K, 3] outline points.
    """
    # Per ellipsoid (a few, in plain floats): the circle's centre A and its two radius vectors
    # B, C mapped back through the axes; then every point is A + cos B + sin C, one matmul.
    abc = np.empty((len(centres), 3, 3))
    ex, ey, ez = (float(v) for v in eye)
    for i, ((cx, cy, cz), (ax, ay, az)) in enumerate(zip(centres.tolist(), axes.tolist())):
        qx, qy, qz = (ex - cx) / ax, (ey - cy) / ay, (ez - cz) / az
        d2 = max(qx * qx + qy * qy + qz * qz, 1.0001)
        d = math.sqrt(d2)
        nx, ny, nz = qx / d, qy / d, qz / d
        # e1 = n x up (the eye is never straight above a head), e2 = n x e1.
        e1n = math.hypot(ny, nx)
        e1x, e1y = ny / e1n, -nx / e1n
        e2x, e2y, e2z = -nz * e1y, nz * e1x, nx * e1y - ny * e1x
        rho = math.sqrt(1.0 - 1.0 / d2)
        abc[i, 0] = (cx + ax * qx / d2, cy + ay * qy / d2, cz + az * qz / d2)
        abc[i, 1] = (ax * rho * e1x, ay * rho * e1y, 0.0)
        abc[i, 2] = (ax * rho * e2x, ay * rho * e2y, az * rho * e2z)
    return _ELL_BASIS @ abc


def _fixed(pts: np.ndarray) -> np.ndarray:
    """Pixel coordinates -> int32 fixed point for cv2's ``shift`` argument.

    Points are at least 5 cm in front of the camera, so coordinates stay far inside int32;
    the bound only guards against a degenerate camera.
    """
    return np.rint(np.minimum(np.maximum(pts, -1e7), 1e7) * _ONE).astype(np.int32)


def _lit_polygon(poly: np.ndarray, shrink: float, shift: float, light: _Light) -> np.ndarray:
    """The lit inner fill of a convex outline: shrunk toward its centre, moved to the light."""
    centre = poly.mean(axis=0)
    span = poly.max(axis=0) - poly.min(axis=0)
    return centre + shrink * (poly - centre) + shift * span * light.shift / 0.35


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
                 (205, 205, 205), (170, 200, 225), (228, 226, 214), (150, 170, 190),
                 (185, 200, 160), (235, 235, 238), (120, 140, 160)]  # fmt: skip
_LOWER_WALL_COLOURS = [(90, 120, 150), (150, 160, 110), (200, 200, 200), (120, 90, 70),
                       (230, 225, 215), (160, 140, 200)]  # fmt: skip
_TILE_COLOURS = [(175, 185, 192), (150, 160, 168), (200, 200, 198), (120, 135, 150)]
_WOOD_COLOURS = [(70, 110, 160), (95, 140, 185), (60, 90, 130), (120, 160, 200)]
_CARPET_COLOURS = [(110, 100, 95), (90, 110, 140), (120, 125, 100), (80, 80, 120)]
_LINO_COLOURS = [(170, 175, 170), (140, 160, 150), (120, 140, 170), (185, 180, 165),
                 (110, 110, 110)]  # fmt: skip
_RUG_COLOURS = [(60, 60, 150), (140, 90, 50), (70, 120, 70), (170, 170, 170), (50, 120, 190)]
_FURNITURE_COLOURS = [(230, 230, 232), (70, 95, 130), (140, 120, 90), (60, 60, 65),
                      (100, 150, 190), (160, 170, 120)]  # fmt: skip
_DOOR_COLOURS = [(240, 240, 240), (80, 110, 150), (60, 80, 110), (150, 175, 200), (120, 130, 90),
                 (170, 120, 90)]  # fmt: skip

# Surface labels of the background's palette.
(_FLOOR, _BACK, _SIDE, _SKIRT, _DOOR, _FRAME, _DARK, _ART1, _ART2, _CEIL, _LOWER, _WIN, _RUG,
 _LAMP, _SDOOR, _FURN) = range(16)  # fmt: skip
_N_FURN = 5


def _pick(rng: np.random.Generator, palette: list, jitter: float = 12.0) -> np.ndarray:
    base = np.array(palette[int(rng.integers(len(palette)))], dtype=np.float32)
    return np.clip(base + rng.uniform(-jitter, jitter, 3), 0, 255).astype(np.float32)


def _room_shape(scene: Scene, rng: np.random.Generator) -> tuple[float, float, float]:
    """Half width, depth and ceiling height (metres) of a room or corridor: the first draws
    from the background's generator, so ``room_half_width_m`` can repeat them."""
    far = max([w.start_distance_m for w in scene.walkers]
              + [w.end_distance_m for w in scene.walkers if w.path == "away"] + [0.0])  # fmt: skip
    if scene.background == "corridor":
        half_w = float(rng.uniform(0.9, 1.6))
        depth = max(scene.room_depth_m, float(rng.uniform(14.0, 22.0)), far + 1.5)
        ceil_h = float(rng.uniform(2.5, 3.0))
    else:
        half_w = float(rng.uniform(2.8, 3.6))
        depth = max(scene.room_depth_m, far + 1.5)
        ceil_h = 2.6
    return half_w, depth, ceil_h


def room_half_width_m(scene: Scene) -> float | None:
    """Distance (metres) from the room's centre line to each side wall, as ``render`` draws
    it; None for the ``"plain"`` background, which has no walls. People placed beside a walk
    must stand inside it."""
    if scene.background == "plain":
        return None
    return _room_shape(scene, _rng(scene.seed, 0))[0]


def _render_background(
    scene: Scene,
    cam: _Camera,
    cw: int,
    ch: int,
    pcx: float,
    pcy: float,
    rng: np.random.Generator,
    unit_noise: np.ndarray,
    light: _Light,
) -> np.ndarray:
    """Ray-cast the empty room once into a ``ch x cw`` canvas with principal point (pcx, pcy).

    Each pixel gets a surface label (an index into a small colour palette) and a scalar shade;
    the image is ``palette[label] * shade``. Keeping per-pixel work to scalars, and doing doors,
    window, picture and furniture only inside their screen rectangles, keeps a 1080p room to a
    fraction of a second.

    Args:
        scene: The scene (layout and colours come from ``rng``).
        cam: The camera.
        cw, ch: Canvas size (the frame plus the camera-shake margin).
        pcx, pcy: Principal point in canvas pixels.
        rng: Random generator for layout and colours.
        unit_noise: Standard normal noise at least ``ch x cw``; reused for the surfaces' fine
            grain instead of drawing millions more normals.
        light: The scene's light (level, direction, white balance).

    Returns:
        BGR uint8 canvas, brightness, light and tint applied.
    """
    tint = light.gain.astype(np.float32)
    if scene.background == "plain":
        col = np.array([168.0, 170.0, 172.0]) + rng.uniform(-18, 18, 3)
        img = np.empty((ch, cw, 3), np.float32)
        img[:] = col * light.room * tint
        return np.clip(img, 0, 255).astype(np.uint8)

    corridor = scene.background == "corridor"
    f32 = np.float32
    f = cam.f
    tilt = math.radians(scene.tilt_deg)
    ct, st = math.cos(tilt), math.sin(tilt)
    hc = scene.camera_height_m
    half_w, depth, ceil_h = _room_shape(scene, rng)

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

    palette = np.zeros((_FURN + _N_FURN + len(scene.props), 3), f32)
    label = np.full((ch, cw), _BACK, np.uint8)
    shade = np.ones((ch, cw), f32)

    # Walls: back wall by default, side walls where they are hit first; skirting board.
    is_side = (~is_fc) & (t_side < t_back)
    label[is_side] = _SIDE
    np.copyto(shade, (1.0 - 0.12 * np.exp(-np.clip(Y, 0, None) / 0.4)).astype(f32))
    shade *= (1.0 - 0.1 * np.clip((Y - 1.6) / 1.0, 0, 1)).astype(f32)
    wall = _pick(rng, _WALL_COLOURS, 8.0)
    palette[_BACK], palette[_SIDE] = wall, wall * 0.86
    palette[_SKIRT] = _pick(rng, [(235, 235, 235), (80, 100, 130), (200, 200, 200), (60, 60, 60)], 6.0)
    label[(~is_fc) & (Y < 0.09)] = _SKIRT

    # Wall finish: plain paint, striped wallpaper, panelling (wainscot) or tiles below a rail.
    # Doors and windows painted later take the unfinished shade back.
    plain_shade = shade.copy()
    finish = ["paint", "stripes", "wainscot", "tiles"][
        int(rng.choice(4, p=[0.25, 0.2, 0.3, 0.25] if corridor else [0.4, 0.25, 0.25, 0.1]))
    ]
    palette[_LOWER] = _pick(rng, _LOWER_WALL_COLOURS, 10.0)
    wall_u = np.where(is_side, Z, X)  # coordinate along the wall
    on_wall = (~is_fc) & (Y >= 0.09)
    if finish == "stripes":
        period = float(rng.uniform(0.08, 0.3))
        stripe = _line_cover(wall_u, period, period * float(rng.uniform(0.15, 0.3)), fp)
        np.copyto(shade, shade * (1.0 - 0.08 * stripe).astype(f32), where=on_wall)
    elif finish in ("wainscot", "tiles"):
        top = float(rng.uniform(0.8, 1.1)) if finish == "wainscot" else float(rng.uniform(1.2, 1.6))
        lower = on_wall & (Y < top)
        label[lower] = _LOWER
        rail = on_wall & (np.abs(Y - top) < np.maximum(0.012, 0.6 * fp))
        label[rail] = _FRAME
        if finish == "tiles":
            size = float(rng.uniform(0.1, 0.2))
            grout = np.clip(_line_cover(wall_u, size, 0.002, fp) + _line_cover(Y, size, 0.002, fp), 0, 1)
            np.copyto(shade, shade * (1.0 - 0.25 * grout).astype(f32), where=lower)
        else:
            panel = _line_cover(wall_u, float(rng.uniform(0.5, 0.9)), 0.006, fp)
            np.copyto(shade, shade * (1.0 - 0.2 * panel).astype(f32), where=lower)

    # Floor (only rows below the horizon can see it) and ceiling.
    rows = np.nonzero(dy[:, 0] < 0)[0]
    floor_kind = scene.floor
    if floor_kind == "auto":
        kinds = ["tiles", "planks", "carpet", "lino"]
        p = [0.45, 0.05, 0.1, 0.4] if corridor else [0.35, 0.4, 0.13, 0.12]
        floor_kind = kinds[int(rng.choice(4, p=p))]
    palette[_FLOOR] = _pick(rng, {"tiles": _TILE_COLOURS, "planks": _WOOD_COLOURS,
                                  "carpet": _CARPET_COLOURS, "lino": _LINO_COLOURS}[floor_kind])  # fmt: skip
    if scene.floor_bgr is not None:
        palette[_FLOOR] = np.array(scene.floor_bgr, f32)
    lamps_z = np.arange(float(rng.uniform(1.5, 3.0)), depth - 0.5, float(rng.uniform(2.5, 3.6)))
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
            tint_f = 1.0 + (0.06 * (_hash01(ix, iz) - 0.5) - checker) * fade
            fshade = tint_f * (1.0 - 0.35 * grout)
        elif floor_kind == "planks":
            pw = float(rng.uniform(0.12, 0.2))
            plank_len = float(rng.uniform(1.2, 2.0))
            ip = np.floor(fX / pw)
            off = _hash01(ip, salt=1.0) * plank_len
            seam = _line_cover(fX, pw, 0.002, ffp)
            ends = _line_cover(fZ + off, plank_len, 0.002, fpz)
            board = np.floor((fZ + off) / plank_len)
            fade = 1.0 - np.clip(ffp / pw, 0.0, 1.0)
            tint_f = 1.0 + 0.12 * (_hash01(ip, board, 2.0) - 0.5) * fade
            grain_fade = 1.0 - np.clip(ffp * 8.0 / pw, 0.0, 1.0)
            grain = 0.035 * np.sin(fX * (2 * np.pi * 5.0 / pw) + 6.0 * _hash01(ip, board)) * grain_fade
            fshade = (tint_f + grain) * (1.0 - 0.45 * np.maximum(seam, ends))
        elif floor_kind == "lino":
            # Speckled sheet flooring: fine flecks fading out with distance.
            cell = 0.03
            fleck = _hash01(np.floor(fX / cell), np.floor(fZ / cell), 3.0) - 0.5
            fshade = 1.0 + 0.08 * fleck * (1.0 - np.clip(fpz / cell, 0.0, 1.0))
        else:
            fshade = np.ones_like(fX)
        # Darker towards the walls (the light hangs in the middle of the room).
        wall_d = np.clip(np.minimum(half_w - np.abs(fX), depth - fZ), 0, None)
        fshade = fshade * (1.0 - 0.18 * np.exp(-wall_d / 0.5))
        if corridor and floor_kind in ("tiles", "lino"):
            # Glossy floors mirror the ceiling lights as bright streaks along the corridor.
            sheen = np.zeros_like(fZ)
            for zl in lamps_z:
                sheen += np.exp(-((fZ - zl) ** 2) / 0.6)
            fshade = fshade * (1.0 + 0.18 * sheen * np.exp(-(fX * fX) / 0.5))
        on_floor = is_fc[r0:] & (dy[r0:] < 0)
        np.copyto(shade[r0:], fshade.astype(f32), where=on_floor)
        label[r0:][on_floor] = _FLOOR
    palette[_CEIL] = (238, 238, 236)
    on_ceil = is_fc & (dy > 0)
    label[on_ceil] = _CEIL
    np.copyto(shade, (0.92 - 0.1 * np.clip(Z / depth, 0, 1)).astype(f32), where=on_ceil)
    palette[_LAMP] = (250, 250, 250)
    if corridor:
        # Ceiling light panels down the middle of the corridor.
        for zl in lamps_z:
            lamp = on_ceil & (np.abs(X) < 0.3) & (np.abs(Z - zl) < 0.6)
            label[lamp] = _LAMP
            shade[lamp] = 1.15

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

    wall_labels = (_BACK, _SKIRT, _LOWER, _FRAME)

    def wall_rect(side: int, u0: float, u1: float, v0: float, v1: float, frame: float, lab_in: int,
                  lab_frame: int) -> None:
        """Paint a framed rectangle on a wall: side 0 = back wall (u = x), -1/+1 = left/right
        side wall (u = z); v is the height."""
        if side == 0:
            roi = screen_rect(u0 - frame, u1 + frame, v0 - frame, v1 + frame, depth, depth)
        else:
            x = side * half_w
            roi = screen_rect(x, x, v0 - frame, v1 + frame, u0 - frame, u1 + frame)
        if roi is None:
            return
        lab = label[roi]
        if side == 0:
            on = np.isin(lab, wall_labels) & ~is_side[roi]
            u = X[roi]
        else:
            on = is_side[roi] & (np.sign(X[roi]) == side) & (lab != _CEIL)
            u = Z[roi]
        vv = Y[roi]
        outer = on & (u > u0 - frame) & (u < u1 + frame) & (vv > v0 - frame) & (vv < v1 + frame)
        inner = on & (u > u0) & (u < u1) & (vv > v0) & (vv < v1)
        lab[outer] = lab_frame
        lab[inner] = lab_in
        np.copyto(shade[roi], plain_shade[roi], where=outer)

    # Doors: one on the back wall of a room (or at the end of a corridor without a window);
    # corridors have doors down both side walls, rooms sometimes one on a side wall.
    door_w, door_h = 0.9, 2.05
    door_x = float(rng.uniform(-half_w + 0.3, half_w - 0.3 - door_w)) if not corridor else -0.45
    palette[_DOOR] = _pick(rng, _DOOR_COLOURS)
    palette[_SDOOR] = _pick(rng, _DOOR_COLOURS)
    palette[_FRAME] = palette[_SKIRT] * 0.97
    palette[_DARK] = (60, 60, 60)
    end_window = corridor and rng.random() < 0.5
    if not end_window:
        wall_rect(0, door_x, door_x + door_w, 0.0, door_h, 0.07, _DOOR, _FRAME)
        roi = screen_rect(door_x, door_x + door_w, 0.0, door_h, depth, depth)
        if roi is not None:
            rX, rY, lab, sh = X[roi], Y[roi], label[roi], shade[roi]
            in_door = lab == _DOOR
            # Two vertical grooves on the door leaf and a handle.
            groove = _line_cover(rX - door_x - 0.1, door_w - 0.2, 0.008, fp[roi])
            np.copyto(sh, (sh * (1.0 - 0.12 * groove)).astype(f32), where=in_door)
            handle = in_door & (((rX - (door_x + door_w - 0.1)) ** 2 + (rY - 1.0) ** 2) < 0.035**2)
            lab[handle] = _DARK
    side_doors: list[tuple[int, float]] = []
    if corridor:
        for side in (-1, 1):
            z = float(rng.uniform(1.0, 4.0))
            while z + door_w < depth - 0.5:
                side_doors.append((side, z))
                z += door_w + float(rng.uniform(2.0, 4.5))
    elif rng.random() < 0.4:
        side_doors.append((int(rng.choice([-1, 1])), float(rng.uniform(2.0, max(2.1, depth - 3.0)))))
    for side, z in side_doors:
        wall_rect(side, z, z + door_w, 0.0, door_h, 0.06, _SDOOR, _FRAME)

    # A window with bright daylight: on the back wall (a backlit scene when the walker comes
    # from there) or on a side wall of a room; the end of some corridors. The wall and floor
    # around it are brighter.
    palette[_WIN] = _pick(rng, [(250, 245, 235), (240, 235, 220), (235, 240, 245)], 5.0)
    window = None
    if end_window:
        ww = min(2.0 * half_w - 0.4, float(rng.uniform(1.0, 1.8)))
        window = (0, -0.5 * ww, 0.5 * ww, float(rng.uniform(0.7, 1.0)), 2.1)
    elif not corridor and rng.random() < 0.65:
        ww, wh = float(rng.uniform(0.8, 1.6)), float(rng.uniform(0.9, 1.3))
        sill = float(rng.uniform(0.8, 1.0))
        if rng.random() < 0.5:  # back wall, clear of the door
            spans = [(-half_w + 0.2, door_x - 0.2), (door_x + door_w + 0.2, half_w - 0.2)]
            spans = [s for s in spans if s[1] - s[0] > ww]
            if spans:
                lo, hi = spans[int(rng.integers(len(spans)))]
                x0 = float(rng.uniform(lo, hi - ww))
                window = (0, x0, x0 + ww, sill, sill + wh)
        else:
            z0 = float(rng.uniform(1.5, max(1.6, depth - ww - 1.0)))
            window = (int(rng.choice([-1, 1])), z0, z0 + ww, sill, sill + wh)
    if window is not None:
        side, u0, u1, v0, v1 = window
        wall_rect(side, u0, u1, v0, v1, 0.06, _WIN, _FRAME)
        # Mullions: a cross of frame bars over the pane.
        roi = (screen_rect(u0, u1, v0, v1, depth, depth) if side == 0
               else screen_rect(side * half_w, side * half_w, v0, v1, u0, u1))  # fmt: skip
        if roi is not None:
            lab = label[roi]
            u = X[roi] if side == 0 else Z[roi]
            cross = (np.abs(u - 0.5 * (u0 + u1)) < 0.025) | (np.abs(Y[roi] - 0.5 * (v0 + v1)) < 0.025)
            bar = (lab == _WIN) & cross
            lab[bar] = _FRAME
            sh = shade[roi]
            pane = lab == _WIN
            # Daylight: brighter toward the top of the pane (sky), nearly white.
            sh[pane] = (1.15 + 0.15 * np.clip((Y[roi][pane] - v0) / (v1 - v0), 0, 1)).astype(f32)
        wc = (np.array([0.5 * (u0 + u1), 0.5 * (v0 + v1), depth]) if side == 0
              else np.array([side * half_w, 0.5 * (v0 + v1), 0.5 * (u0 + u1)]))  # fmt: skip
        d2 = (X - wc[0]) ** 2 + (Y - wc[1]) ** 2 + (Z - wc[2]) ** 2
        glow = (0.35 * np.exp(-d2 / 2.5)).astype(f32)
        glow[label == _WIN] = 0.0
        shade *= 1.0 + glow

    # A picture on the back wall of a room, away from door and window.
    palette[_ART1], palette[_ART2] = _pick(rng, _FURNITURE_COLOURS, 40.0), _pick(rng, _WALL_COLOURS, 40.0)
    pic_w, pic_h = float(rng.uniform(0.5, 0.9)), float(rng.uniform(0.4, 0.6))
    spans = [(-half_w + 0.2, door_x - 0.2), (door_x + door_w + 0.2, half_w - 0.2)]
    spans = [s for s in spans if s[1] - s[0] > pic_w]
    if spans and not corridor:
        lo, hi = spans[int(rng.integers(len(spans)))]
        pic_x = float(rng.uniform(lo, hi - pic_w))
        pic_y = float(rng.uniform(1.25, 1.55))
        roi = screen_rect(pic_x, pic_x + pic_w, pic_y, pic_y + pic_h, depth, depth)
        if roi is not None:
            rX, rY, lab = X[roi], Y[roi], label[roi]
            in_pic = np.isin(lab, (_BACK, _LOWER)) & (rX > pic_x) & (rX < pic_x + pic_w) & (
                rY > pic_y) & (rY < pic_y + pic_h)  # fmt: skip
            inner = in_pic & (rX > pic_x + 0.04) & (rX < pic_x + pic_w - 0.04) & (
                rY > pic_y + 0.04) & (rY < pic_y + pic_h - 0.04)  # fmt: skip
            hill = rY > pic_y + 0.35 * pic_h + 0.1 * np.sin(rX * 9.0)
            lab[in_pic] = _DARK
            lab[inner] = _ART1
            lab[inner & hill] = _ART2

    # A rug on a room's floor, somewhere along the walk: a patterned floor under the legs.
    palette[_RUG] = _pick(rng, _RUG_COLOURS, 15.0)
    if not corridor and rng.random() < 0.35 and len(rows):
        rw, rl = float(rng.uniform(1.2, 2.2)), float(rng.uniform(1.5, 2.8))
        rx0 = float(rng.uniform(-0.8, 0.3)) - 0.3 * rw
        rz0 = float(rng.uniform(1.5, 4.5))
        roi = screen_rect(rx0, rx0 + rw, 0.0, 0.0, rz0, rz0 + rl)
        if roi is not None:
            lab = label[roi]
            rX, rZ = X[roi], Z[roi]
            on = (lab == _FLOOR) & (rX > rx0) & (rX < rx0 + rw) & (rZ > rz0) & (rZ < rz0 + rl)
            lab[on] = _RUG
            edge = np.minimum(np.minimum(rX - rx0, rx0 + rw - rX), np.minimum(rZ - rz0, rz0 + rl - rZ))
            band = on & (edge > 0.08) & (edge < 0.16)
            sh = shade[roi]
            sh[on] = 1.0
            sh[band] = 0.72

    # Furniture: axis-aligned boxes against the walls, ray-cast only inside their screen boxes.
    if corridor:
        boxes = []
        zb = float(rng.uniform(2.5, 7.0))
        boxes.append((-half_w, -half_w + 0.4, 0.0, 0.45, zb, zb + float(rng.uniform(1.2, 1.8))))  # bench
        zr = float(rng.uniform(2.0, 8.0))
        boxes.append((half_w - 0.1, half_w, 0.15, 0.75, zr, zr + 1.0))  # radiator
        if rng.random() < 0.6:
            zc = float(rng.uniform(5.0, max(5.1, depth - 2.0)))
            boxes.append((-half_w, -half_w + 0.5, 0.0, 1.1, zc, zc + 0.6))  # cabinet or bin
    else:
        boxes = [
            (-half_w, -half_w + rng.uniform(0.4, 0.6), 0.0, rng.uniform(0.6, 0.9),
             rng.uniform(2.5, 3.5), rng.uniform(4.2, 5.0)),  # cabinet or sofa on the left wall
            (half_w - rng.uniform(0.35, 0.5), half_w, 0.0, rng.uniform(0.35, 0.5),
             rng.uniform(4.5, 5.5), rng.uniform(5.8, 6.5)),  # toy box on the right wall
        ]  # fmt: skip
        shelf_x = door_x + door_w + 0.3 if door_x < 0 else door_x - 1.3
        if -half_w < shelf_x and shelf_x + 1.0 < half_w:
            boxes.append((shelf_x, shelf_x + 1.0, 0.0, rng.uniform(1.5, 1.9), depth - 0.35, depth))
        if rng.random() < 0.5:  # a small chair or a basket by the right wall, nearer the camera
            zc = float(rng.uniform(1.5, 3.0))
            boxes.append((half_w - 0.45, half_w - 0.05, 0.0, 0.45, zc, zc + 0.4))
    def cast_box(x0, x1, y0, y1, z0, z1):
        """Ray-cast a box inside its screen rectangle.

        Returns:
            (roi, hit, distance, face axis, ray directions), or None when no pixel sees it in
            front of what is already there.
        """
        roi = screen_rect(x0, x1, y0, y1, z0, z1)
        if roi is None:
            return None
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
            return None
        return roi, hit, tmin, face, dirs

    # Faces lit from above and the front: top brightest, sides darker.
    face_shades = [0.78, 1.08, 0.95]
    for bi, (x0, x1, y0, y1, z0, z1) in enumerate(boxes[:_N_FURN]):
        palette[_FURN + bi] = _pick(rng, _FURNITURE_COLOURS, 10.0)
        cast = cast_box(x0, x1, y0, y1, z0, z1)
        if cast is None:
            continue
        roi, hit, tmin, face, dirs = cast
        shape = hit.shape
        fshade = np.choose(face, face_shades).astype(f32)
        if bi == 2 and not corridor:  # shelves: dark bands across the bookcase's front
            hy = hc + tmin * dirs[1]
            shelves = (np.abs(((hy + 0.2) % 0.42) - 0.21) > 0.19) & (face == 2)
            fshade = np.where(shelves, fshade * 0.55, fshade)
        if corridor and bi == 1:  # radiator fins
            hz = tmin * dirs[2]
            fins = _line_cover(hz, 0.06, 0.012, np.full(shape, 0.01, f32)) * (face == 0)
            fshade = fshade * (1.0 - 0.3 * fins).astype(f32)
        label[roi][hit] = _FURN + bi
        np.copyto(shade[roi], fshade, where=hit)
        t[roi] = np.where(hit, tmin, t[roi])
    # The scene's own props (a bench for a sitting person), after the room's furniture so the
    # room's random draws stay the same with or without them.
    for pi, prop in enumerate(scene.props):
        palette[_FURN + _N_FURN + pi] = prop.bgr
        cast = cast_box(prop.x0, prop.x1, prop.y0, prop.y1, prop.z0, prop.z1)
        if cast is None:
            continue
        roi, hit, tmin, face, _ = cast
        label[roi][hit] = _FURN + _N_FURN + pi
        np.copyto(shade[roi], np.choose(face, face_shades).astype(f32), where=hit)
        t[roi] = np.where(hit, tmin, t[roi])

    # Light falls off away from the ceiling lights; the key light's side of the room is
    # brighter; mild vignetting; low-frequency blotches and fine grain so flat surfaces are not
    # perfectly uniform.
    X, Y, Z = t * dx, f32(hc) + t * dy, t * dz
    if corridor:
        fall = np.zeros_like(X)
        for zl in lamps_z:
            fall += 1.0 / (1.0 + (X * X + (Y - ceil_h) ** 2 + (Z - zl) ** 2) / 3.0)
        shade *= 0.72 + 0.3 * np.minimum(fall, 1.4)
    else:
        shade *= 0.78 + 0.3 / (1.0 + (X * X + (Y - ceil_h) ** 2 + (Z - 0.5 * depth) ** 2) / 12.0)
    side_light = f32(0.12 * min(light.intensity, 2.0) * light.sin)
    shade *= 1.0 + side_light * np.clip(X / f32(half_w), -1.0, 1.0)
    yy = (np.arange(ch, dtype=f32)[:, None] - f32(pcy)) / f32(0.5 * scene.height)
    xx = (np.arange(cw, dtype=f32)[None, :] - f32(pcx)) / f32(0.5 * scene.width)
    shade *= 1.0 - 0.11 * (xx * xx + yy * yy)
    small = rng.standard_normal((max(ch // 48, 2) + 1, max(cw // 48, 2) + 1), dtype=f32)
    shade *= 1.0 + 0.02 * cv2.resize(small, (cw, ch), interpolation=cv2.INTER_CUBIC)
    shade *= f32(light.room)
    img = palette[label]
    img *= shade[..., None]
    img *= tint
    img += unit_noise[:ch, :cw, :1] * f32(1.5 * scene.brightness)
    return np.clip(img, 0, 255).astype(np.uint8)


# --------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------


def _rng(seed: int, *tags: int) -> np.random.Generator:
    """A generator for one purpose (tag) of a scene: independent streams, so skipping one (the
    background when ``rgb=False``) does not change another (the camera shake)."""
    return np.random.default_rng([int(seed) % (1 << 64), *tags])


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


class _Posed:
    """One walker projected at one time: image points, depths and what to draw."""

    __slots__ = ("uv", "z", "root", "fwd", "n_local", "joints", "extent")

    def __init__(self, uv, z, root, fwd, n_local, joints, extent) -> None:
        self.uv, self.z, self.root, self.fwd = uv, z, root, fwd
        self.n_local, self.joints, self.extent = n_local, joints, extent


def _project(body: _Body, t: float, cam: _Camera, cx: float, cy: float):
    """Pose ``body`` at ``t`` and project it.

    Returns:
        None before entry; the root (x, z) alone when part of the body is at or behind the
        camera (not drawable); else a ``_Posed``. Its points are the body's local points, then
        the outlines of head, hair cap, fringe and hanging hair (``_ELL_K`` each).
    """
    posed = body.pose(t)
    if posed is None:
        return None
    local, root, fwd, left = posed
    basis, to_cam = body.basis, body.basis_cam(cam)  # local -> world, local -> camera
    root3 = np.array([root[0], 0.0, root[1]])
    rel = root3 - cam.pos
    # Head and hair: exact ellipsoid outlines seen from the camera (in local coordinates).
    eye = -(basis @ rel)
    outlines = _ellipsoid_outlines(local[_ELL_IDX], body.ellipsoid_axes, eye).reshape(-1, 3)
    pts = np.concatenate([local, outlines])
    pc = pts @ to_cam + rel @ cam.rot.T  # camera coordinates [P, 3]
    z = pc[:, 2]
    z_min = float(z.min())
    if z_min < 0.05:  # part of the body at or behind the camera: not drawable
        return root
    uv = pc[:, :2] / z[:, None]
    uv *= cam.f
    uv += (cx, cy)
    joints = dict(zip(_JOINT_NAMES, map(tuple, uv[_JOINT_IDX].tolist())))
    # The widest capsule sticks out of the point cloud by its radius at the nearest point's
    # scale; the mask search window is widened by a little more than that.
    margin = 1.3 * cam.f * body.max_radius / z_min + 2.0
    lo, hi = uv.min(axis=0), uv.max(axis=0)
    extent = (float(lo[0]) - margin, float(lo[1]) - margin,
              float(hi[0]) + margin, float(hi[1]) + margin)  # fmt: skip
    return _Posed(uv, z, root, fwd, len(local), joints, extent)


def _parts(body: _Body, p: _Posed, cam: _Camera, wi: int, look: _Look | None, light: _Light | None):
    """Draw list entries ``(depth, walker index, ops)`` of one posed walker.

    Each op is ``(int32 fixed-point polygon, colour, outline)`` or ``("circle", centre, radius,
    colour)``. Outline polygons are the part's silhouette and also go into the label image; with
    ``look`` None (no picture) only they are made, so the masks are identical either way.
    """
    uv, z = p.uv, p.z
    out = []
    # Capsules (limbs, neck): an outline band in the dark shade and an inner lit fill shifted
    # toward the light, both computed for all capsules at once.
    i0, i1 = body.cap_i0, body.cap_i1
    r0 = cam.f * body.cap_r0 / z[i0]
    r1 = cam.f * body.cap_r1 / z[i1]
    c0, c1 = uv[i0], uv[i1]
    # Outlines in a call of their own, so that they are bit-identical with and without the
    # picture (vectorised maths may round an element differently in a longer array).
    polys = list(_fixed(_capsule_polys(c0, c1, r0, r1)))
    if look is not None:
        shift = light.shift * (0.5 * (r0 + r1))[:, None]
        mids = list(_fixed(_capsule_polys(c0 + 0.45 * shift, c1 + 0.45 * shift, 0.8 * r0, 0.8 * r1)))
        fills = list(_fixed(_capsule_polys(c0 + shift, c1 + shift, 0.5 * r0, 0.5 * r1)))
    # Each part's depth: the mean depth of its capsules' end points (one gather for all).
    depths = (z[body.part_ends] * body.part_weights).sum(1).tolist()
    for (part, caps), layers, depth in zip(body.cap_parts, body.cap_layers, depths):
        if look is None:
            ops = [(polys[c], None, True) for c in caps]
        else:
            ops = []
            for layer in layers:
                ops += [(polys[c], look.cap_dark[c], True) for c in layer]
                ops += [(mids[c], look.cap_mid[c], False) for c in layer]
                ops += [(fills[c], look.cap_lit[c], False) for c in layer]
        out.append((depth, wi, ops))

    def hull_ops(pts2d, key, shrink, shift):
        hull = cv2.convexHull(pts2d.astype(np.float32)).reshape(-1, 2)
        outline = _fixed(hull)  # the same with and without the picture
        if look is None:
            return [(outline, None, True)]
        hull = hull.astype(np.float64)
        mid = _lit_polygon(hull, 0.5 * (1.0 + shrink), 0.5 * shift, light)
        inner = _lit_polygon(hull, shrink, shift, light)
        return [(outline, look.dark[key], True), (_fixed(mid), look.mid[key], False),
                (_fixed(inner), look.lit[key], False)]  # fmt: skip

    n_named = len(_NAMES)
    sl_pelvis = slice(n_named, n_named + len(body.pelvis_pts))
    sl_shirt = slice(sl_pelvis.stop, sl_pelvis.stop + len(body.shirt_pts))
    trunk_ops = hull_ops(uv[sl_pelvis], "leg", 0.8, 0.07) + hull_ops(uv[sl_shirt], "shirt", 0.8, 0.07)
    trunk_z = float(z[sl_shirt].sum()) / len(body.shirt_pts)
    out.append((trunk_z, wi, trunk_ops))
    if body.w.legwear == "skirt":
        sl_skirt = slice(sl_shirt.stop, sl_shirt.stop + 2 * _HEM_N)
        # Over both thighs, whatever their depth: the skirt covers them.
        thighs = min(d for (part, _), d in zip(body.cap_parts, depths) if part.startswith("thigh"))
        out.append((thighs - 1e-3, wi, hull_ops(uv[sl_skirt], "leg", 0.82, 0.06)))

    # Head and hair: exact outlines (convex, in order), drawn as polygons: head, hair cap,
    # fringe, hanging hair.
    k0, k = p.n_local, _ELL_K
    ell = uv[k0 : k0 + 4 * k].reshape(4, k, 2)
    ell_fixed = _fixed(ell)
    if look is None:
        head_ops, top_ops, fringe_ops, back_ops = ([(ell_fixed[i], None, True)] for i in range(4))
    else:
        # Lit fills: shrunk toward each outline's centre and moved toward the light.
        centre = ell.mean(axis=1, keepdims=True)
        span = ell.max(axis=1, keepdims=True) - ell.min(axis=1, keepdims=True)
        shrink = np.array([0.9, 0.8, 0.75, 0.8])[:, None, None]
        shift = np.array([0.03, 0.07, 0.05, 0.07])[:, None, None]
        toward = span * (light.shift / 0.35)
        lit = _fixed(centre + shrink * (ell - centre) + shift * toward)
        mid = _fixed(centre + 0.5 * (1.0 + shrink) * (ell - centre) + 0.5 * shift * toward)
        hair = (look.dark["hair"], look.mid["hair"], look.lit["hair"])
        head_ops = [(ell_fixed[0], look.rim_skin, True), (mid[0], look.mid["skin"], False),
                    (lit[0], look.lit["skin"], False)]  # fmt: skip
        top_ops, fringe_ops, back_ops = (
            [(ell_fixed[i], hair[0], True), (mid[i], hair[1], False), (lit[i], hair[2], False)]
            for i in (1, 2, 3)
        )
    head_z = float(z[_IDX["head"]])
    # Facing the camera: hair cap behind the face (a rim), fringe in front of it (the hairline)
    # and hanging hair behind the back; facing away: cap and hanging hair over head and
    # shoulders.
    tx, ty, tz = cam.pos[0] - p.root[0], cam.pos[1] - 0.9 * body.h, cam.pos[2] - p.root[1]
    facing = (p.fwd[0] * tx + p.fwd[1] * ty + p.fwd[2] * tz) / math.sqrt(tx * tx + ty * ty + tz * tz)
    if facing > 0.5 and look is not None:
        eye_r = cam.f * 0.0055 * body.h / head_z
        if eye_r >= 0.6:
            for e in ("eye_l", "eye_r"):
                head_ops.append(("circle", uv[_IDX[e]], eye_r, look.eye))
    front = facing > 0.5
    out.append((head_z, wi, head_ops))
    out.append((head_z + (1e-3 if front else -1e-3), wi, top_ops))
    out.append((head_z + (-2e-3 if facing > -0.5 else 2e-3), wi, fringe_ops))
    if body.hair_back_axes is not None:
        hang = 0.08 * body.h
        back_z = max(head_z, trunk_z) + hang if front else min(head_z, trunk_z) - hang
        out.append((back_z, wi, back_ops))
    return out


def _draw(img: np.ndarray, draw_list: list) -> None:
    """Paint draw list entries (already sorted far to near) into an image."""
    for _, _, ops in draw_list:
        for op in ops:
            if isinstance(op[0], str):  # ("circle", centre, radius, colour)
                _, c, r, col = op
                cv2.circle(img, (int(round(c[0] * _ONE)), int(round(c[1] * _ONE))),
                           max(int(round(r * _ONE)), 1), col, -1, cv2.LINE_AA, _SHIFT)
                continue  # fmt: skip
            cv2.fillConvexPoly(img, op[0], op[1], cv2.LINE_AA, _SHIFT)


def render(scene: Scene, rgb: bool = True) -> Iterator[RenderedFrame]:
    """Render a scene frame by frame.

    The room (sharp and lens-blurred), the noise tile and the bodies are made once. Each frame
    poses and projects the walkers, draws their outlines far to near into a label image (exact,
    occlusion-aware masks and boxes) and, for the picture, copies the blurred room, draws shadows
    and shaded body parts on the sharp room in a patch around the walkers (averaged over
    sub-frames for motion blur), blurs the patch like the room, adds sensor noise and optionally
    JPEG-compresses the result. Memory use does not grow with clip length.

    Args:
        scene: What to render. It is validated when this is called, not on the first frame.
        rgb: False skips the picture entirely (background, shading, noise, blur, compression):
            frames have ``image=None`` but the same masks, boxes, joints and distances, several
            times faster.

    Returns:
        An iterator of ``scene.n_frames`` ``RenderedFrame`` objects; each frame's arrays are new
        and may be kept by the caller.
    """
    if not isinstance(scene, Scene):
        raise TypeError(f"render() needs a Scene, got {type(scene).__name__}")
    return _render(scene, bool(rgb))


class _Leaving:
    """The body of a walker that leaves the scene at ``exit_s`` (``Scene.exit_times_s``): from
    then on it poses as absent, as before its entry; everything else is the body's own."""

    def __init__(self, body: _Body, exit_s: float) -> None:
        self._body, self._exit_s = body, exit_s

    def __getattr__(self, name: str):
        return getattr(self._body, name)

    def pose(self, t: float):
        return None if t >= self._exit_s else self._body.pose(t)


def _scene_bodies(scene: Scene) -> list:
    """The bodies of a scene's walkers, in order, with their exits applied."""
    bodies = [_body_of(w, scene.seed, i) for i, w in enumerate(scene.walkers)]
    for i, exit_s in enumerate(scene.exit_times_s):
        if exit_s is not None:
            bodies[i] = _Leaving(bodies[i], float(exit_s))
    return bodies


def _render(scene: Scene, rgb: bool) -> Iterator[RenderedFrame]:
    W, H = scene.width, scene.height
    cam = _Camera(scene)
    bodies = _scene_bodies(scene)
    shake = _shake_fn(scene, _rng(scene.seed, 1))
    pad = int(math.ceil(scene.camera_shake_px)) + 1 if scene.camera_shake_px > 0 else 0
    light = looks = None
    if rgb:
        light = _Light(scene)
        looks = [_Look(b, light) for b in bodies]
        noise_rng = _rng(scene.seed, 2)
        # Noise: one tile a little larger than the frame, read at a random offset each frame; a
        # fresh Gaussian image per frame would cost more than drawing everything else.
        npad = max(48, 2 * pad + 8)
        unit = noise_rng.standard_normal((H + npad, W + npad, 3), dtype=np.float32)
        bg_sharp = _render_background(scene, cam, W + 2 * pad, H + 2 * pad, cam.cx + pad,
                                      cam.cy + pad, _rng(scene.seed, 0), unit[::-1], light)  # fmt: skip
        blur = scene.lens_blur_px if scene.lens_blur_px is not None else 0.3 + 0.3 * W / 640.0
        # The room never changes: blur it once. Each frame blurs only around the walkers.
        bg_soft = cv2.GaussianBlur(bg_sharp, (0, 0), blur) if blur > 0 else bg_sharp
        if scene.noise_sigma > 0:
            # Split into positive and negative parts so two saturating uint8 operations apply it.
            unit *= np.float32(scene.noise_sigma)
            n_pos = np.clip(np.rint(unit), 0, 255).astype(np.uint8)
            n_neg = np.clip(np.rint(-unit), 0, 255).astype(np.uint8)
        del unit

    for index in range(scene.n_frames):
        t = index / scene.fps
        sx, sy = shake(t)
        # The image moves by (-sx, -sy) relative to the room when the crop moves by (sx, sy).
        cx, cy = cam.cx - sx, cam.cy - sy

        draw_list: list = []
        joints: list[dict[str, tuple[float, float]] | None] = []
        dists: list[float | None] = []
        extents: list = []
        posed_all: list = []
        for wi, body in enumerate(bodies):
            p = _project(body, t, cam, cx, cy)
            posed_all.append(p)
            if p is None:
                joints.append(None)
                dists.append(None)
                extents.append(None)
                continue
            if not isinstance(p, _Posed):  # behind the camera
                joints.append(None)
                dists.append(float(p[1]))
                extents.append(None)
                continue
            joints.append(p.joints)
            dists.append(float(p.root[1]))
            extents.append(p.extent)
            draw_list += _parts(body, p, cam, wi, looks[wi] if rgb else None, light)

        # Painter's algorithm over every part of every walker: far parts first. The outlines go
        # into a label image (walker index + 1), which gives exact, occlusion-aware masks; with
        # one walker nothing can hide it, so its outlines go straight into its mask.
        draw_list.sort(key=lambda item: -item[0])
        label = np.zeros((H, W), np.uint8)
        value = 255 if len(bodies) == 1 else None
        for _, wi, ops in draw_list:
            for op in ops:
                if op[2] is True:
                    cv2.fillConvexPoly(label, op[0], value or wi + 1, cv2.LINE_8, _SHIFT)

        img = None
        if rgb:
            view = (slice(pad + sy, pad + sy + H), slice(pad + sx, pad + sx + W))
            img = _compose_rgb(scene, cam, cx, cy, t, bodies, looks, light, posed_all, draw_list,
                               bg_sharp[view], bg_soft[view], blur)  # fmt: skip
            if scene.noise_sigma > 0:
                ox, oy = int(noise_rng.integers(npad)), int(noise_rng.integers(npad))
                cv2.add(img, n_pos[oy : oy + H, ox : ox + W], dst=img)
                cv2.subtract(img, n_neg[oy : oy + H, ox : ox + W], dst=img)
            if scene.jpeg_quality is not None:
                ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, int(scene.jpeg_quality)])
                img = cv2.imdecode(buf, cv2.IMREAD_COLOR)

        masks, boxes = [], []
        for wi, ext in enumerate(extents):
            mask = label if value else np.zeros((H, W), np.uint8)
            box = None
            if ext is not None:
                x0 = max(int(ext[0]), 0)
                y0 = max(int(ext[1]), 0)
                x1 = min(int(ext[2]) + 1, W)
                y1 = min(int(ext[3]) + 1, H)
                if x0 < x1 and y0 < y1:
                    if value:
                        sub = label[y0:y1, x0:x1]
                    else:
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


def _shift_ops(draw_list: list, ox: int, oy: int) -> list:
    """The draw list moved by (-ox, -oy) pixels, for drawing into a patch at (ox, oy)."""
    off = np.array([ox, oy], np.int32) * int(_ONE)
    out = []
    for depth, wi, ops in draw_list:
        moved = []
        for op in ops:
            if isinstance(op[0], str):
                moved.append((op[0], op[1] - (ox, oy), op[2], op[3]))
            else:
                moved.append((op[0] - off, op[1], op[2]))
        out.append((depth, wi, moved))
    return out


def _sub_frames(bodies, looks, light, cam: _Camera, cx: float, cy: float, t: float,
                exposure: float):  # fmt: skip
    """Draw lists of the walkers at sub-frame times spread over the exposure (motion blur).

    The number of sub-frames follows the fastest image motion (about one per 1.5 px, 2-8), so a
    slow walker costs little; none are made when nothing moves by half a pixel.

    Returns:
        (draw lists sorted far to near, the extents they cover), or (None, []).
    """
    ends = [[_project(b, s, cam, cx, cy) for b in bodies]
            for s in (t - 0.5 * exposure, t + 0.5 * exposure)]  # fmt: skip
    move = 0.0
    for a, b in zip(*ends):
        if isinstance(a, _Posed) and isinstance(b, _Posed):
            move = max(move, float(np.abs(a.uv - b.uv).max()))
    if move < 0.5:
        return None, []
    n = int(min(max(math.ceil(move / 1.5) + 1, 2), 8))
    lists, boxes = [], []
    for j in range(n):
        s = t + exposure * (j / (n - 1) - 0.5)
        if j in (0, n - 1):
            posed = ends[0] if j == 0 else ends[1]
        else:
            posed = [_project(b, s, cam, cx, cy) for b in bodies]
        dl = []
        for wi, (body, p) in enumerate(zip(bodies, posed)):
            if isinstance(p, _Posed):
                dl += _parts(body, p, cam, wi, looks[wi], light)
                boxes.append(p.extent)
        dl.sort(key=lambda item: -item[0])
        lists.append(dl)
    return lists, boxes


def _compose_rgb(
    scene: Scene, cam: _Camera, cx: float, cy: float, t: float, bodies, looks, light: _Light,
    posed_all, draw_list, bg_sharp: np.ndarray, bg_soft: np.ndarray, blur: float,
) -> np.ndarray:
    """The frame's picture before noise: the blurred room with the walkers and their shadows.

    Shadows and walkers are drawn on the sharp room in a patch around them, the patch is
    blurred like the room (lens) and pasted back, leaving out the margin whose blur would have
    needed pixels from outside the patch; so every pixel is blurred exactly once.
    """
    H, W = bg_soft.shape[:2]
    img = bg_soft.copy()  # never draw into the shared background
    boxes = [p.extent for p in posed_all if isinstance(p, _Posed)]
    if not boxes:
        return img
    shadows = []
    if scene.shadow:
        for body, p in zip(bodies, posed_all):
            if isinstance(p, _Posed):
                geom = _shadow_geometry(cam, cx, cy, body, p.root, light)
                if geom is not None:
                    shadows.append(geom)
                    boxes.append(geom[3])
    sub_lists = None
    if scene.motion_blur > 0 and draw_list:
        exposure = scene.motion_blur / scene.fps
        sub_lists, sub_boxes = _sub_frames(bodies, looks, light, cam, cx, cy, t, exposure)
        boxes += sub_boxes
    m = int(math.ceil(3.0 * blur)) + 1 if blur > 0 else 0
    x0 = max(int(min(b[0] for b in boxes)) - m, 0)
    y0 = max(int(min(b[1] for b in boxes)) - m, 0)
    x1 = min(int(max(b[2] for b in boxes)) + 1 + m, W)
    y1 = min(int(max(b[3] for b in boxes)) + 1 + m, H)
    if x0 >= x1 or y0 >= y1:
        return img
    patch = bg_sharp[y0:y1, x0:x1].copy()
    # Under diffuse indoor light a contact shadow is a weak darkening round the feet; a strong
    # key light deepens it.
    gain = 0.22 * min(scene.light_intensity, 2.0)
    for geom in shadows:
        _draw_shadow(patch, geom, x0, y0, gain)
    if sub_lists:
        acc = np.zeros(patch.shape, np.uint16)
        for dl in sub_lists:
            buf = patch.copy()
            _draw(buf, _shift_ops(dl, x0, y0))
            acc += buf
        n = len(sub_lists)
        patch = ((acc + n // 2) // n).astype(np.uint8)
    else:
        _draw(patch, _shift_ops(draw_list, x0, y0))
    if blur > 0:
        patch = cv2.GaussianBlur(patch, (0, 0), blur)
    ix0, iy0 = (x0 + m if x0 > 0 else 0), (y0 + m if y0 > 0 else 0)
    ix1, iy1 = (x1 - m if x1 < W else W), (y1 - m if y1 < H else H)
    if ix0 < ix1 and iy0 < iy1:
        img[iy0:iy1, ix0:ix1] = patch[iy0 - y0 : iy1 - y0, ix0 - x0 : ix1 - x0]
    return img


def _shadow_geometry(cam: _Camera, cx: float, cy: float, body: _Body, root, light: _Light):
    """A walker's contact shadow: a soft ellipse on the floor, cast away from the light.

    Returns:
        (u, v, blur, box) in frame pixels, or None when it is not in front of the camera.
    """
    h = body.h
    ang = np.linspace(0, 2 * np.pi, 20, endpoint=False)
    ox = -0.15 * h * light.sin
    oz = 0.06 * h * light.cos
    # Soft and close around the feet (overhead indoor light), reaching out with a side light.
    pts = np.stack([root[0] + ox + (0.16 + 0.08 * abs(light.sin)) * h * np.cos(ang), np.zeros_like(ang),
                    root[1] + oz + 0.12 * h * np.sin(ang)], 1)  # fmt: skip
    pc = (pts - cam.pos) @ cam.rot.T
    if (pc[:, 2] <= 0.05).any():
        return None
    u = cx + cam.f * pc[:, 0] / pc[:, 2]
    v = cy + cam.f * pc[:, 1] / pc[:, 2]
    blur = 0.25 * (v.max() - v.min() + 0.3 * (u.max() - u.min())) + 1.0
    box = (int(u.min() - 2 * blur), int(v.min() - 2 * blur),
           int(u.max() + 2 * blur) + 1, int(v.max() + 2 * blur) + 1)  # fmt: skip
    return u, v, blur, box


def _draw_shadow(img: np.ndarray, geom, ox: int, oy: int, gain: float) -> None:
    """Darken a shadow (``_shadow_geometry``) into ``img``, whose top-left is frame pixel
    (ox, oy), in place."""
    u, v, blur, (x0, y0, x1, y1) = geom
    ImgH, ImgW = img.shape[:2]
    # Only the part that lands in the image (plus the blur's reach) is drawn, and the blur is
    # capped: right under the camera the ellipse projects far larger than the frame, and its
    # softness with it.
    blur = min(blur, 64.0)
    reach = int(2 * blur) + 1
    x0, y0 = max(x0 - ox, -reach), max(y0 - oy, -reach)
    x1, y1 = min(x1 - ox, ImgW + reach), min(y1 - oy, ImgH + reach)
    cx0, cy0, cx1, cy1 = max(x0, 0), max(y0, 0), min(x1, ImgW), min(y1, ImgH)
    if cx0 >= cx1 or cy0 >= cy1:
        return
    # Drawn and blurred at quarter resolution: the shadow is soft, so detail is not needed.
    q = 4
    sw, shh = max((x1 - x0) // q, 1), max((y1 - y0) // q, 1)
    small = np.zeros((shh, sw), np.uint8)
    poly = np.stack([(u - ox - x0) / q, (v - oy - y0) / q], 1)
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
            if image is None:
                raise ValueError(f"frame {count} has no image (rendered with rgb=False?)")
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
