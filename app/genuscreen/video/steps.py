"""Step counting from the periodic leg motion: of the ankles' landmarks (pose front end) or of a
height-normalised silhouette (background front end).

From landmarks, the left ankle's offset from the right one, vertical (walking toward the camera)
and horizontal (walking across), changes sign once per step. From silhouettes, two signals cover
the views the product meets:

- ``foot_offset``: horizontal offset of the lowest part of the silhouette from the body's centre.
  Walking toward (or away from) the camera, the leading foot is nearer and lower in the image, so
  this swings left and right once per stride: every zero crossing is a step.
- ``leg_spread``: width of the lowest part of the silhouette. Seen from the side the legs open
  and close once per step: every peak is a step.

The signal with the clearer periodicity (autocorrelation in the range of walking cadences) is
counted. A walker that does not walk (standing, jumping) has neither and counts no steps.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from genuscreen.video.skeleton import LEFT_ANKLE, LEFT_HIP, LEFT_SHOULDER, RIGHT_ANKLE, RIGHT_HIP, RIGHT_SHOULDER

# Walking cadence range for children and adults: 70-200 steps/min -> 0.3-0.86 s per step.
_STEP_PERIOD_S = (0.3, 0.86)
# Below this autocorrelation the motion is not considered periodic walking.
_MIN_PERIODICITY = 0.25
# Ankle landmarks that swing less than this (RMS, body heights) are a person standing: the pose
# model's jitter on a still child is about 0.003, a walk toward the camera about 0.05.
_MIN_ANKLE_SWING = 0.01
_FOOT_BAND = 0.15  # lowest share of the silhouette's height that holds the feet


@dataclass(frozen=True)
class StepCount:
    steps: int
    cadence_steps_per_min: float  # 0 when no periodic gait was found
    periodicity: float  # autocorrelation at the found period, 0-1
    signal: str  # which signal was counted: "foot_offset" | "leg_spread" | "none"


def leg_signals(silhouettes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-frame foot offset and leg spread from [n, H, W] height-normalised 0/1 silhouettes."""
    n, h, w = silhouettes.shape
    band = silhouettes[:, int(h * (1 - _FOOT_BAND)) :, :].astype(np.float32)
    cols = np.arange(w, dtype=np.float32)
    whole = silhouettes.sum(axis=1).astype(np.float32)  # [n, w]
    centre = (whole * cols).sum(axis=1) / np.maximum(whole.sum(axis=1), 1.0)
    band_cols = band.sum(axis=1)  # [n, w]
    band_mass = band_cols.sum(axis=1)
    band_centre = (band_cols * cols).sum(axis=1) / np.maximum(band_mass, 1.0)
    foot_offset = np.where(band_mass > 0, (band_centre - centre) / h, 0.0)
    present = band_cols > 0
    first = np.argmax(present, axis=1)
    last = w - 1 - np.argmax(present[:, ::-1], axis=1)
    leg_spread = np.where(present.any(axis=1), (last - first + 1) / h, 0.0)
    return foot_offset.astype(np.float32), leg_spread.astype(np.float32)


def _uniform(times: np.ndarray, values: np.ndarray, fps: float) -> np.ndarray:
    grid = np.arange(times[0], times[-1] + 1e-9, 1.0 / fps)
    return np.interp(grid, times, values)


def _detrend(x: np.ndarray, window: int) -> np.ndarray:
    if window < 3 or x.size < window:
        return x - x.mean()
    kernel = np.ones(window) / window
    padded = np.pad(x, window // 2, mode="edge")
    trend = np.convolve(padded, kernel, mode="same")[window // 2 : window // 2 + x.size]
    return x - trend


def _smooth(x: np.ndarray, window: int) -> np.ndarray:
    if window < 2:
        return x
    kernel = np.hanning(window + 2)[1:-1]
    kernel /= kernel.sum()
    return np.convolve(np.pad(x, window, mode="edge"), kernel, mode="same")[window:-window]


def _autocorrelation(x: np.ndarray, lag: int) -> float:
    energy = float((x * x).sum())
    if energy <= 0 or lag >= x.size - 2:
        return 0.0
    return float((x[:-lag] * x[lag:]).sum()) / energy * x.size / (x.size - lag)


def _best_period(x: np.ndarray, lags: range) -> tuple[int, float]:
    """Lag with the highest normalised autocorrelation among ``lags``, and that correlation.

    Only local peaks of the autocorrelation count.
    """
    x = x - x.mean()
    best_lag, best = 0, 0.0
    # Only true peaks count: a correlation still falling from lag 0 is slow drift, not a period.
    r = {lag: _autocorrelation(x, lag) for lag in range(max(1, lags.start - 1), lags.stop + 1)}
    for lag in lags:
        if r[lag] > best and r[lag] >= r.get(lag - 1, 0.0) and r[lag] >= r.get(lag + 1, 0.0):
            best_lag, best = lag, r[lag]
    return best_lag, best


def _undouble(x: np.ndarray, lag: int, r: float, shortest: int) -> tuple[int, float]:
    """The autocorrelation of a periodic signal peaks at every multiple of its period, and the
    normalisation for overlap can lift the second peak above the first: a child at 150 steps/min
    would read as 75. Prefer half the lag when it is itself a peak nearly as strong."""
    half = lag // 2
    if half < shortest:
        return lag, r
    candidates = range(max(shortest, half - 1), half + 2)
    half_lag, half_r = _best_period(x, candidates)
    if half_lag and half_r >= 0.8 * r:
        return half_lag, half_r
    return lag, r


def _local_amplitude(x: np.ndarray, window: int) -> np.ndarray:
    """Rolling RMS: the swing grows as the child comes closer, so thresholds must follow it."""
    window = max(3, window)
    power = np.convolve(np.pad(x * x, window, mode="edge"), np.ones(window) / window, mode="same")[window:-window]
    return np.sqrt(power)


def _zero_crossings(x: np.ndarray, period: int) -> int:
    """Sign changes with hysteresis relative to the local swing (one crossing per step).

    ``period`` is the stride in samples; crossings closer than 0.3 stride (0.6 step) are one.
    The floor keeps the jitter of a child standing still from counting.
    """
    amplitude = _local_amplitude(x, 2 * period)
    floor = 0.25 * float(np.sqrt((x * x).mean()))
    hysteresis = np.maximum(0.3 * amplitude, floor)
    state, count, last = 0, 0, -period
    for i, (v, h) in enumerate(zip(x, hysteresis)):
        side = 1 if v > h else -1 if v < -h else 0
        if side and side != state:
            if state and i - last >= 0.3 * period:
                count += 1
                last = i
            state = side
    return count


def _peaks(x: np.ndarray, min_distance: int, min_height: float) -> int:
    count, last = 0, -min_distance
    for i in range(1, x.size - 1):
        if x[i] > min_height and x[i] >= x[i - 1] and x[i] > x[i + 1] and i - last >= min_distance:
            count += 1
            last = i
    return count


def ankle_signals(landmarks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-frame ankle signals from [n, 33, 3] landmarks, in body heights.

    - toward the camera: the height of the ankle on the left of the picture minus the one on the
      right. The leading foot is nearer, so lower in the picture: the sign changes at every step.
      The feet are told apart by their place in the picture, not by the model's left and right
      labels, which it swaps now and then.
    - across the picture: the feet's horizontal distance, which opens and closes once per step.

    A single frame's glitch (a landmark jumping to the other leg) is taken out by a running median
    of three frames.
    """
    ankles = landmarks[:, [LEFT_ANKLE, RIGHT_ANKLE], :2]
    body = np.maximum(landmarks[:, :, 1].max(axis=1) - landmarks[:, :, 1].min(axis=1), 1.0)
    left_in_picture = ankles[:, 0, 0] <= ankles[:, 1, 0]
    first = np.where(left_in_picture, ankles[:, 0, 1], ankles[:, 1, 1])
    second = np.where(left_in_picture, ankles[:, 1, 1], ankles[:, 0, 1])
    # Seen from the front, a step's depth shows as a height difference that shrinks with the
    # square of the distance, the body only with the distance: dividing by the body's height
    # twice keeps the swing of a far step as large as that of a near one.
    toward = (first - second) * float(np.median(body)) / body**2
    across = np.abs(ankles[:, 0, 0] - ankles[:, 1, 0]) / body
    return _median3(toward).astype(np.float32), _median3(across).astype(np.float32)


def _median3(x: np.ndarray) -> np.ndarray:
    if x.size < 3:
        return x
    padded = np.pad(x, 1, mode="edge")
    return np.median(np.stack([padded[:-2], padded[1:-1], padded[2:]]), axis=0)


def count_steps_from_landmarks(times: np.ndarray, landmarks: np.ndarray) -> StepCount:
    """Count steps from the ankles' landmarks (the pose front end). A body seen from the front
    or the back: zero crossings of the toward-the-camera signal (its period is a stride); seen
    side-on: peaks of the across signal (its period is a step)."""
    if len(times) < 8:
        return StepCount(0, 0.0, 0.0, "none")
    fps = _rate(times)
    toward, across = (_clipped(_prepare(times, signal, fps)) for signal in ankle_signals(landmarks))
    lo, hi = _lag_range(fps)
    if _seen_from_front_or_back(landmarks):
        stride_lag, r = _period_of(toward, range(2 * lo, 2 * hi), 2 * lo)
        if r < _MIN_PERIODICITY:
            return StepCount(0, 0.0, round(r, 3), "none")
        return StepCount(_zero_crossings(toward, stride_lag), round(60.0 * fps * 2 / stride_lag, 1), round(r, 3),
                         "ankles_toward")  # fmt: skip
    step_lag, r = _period_of(across, range(lo, hi), lo)
    if r < _MIN_PERIODICITY:
        return StepCount(0, 0.0, round(r, 3), "none")
    steps = _peaks(across, int(0.6 * step_lag), 0.2 * float(across.std()))
    return StepCount(steps, round(60.0 * fps / step_lag, 1), round(r, 3), "ankles_across")


# Shoulders and hips at least this wide in the picture (body heights, median over the walk): the
# body is seen from the front or the back, not side-on.
_BROADSIDE = 0.04


def _seen_from_front_or_back(landmarks: np.ndarray) -> bool:
    body = np.maximum(landmarks[:, :, 1].max(axis=1) - landmarks[:, :, 1].min(axis=1), 1.0)
    width = np.abs(landmarks[:, LEFT_SHOULDER, 0] - landmarks[:, RIGHT_SHOULDER, 0]) + np.abs(
        landmarks[:, LEFT_HIP, 0] - landmarks[:, RIGHT_HIP, 0])
    return float(np.median(width / (2.0 * body))) >= _BROADSIDE


def _clipped(x: np.ndarray, k: float = 3.0) -> np.ndarray:
    """Excursions beyond ``k`` robust standard deviations cut back: a child far away at the start
    gives wild landmarks for a moment, which would otherwise outweigh every step after."""
    spread = 1.4826 * float(np.median(np.abs(x - np.median(x))))
    return np.clip(x, -k * spread, k * spread) if spread > 0 else x


def _period_of(x: np.ndarray, lags: range, shortest: int) -> tuple[int, float]:
    """Period (samples) and its autocorrelation; (0, 0) for a signal too still to be walking."""
    if float(np.sqrt(np.mean(x * x))) < _MIN_ANKLE_SWING:
        return 0, 0.0
    return _undouble(x, *_best_period(x, lags), shortest)


def _rate(times: np.ndarray) -> float:
    dt = np.diff(times)
    return float(1.0 / np.median(dt[dt > 0])) if np.any(dt > 0) else 30.0


def _lag_range(fps: float) -> tuple[int, int]:
    """Shortest and longest step, in samples."""
    return max(1, int(round(_STEP_PERIOD_S[0] * fps))), int(round(_STEP_PERIOD_S[1] * fps)) + 1


def _prepare(times: np.ndarray, signal: np.ndarray, fps: float) -> np.ndarray:
    """Resampled to a uniform rate, slow drift removed, jitter smoothed."""
    trend_window = int(round(1.8 * fps)) | 1
    smooth_window = max(1, int(round(0.08 * fps)))
    return _smooth(_detrend(_uniform(times, signal, fps), trend_window), smooth_window)


def count_steps(times: np.ndarray, silhouettes: np.ndarray) -> StepCount:
    """Count steps of a walker from its silhouettes and their times (seconds)."""
    if len(times) < 8:
        return StepCount(0, 0.0, 0.0, "none")
    fps = _rate(times)
    foot_offset, leg_spread = leg_signals(silhouettes)
    lo, hi = _lag_range(fps)
    offset = _prepare(times, foot_offset, fps)
    spread = _prepare(times, leg_spread, fps)
    stride_lag, stride_r = _undouble(offset, *_best_period(offset, range(2 * lo, 2 * hi)), 2 * lo)
    step_lag, step_r = _undouble(spread, *_best_period(spread, range(lo, hi)), lo)
    if max(stride_r, step_r) < _MIN_PERIODICITY:
        return StepCount(0, 0.0, round(max(stride_r, step_r), 3), "none")
    # Walking toward the camera (the protocol) shows best in the foot offset; the leg spread of a
    # side view wins only when clearly more periodic.
    if stride_r * 1.3 >= step_r:
        steps = _zero_crossings(offset, stride_lag)
        return StepCount(steps, round(60.0 * fps * 2 / stride_lag, 1), round(stride_r, 3), "foot_offset")
    steps = _peaks(spread, int(0.6 * step_lag), 0.2 * float(spread.std()))
    return StepCount(steps, round(60.0 * fps / step_lag, 1), round(step_r, 3), "leg_spread")
