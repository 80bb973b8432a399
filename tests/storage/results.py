"""Small ScreeningResults built by hand, for tests that need a result but not a real screening."""

from __future__ import annotations

import numpy as np

from genuscreen import clinical

MODEL = {"id": "genuscreen-gaitnet-synthetic-1", "version": "0.1.0", "builder": "gaitnet", "sha256": "0" * 64,
         "threshold": 0.5, "weights": "gaitnet-synthetic.pt"}  # fmt: skip
QUALITY_OK = {"ok": True, "problems": [], "frames": 100, "fps": 25.0, "walker_frames": 90, "steps": 6,
              "measurements": {}, "video": {}, "clips": 4}  # fmt: skip
QUALITY_SIDE = {"ok": False, "problems": [{"code": "side_view", "message": "The person walks across the picture.",
                                           "value": 0.9}], "frames": 100, "fps": 25.0, "walker_frames": 80,
                "steps": 5, "measurements": {}, "video": {}, "clips": 0}  # fmt: skip

# (category, recommendation, risk, risk interval, angle, angle interval) of typical outcomes.
OUTCOMES = {
    "no_concern": ("genu_valgum_unlikely", clinical.RECOMMEND_NO_CONCERN, 0.05, (0.03, 0.08), 6.0, (4.5, 7.5)),
    "re_screen": ("uncertain", clinical.RECOMMEND_RESCREEN, 0.45, (0.30, 0.62), 12.0, (9.0, 15.0)),
    "refer": ("genu_valgum_likely", clinical.RECOMMEND_REFER, 0.93, (0.88, 0.97), 21.0, (18.0, 24.0)),
}


def small_heatmaps(frames: int = 12, start: int = 10, fps: float = 25.0, seed: int = 0):
    """FrameHeatmaps of a few frames: a blob that moves, a box per frame, silhouettes."""
    from genuscreen.inference.explain import FrameHeatmaps

    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:64, 0:44]
    maps, boxes, sils = [], [], []
    for k in range(frames):
        cy, cx = 20 + 30 * k / max(1, frames - 1), 22
        blob = np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / 40.0) * (0.3 + 0.7 * rng.random())
        maps.append(np.round(255 * blob).astype(np.uint8))
        boxes.append([100 + 2 * k, 60, 144 + 2 * k, 124])
        sil = np.zeros((64, 44), np.uint8)
        sil[4:62, 14:30] = 1
        sils.append(sil)
    indices = np.arange(start, start + 2 * frames, 2)
    return FrameHeatmaps(np.stack(maps), np.array(boxes, np.float32), indices, indices / fps, np.stack(sils))


def make_result(outcome: str = "no_concern", age_y: float | None = 8.0, sex: str | None = "F", heatmaps: bool = True):
    """A ScreeningResult with the numbers of ``outcome`` ("no_concern", "re_screen", "refer" or
    "not_screenable")."""
    from genuscreen.inference.result import ScreeningResult

    video = {"file": "walk.mp4", "width": 320, "height": 240, "fps": 25.0, "rotation_deg": 0, "frames": 100}
    base = dict(video=video, model=dict(MODEL), device="cpu", timings={"total": 1.0}, age_y=age_y, sex=sex,
                norm_band_deg=clinical.age_norm(age_y) if age_y is not None else None)  # fmt: skip
    if outcome == "not_screenable":
        return ScreeningResult(quality=QUALITY_SIDE, screenable=False, category="not_screenable", recommendation=None,
                               reason="This recording cannot be screened. The person walks across the picture.",
                               **base)  # fmt: skip
    category, recommendation, risk, risk_interval, angle, angle_interval = OUTCOMES[outcome]
    _rec, reason = clinical.recommend(angle, angle_interval, risk, risk_interval, 0.5, age_y)
    heat = small_heatmaps() if heatmaps else None
    frames = heat.frame_indices if heat is not None else np.arange(10, 34, 2)
    per_frame = [{"frame": int(f), "time_s": round(float(f) / 25.0, 4), "score": round(risk + 0.01 * (i % 3), 4),
                  "angle_deg": round(angle + 0.3 * (i % 4), 2)} for i, f in enumerate(frames)]  # fmt: skip
    return ScreeningResult(quality=QUALITY_OK, screenable=True, category=category, recommendation=recommendation,
                           reason=reason, risk=risk, risk_interval=risk_interval, knee_angle_deg=angle,
                           knee_angle_interval=angle_interval, per_frame=per_frame, windows=4, heatmaps=heat,
                           **base)  # fmt: skip
