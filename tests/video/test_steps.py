"""The step counter's period search: a walking rhythm is read at its own period, not twice it."""

from __future__ import annotations

import numpy as np

from genuscreen.video.steps import _best_period, _undouble


def test_a_stride_rhythm_is_not_read_at_double_its_period() -> None:
    fps, stride_s = 30.0, 0.8  # 150 steps/min
    t = np.arange(0, 3.0, 1 / fps)
    # A slight left-right difference, as most children have: the autocorrelation peaks higher
    # at two strides than at one.
    offset = np.sin(2 * np.pi * t / stride_s) + 0.3 * np.sin(2 * np.pi * t / (2 * stride_s))
    lags = range(18, 52)  # 0.6-1.72 s, the stride range of count_steps at 30 fps
    raw, r = _best_period(offset, lags)
    assert abs(raw - 2 * stride_s * fps) <= 1  # the trap
    found, _ = _undouble(offset, raw, r, lags.start)
    assert abs(found - stride_s * fps) <= 1


def test_a_real_double_rhythm_keeps_its_period() -> None:
    fps = 30.0
    t = np.arange(0, 4.0, 1 / fps)
    # A limp: every other swing much smaller, so the rhythm truly repeats every 1.6 s.
    offset = np.sin(2 * np.pi * t / 0.8) + 1.2 * np.sin(2 * np.pi * t / 1.6)
    lags = range(18, 52)
    found, _ = _undouble(offset, *_best_period(offset, lags), lags.start)
    assert abs(found - 48) <= 2
