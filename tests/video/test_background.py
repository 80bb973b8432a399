"""Background estimation and the foreground test: shadows, hysteresis, the child who stays put."""

from __future__ import annotations

import numpy as np

from genuscreen.video.background import ForegroundDetector, estimate_background, moving_region
from tests.helpers import textured_background


def test_cast_shadow_is_not_foreground() -> None:
    bg = textured_background(120, 160, seed=1)
    frame = bg.copy()
    frame[40:100, 60:80] = (30, 200, 30)  # a person-coloured block
    shadow = (slice(95, 110), slice(80, 130))  # a darker patch on the floor beside it
    frame[shadow] = (bg[shadow] * 0.6).astype(np.uint8)
    mask = ForegroundDetector(bg)(frame)
    assert mask[40:100, 60:80].mean() > 0.95
    assert mask[96:110, 82:130].mean() < 0.05


def test_pale_legs_on_pale_floor_join_through_hysteresis() -> None:
    bg = np.full((120, 80, 3), 200, np.uint8)
    frame = bg.copy()
    frame[10:60, 30:50] = (40, 40, 160)  # strongly different trunk
    frame[60:110, 33:47] = (222, 222, 178)  # legs: only weakly different, but attached
    frame[5:15, 2:8] = (222, 222, 178)  # the same weak difference alone: floor noise
    mask = ForegroundDetector(bg)(frame)
    assert mask[62:108, 35:45].mean() > 0.9
    assert mask[5:15, 2:8].sum() == 0


def test_child_standing_at_the_end_is_not_baked_into_the_background() -> None:
    bg = textured_background(90, 120, seed=2)
    samples, moving = [], []
    for i in range(30):
        frame = bg.copy()
        if 5 <= i < 18:  # walking in from the left
            x = 10 + 4 * (i - 5)
            frame[30:80, x : x + 14] = (20, 20, 220)
        elif i >= 18:  # then standing still in the middle for the rest of the clip
            frame[30:80, 62:76] = (20, 20, 220)
        samples.append(frame)
    for i, frame in enumerate(samples):
        later = samples[min(i + 1, len(samples) - 1)]
        moving.append(moving_region(frame, later))
    estimate, _ = estimate_background(np.stack(samples), np.stack(moving))
    error = np.abs(estimate.astype(int) - bg.astype(int)).max(axis=2)
    assert error[30:80, 62:76].mean() < 10, "the standing child was taken for the background"
