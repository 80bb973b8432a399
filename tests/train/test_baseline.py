"""The geometric baseline measures what it claims: wide ankles with close knees score high."""

import numpy as np

from genuscreen.train.baseline import GeometricBaseline, clip_scores, window_score


def legs(ankle_gap: int, knee_gap: int) -> np.ndarray:
    """A [16, 64, 44] window of a figure whose legs are straight lines from hip to ankle."""
    w = np.zeros((16, 64, 44), np.float32)
    w[:, 4:38, 16:28] = 1.0
    for row in range(38, 64):
        t = (row - 38) / 25
        # gap between the legs: from 2 px at the hip through knee_gap (row ~46) to ankle_gap
        gap = np.interp(row, [38, 46, 62], [2, knee_gap, ankle_gap])
        left_inner = int(round(22 - gap / 2))
        right_inner = int(round(22 + gap / 2))
        w[:, row, left_inner - 5 : left_inner] = 1.0
        w[:, row, right_inner : right_inner + 5] = 1.0
        del t
    return w


def test_knock_knees_score_above_straight_legs() -> None:
    valgum = window_score(legs(ankle_gap=14, knee_gap=0))
    straight = window_score(legs(ankle_gap=3, knee_gap=3))
    bow = window_score(legs(ankle_gap=0, knee_gap=8))
    assert valgum > straight > bow
    assert window_score((legs(14, 0) * 255).astype(np.uint8)) == valgum


def test_fit_finds_the_separating_threshold_and_the_angle_line() -> None:
    scores = np.array([0.0, 0.01, 0.02, 0.1, 0.12, 0.15])
    targets = np.array([0, 0, 0, 1, 1, 1])
    angles = 5 + 100 * scores
    fit = GeometricBaseline.fit(scores, targets, angles)
    assert 0.02 < fit.threshold <= 0.1
    positive, angle = fit.predict(scores)
    assert positive.tolist() == targets.tolist()
    np.testing.assert_allclose(angle, angles, atol=1e-6)


def test_clip_scores_average_windows_and_mark_empty_clips() -> None:
    windows = np.stack([legs(14, 0), legs(3, 3)])
    clips = [{"first": 0, "count": 2}, {"first": 2, "count": 0}]
    out = clip_scores(windows, clips)
    assert np.isclose(out[0], (window_score(windows[0]) + window_score(windows[1])) / 2)
    assert np.isnan(out[1])
