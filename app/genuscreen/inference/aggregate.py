"""From window predictions to one clip result with uncertainty, and per-frame curves.

The clip's probability and knee angle are the means over its windows. Their intervals (90 %
by default) combine two sources:

- the spread over windows: the standard error of the mean with the effective number of
  windows, since windows overlap (stride T/2 shares half their frames, so n windows carry
  about n x stride / T independent looks), and a t quantile for few windows;
- for the angle, the model's own error: the residual standard deviation of the angle on the
  validation set, from the model card (``angle_residual_sd_deg``), added in quadrature. The
  spread over windows alone says how stable the estimate is, not how right; with the model's
  error the interval covers the true angle about as often as it claims (tests check it on
  synthetic children).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

# Two-sided t quantiles for 90 % intervals by degrees of freedom (1..10); normal beyond.
_T90 = (6.314, 2.920, 2.353, 2.132, 2.015, 1.943, 1.895, 1.860, 1.833, 1.812)
Z90 = 1.645


def t90(dof: float) -> float:
    if dof < 1:
        return _T90[0]
    return _T90[int(dof) - 1] if dof <= len(_T90) else Z90


@dataclass(frozen=True)
class Estimate:
    value: float
    low: float
    high: float


def effective_windows(n: int, frames: int, stride: int) -> float:
    """Independent looks in ``n`` windows of ``frames`` frames started every ``stride``."""
    return max(1.0, min(float(n), 1.0 + (n - 1) * stride / frames))


def mean_interval(values: np.ndarray, n_eff: float, extra_sd: float = 0.0, bounds=(-math.inf, math.inf)) -> Estimate:
    """Mean of ``values`` with a 90 % interval from their spread (and ``extra_sd`` in quadrature)."""
    values = np.asarray(values, dtype=np.float64)
    mean = float(values.mean())
    sd = float(values.std(ddof=1)) if values.size > 1 else 0.0
    se = sd / math.sqrt(n_eff)
    half = math.sqrt((t90(n_eff - 1) * se) ** 2 + (Z90 * extra_sd) ** 2)
    return Estimate(mean, max(bounds[0], mean - half), min(bounds[1], mean + half))


def clip_estimates(prob: np.ndarray, angle: np.ndarray, frames: int, stride: int,
                   angle_residual_sd: float) -> tuple[Estimate, Estimate]:  # fmt: skip
    """(risk, knee angle) of a clip from its windows' probabilities and angles."""
    n_eff = effective_windows(len(prob), frames, stride)
    return (
        mean_interval(prob, n_eff, bounds=(0.0, 1.0)),
        mean_interval(angle, n_eff, extra_sd=angle_residual_sd),
    )


def per_frame_curves(prob: np.ndarray, angle: np.ndarray, clips) -> list[dict]:
    """Score and angle for every clip frame: the mean over the windows that contain it."""
    acc: dict[int, list] = {}
    for p, a, clip in zip(prob, angle, clips):
        for j, index in enumerate(clip.frame_indices):
            entry = acc.setdefault(int(index), [0.0, 0.0, 0, float(clip.times_s[j])])
            entry[0] += float(p)
            entry[1] += float(a)
            entry[2] += 1
    return [
        {"frame": k, "time_s": round(v[3], 4), "score": round(v[0] / v[2], 4), "angle_deg": round(v[1] / v[2], 2)}
        for k, v in sorted(acc.items())
    ]
