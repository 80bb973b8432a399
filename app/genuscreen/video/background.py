"""Background model for a static camera, and foreground/shadow separation against it.

A child walking toward the camera stays on nearly the same pixels while far away, so a plain
per-pixel median over the clip bakes the distant child into the background. The estimate here
excludes, in every sampled frame, the whole region around anything that moves (the box of each
moving blob, widened), takes the median over what is left, and inpaints pixels that were never
seen uncovered. An empty-scene reference, when the user captured one, replaces the estimate.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

# Colour difference (0-255, max over channels) that counts as "changed" during estimation.
_ESTIMATE_DIFF = 28
# Each moving blob's box is widened by this fraction of its size before it is excluded.
_EXCLUDE_MARGIN = 0.25
# A pixel needs at least this many uncovered samples to take their median; else it is inpainted.
_MIN_VALID_SAMPLES = 2


def _masked_median(stack: np.ndarray, excluded: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-pixel median over samples that are not excluded.

    Excluded values are replaced alternately by 0 and 255 (by sample parity): that leaves the
    median of the remaining values nearly unchanged, because exclusions come in runs of
    consecutive samples, and keeps the fast uint8 median.

    Args:
        stack: [n, h, w, 3] uint8 samples.
        excluded: [n, h, w] bool.

    Returns:
        (median [h, w, 3] uint8, valid count [h, w] int)
    """
    n = stack.shape[0]
    work = stack.copy()
    work[0::2][excluded[0::2]] = 0
    work[1::2][excluded[1::2]] = 255
    valid = n - excluded.sum(axis=0)
    median = np.median(work, axis=0).astype(np.uint8)
    return median, valid


def _moving_regions(diff_mask: np.ndarray, min_area: int) -> np.ndarray:
    """Boxes of the blobs in ``diff_mask``, widened and filled: what to exclude from the median."""
    h, w = diff_mask.shape
    out = np.zeros((h, w), bool)
    count, _, stats, _ = cv2.connectedComponentsWithStats(diff_mask.astype(np.uint8), connectivity=8)
    for label in range(1, count):
        x, y, bw, bh, area = stats[label]
        if area < min_area:
            continue
        mx = int(bw * _EXCLUDE_MARGIN) + 2
        my = int(bh * _EXCLUDE_MARGIN) + 2
        out[max(0, y - my) : min(h, y + bh + my), max(0, x - mx) : min(w, x + bw + mx)] = True
    return out


def colour_difference(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per-pixel max over channels of |a - b| (uint8); cv2 ops, as numpy's channel max is slow."""
    blue, green, red = cv2.split(cv2.absdiff(a, b))
    return cv2.max(cv2.max(blue, green), red)


def _change_mask(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    diff = colour_difference(a, b)
    mask = (diff > _ESTIMATE_DIFF).astype(np.uint8)
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    return cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (9, 9)))


def estimate_background(samples: np.ndarray) -> tuple[np.ndarray, float]:
    """Estimate the empty scene from frames sampled across the clip.

    Args:
        samples: [n, h, w, 3] uint8, frames spread over the whole clip (n >= 3 recommended).

    Returns:
        (background [h, w, 3] uint8, fraction of pixels that had to be inpainted)
    """
    n, h, w, _ = samples.shape
    if n == 1:
        return samples[0].copy(), 0.0
    min_area = max(12, (h * w) // 4000)
    median = np.median(samples, axis=0).astype(np.uint8)
    excluded = np.zeros((n, h, w), bool)
    # Two rounds: the first median may hold the distant child; differences between samples find
    # it anyway because it moves between them, and the second round removes it.
    for _ in range(2):
        for i in range(n):
            changed = _change_mask(samples[i], median)
            for j in (i - 1, i + 1):
                if 0 <= j < n:
                    # Motion between neighbouring samples marks the child in both of them.
                    changed |= _change_mask(samples[i], samples[j]) & (
                        colour_difference(samples[i], median) > _ESTIMATE_DIFF // 2
                    ).astype(np.uint8)
            excluded[i] = _moving_regions(changed, min_area)
        median, valid = _masked_median(samples, excluded)
    unknown = (valid < _MIN_VALID_SAMPLES).astype(np.uint8)
    unknown_fraction = float(unknown.mean())
    if unknown_fraction > 0:
        median = cv2.inpaint(median, unknown * 255, 5, cv2.INPAINT_TELEA)
    return median, unknown_fraction


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
        self._bg_sum = bg.sum(axis=2) + 1.0
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
        weak = (diff > low).astype(np.uint8)
        strong = diff > high
        if not strong.any():
            return np.zeros_like(weak)
        weak = self._remove_shadows(frame, weak)
        count, labels = cv2.connectedComponents(weak, connectivity=8)
        keep = np.zeros(count, bool)
        keep[np.unique(labels[strong & (weak > 0)])] = True
        keep[0] = False
        return keep[labels].astype(np.uint8)

    def _remove_shadows(self, frame: np.ndarray, weak: np.ndarray) -> np.ndarray:
        p = self.params
        ys, xs = np.nonzero(weak)
        if ys.size == 0:
            return weak
        f = frame[ys, xs].astype(np.float32)
        f_sum = f.sum(axis=1) + 1.0
        ratio = f_sum / self._bg_sum[ys, xs]
        chroma = np.abs(f / f_sum[:, None] - self._bg_chroma[ys, xs]).sum(axis=1)
        shadow = (ratio > p.shadow_min_ratio) & (ratio < p.shadow_max_ratio) & (chroma < p.shadow_max_chroma)
        out = weak.copy()
        out[ys[shadow], xs[shadow]] = 0
        return out
