"""Body and gait model of the synthetic walker: proportions, knee geometry, gait and its timing.

The renderer (``genuscreen.synth.walk``) draws what this module poses. A ``Walker`` describes one
person; ``_Body`` turns it into an articulated figure (local coordinates: forward, left, up, in
metres, origin on the floor under the pelvis) and poses it at any time.

Proportions. With ``Walker.age_y`` set, head and leg length follow age: the head is ~1/5 of
stature at 3 y and ~1/6.5 at 12 y, the leg (hip joint height) ~42 % at 3 y and ~48 % at 12 y,
blending to adult values (1/7.5, 51 %) by 18 y; from ~10 y girls get a relatively wider pelvis
and boys wider shoulders. Without an age, proportions follow stature alone (child up to 1.4 m,
adult from 1.65 m). ``Walker.bmi`` thickens the soft tissue: girth scales with sqrt(BMI / 16),
most on the trunk and upper thighs, least at the ankles and not at all on the skeleton (joint
positions do not move), so heavy thighs touch and heavy knees meet sooner.

Knee geometry (static). ``Walker.tfa_deg`` is the frontal angle between the hip->knee and the
knee->ankle lines (joint centres), positive = valgus. Each leg is a thigh of length T hanging
from a hip joint H to the side of the midline, tilted in (adducted) by a, and a shank of length
S tilted out by b = TFA - a. The standing pose is the clinical one: the legs are brought
together until the knees touch (knee soft tissue radius r_k) or, for small or varus angles, the
ankles touch first (radius r_a). A valgus leg therefore stands with knees together and ankles
apart by the intermalleolar distance (``intermalleolar_distance_cm``), a varus one with ankles
together and knees apart. At the reference build (BMI 16) thigh and shank taper equally
((r_thigh - r_k) / T = (r_k - r_a) / S), so lines along the silhouette's medial (or lateral)
edges meet at the same angle as the joint lines; a heavier child's upper thigh is fuller than
that taper. A calf is added behind the shank, where a frontal view does not see it.

Gait. Sagittal hip, knee and ankle angles follow normative curves; the body is carried by its
stance foot, which rolls on the floor without sliding, and the hip curve is scaled so the
result walks at ``speed_m_s``. On top of that: pelvic rotation (transverse, the leading hip
forward at heel strike, which lengthens the step and is part of the no-slide travel), pelvic
obliquity (the swing side drops in early stance), lateral sway and lean of the trunk over the
stance leg, thorax counter-rotation and arm swing. In gait the legs are abducted slightly from
the standing pose so the knees pass ~1 % of stature apart.

Genu valgum in gait (CLINICAL.md B5), scaled by severity k = (TFA - ``TFA_NORMAL_MAX``) /
(20 - ``TFA_NORMAL_MAX``) clipped to 0-1, so zero for every normal child and full at 20 deg:

- dynamic valgus: during stance the knee moves further medially (thigh adducts, shank abducts
  about the planted ankle) by up to 1 + 5k degrees, peaking in mid-stance;
- knees brushing: the gait knee clearance shrinks to zero with k, so the stance knee, pushed in
  by the dynamic valgus, meets the swing knee as it passes;
- wider steps: 1.5k degrees more hip abduction on each side, on top of the wide ankle base that
  the static angle already gives;
- circumduction: the swing leg abducts by up to 5k degrees, so the swing foot arcs outward;
- out-toeing: the foot progression angle grows by 12k degrees (base ~7 degrees);
- more frontal sway: trunk sway and lean grow by 50 % and 100 % at k = 1.

All of these vanish in the standing pose, so a standing child shows exactly ``tfa_deg``.

Variability. ``gait_variability`` is the coefficient of variation of step time; step length
varies about as much (correlated with step time) and arm swing, sway, trunk lean and pelvic
obliquity 1.5x as much, from step to step, drawn from a generator seeded by the scene seed and the walker's
index. It also scales the walker's individual style: arm swing, sway, trunk lean, foot
progression angle and knee clearance, drawn once from a digest of the walker's own fields (as
are hair style, sleeve length and socks), so a child looks and moves alike in every scene.
Zero gives the textbook gait. Heel strikes are exact either way (``heel_strikes`` given the
scene's seed and the walker's index).

Other people. Besides walking toward the camera, a person can walk across or away, stand still,
sit on a seat of knee height (``"sit"``: thighs level, shanks upright, hands on the thighs) or
sit on the floor (``"sit_floor"``: knees drawn up, hands by the knees); the school tier of the
data sets puts such people beside the walk as bystanders.

Limits. ``tfa_deg`` is the angle of the joint-centre lines (as a frontal-plane projection angle
from hip, knee and ankle centres would measure it), not the radiographic angle between the
femoral and tibial shafts, which runs a few degrees more valgus; so for a given ``tfa_deg`` the
intermalleolar distance here is somewhat larger than clinical tables pair with that angle.
Segments are rigid; there is no hip rotation, femoral anteversion or tibial torsion (which can
look like valgus, CLINICAL.md B1), no soft-tissue motion and no foot deformity. Clothing is
convex shapes over the limbs.
"""

from __future__ import annotations

import functools
import hashlib
import math
from dataclasses import dataclass

import numpy as np

from genuscreen import clinical

__all__ = [
    "LEGWEAR",
    "PATHS",
    "SEXES",
    "SKIN_TONES_BGR",
    "LegGeometry",
    "Walker",
    "heel_strike_times",
    "heel_strikes",
    "intermalleolar_distance_cm",
    "leg_geometry",
    "valgum_severity",
]

PATHS = ("toward", "across", "away", "still", "sit", "sit_floor")
# Paths on which the person stays where it is: no steps, no travel, a small standing sway.
_STATIC_PATHS = ("still", "sit", "sit_floor")
# Seated postures (bystanders of the school tier): sagittal thigh flexion, knee flexion and
# ankle dorsiflexion (degrees; the foot is flat when thigh - knee + ankle = 0), hip abduction
# (degrees, knees a little apart) and shoulder flexion (hands on the thighs or round the knees).
# "sit": on a seat at knee height, thighs level, shanks upright. "sit_floor": on the floor,
# knees drawn up, feet flat in front of the hips.
_SEATED = {
    "sit": (90.0, 90.0, 0.0, 5.0, 35.0),
    "sit_floor": (145.0, 168.0, 23.0, 8.0, 25.0),
}
LEGWEAR = ("shorts", "leggings", "trousers", "bare", "skirt")
SEXES = ("female", "male")

# Skin tones (BGR) from very light to very dark, in ten steps along the usual skin-colour
# locus (about the ten swatches of the Monk Skin Tone scale as a camera records them: less
# bright than the printed swatches, warmer at the light end).
SKIN_TONES_BGR: tuple[tuple[int, int, int], ...] = (
    (196, 214, 241), (172, 196, 232), (150, 180, 224), (122, 157, 204), (100, 135, 185),
    (80, 110, 160), (60, 86, 130), (46, 66, 102), (36, 50, 75), (28, 35, 50),
)  # fmt: skip

# TFA (degrees) at which the gait features of genu valgum are fully expressed (severity 1).
VALGUM_FULL_TFA_DEG = 20.0

# Seconds a walker needs to come to a standstill at the end of a "toward"/"away" walk.
_STOP_BLEND_S = 0.6
# Gait phase (fraction of a stride, 0 = right heel strike) at which a walker enters. Entering
# mid-stance means the first heel strike happens on screen and can be detected as an event.
_ENTRY_PHASE = 0.3
# gait_variability of the "typical" child: the individual style is scaled relative to it.
_TYPICAL_VARIABILITY = 0.03


# --------------------------------------------------------------------------------------------
# Public data types
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Walker:
    """One person in the scene.

    Attributes:
        height_m: Stature in metres (0.8-2.0 m). Without ``age_y``: child proportions (big
            head, legs ~47 % of stature) up to 1.4 m, blending to adult proportions at 1.65 m.
        path: ``"toward"`` (walks toward the camera, front visible), ``"across"`` (walks left to
            right, side view), ``"away"`` (walks away, back visible), ``"still"`` (stands
            facing the camera with a small sway, knees together: the clinical standing pose),
            ``"sit"`` (sits on a seat at knee height, thighs level; the seat itself is the
            scene's business, ``Scene.props``) or ``"sit_floor"`` (sits on the floor, knees
            drawn up). A sitting person faces along ``heading_deg`` and does not step.
        start_distance_m: Distance from the camera along z at entry; for ``"across"``,
            ``"still"`` and the sitting paths the constant distance.
        end_distance_m: For ``"toward"``/``"away"``, the distance along z where the walk ends:
            the walker comes to a standstill within about half a step of it and stays standing.
            Unused otherwise.
        lateral_offset_m: x offset from the camera's centre line at entry; for ``"across"`` the
            starting x.
        speed_m_s: Walking speed. With the cadence it sets the step length; the defaults suit a
            6-8 year old. Give adults their own (e.g. 1.3 m/s at 110 steps/min): at a child's
            speed and cadence an adult shuffles with very short steps.
        cadence_steps_per_min: Mean steps (heel strikes of either foot) per minute.
        tfa_deg: Static knee frontal angle between the hip->knee and knee->ankle lines, positive
            = valgus (knees together, ankles apart), negative = varus (bow legs). Exact in the
            standing pose; in gait the valgum features of the module docstring are added.
        start_time_s: When the walker appears; before that the scene is empty of them.
        shirt_bgr: Shirt colour.
        legwear_bgr: Shorts/leggings/trousers/skirt colour.
        skin_bgr: Skin colour (``SKIN_TONES_BGR`` spans very light to very dark).
        hair_bgr: Hair colour.
        shoe_bgr: Shoe colour (skin colour for bare feet).
        legwear: ``"shorts"`` (thighs half covered, knees and shanks bare), ``"bare"`` (very
            short shorts: legs bare from the upper thigh), ``"skirt"`` (flared, to above the
            knee, swings a little), ``"leggings"`` (tight, whole leg) or ``"trousers"`` (loose,
            hides the knee shape).
        age_y: Age in years (2-18; children 3-12). Sets head and leg proportions (see the module
            docstring); ``height_m`` stays the stature. None: proportions from stature alone.
        sex: ``"female"`` or ``"male"``: hair length and shape, and from ~10 y the pelvis and
            shoulder widths.
        bmi: Body mass index, kg/m^2 (10-40; children ~13 slim to ~28 obese). Limb and trunk
            girth scale with it.
        heading_deg: Walking (for ``"still"`` and sitting: facing) direction relative to
            straight toward the camera (``"toward"``/``"still"``/sitting) or straight away
            (``"away"``); positive drifts toward the camera's right (+x). For ``"across"``,
            positive turns away from the camera. Within +-45 degrees (+-90 sitting: someone on
            a bench along a wall faces across the room); for walkers small, e.g. +-8.
        gait_variability: Step-to-step coefficient of variation of step time (0-0.2; 0.03 is
            typical of children); see the module docstring. Seeded by the scene seed and the
            walker's index in the scene.
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
    age_y: float | None = None
    sex: str = "female"
    bmi: float = 16.0
    heading_deg: float = 0.0
    gait_variability: float = 0.03

    def __post_init__(self) -> None:
        if self.path not in PATHS:
            raise ValueError(f"Walker.path must be one of {PATHS}, got {self.path!r}")
        if self.legwear not in LEGWEAR:
            raise ValueError(f"Walker.legwear must be one of {LEGWEAR}, got {self.legwear!r}")
        if self.sex not in SEXES:
            raise ValueError(f"Walker.sex must be one of {SEXES}, got {self.sex!r}")
        if not 0.8 <= self.height_m <= 2.0:
            raise ValueError(f"Walker.height_m must be within 0.8-2.0 m, got {self.height_m}")
        if self.age_y is not None and not 2.0 <= self.age_y <= 18.0:
            raise ValueError(f"Walker.age_y must be None or within 2-18 years, got {self.age_y}")
        if not 10.0 <= self.bmi <= 40.0:
            raise ValueError(f"Walker.bmi must be within 10-40 kg/m^2, got {self.bmi}")
        max_heading = 90.0 if self.path in _SEATED else 45.0
        if abs(self.heading_deg) > max_heading:
            raise ValueError(
                f"Walker.heading_deg must be within +-{max_heading:g} for a {self.path!r} walker, "
                f"got {self.heading_deg}"
            )
        if not 0.0 <= self.gait_variability <= 0.2:
            raise ValueError(
                "Walker.gait_variability is the step-to-step coefficient of variation (0.03 is "
                f"typical) and must be within 0-0.2, got {self.gait_variability}"
            )
        if not -45.0 <= self.tfa_deg <= 45.0:
            raise ValueError(f"Walker.tfa_deg must be within +-45, got {self.tfa_deg}")
        if self.cadence_steps_per_min <= 0:
            raise ValueError("Walker.cadence_steps_per_min must be positive")
        if self.speed_m_s < 0:
            raise ValueError("Walker.speed_m_s must not be negative")
        if self.path not in _STATIC_PATHS and self.speed_m_s <= 0:
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
class LegGeometry:
    """The static leg geometry of a walker (both legs alike), in the standing pose.

    Attributes:
        hip_half_width_m: Lateral distance of each hip joint centre from the midline (H).
        thigh_m: Hip to knee joint centre (T).
        shank_m: Knee to ankle joint centre (S).
        knee_radius_m: Half-width of the knee's soft tissue (r_k); knees touch at 2 r_k.
        ankle_radius_m: Half-width of the leg at the malleoli (r_a).
        thigh_adduction_deg: Standing tilt of the thigh toward the midline (a).
        shank_abduction_deg: Standing tilt of the shank away from the midline (b = TFA - a).
        knees_touch: True when the standing pose has the knees together (valgus side), False
            when the ankles touch first (small or varus angles).
        intermalleolar_distance_cm: Gap between the malleoli in the standing pose (0 when the
            ankles touch).
        intercondylar_distance_cm: Gap between the knees in the standing pose (0 when the knees
            touch).
    """

    hip_half_width_m: float
    thigh_m: float
    shank_m: float
    knee_radius_m: float
    ankle_radius_m: float
    thigh_adduction_deg: float
    shank_abduction_deg: float
    knees_touch: bool
    intermalleolar_distance_cm: float
    intercondylar_distance_cm: float


def valgum_severity(tfa_deg: float) -> float:
    """How strongly the gait features of genu valgum show, 0-1.

    0 up to ``clinical.TFA_NORMAL_MAX``, rising linearly to 1 at ``VALGUM_FULL_TFA_DEG``.
    """
    span = VALGUM_FULL_TFA_DEG - clinical.TFA_NORMAL_MAX
    return min(max((tfa_deg - clinical.TFA_NORMAL_MAX) / span, 0.0), 1.0)


# --------------------------------------------------------------------------------------------
# Proportions and static leg geometry
# --------------------------------------------------------------------------------------------


def _lerp(a: float, b: float, s: float) -> float:
    return a + (b - a) * s


def _clip01(x: float) -> float:
    return min(max(x, 0.0), 1.0)


@dataclass(frozen=True)
class _Build:
    """Proportions and soft-tissue radii of a walker (metres); no gait, no style."""

    h: float
    s: float  # 0 = child proportions, 1 = adult
    puberty: float  # 0-1: how far sex differences of pelvis and shoulders have developed
    girth: float  # sqrt(bmi / 16): soft-tissue scale
    head_h: float
    hip_h: float  # hip joint height standing = leg length
    ankle_h: float
    thigh: float
    shank: float
    hip_half: float
    shoulder_h: float
    shoulder_half: float
    pelvis_k: float  # pelvis width factor (sex, puberty)
    shoulder_k: float  # shoulder width factor
    r_knee: float
    r_ankle: float
    r_thigh: float  # at the hip joint
    foot: float
    upper_arm: float
    forearm: float
    hand: float


@functools.lru_cache(maxsize=1024)
def _build(w: Walker) -> _Build:
    h = w.height_m
    if w.age_y is None:
        s = _clip01((h - 1.4) / 0.25)
        head_f, leg_f, puberty = _lerp(0.18, 0.13, s), _lerp(0.47, 0.51, s), s
    else:
        a = w.age_y
        head_f = float(np.interp(a, (3.0, 12.0, 18.0), (0.20, 1.0 / 6.5, 0.13)))
        leg_f = float(np.interp(a, (3.0, 12.0, 18.0), (0.42, 0.48, 0.51)))
        s = _clip01((a - 12.0) / 6.0)
        puberty = _clip01((a - 10.0) / 4.0)
    female = w.sex == "female"
    pelvis_k = 1.0 + (0.07 if female else -0.03) * puberty
    shoulder_k = 1.0 + (-0.03 if female else 0.07) * puberty
    head_h = head_f * h
    hip_h = leg_f * h
    ankle_h = _lerp(0.045, 0.039, s) * h
    leg = hip_h - ankle_h
    thigh, shank = 0.52 * leg, 0.48 * leg
    girth = math.sqrt(w.bmi / 16.0)
    r_knee = 0.031 * h * girth**0.6
    r_ankle = 0.018 * h * girth**0.3
    # Equal medial taper of thigh and shank at the reference build (see the module docstring);
    # fat adds to the upper thigh beyond that.
    r_thigh = r_knee + (r_knee - r_ankle) * thigh / shank + 0.025 * h * (girth - 1.0)
    return _Build(
        h=h, s=s, puberty=puberty, girth=girth, head_h=head_h, hip_h=hip_h, ankle_h=ankle_h,
        thigh=thigh, shank=shank,
        hip_half=0.05 * h * (1.0 + (0.04 if female else -0.02) * puberty),
        shoulder_h=h - head_h - _lerp(0.03, 0.05, s) * h,
        shoulder_half=_lerp(0.092, 0.105, s) * h * shoulder_k,
        pelvis_k=pelvis_k, shoulder_k=shoulder_k,
        r_knee=r_knee, r_ankle=r_ankle, r_thigh=r_thigh,
        foot=_lerp(0.15, 0.152, s) * h,
        upper_arm=_lerp(0.165, 0.186, s) * h,
        forearm=_lerp(0.13, 0.146, s) * h,
        hand=_lerp(0.08, 0.105, s) * h,
    )  # fmt: skip


def _standing_frontal(b: _Build, tfa_deg: float) -> tuple[float, float, bool]:
    """Standing thigh adduction a and shank abduction b (radians), and whether the knees touch.

    The legs close until the knees touch: a = asin((H - r_k) / T). If the ankles would then
    overlap (ankle centre within r_a of the midline), they touch first instead: a solves
    H - T sin a + S sin(TFA - a) = r_a (bisection; the left side falls as a grows).
    """
    tfa = math.radians(tfa_deg)
    H, T, S, rk, ra = b.hip_half, b.thigh, b.shank, b.r_knee, b.r_ankle
    a_touch = math.asin(min(max((H - rk) / T, -1.0), 1.0))

    def ankle_y(a: float) -> float:
        return H - T * math.sin(a) + S * math.sin(tfa - a)

    if ankle_y(a_touch) >= ra:
        return a_touch, tfa - a_touch, True
    lo, hi = a_touch - 1.0, a_touch  # ankle_y(lo) > ra > ankle_y(hi)
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if ankle_y(mid) > ra else (lo, mid)
    a = 0.5 * (lo + hi)
    return a, tfa - a, False


def leg_geometry(walker: Walker) -> LegGeometry:
    """The standing leg geometry of ``walker`` (see ``LegGeometry`` and the module docstring)."""
    b = _build(walker)
    a, bb, touch = _standing_frontal(b, walker.tfa_deg)
    knee_y = b.hip_half - b.thigh * math.sin(a)
    ankle_y = knee_y + b.shank * math.sin(bb)
    return LegGeometry(
        hip_half_width_m=b.hip_half,
        thigh_m=b.thigh,
        shank_m=b.shank,
        knee_radius_m=b.r_knee,
        ankle_radius_m=b.r_ankle,
        thigh_adduction_deg=math.degrees(a),
        shank_abduction_deg=math.degrees(bb),
        knees_touch=touch,
        # Whichever pair touches has no gap, exactly (not a bisection's rounding residue).
        intermalleolar_distance_cm=max(0.0, 200.0 * (ankle_y - b.r_ankle)) if touch else 0.0,
        intercondylar_distance_cm=0.0 if touch else max(0.0, 200.0 * (knee_y - b.r_knee)),
    )


def intermalleolar_distance_cm(walker: Walker) -> float:
    """Ankle gap (cm) of the walker standing with the knees just touching.

    With hip joint centres H from the midline, thigh T, shank S, knee and ankle soft-tissue
    half-widths r_k and r_a (``leg_geometry`` gives them all), the knees touch when the thigh is
    adducted by a = asin((H - r_k) / T); the shank then tilts out by TFA - a, so

        IMD = 2 * (r_k + S * sin(TFA - a) - r_a)

    It is 0 when that is not positive, i.e. for TFA <= a - asin((r_k - r_a) / S), the angle at
    which knees and ankles both touch (a little above 0 degrees; varus legs stand with the
    ankles together and the knees apart). The renderer's standing pose ("still" path, and the
    end of a walk) has exactly this geometry, so the ankle joint centres it reports are
    IMD + 2 r_a apart.

    Args:
        walker: The walker; its ``tfa_deg``, stature, age, sex and BMI matter.

    Returns:
        The intermalleolar distance in centimetres, >= 0.
    """
    return leg_geometry(walker).intermalleolar_distance_cm


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
_GAIT_HIP, _GAIT_KNEE, _GAIT_ANKLE = (row.tolist() for row in _GAIT)
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
# Named points of the per-frame point array (local body coordinates: forward, left, up)
# --------------------------------------------------------------------------------------------

_NAMES = [
    "head", "neck", "neck_base", "pelvis",
    "hip_l", "hip_r", "knee_l", "knee_r", "ankle_l", "ankle_r", "heel_l", "heel_r",
    "toe_l", "toe_r", "ball_l", "ball_r", "shorts_l", "shorts_r", "calf_a_l", "calf_a_r",
    "calf_b_l", "calf_b_r", "sock_l", "sock_r",
    "shoulder_l", "shoulder_r", "elbow_l", "elbow_r", "wrist_l", "wrist_r",
    "finger_l", "finger_r", "sleeve_l", "sleeve_r", "eye_l", "eye_r", "hair_top", "fringe",
    "hair_back",
]  # fmt: skip
_IDX = {n: i for i, n in enumerate(_NAMES)}
_JOINT_NAMES = [
    "head", "neck", "pelvis", "hip_l", "hip_r", "knee_l", "knee_r", "ankle_l", "ankle_r",
    "heel_l", "heel_r", "toe_l", "toe_r", "shoulder_l", "shoulder_r", "elbow_l", "elbow_r",
    "wrist_l", "wrist_r",
]  # fmt: skip
_JOINT_IDX = np.array([_IDX[n] for n in _JOINT_NAMES])
# Per leg / arm (left, right): indices of its named points, in the order pose fills them.
_LEG_IDX = [tuple(_IDX[f"{n}_{sd}"] for n in ("hip", "knee", "ankle", "heel", "toe", "ball",
                                              "shorts", "calf_a", "calf_b", "sock"))
            for sd in "lr"]  # fmt: skip
_ARM_IDX = [tuple(_IDX[f"{n}_{sd}"] for n in ("shoulder", "elbow", "wrist", "finger", "sleeve"))
            for sd in "lr"]  # fmt: skip
# Points carried rigidly by the upper body (trunk lean and thorax rotation move them).
_UPPER = ["head", "neck", "neck_base", "shoulder_l", "shoulder_r", "eye_l", "eye_r",
          "hair_top", "fringe", "hair_back"]  # fmt: skip
_UPPER_IDX = np.array([_IDX[n] for n in _UPPER])
_RING_N = 12
_RING = np.linspace(0.0, 2.0 * np.pi, _RING_N, endpoint=False)
_HEM_N = 16
_HEM = np.linspace(0.0, 2.0 * np.pi, _HEM_N, endpoint=False)

HAIR_STYLES = ("short", "bob", "long", "ponytail")


def _rot_xz(ax: float, az: float) -> np.ndarray:
    """Rotation Rx(ax) @ Rz(az): first about the vertical axis by ``az`` (positive turns the
    left side backward), then about the forward axis by ``ax`` (positive tips the top toward
    the right, -left)."""
    cx, sx, cz, sz = math.cos(ax), math.sin(ax), math.cos(az), math.sin(az)
    return np.array([[cz, -sz, 0.0], [cx * sz, cx * cz, -sx], [sx * sz, sx * cz, cx]])


def _seed_words(seed: int) -> int:
    return int(seed) % (1 << 64)


def _walker_words(w: Walker) -> int:
    """A stable 64-bit digest of a walker's fields (``hash`` of strings changes per process)."""
    return int.from_bytes(hashlib.sha256(repr(w).encode()).digest()[:8], "little")


# --------------------------------------------------------------------------------------------
# Step timeline (gait variability)
# --------------------------------------------------------------------------------------------


class _Timeline:
    """Per-step durations and multipliers, drawn in chunks on demand.

    Step k spans right-leg phases [k/2, (k+1)/2): it starts with a heel strike (right for even
    k) and lasts ``dur[k]``. ``t[k]`` is the time of that strike after entry (the walker enters
    at phase ``_ENTRY_PHASE``, inside step 0, so ``t[0] < 0``). Length and amplitude multipliers
    are knots at mid-step, interpolated smoothly between steps.
    """

    _CHUNK = 64

    def __init__(self, half_stride: float, variability: float, key: tuple[int, ...]) -> None:
        self.half = half_stride
        self.v = variability
        self.key = key
        self.dur = np.zeros(0)
        self.len_k = np.zeros(0)
        self.amp_k = np.zeros(0)
        self.t = np.zeros(1)
        self._extend()

    def _extend(self) -> None:
        c = len(self.dur) // self._CHUNK
        n = self._CHUNK
        if self.v > 0:
            rng = np.random.default_rng([*self.key, c])
            e = np.clip(rng.standard_normal((3, n)), -2.5, 2.5)
        else:
            e = np.zeros((3, n))
        v = self.v
        self.dur = np.concatenate([self.dur, self.half * (1.0 + v * e[0])])
        # Longer steps take a little longer: step length shares part of the timing draw.
        self.len_k = np.concatenate([self.len_k, 1.0 + v * (0.6 * e[0] + 0.8 * e[1])])
        self.amp_k = np.concatenate([self.amp_k, 1.0 + 1.5 * v * e[2]])
        t0 = -(_ENTRY_PHASE / 0.5) * self.dur[0]
        self.t = t0 + np.concatenate([[0.0], np.cumsum(self.dur)])

    def ensure_time(self, tau: float) -> None:
        while self.t[-1] <= tau:
            self._extend()

    def ensure_steps(self, k: int) -> None:
        while len(self.dur) <= k + 1:
            self._extend()

    def phase(self, tau: float) -> float:
        """Right-leg phase at time ``tau`` after entry (tau >= 0)."""
        self.ensure_time(tau)
        k = int(np.searchsorted(self.t, tau, side="right")) - 1
        return 0.5 * k + 0.5 * (tau - self.t[k]) / self.dur[k]

    def strike_time(self, m: int) -> float:
        """Time after entry of the heel strike that starts step ``m`` (phase m / 2)."""
        self.ensure_steps(m)
        return float(self.t[m])

    def _knot(self, values_name: str, phase: float) -> float:
        x = (phase - 0.25) / 0.5
        k = math.floor(x)
        if k < 0:
            k, x = 0, 0.0
        self.ensure_steps(k + 1)
        vals = getattr(self, values_name)
        return float(vals[k] + (vals[k + 1] - vals[k]) * _smoothstep(x - k))

    def length(self, phase: float) -> float:
        return self._knot("len_k", phase) if self.v > 0 else 1.0

    def lengths(self, phases: np.ndarray) -> np.ndarray:
        """``length`` at many phases at once (same interpolation)."""
        x = np.maximum((np.asarray(phases) - 0.25) / 0.5, 0.0)
        k = np.floor(x).astype(np.int64)
        self.ensure_steps(int(k.max()) + 1)
        f = np.clip(x - k, 0.0, 1.0)
        return self.len_k[k] + (self.len_k[k + 1] - self.len_k[k]) * f * f * (3.0 - 2.0 * f)

    def amplitude(self, phase: float) -> float:
        return self._knot("amp_k", phase) if self.v > 0 else 1.0


# --------------------------------------------------------------------------------------------
# Body model
# --------------------------------------------------------------------------------------------


class _Body:
    """Per-walker constants (proportions, style, templates, capsules) and the pose at a time.

    Geometry and timing depend only on the walker, the scene seed and the walker's index, so a
    body is cached (``_body_of``) and shared by the renderer and the ground-truth functions;
    colours and light are the renderer's business.
    """

    def __init__(self, w: Walker, seed: int = 0, index: int = 0) -> None:
        self.w = w
        b = _build(w)
        self.b = b
        h = self.h = b.h
        self.k = valgum_severity(w.tfa_deg)
        key = (_seed_words(seed), int(index))

        # Individual style, drawn once from the walker's own description, so the same child
        # looks and moves alike in every scene and at any index; only the step-to-step
        # variation is the scene's. The appearance choices come first and do not depend on
        # gait_variability; the gait style is scaled by it.
        st = np.random.default_rng([_walker_words(w), 0x5717E])
        female = w.sex == "female"
        hair_p = (0.2, 0.35, 0.25, 0.2) if female else (0.85, 0.15, 0.0, 0.0)
        self.hair_style = HAIR_STYLES[int(st.choice(4, p=hair_p))]
        self.long_sleeves = bool(st.random() < 0.35)
        self.socks = bool(st.random() < 0.6) and w.legwear in ("shorts", "bare", "skirt")
        self.sock_bgr = (
            (235, 235, 235), (40, 40, 40), (150, 150, 150), (60, 60, 160), (170, 120, 60)
        )[int(st.integers(5))]  # fmt: skip
        z = np.clip(st.standard_normal(8), -2.5, 2.5) * min(
            w.gait_variability / _TYPICAL_VARIABILITY, 2.0
        )
        self.arm_amp = float(np.clip(1.0 + 0.25 * z[0], 0.4, 1.6))
        self.sway_amp = 0.016 * h * float(np.clip(1.0 + 0.2 * z[1], 0.5, 1.5))
        self.sway_amp *= 1.0 + 0.5 * self.k
        self.lean_lat = math.radians(2.0 * float(np.clip(1.0 + 0.3 * z[2], 0.3, 1.8)))
        self.lean_lat *= 1.0 + self.k
        self.toe_out = math.radians(float(np.clip(7.0 + 4.0 * z[3], -4.0, 18.0)) + 12.0 * self.k)
        self.pelvis_rot = math.radians(5.0 * float(np.clip(1.0 + 0.25 * z[4], 0.4, 1.6)))
        self.pelvis_obl = math.radians(4.0 * float(np.clip(1.0 + 0.25 * z[5], 0.4, 1.6)))
        clearance = 0.006 * h * float(np.clip(1.0 + 0.5 * z[6], 0.0, 2.0)) * (1.0 - self.k)
        self.lean = math.radians(_lerp(3.0, 2.0, b.s) + float(np.clip(1.5 * z[7], -2.5, 3.0)))

        # Frontal leg geometry: standing (exactly tfa_deg) and the gait offsets.
        self.ankle_h = b.ankle_h
        self.thigh, self.shank = b.thigh, b.shank
        self.hip_half = b.hip_half
        self.foot = b.foot
        self.heel_r = 0.022 * h
        self.toe_r = 0.019 * h
        self.upper_arm, self.forearm, self.hand = b.upper_arm, b.forearm, b.hand
        self.add_stand, self.abd_stand, _ = _standing_frontal(b, w.tfa_deg)
        T, S = b.thigh, b.shank
        self.gait_abd = clearance / T + math.radians(1.5) * self.k  # hip abduction in gait
        self.dyn_valgus = math.radians(1.0 + 5.0 * self.k)
        self.circum = math.radians(5.0) * self.k
        self.split_t, self.split_s = S / (T + S), T / (T + S)  # dynamic valgus about the ankle
        # Base gait angles (used for fitting the gait; per-frame angles add the dynamics).
        self.add_gait = self.add_stand - self.gait_abd
        self.abd_gait = self.abd_stand + self.gait_abd
        self.arm_abd = math.radians(float(np.clip(7.0 + 25.0 * (b.girth - 1.0), 4.0, 22.0)))

        self.stride = 120.0 / w.cadence_steps_per_min
        variability = w.gait_variability if w.path not in _STATIC_PATHS else 0.0
        self.timeline = _Timeline(0.5 * self.stride, variability, (*key, 0x6A17))
        self._fwd, self._left = self.direction()
        self.basis = np.stack([self._fwd, self._left, np.array([0.0, 1.0, 0.0])])  # local -> world
        self._basis_cam: tuple = (None, None)
        self._fit_gait()
        self._build_template()
        self._build_capsules()

    # -- templates ----------------------------------------------------------------------------

    def _build_template(self) -> None:
        """Rigid point sets: trunk rings (pelvis, shirt), skirt rings and named upper points.

        Rings are relative to the pelvis centre (on the hip joint line); the pose rotates the
        pelvis rings with the pelvis and the shirt rings with the thorax.
        """
        b, w, h = self.b, self.w, self.h
        tan_lean = math.tan(self.lean)
        hip_h = b.hip_h
        g = b.girth
        lat_k, dep_k = g**1.1, g**1.3
        belly = 0.02 * h * max(g - 1.0, 0.0)  # a heavy child's belly sits forward

        def at(up: float, fwd: float = 0.0, left: float = 0.0) -> np.ndarray:
            return np.array([fwd + tan_lean * up, left, up])

        def rings(spec: list[tuple[float, float, float, float]]) -> np.ndarray:
            out = []
            for up_frac, a_, b_, fwd in spec:
                c = at(up_frac * h, fwd)
                ring = np.stack(
                    [b_ * h * np.sin(_RING), a_ * h * np.cos(_RING), np.zeros(_RING_N)], axis=1
                )
                out.append(ring + c)
            return np.concatenate(out)

        pk, sk = b.pelvis_k, b.shoulder_k
        # (height above the hip joint, lateral semi-axis, depth semi-axis, forward offset).
        pelvis_spec = [
            (-0.03, 0.072 * pk * lat_k, 0.052 * dep_k, 0.0),
            (0.02, 0.091 * pk * lat_k, 0.062 * dep_k, 0.0),
            (0.10, 0.084 * pk * lat_k, 0.058 * dep_k, 0.5 * belly),
        ]
        top = b.shoulder_h / h - hip_h / h
        shirt_spec = [
            (0.07, 0.089 * pk * lat_k, 0.062 * dep_k, 0.5 * belly),
            (0.18, 0.083 * lat_k, 0.058 * dep_k, belly),
            (0.27, 0.092 * lat_k, 0.064 * dep_k, 0.5 * belly),
            (top - 0.02, _lerp(0.1, 0.112, b.s) * sk * g**0.8, 0.058 * g, 0.0),
            (top + 0.02, _lerp(0.086, 0.1, b.s) * sk * g**0.6, 0.045 * g**0.8, 0.0),
        ]
        self.pelvis_pts = rings(pelvis_spec)
        self.shirt_pts = rings(shirt_spec)
        if w.legwear == "skirt":
            top_lat, top_dep = 0.088 * pk * lat_k * h, 0.06 * dep_k * h
            self.skirt_top = np.stack([top_dep * np.sin(_HEM), top_lat * np.cos(_HEM),
                                       np.full(_HEM_N, 0.08 * h)], 1) + at(0.0)  # fmt: skip
            self.hem_lat = b.hip_half + 0.95 * b.r_thigh + 0.035 * h
            self.hem_dep = 0.075 * dep_k * h
            self.hem_z = -0.72 * b.thigh  # above the knee
        head_h = b.head_h
        head_c = h - hip_h - head_h / 2.0
        self.head_axes = np.array([0.38, 0.345, 0.49]) * head_h
        upper = np.zeros((len(_UPPER), 3))
        up = {n: i for i, n in enumerate(_UPPER)}
        upper[up["head"]] = at(head_c)
        upper[up["neck"]] = at(head_c - 0.3 * head_h)
        upper[up["neck_base"]] = at(b.shoulder_h - hip_h - 0.01 * h)
        for side, sgn in (("l", 1.0), ("r", -1.0)):
            upper[up["shoulder_" + side]] = at(b.shoulder_h - hip_h, left=sgn * b.shoulder_half)
            upper[up["eye_" + side]] = at(
                head_c + 0.12 * self.head_axes[2], fwd=0.93 * self.head_axes[0],
                left=sgn * 0.36 * self.head_axes[1],
            )  # fmt: skip
        # Hair: a cap a little larger than the head over its top and back (seen from the front,
        # a rim around the face), a fringe over the forehead that sets the hairline, and for
        # longer styles a shape hanging behind (bob to the chin, long to the shoulder blades,
        # or a ponytail).
        ax = self.head_axes
        upper[up["hair_top"]] = at(head_c + 0.12 * head_h, fwd=-0.25 * ax[0])
        self.hair_top_axes = ax * np.array([1.0, 1.1, 0.84])
        style = self.hair_style
        fringe_low = 0.26 if style == "short" else 0.2  # hairline above the head's centre
        upper[up["fringe"]] = at(head_c + (fringe_low + 0.16) * head_h, fwd=0.08 * ax[0])
        self.fringe_axes = np.array([ax[0], 0.92 * ax[1], 0.16 * head_h])
        self.hair_back_axes = None
        if style == "bob":
            upper[up["hair_back"]] = at(head_c - 0.12 * head_h, fwd=-0.3 * ax[0])
            self.hair_back_axes = ax * np.array([0.8, 1.12, 0.72])
        elif style == "long":
            upper[up["hair_back"]] = at(head_c - 0.45 * head_h, fwd=-0.45 * ax[0])
            self.hair_back_axes = ax * np.array([0.6, 1.08, 1.25])
        elif style == "ponytail":
            upper[up["hair_back"]] = at(head_c - 0.25 * head_h, fwd=-1.05 * ax[0])
            self.hair_back_axes = ax * np.array([0.32, 0.3, 0.75])
        else:
            upper[up["hair_back"]] = upper[up["hair_top"]]
        self.upper_pts = upper

    def _build_capsules(self) -> None:
        """Lay out the limb capsules: (part, start point, end point, radii, colour key)."""
        b, h = self.b, self.h
        rk, ra, rt = b.r_knee, b.r_ankle, b.r_thigh
        g = b.girth

        def r_thigh(f: float) -> float:  # radius at fraction f from hip to knee
            return rt + f * (rk - rt)

        def r_shank(f: float) -> float:  # radius at fraction f from knee to ankle
            return rk + f * (ra - rk)

        # (part, start point, end point, start radius, end radius, colour key, layer). Layer 0
        # is the limb itself, layer 1 clothing over it (shorts, socks, short sleeves).
        caps: list[tuple] = []
        lw = self.w.legwear
        for sd in ("l", "r"):
            hip, knee, ankle = "hip_" + sd, "knee_" + sd, "ankle_" + sd
            thigh_part, shank_part = "thigh_" + sd, "shank_" + sd
            bare_legs = [
                (thigh_part, hip, knee, rt, rk, "skin"),
                (shank_part, knee, ankle, rk, ra, "skin"),
                # The calf sits behind the shank's axis: a side view sees its bulge, a frontal
                # view does not (it stays inside the shank's outline).
                (shank_part, "calf_a_" + sd, "calf_b_" + sd, 0.97 * r_shank(0.12),
                 0.97 * r_shank(0.6), "skin"),
            ]  # fmt: skip
            if lw in ("shorts", "bare", "skirt"):
                caps += bare_legs
                if lw == "shorts":
                    caps.append((thigh_part, hip, "shorts_" + sd, 1.13 * rt, 1.13 * r_thigh(0.45), "leg", 1))
                elif lw == "bare":
                    caps.append((thigh_part, hip, "shorts_" + sd, 1.1 * rt, 1.1 * r_thigh(0.13), "leg", 1))
                if self.socks:
                    caps.append((shank_part, ankle, "sock_" + sd, 1.12 * ra, 1.1 * r_shank(0.8), "sock", 1))
            elif lw == "leggings":
                extra = 0.0015 * h  # fabric over the skin: the same taper, a little wider
                caps += [(p, a, e, r0 + extra, r1 + extra, "leg") for p, a, e, r0, r1, _ in bare_legs]
            else:  # loose trousers: straight legs that hide the knee's outline
                caps += [
                    (thigh_part, hip, knee, 1.2 * rt, 1.4 * rk, "leg"),
                    (shank_part, knee, ankle, 1.4 * rk, 1.3 * rk, "leg"),
                ]
            caps += [
                ("foot_" + sd, "heel_" + sd, "ball_" + sd, self.heel_r, self.toe_r, "shoe"),
                ("foot_" + sd, "ball_" + sd, "toe_" + sd, self.toe_r, 0.9 * self.toe_r, "shoe"),
            ]
            r_sh, r_el, r_wr = 0.028 * h * g**0.9, 0.022 * h * g**0.8, 0.016 * h * g**0.5
            if self.long_sleeves:
                caps += [
                    ("uarm_" + sd, "shoulder_" + sd, "elbow_" + sd, 1.12 * r_sh, 1.12 * r_el, "shirt"),
                    ("farm_" + sd, "elbow_" + sd, "wrist_" + sd, 1.12 * r_el, 1.15 * r_wr, "shirt"),
                ]
            else:
                caps += [
                    ("uarm_" + sd, "shoulder_" + sd, "elbow_" + sd, r_sh, r_el, "skin"),
                    ("uarm_" + sd, "shoulder_" + sd, "sleeve_" + sd, 1.08 * r_sh, 1.1 * r_el, "shirt", 1),
                    ("farm_" + sd, "elbow_" + sd, "wrist_" + sd, 0.95 * r_el, r_wr, "skin"),
                ]
            caps.append(("farm_" + sd, "wrist_" + sd, "finger_" + sd, 0.019 * h, 0.014 * h, "skin"))
        caps.append(("neck", "neck_base", "neck", 0.03 * h * g**0.6, 0.028 * h * g**0.6, "skin"))
        caps = [c if len(c) == 7 else c + (0,) for c in caps]
        self.cap_part = [c[0] for c in caps]
        self.cap_i0 = np.array([_IDX[c[1]] for c in caps])
        self.cap_i1 = np.array([_IDX[c[2]] for c in caps])
        self.cap_r0 = np.array([c[3] for c in caps])
        self.cap_r1 = np.array([c[4] for c in caps])
        self.cap_key = [c[5] for c in caps]
        self.cap_layer = [c[6] for c in caps]
        parts: dict[str, list[int]] = {}
        for i, p in enumerate(self.cap_part):
            parts.setdefault(p, []).append(i)
        self.cap_parts = [(p, np.array(c)) for p, c in parts.items()]
        # Drawing order within a part, layer by layer: all outlines of a layer, then its fills,
        # so that overlapping capsules of one limb (shank and calf, heel and toe) merge into one
        # shape instead of showing each other's outline bands.
        self.cap_layers = [
            [[c for c in caps_ if self.cap_layer[c] == layer] for layer in (0, 1)]
            for _, caps_ in self.cap_parts
        ]
        # Per part, the indices of its capsules' end points and averaging weights (padded).
        ends = [np.concatenate([self.cap_i0[c], self.cap_i1[c]]) for _, c in self.cap_parts]
        width = max(len(e) for e in ends)
        self.part_ends = np.array([np.pad(e, (0, width - len(e))) for e in ends])
        self.part_weights = np.array([np.pad(np.full(len(e), 1.0 / len(e)), (0, width - len(e)))
                                      for e in ends])  # fmt: skip
        self.ellipsoid_axes = np.stack([
            self.head_axes, self.hair_top_axes, self.fringe_axes,
            self.hair_back_axes if self.hair_back_axes is not None else self.hair_top_axes,
        ])  # fmt: skip
        # Largest radius relative to stature: bounds how far a silhouette reaches past the points.
        self.max_radius = float(max(self.cap_r0.max(), self.cap_r1.max(), self.head_axes.max()))

    # -- legs ---------------------------------------------------------------------------------

    def _legs(self, thigh_deg, knee_deg, ankle_deg, sgn, add=None, abd=None):
        """Knee, ankle and shoe points relative to the hip joint, for N leg poses at once.

        Args:
            thigh_deg: Thigh angle to the vertical, forward positive, [N].
            knee_deg: Knee flexion, [N].
            ankle_deg: Ankle dorsiflexion, [N].
            sgn: +1 for a left leg, -1 for a right leg, [N].
            add: Frontal tilt of the thigh toward the midline (radians), scalar or [N];
                default the base gait value.
            abd: Frontal tilt of the shank away from the midline (radians), scalar or [N];
                default the base gait value. The knee's frontal angle is add + abd.

        Returns:
            knee, ankle, heel, ball, toe ([N, 3], forward/left/up; heel, ball and toe are the
            centres of the shoe's rounded heel, ball and tip), foot pitch [N] (radians, toes up
            positive, heel to ball) and the height of each sole's lowest point [N].
        """
        sgn = np.asarray(sgn, dtype=np.float64)
        add = self.add_gait if add is None else np.asarray(add, dtype=np.float64)
        abd = self.abd_gait if abd is None else np.asarray(abd, dtype=np.float64)
        th_t = np.radians(thigh_deg)
        th_s = np.radians(np.asarray(thigh_deg) - knee_deg)
        pitch = np.radians(np.asarray(thigh_deg) - knee_deg + ankle_deg)
        ca, sa = np.cos(add), np.sin(add)
        cb, sb = np.cos(abd), np.sin(abd)
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

    def _angles(self, phases, gain=None, lift: float | None = None):
        """Thigh, knee and ankle angles (degrees) at leg phases, plus the raw hip curve.

        Args:
            phases: Stride phases of the legs, [N] (0 = that leg's heel strike).
            gain: Hip curve scale, scalar or [N]; defaults to the fitted one. Below 0.75 (short
                steps for the leg length) knee and ankle excursions shrink with it, as in slow
                walking; otherwise rolling over the foot alone would make the steps too long.
            lift: Extra swing-phase flexion; defaults to the fitted one.

        The fitted push (extra knee flexion at the end of stance) always applies.
        """
        phases = np.asarray(phases, dtype=np.float64)
        ang = _gait_angles(phases)
        gain = self.hip_gain if gain is None else np.asarray(gain, dtype=np.float64)
        lift = self.swing_lift if lift is None else lift
        rom = np.clip(gain / 0.75, 0.35, 1.0)
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

    def _hip_forward(self, s: np.ndarray) -> np.ndarray:
        """Forward offset of the stance hip from the pelvis centre at its own phase ``s``.

        Pelvic rotation brings the leading hip forward at heel strike and takes it back by
        toe-off; the stance foot is locked to the floor, so this adds to the body's travel.
        """
        return self.hip_half * np.sin(self.pelvis_rot * np.cos(2.0 * np.pi * s))

    def _step_table(self, gain, lift: float, n: int = 96) -> np.ndarray:
        """Forward travel of the body over one step with the stance foot locked to the floor.

        The stance leg is the one that struck at phase 0. Its shoe rolls on the floor without
        slipping: on the heel's rounded end while the toes point up, on the ball while the heel
        is up. A sphere of radius r rolling through pitch dp moves its centre by -r dp, so the
        body moves forward by -(d centre_x + r dp); the stance hip's own forward motion relative
        to the pelvis (pelvic rotation) is part of the centre's motion.

        Args:
            gain: Hip gain, scalar or [n + 1] (one per sample, for steps of varying length).
            lift: Swing lift.
            n: Samples over the step.

        Returns:
            Travel at ``n + 1`` evenly spaced phases over [0, 0.5].
        """
        ph = np.linspace(0.0, 0.5, n + 1)
        th, kn, an, _ = self._angles(ph, gain, lift)
        _, _, heel, ball, _, pitch, _ = self._legs(th, kn, an, np.ones(n + 1))
        hip_fwd = self._hip_forward(ph)
        on_heel = 0.5 * (pitch[1:] + pitch[:-1]) >= 0
        d_centre = np.where(on_heel, np.diff(heel[:, 0]), np.diff(ball[:, 0])) + np.diff(hip_fwd)
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
        self._tabs: list[np.ndarray] = []
        self._cum = [0.0]
        if self.w.path in _STATIC_PATHS:
            self.step_len = 0.0
            self.nominal_tab = np.zeros(2)
            self.tab_scale = 1.0
            self.stop_tau = 0.0
            self._entry_travel = 0.0
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
        self.tab_scale = want / tab[-1]
        self.nominal_tab = tab * self.tab_scale
        self.step_len = float(want)
        self._entry_travel = 0.0
        self._entry_travel = self._travel(_ENTRY_PHASE)

        # A "toward"/"away" walk stops at the last heel strike that lets the slowing-down (which
        # covers 0.5 * speed * _STOP_BLEND_S) end near end_distance_m (along z: the path is
        # longer by 1 / cos(heading)).
        self.stop_tau = math.inf
        if self.w.path in ("toward", "away"):
            dist = abs(self.w.start_distance_m - self.w.end_distance_m)
            dist /= math.cos(math.radians(self.w.heading_deg))
            target = dist - 0.5 * self.w.speed_m_s * _STOP_BLEND_S
            stop = None
            m = 1
            while True:
                t_m = self.timeline.strike_time(m)
                if self._travel(0.5 * m) > target + 1e-9:
                    break
                if t_m > 0:
                    stop = t_m
                m += 1
            self.stop_tau = stop if stop is not None else max(target / self.w.speed_m_s, 0.0)

    def _step_tab(self, k: int) -> np.ndarray:
        """Travel table of step ``k`` (its own length multipliers applied)."""
        while len(self._tabs) <= k:
            j = len(self._tabs)
            if self.timeline.v > 0:
                s = np.linspace(0.0, 0.5, 49)
                gains = self.hip_gain * self.timeline.lengths(0.5 * j + s)
                tab = self._step_table(gains, self.swing_lift, 48) * self.tab_scale
                # Resample to the nominal table's grid so lookups are uniform.
                tab = np.interp(np.linspace(0.0, 0.5, len(self.nominal_tab)), s, tab)
            else:
                tab = self.nominal_tab
            self._tabs.append(tab)
            self._cum.append(self._cum[-1] + float(tab[-1]))
        return self._tabs[k]

    def _travel(self, phase: float) -> float:
        """Forward travel since entry at right-leg phase ``phase`` (stance foot locked)."""
        k = max(int(math.floor(phase / 0.5)), 0)
        tab = self._step_tab(k)
        frac = (phase - 0.5 * k) / 0.5 * (len(tab) - 1)
        i = min(max(int(frac), 0), len(tab) - 2)
        part = tab[i] + (frac - i) * (tab[i + 1] - tab[i])
        return self._cum[k] + float(part) - self._entry_travel

    def _leg(self, thigh: float, knee: float, ankle: float, sgn: float, add: float, abd: float):
        """One leg's points relative to its hip: the scalar twin of ``_legs`` (same geometry).

        Posing calls this for two legs per frame, where plain floats are several times faster
        than numpy's per-call overhead on two-element arrays.

        Returns:
            knee, ankle, heel, ball, toe (3-tuples, forward/left/up), pitch and sole height.
        """
        rad = math.pi / 180.0
        th_t, th_s = thigh * rad, (thigh - knee) * rad
        pitch = (thigh - knee + ankle) * rad
        ca, sa, cb, sb = math.cos(add), math.sin(add), math.cos(abd), math.sin(abd)
        T, S = self.thigh, self.shank
        kx, ky, kz = T * math.sin(th_t) * ca, -sgn * T * sa, -T * math.cos(th_t) * ca
        ax, ay, az = kx + S * math.sin(th_s) * cb, ky + sgn * S * sb, kz - S * math.cos(th_s) * cb
        fx, fy = math.cos(self.toe_out), sgn * math.sin(self.toe_out)
        cp, sp = math.cos(pitch), math.sin(pitch)

        def foot_point(x: float, y: float) -> tuple[float, float, float]:
            a = x * cp - y * sp
            return ax + a * fx, ay + a * fy, az + x * sp + y * cp

        heel = foot_point(-0.2 * self.foot, -(self.ankle_h - self.heel_r))
        ball = foot_point(0.55 * self.foot, -(self.ankle_h - self.toe_r))
        q = 0.3 * pitch if pitch < 0 else pitch
        L = 0.25 * self.foot - self.toe_r
        cq, sq = L * math.cos(q), L * math.sin(q)
        toe = (ball[0] + cq * fx, ball[1] + cq * fy, ball[2] + sq)
        low = min(heel[2] - self.heel_r, ball[2] - self.toe_r, toe[2] - self.toe_r)
        return (kx, ky, kz), (ax, ay, az), heel, ball, toe, pitch, low

    def _bend_to_floor(self, thigh: float, knee: float, ankle: float, sgn: float, add: float,
                       abd: float, floor: float):  # fmt: skip
        """Bend a leg's knee and ankle together (foot angle kept) until its sole is at ``floor``
        (relative to its hip), as a real trailing leg does in double support.

        The sole rises monotonically with the bend; regula falsi (Illinois) on 0-80 degrees
        finds it to well under a millimetre in a handful of evaluations.

        Returns:
            The bent leg (as ``_leg``).
        """
        lo, hi = 0.0, 80.0
        f_lo = self._leg(thigh, knee, ankle, sgn, add, abd)[6] - floor
        leg_hi = self._leg(thigh, knee + hi, ankle + hi, sgn, add, abd)
        f_hi = leg_hi[6] - floor
        if f_hi <= 0.0:
            return leg_hi
        side = 0
        leg = leg_hi
        for _ in range(30):
            d = (lo * f_hi - hi * f_lo) / (f_hi - f_lo)
            leg = self._leg(thigh, knee + d, ankle + d, sgn, add, abd)
            f = leg[6] - floor
            if abs(f) < 1e-7:
                break
            if f < 0.0:
                lo, f_lo = d, f
                if side == -1:
                    f_hi *= 0.5
                side = -1
            else:
                hi, f_hi = d, f
                if side == 1:
                    f_lo *= 0.5
                side = 1
        return leg

    # -- timing -------------------------------------------------------------------------------

    def strikes(self, until_tau: float) -> list[tuple[float, str]]:
        """Heel strikes (time after entry, side) while walking, up to ``until_tau``."""
        end = min(until_tau, getattr(self, "stop_tau", math.inf))
        out = []
        m = 1
        while True:
            tau = self.timeline.strike_time(m)
            if tau > end + 1e-9:
                return out
            if tau > 0:
                # Step m starts with the strike of the leg whose phase passes a whole number
                # there: the right leg for even m (the left leg runs half a stride ahead).
                out.append((tau, "right" if m % 2 == 0 else "left"))
            m += 1

    def direction(self) -> tuple[np.ndarray, np.ndarray]:
        """Forward and left unit vectors in the world (x right, y up, z away from the camera)."""
        th = math.radians(self.w.heading_deg)
        path = self.w.path
        if path == "toward" or path in _STATIC_PATHS:
            fwd = np.array([math.sin(th), 0.0, -math.cos(th)])
        elif path == "away":
            fwd = np.array([math.sin(th), 0.0, math.cos(th)])
        else:
            fwd = np.array([math.cos(th), 0.0, math.sin(th)])
        left = np.cross(fwd, np.array([0.0, 1.0, 0.0]))
        return fwd, left

    def basis_cam(self, cam) -> np.ndarray:
        """Local -> camera rotation (rows: local axes in camera coordinates) for ``cam``."""
        if self._basis_cam[0] is not cam:
            self._basis_cam = (cam, self.basis @ cam.rot.T)
        return self._basis_cam[1]

    # -- pose ---------------------------------------------------------------------------------

    def _angles1(self, u: float, gain: float) -> tuple[float, float, float, float]:
        """Thigh, knee and ankle angles and the raw hip curve at one leg phase: the scalar twin
        of ``_angles`` (same curves), for posing."""
        x = (u % 1.0) * _GAIT_SAMPLES
        i0 = int(x)
        frac = x - i0
        i0 %= _GAIT_SAMPLES
        i1 = (i0 + 1) % _GAIT_SAMPLES
        hip_t = _GAIT_HIP[i0] + (_GAIT_HIP[i1] - _GAIT_HIP[i0]) * frac
        knee_t = _GAIT_KNEE[i0] + (_GAIT_KNEE[i1] - _GAIT_KNEE[i0]) * frac
        ankle_t = _GAIT_ANKLE[i0] + (_GAIT_ANKLE[i1] - _GAIT_ANKLE[i0]) * frac
        rom = min(max(gain / 0.75, 0.35), 1.0)
        thigh = _HIP_MEAN - _PELVIC_TILT + gain * (hip_t - _HIP_MEAN)
        u = u % 1.0
        y = (u - 0.3) / 0.34
        push = math.sin(math.pi * y) ** 2 if 0.0 < y < 1.0 else 0.0
        knee = max(5.0 + rom * (knee_t - 5.0) + self.push * push, 0.0)
        ankle = rom * ankle_t
        x = (u - 0.6) / 0.38
        bump = math.sin(math.pi * x) ** 2 if 0.0 < x < 1.0 else 0.0
        thigh += 0.5 * self.swing_lift * bump
        ankle += self.swing_lift * bump
        flat = min(max((u - 0.02) / 0.05, 0.0), 1.0) * min(max((0.44 - u) / 0.1, 0.0), 1.0)
        ankle += flat * max(0.0, -(thigh - knee + ankle))
        return thigh, knee, ankle, hip_t

    def pose(self, t: float):
        """Pose at clip time ``t``.

        Returns:
            None before entry, else (points [P, 3] in local forward/left/up coordinates with the
            origin on the floor under the pelvis: the named points ``_NAMES``, then the pelvis
            rings, the shirt rings and, for a skirt, the skirt's rings; root (x, z) in the
            world; forward and left unit vectors in the world).
        """
        w = self.w
        tau = t - w.start_time_s
        if tau < 0:
            return None
        tl = self.timeline
        # Travelled distance, phase and how far the pose has blended into standing.
        if w.path in _STATIC_PATHS:
            blend, travelled, phase, ph_g = 1.0, 0.0, _ENTRY_PHASE, _ENTRY_PHASE
        elif tau <= self.stop_tau:
            blend = 0.0
            phase = ph_g = tl.phase(tau)
            travelled = self._travel(phase)
        else:
            x = min((tau - self.stop_tau) / _STOP_BLEND_S, 1.0)
            blend = _smoothstep(x)
            ph_g = tl.phase(self.stop_tau)
            phase = ph_g + (tau - self.stop_tau) / self.stride
            # Speed fades as (1 - smoothstep); this is its integral, so the body decelerates.
            travelled = self._travel(ph_g)
            travelled += w.speed_m_s * _STOP_BLEND_S * (x - x**3 + 0.5 * x**4)
        fwd, left = self._fwd, self._left
        root = (w.lateral_offset_m + travelled * fwd[0], w.start_distance_m + travelled * fwd[2])
        mov = 1.0 - blend
        amp = tl.amplitude(ph_g)
        gain = self.hip_gain * tl.length(ph_g)
        h = self.h
        H = self.hip_half
        two_pi_ph = 2.0 * math.pi * phase

        # Pelvis: rotation brings the leading hip forward at its heel strike (right at phase 0);
        # obliquity drops the swing side in early stance (left side down around phase 0.15).
        psi = self.pelvis_rot * math.cos(two_pi_ph) * mov
        obl = self.pelvis_obl * amp * math.sin(two_pi_ph + 0.2 * math.pi) * mov
        rot_pelvis = _rot_xz(-obl, psi)
        # Thorax: leans over the stance leg and counter-rotates against the pelvis.
        rot_trunk = _rot_xz(self.lean_lat * amp * math.sin(two_pi_ph) * mov, -0.4 * psi)
        col = rot_pelvis[:, 1].tolist()  # where the pelvis' left axis points
        hip_off = ((col[0] * H, col[1] * H, col[2] * H), (-col[0] * H, -col[1] * H, -col[2] * H))

        legs = []
        arm = []
        seated = _SEATED.get(w.path)
        for j, (u, sgn) in enumerate((((phase + 0.5) % 1.0, 1.0), (phase % 1.0, -1.0))):
            th, kn, an, hip_t = self._angles1(u, gain)
            # Frontal plane: the standing geometry, plus in gait a little hip abduction (knee
            # clearance, wider valgum steps, circumduction in swing) and dynamic valgus in
            # stance, split between thigh and shank so the planted ankle stays where it is.
            st = math.sin(math.pi * min(u / 0.55, 1.0)) ** 2
            sw = math.sin(math.pi * min(max((u - 0.6) / 0.4, 0.0), 1.0)) ** 2
            dv = self.dyn_valgus * st * mov
            hip_abd = (self.gait_abd + self.circum * sw) * mov
            add = self.add_stand - hip_abd + dv * self.split_t
            abd = self.abd_stand + hip_abd + dv * self.split_s
            ang = (th * mov, kn * mov, an * mov, sgn, add, abd)
            if seated is not None:
                ang = self._seated_leg(seated, sgn)
            legs.append((ang, self._leg(*ang)))
            # Arms swing against the same-side leg.
            arm.append(-0.5 * self.arm_amp * amp * gain * (hip_t - _HIP_MEAN) * mov + 2.0 * blend)
            if seated is not None:
                arm[-1] = seated[4]

        low = [legs[j][1][6] + hip_off[j][2] for j in (0, 1)]  # soles relative to the pelvis
        if blend == 0.0:
            # Which sole is on the floor. The leg that struck last (s) carries the body; in the
            # last 14 % of the other leg's swing the support shifts smoothly onto it, so its heel
            # meets the floor exactly at phase 0, the ground-truth strike. A leg that would then
            # go through the floor (the trailing one, pushing off) bends its knee and ankle
            # until it just touches.
            s = 1 if phase % 1.0 < 0.5 else 0  # 0 left, 1 right
            o = 1 - s
            phase_o = (phase + (0.5 if o == 0 else 0.0)) % 1.0
            if phase_o < 0.75:
                floor = low[s]
            else:
                wgt = _smoothstep((phase_o - 0.86) / 0.14)
                floor = min((1.0 - wgt) * low[s] + wgt * low[o], low[o])
            for j in (0, 1):
                if low[j] < floor - 1e-6:
                    ang = legs[j][0]
                    legs[j] = (ang, self._bend_to_floor(*ang, floor - hip_off[j][2]))
            hip_y = -floor
        else:
            hip_y = -min(low)  # standing: the lower sole is on the floor

        # Sway over the stance foot; a slow, small sway while standing.
        sway = -self.sway_amp * amp * math.sin(two_pi_ph) * mov
        sway += 0.004 * h * math.sin(2.0 * math.pi * 0.3 * tau) * blend
        centre = np.array([0.0, sway, hip_y])
        # Named points as plain tuples, made into one array at the end (cheaper than setting
        # array rows one by one).
        named: list = [None] * len(_NAMES)
        upper = (self.upper_pts @ rot_trunk.T + centre).tolist()
        for i, row in zip(_UPPER_IDX.tolist(), upper):
            named[i] = row
        is_shorts = 0.45 if w.legwear == "shorts" else 0.13
        for j in (0, 1):
            i_hip, i_knee, i_ankle, i_heel, i_toe, i_ball, i_shorts, i_ca, i_cb, i_sock = _LEG_IDX[j]
            hx, hy, hz = hip_off[j][0], hip_off[j][1] + sway, hip_off[j][2] + hip_y
            (kx, ky, kz), (ax, ay, az), he, ba, to = legs[j][1][:5]
            named[i_hip] = (hx, hy, hz)
            named[i_heel] = (hx + he[0], hy + he[1], hz + he[2])
            named[i_toe] = (hx + to[0], hy + to[1], hz + to[2])
            named[i_ball] = (hx + ba[0], hy + ba[1], hz + ba[2])
            named[i_shorts] = (hx + is_shorts * kx, hy + is_shorts * ky, hz + is_shorts * kz)
            kx, ky, kz, ax, ay, az = hx + kx, hy + ky, hz + kz, hx + ax, hy + ay, hz + az
            named[i_knee] = (kx, ky, kz)
            named[i_ankle] = (ax, ay, az)
            # The calf sits behind the shank: offset along the shank's backward normal.
            dx_, dy_, dz_ = ax - kx, ay - ky, az - kz
            off = 0.3 * self.b.r_knee / max(math.hypot(dx_, dz_), 1e-9)
            bx, bz = dz_ * off, -dx_ * off
            named[i_ca] = (kx + 0.12 * dx_ + bx, ky + 0.12 * dy_, kz + 0.12 * dz_ + bz)
            named[i_cb] = (kx + 0.6 * dx_ + bx, ky + 0.6 * dy_, kz + 0.6 * dz_ + bz)
            named[i_sock] = (kx + 0.8 * dx_, ky + 0.8 * dy_, kz + 0.8 * dz_)
        named[_IDX["pelvis"]] = (0.0, sway, hip_y)
        # Arms: sagittal swing with a small abduction so they stay clear of the trunk.
        ca, sa = math.cos(self.arm_abd), math.sin(self.arm_abd)
        rad = math.pi / 180.0
        ua, fo, hd = self.upper_arm, self.forearm, self.hand
        for j in (0, 1):
            i_sh, i_el, i_wr, i_fi, i_sl = _ARM_IDX[j]
            sgn = 1.0 if j == 0 else -1.0
            sh = arm[j]
            fa = sh + 12.0 + 0.6 * max(sh, 0.0)  # forearm: elbow flexes more in forward swing
            su, cu = math.sin(sh * rad), math.cos(sh * rad)
            sf, cf = math.sin(fa * rad), math.cos(fa * rad)
            sx, sy, sz = named[i_sh]
            sy -= sgn * 0.01 * h
            sz -= 0.02 * h
            ex, ey, ez = sx + ua * su * ca, sy + ua * sgn * sa, sz - ua * cu * ca
            wx, wy, wz = ex + fo * sf * ca, ey + fo * sgn * sa, ez - fo * cf * ca
            named[i_sh] = (sx, sy, sz)
            named[i_el] = (ex, ey, ez)
            named[i_wr] = (wx, wy, wz)
            named[i_fi] = (wx + hd * sf * ca, wy + hd * sgn * sa, wz - hd * cf * ca)
            named[i_sl] = (sx + 0.5 * ua * su * ca, sy + 0.5 * ua * sgn * sa, sz - 0.5 * ua * cu * ca)
        pieces = [np.array(named), self.pelvis_pts @ rot_pelvis.T + centre,
                  self.shirt_pts @ rot_trunk.T + centre]  # fmt: skip
        if w.legwear == "skirt":
            kn_x = (legs[0][1][0][0], legs[1][1][0][0])
            pieces.append(self._pose_skirt(rot_pelvis, centre, kn_x, phase, mov))
        return np.concatenate(pieces), root, fwd, left

    def _seated_leg(self, seated: tuple, sgn: float) -> tuple:
        """``_leg`` arguments of a seated leg: the posture's sagittal angles, the standing
        frontal geometry opened by the posture's hip abduction (knees a little apart)."""
        thigh, knee, ankle, abduction, _ = seated
        spread = math.radians(abduction)
        return (thigh, knee, ankle, sgn, self.add_stand - spread, self.abd_stand + 0.5 * spread)

    def _pose_skirt(self, rot_pelvis, centre, knee_x, phase: float, mov: float) -> np.ndarray:
        """Skirt rings: the waist ring turns with the pelvis; the hem follows the knees (the
        forward knee pushes it forward) and lags the sway a little, so the skirt swings."""
        top = self.skirt_top @ rot_pelvis.T + centre
        reach = -self.hem_z / self.thigh  # share of the knee's forward offset at the hem
        kx0, kx1 = knee_x[0] * reach, knee_x[1] * reach
        mid, spread = 0.5 * (kx0 + kx1), 0.5 * abs(kx0 - kx1)
        lag = -0.5 * self.sway_amp * math.sin(2.0 * math.pi * (phase - 0.12)) * mov
        front = np.sin(_HEM)
        depth = np.where(front > 0, self.hem_dep + spread, self.hem_dep)
        hem = np.stack([mid + depth * front, lag + self.hem_lat * np.cos(_HEM),
                        np.full(_HEM_N, self.hem_z)], 1)  # fmt: skip
        return np.concatenate([top, hem + centre])


@functools.lru_cache(maxsize=256)
def _body_of(w: Walker, seed: int = 0, index: int = 0) -> _Body:
    """The body of a walker in a scene; cached because fitting the gait costs milliseconds."""
    return _Body(w, seed, index)


def heel_strikes(
    walker: Walker, duration_s: float, *, scene_seed: int = 0, walker_index: int = 0
) -> list[tuple[float, str]]:
    """Ground-truth heel strikes as ``(time_s, "left" | "right")``, in time order.

    A strike is the moment the rendered heel meets the floor: the support shifts onto the
    leading leg so that its heel touches down exactly at the stride phase of heel strike, so the
    truth matches the pixels, not just the gait tables. Only strikes taken while the walker
    walks are listed: from its entry until, for "toward"/"away", it starts to slow down at the
    end of the walk (the closing, blended step is not a strike), and none for "still" or a
    sitting path. Strikes
    are listed whether or not the feet are in view: an "across" walker keeps striking after it
    has left the frame, so intersect with the frames whose box is not None when only visible
    strikes count.

    Step times vary from step to step (``Walker.gait_variability``) with a seed taken from the
    scene, so pass the scene's seed and the walker's index in ``scene.walkers`` to get the
    strikes of a rendered clip; the defaults match ``Scene(seed=0)`` and its first walker. With
    ``gait_variability=0`` they do not matter.

    Args:
        walker: The walker.
        duration_s: Clip length; strikes at or after it are left out.
        scene_seed: ``Scene.seed`` of the clip.
        walker_index: Index of the walker in ``Scene.walkers``.

    Returns:
        The strikes at exact times (not snapped to frames).
    """
    if walker.path in _STATIC_PATHS:
        return []
    body = _body_of(walker, scene_seed, walker_index)
    return [
        (walker.start_time_s + tau, side)
        for tau, side in body.strikes(duration_s - walker.start_time_s)
        if walker.start_time_s + tau < duration_s
    ]


def heel_strike_times(
    walker: Walker, duration_s: float, *, scene_seed: int = 0, walker_index: int = 0
) -> list[float]:
    """Ground-truth heel strike times (either foot) in seconds; see ``heel_strikes``."""
    return [t for t, _ in heel_strikes(walker, duration_s, scene_seed=scene_seed,
                                       walker_index=walker_index)]  # fmt: skip
