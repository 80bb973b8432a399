"""Background model for a static camera, and foreground/shadow separation against it.

A child walking toward the camera stays on nearly the same pixels while far away, so a plain
per-pixel median over the clip bakes the distant child into the background. The estimate here
is a time-weighted robust mode (see :func:`estimate_background`); pixels no two samples agree on
are inpainted. An empty-scene reference, when the user captured one, replaces the estimate.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

def colour_difference(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per-pixel max over channels of |a - b| (uint8); cv2 ops, as numpy's channel max is slow."""
    blue, green, red = cv2.split(cv2.absdiff(a, b))
    return cv2.max(cv2.max(blue, green), red)


def agreement(a: np.ndarray, b: np.ndarray, tolerance: int) -> np.ndarray:
    """uint8 mask, 255 where every channel of a and b differs by at most ``tolerance``: the same
    as ``colour_difference(a, b) <= tolerance``, in two cv2 calls."""
    return cv2.inRange(cv2.absdiff(a, b), (0, 0, 0), (tolerance, tolerance, tolerance))


def moving_region(frame: np.ndarray, later: np.ndarray, threshold: int = 25) -> np.ndarray:
    """Where something moves between two nearby frames, as filled, widened boxes (bool [h, w]).

    Differencing only shows the moving edges of a child (a plain shirt looks the same a moment
    later); the box of each moving blob, widened by a quarter, covers the whole child.
    """
    h, w = frame.shape[:2]
    changed = (colour_difference(frame, later) > threshold).astype(np.uint8)
    changed = cv2.morphologyEx(changed, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_CROSS, (3, 3)))
    changed = cv2.dilate(changed, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (9, 9)))
    region = np.zeros((h, w), bool)
    count, _, stats, _ = cv2.connectedComponentsWithStats(changed, connectivity=8)
    min_area = max(12, (h * w) // 4000)
    for label in range(1, count):
        x, y, bw, bh, area = stats[label]
        if area < min_area:
            continue
        mx, my = bw // 4 + 2, bh // 4 + 2
        region[max(0, y - my) : y + bh + my, max(0, x - mx) : x + bw + mx] = True
    return region


def estimate_background(
    samples: np.ndarray, moving: np.ndarray | None = None, tolerance: int = 20
) -> tuple[np.ndarray, float]:
    """Estimate the empty scene from frames sampled across the clip.

    A median fails where the child covers a pixel in most samples: far away at the start it
    barely moves, near the camera at the end it may stand still. Here, where a sample shows
    something moving (``moving``), it does not vote. Among the rest, per pixel, the value that
    most samples agree with wins (a robust mode), and the background is the mean of the samples
    that agree with it. Votes of earlier samples weigh more (2 for the first down to 0.25 for
    the last), because the protocol's child walks toward the camera: what it covers at the end,
    near and large, was visible at the start, so a child standing still at the end does not
    outvote the floor. Agreement is counted at half resolution for speed.

    Args:
        samples: [n, h, w, 3] uint8, frames spread over the whole clip in time order.
        moving: optional [n, h, w] bool, True where a sample shows motion (see :func:`moving_region`).

    Returns:
        (background [h, w, 3] uint8, share of pixels no two samples agreed on, inpainted)
    """
    n, h, w, _ = samples.shape
    if n == 1:
        return samples[0].copy(), 0.0
    small_size = (max(1, w // 2), max(1, h // 2))
    small = np.stack([cv2.resize(s, small_size, interpolation=cv2.INTER_AREA) for s in samples])
    weights = np.geomspace(2.0, 0.25, n).astype(np.float32)
    if moving is None:
        still = np.ones(small.shape[:3], np.float32)
    else:
        still = np.stack([cv2.resize((~m).astype(np.uint8), small_size, interpolation=cv2.INTER_NEAREST) for m in moving]).astype(np.float32)
    # Each sample's vote where it is still (weight x still), added with masked cv2.accumulate (cv2.add with a mask is 100x slower): the
    # n^2/2 pairs are the cost of the whole background step.
    votes = weights[:, None, None] * still
    support = np.zeros(small.shape[:3], np.float32)
    for i in range(n):
        for j in range(i + 1, n):
            agree = agreement(small[i], small[j], tolerance)
            cv2.accumulate(votes[j], support[i], mask=agree)
            cv2.accumulate(votes[i], support[j], mask=agree)
    # A moving sample may not win where it moves, whatever agrees with it.
    support = np.where(still > 0, support, -1.0)
    best = np.argmax(support, axis=0).astype(np.uint8)
    # Pixels that nobody agrees with (always covered by something changing) get inpainted.
    unknown_small = (np.max(support, axis=0) < 1.0).astype(np.uint8)
    best = cv2.resize(best, (w, h), interpolation=cv2.INTER_NEAREST)
    winner = np.take_along_axis(samples, best[None, :, :, None].astype(np.intp), axis=0)[0]
    # Average the agreeing samples: the mode of one noisy sample would carry its noise.
    total = np.zeros((h, w, 3), np.float32)
    count = np.zeros((h, w), np.float32)
    ones = np.ones((h, w), np.float32)
    for k, sample in enumerate(samples):
        agree = agreement(sample, winner, tolerance)
        if moving is not None:
            agree[moving[k]] = 0
        cv2.accumulate(sample, total, mask=agree)
        cv2.accumulate(ones, count, mask=agree)
    background = (total / np.maximum(count, 1.0)[..., None]).round().astype(np.uint8)
    unknown = cv2.resize(unknown_small, (w, h), interpolation=cv2.INTER_NEAREST)
    unknown_fraction = float(unknown.mean())
    if unknown_fraction > 0:
        background = cv2.inpaint(background, unknown * 255, 5, cv2.INPAINT_TELEA)
    return background, unknown_fraction


_SUM_CHANNELS = np.ones((1, 3), np.float32)  # cv2.transform matrix: b + g + r


@dataclass
class ForegroundParams:
    """Thresholds of the per-frame foreground test (colour differences on a 0-255 scale)."""

    low: float = 16.0  # weak evidence: kept only when connected to strong evidence
    high: float = 34.0  # strong evidence
    noise_factor: float = 4.0  # thresholds rise with the measured noise of the frame
    shadow_min_ratio: float = 0.35  # a shadow keeps at least this share of the background brightness
    shadow_max_ratio: float = 0.92  # and loses at least this much
    shadow_max_chroma: float = 0.05  # and keeps its chromaticity (normalised rgb distance)


class ForegroundDetector:
    """Foreground mask of a frame against a fixed background, with shadow suppression.

    Hysteresis: pixels above ``high`` seed the mask, pixels above ``low`` join when connected to
    a seed; this keeps pale legs on a pale floor without admitting floor noise. Cast shadows are
    darker but keep the background's chromaticity, and are removed.
    """

    def __init__(self, background: np.ndarray, params: ForegroundParams | None = None):
        self.background = background
        self.params = params or ForegroundParams()
        bg = background.astype(np.float32)
        self._bg_sum = cv2.transform(bg, _SUM_CHANNELS) + 1.0
        self._bg_chroma = bg / self._bg_sum[..., None]

    def __call__(self, frame: np.ndarray) -> np.ndarray:
        """Return the raw foreground mask (uint8 0/1) of ``frame`` (same size as the background)."""
        p = self.params
        diff = colour_difference(frame, self.background)
        # Noise level from the bulk of the frame (mostly background): median of the difference.
        hist = cv2.calcHist([diff], [0], None, [256], [0, 256]).ravel()
        median = int(np.searchsorted(np.cumsum(hist), hist.sum() / 2))
        low = max(p.low, median * p.noise_factor * 0.5)
        high = max(p.high, median * p.noise_factor)
        weak = cv2.threshold(diff, low, 1, cv2.THRESH_BINARY)[1]
        strong = cv2.threshold(diff, high, 1, cv2.THRESH_BINARY)[1]
        if not cv2.countNonZero(strong):
            return np.zeros_like(weak)
        weak = self._remove_shadows(frame, weak)
        count, labels = cv2.connectedComponents(weak, connectivity=8)
        keep = np.zeros(count, bool)
        keep[np.unique(labels[(strong & weak) > 0])] = True
        keep[0] = False
        return keep[labels].astype(np.uint8)

    def _remove_shadows(self, frame: np.ndarray, weak: np.ndarray) -> np.ndarray:
        p = self.params
        x, y, w, h = cv2.boundingRect(weak)
        if w == 0 or h == 0:
            return weak
        # Only the region that changed is examined: usually the child and its shadow.
        region = (slice(y, y + h), slice(x, x + w))
        # cv2 rather than numpy: numpy's reductions over a 3-long last axis are slow per frame.
        f = frame[region].astype(np.float32)
        f_sum = cv2.transform(f, _SUM_CHANNELS) + 1.0
        ratio = f_sum / self._bg_sum[region]
        normalised = f / cv2.merge([f_sum, f_sum, f_sum])
        chroma = cv2.transform(cv2.absdiff(normalised, self._bg_chroma[region]), _SUM_CHANNELS)
        shadow = (ratio > p.shadow_min_ratio) & (ratio < p.shadow_max_ratio) & (chroma < p.shadow_max_chroma)
        out = weak.copy()
        out[region][shadow] = 0
        return out
