"""The no-learning geometric baseline every evaluation table shows beside the model.

In a frontal, height-normalised silhouette, genu valgum shows as knees close together with the
ankles apart. Per frame, the gap between the legs is measured at ankle height and at knee height
(the background run between the legs nearest the body's centre line); the frame's measurement
is (ankle gap - knee gap) / silhouette height. A window's score is the median over its frames, a
clip's the mean over its windows.

The only fitted numbers are a decision threshold (the one that maximises F1 on the training
clips) and a straight line from score to knee angle (least squares on the training clips), so
the model has to beat a measurement, not a straw man.

Rows: the knee joint is about 0.285 of stature above the floor and the ankle about 0.04
(adult proportions; children's legs are slightly shorter, hence bands rather than single rows).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

KNEE_BAND = (0.68, 0.75)  # fraction of silhouette height from the top
ANKLE_BAND = (0.92, 0.97)


def _inner_gap(row: np.ndarray, centre: float) -> float:
    """Width of the background run between foreground pixels nearest ``centre`` (0 if none)."""
    fg = np.flatnonzero(row)
    if fg.size < 2:
        return 0.0
    steps = np.diff(fg)
    gaps = np.flatnonzero(steps > 1)
    if gaps.size == 0:
        return 0.0
    mids = (fg[gaps] + fg[gaps + 1]) / 2.0
    k = int(np.argmin(np.abs(mids - centre)))
    return float(steps[gaps[k]] - 1)


def _band_gap(frame: np.ndarray, band: tuple[float, float], centre: float) -> float:
    h = frame.shape[0]
    rows = range(int(band[0] * h), max(int(band[0] * h) + 1, int(band[1] * h)))
    return float(np.median([_inner_gap(frame[r], centre) for r in rows]))


def window_score(window: np.ndarray, threshold: float = 0.5) -> float:
    """Baseline measurement of one window [T, H, W] (silhouette values in [0, 1] or 0-255)."""
    binary = window >= (threshold * (255 if window.dtype == np.uint8 else 1))
    h, w = binary.shape[1:]
    scores = []
    for frame in binary:
        if not frame.any():
            continue
        centre = float(np.flatnonzero(frame.any(axis=0)).mean()) if frame.any() else w / 2
        scores.append((_band_gap(frame, ANKLE_BAND, centre) - _band_gap(frame, KNEE_BAND, centre)) / h)
    return float(np.median(scores)) if scores else 0.0


def clip_scores(windows: np.ndarray, clips: list[dict]) -> np.ndarray:
    """Mean window score of every clip (NaN for a clip without windows)."""
    out = np.full(len(clips), np.nan)
    for i, c in enumerate(clips):
        if c["count"]:
            out[i] = np.mean([window_score(windows[k]) for k in range(c["first"], c["first"] + c["count"])])
    return out


@dataclass
class GeometricBaseline:
    """The threshold and score-to-angle line fitted on training clips."""

    threshold: float
    slope: float
    intercept: float

    @classmethod
    def fit(cls, scores: np.ndarray, targets: np.ndarray, angles: np.ndarray) -> "GeometricBaseline":
        hard = targets >= 0
        s, y = scores[hard], targets[hard]
        best, best_f1 = float(np.median(s)), -1.0
        for t in np.unique(s):
            p = s >= t
            tp, fp, fn = np.sum(p & (y == 1)), np.sum(p & (y == 0)), np.sum(~p & (y == 1))
            f1 = 2 * tp / max(1, 2 * tp + fp + fn)
            if f1 > best_f1:
                best, best_f1 = float(t), f1
        known = np.isfinite(angles)
        slope, intercept = np.polyfit(scores[known], angles[known], 1) if known.sum() >= 2 else (0.0, 0.0)
        return cls(best, float(slope), float(intercept))

    def predict(self, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(positive 0/1, knee angle in degrees) for clip scores."""
        return (scores >= self.threshold).astype(float), self.slope * scores + self.intercept
