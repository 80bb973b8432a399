"""What a screening produces: the result the GUI shows, the report prints, the records keep and
the CLI writes as JSON."""

from __future__ import annotations

from dataclasses import dataclass, field

from genuscreen.inference.explain import FrameHeatmaps

CATEGORY_NOT_SCREENABLE = "not_screenable"
CATEGORY_LIKELY = "genu_valgum_likely"
CATEGORY_UNLIKELY = "genu_valgum_unlikely"
CATEGORY_UNCERTAIN = "uncertain"


@dataclass(frozen=True)
class Progress:
    """One progress report of a screening: ``done`` of ``total`` units, in ``stage``."""

    stage: str
    done: int
    total: int


@dataclass
class ScreeningResult:
    video: dict  # file name, size, frame rate, rotation
    quality: dict  # the quality report, as `genuscreen inspect` gives it
    screenable: bool
    category: str
    recommendation: str | None  # clinical.RECOMMEND_* or None when not screenable
    reason: str  # the recommendation (or the rejection) in plain words
    model: dict  # card id, version, builder, sha256, threshold
    device: str  # what ran the model: "cpu" or the CUDA card's name
    timings: dict[str, float]
    risk: float | None = None
    risk_interval: tuple[float, float] | None = None
    knee_angle_deg: float | None = None
    knee_angle_interval: tuple[float, float] | None = None
    age_y: float | None = None
    sex: str | None = None
    norm_band_deg: tuple[float, float, float] | None = None  # (lower, mean, upper) for the age
    per_frame: list[dict] = field(default_factory=list)  # frame, time_s, score, angle_deg
    windows: int = 0
    notes: list[str] = field(default_factory=list)  # e.g. a CUDA fallback
    front_end: str = "pose"  # what found the child: "pose" or "background"
    # The person followed (also on a refused clip): analysed frames, their boxes and, from the
    # pose front end, landmarks ([33 x (x, y, visibility)] per frame); see video.walker_track.
    walker: dict | None = None
    heatmaps: FrameHeatmaps | None = None  # not in the JSON

    def to_dict(self) -> dict:
        def pair(value):
            return None if value is None else [round(float(v), 4) for v in value]

        return {
            "video": self.video,
            "screenable": self.screenable,
            "risk": None if self.risk is None else round(self.risk, 4),
            "risk_interval": pair(self.risk_interval),
            "category": self.category,
            "recommendation": self.recommendation,
            "reason": self.reason,
            "knee_angle_deg": None if self.knee_angle_deg is None else round(self.knee_angle_deg, 2),
            "knee_angle_interval": pair(self.knee_angle_interval),
            "age_years": self.age_y,
            "sex": self.sex,
            "norm_band_deg": pair(self.norm_band_deg),
            "per_frame": self.per_frame,
            "windows": self.windows,
            "quality": self.quality,
            "model": self.model,
            "device": self.device,
            "notes": self.notes,
            "front_end": self.front_end,
            "walker": self.walker,
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "disclaimer": "Screening support, not a diagnosis. Not clinically validated.",
        }
