"""A stored screening back as a ScreeningResult (its JSON form plus the heatmaps file)."""

from __future__ import annotations


def _pair(value):
    return None if value is None else tuple(float(v) for v in value)


def result_from_dict(data: dict, heatmaps=None):
    """The ScreeningResult whose ``to_dict()`` gave ``data``, with ``heatmaps`` attached."""
    from genuscreen.inference.result import ScreeningResult

    return ScreeningResult(
        video=data.get("video") or {},
        quality=data.get("quality") or {},
        screenable=bool(data.get("screenable")),
        category=data.get("category") or "",
        recommendation=data.get("recommendation"),
        reason=data.get("reason") or "",
        model=data.get("model") or {},
        device=data.get("device") or "",
        timings=dict(data.get("timings") or {}),
        risk=data.get("risk"),
        risk_interval=_pair(data.get("risk_interval")),
        knee_angle_deg=data.get("knee_angle_deg"),
        knee_angle_interval=_pair(data.get("knee_angle_interval")),
        age_y=data.get("age_years"),
        sex=data.get("sex"),
        norm_band_deg=_pair(data.get("norm_band_deg")),
        per_frame=list(data.get("per_frame") or []),
        windows=int(data.get("windows") or 0),
        notes=list(data.get("notes") or []),
        front_end=data.get("front_end") or "background",  # records from before the pose front end
        walker=data.get("walker"),
        heatmaps=heatmaps,
    )
