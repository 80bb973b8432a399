"""Aggregation: intervals from the spread over windows and the model's error, and their coverage."""

import numpy as np
import pytest

from genuscreen.inference.aggregate import clip_estimates, effective_windows, mean_interval, per_frame_curves
from genuscreen.video.clips import Clip


def test_effective_windows_count_overlap() -> None:
    assert effective_windows(1, 16, 8) == 1.0
    assert effective_windows(9, 16, 8) == pytest.approx(5.0)  # half-overlapping windows
    assert effective_windows(4, 16, 16) == 4.0


def test_interval_contains_the_mean_and_respects_bounds() -> None:
    est = mean_interval(np.array([0.97, 0.99, 1.0, 0.98]), 4, bounds=(0.0, 1.0))
    assert est.low <= est.value <= est.high <= 1.0
    single = mean_interval(np.array([0.3]), 1)
    assert single.low == single.high == 0.3  # one window and no model error: nothing to spread


def test_angle_interval_covers_the_truth_about_as_often_as_it_claims() -> None:
    """Windows of a clip share the clip's error (the model's), plus window noise: with the
    model's residual spread in the interval, a 90 % interval covers the truth about 90 % of
    the time; without it, far less."""
    rng = np.random.default_rng(0)
    model_sd, window_sd = 2.0, 1.0
    hits, hits_spread_only = 0, 0
    trials = 2000
    for _ in range(trials):
        truth = rng.uniform(-5, 25)
        clip_error = rng.normal(0, model_sd)
        angles = truth + clip_error + rng.normal(0, window_sd, size=8)
        _, knee = clip_estimates(np.full(8, 0.5), angles, 16, 8, angle_residual_sd=model_sd)
        _, spread = clip_estimates(np.full(8, 0.5), angles, 16, 8, angle_residual_sd=0.0)
        hits += knee.low <= truth <= knee.high
        hits_spread_only += spread.low <= truth <= spread.high
    assert 0.85 <= hits / trials <= 0.97
    assert hits_spread_only / trials < 0.75


def test_per_frame_curves_average_the_windows_sharing_a_frame() -> None:
    def clip(frames):
        n = len(frames)
        return Clip(np.zeros((n, 4, 4), np.float32), np.zeros((n, 4), np.float32), np.array(frames), np.arange(n) / 15.0)

    curves = per_frame_curves(np.array([0.2, 0.6]), np.array([10.0, 20.0]), [clip([0, 2, 4]), clip([4, 6])])
    by_frame = {c["frame"]: c for c in curves}
    assert [c["frame"] for c in curves] == [0, 2, 4, 6]
    assert by_frame[4]["score"] == pytest.approx(0.4) and by_frame[4]["angle_deg"] == pytest.approx(15.0)
    assert by_frame[6]["score"] == pytest.approx(0.6)


def test_angle_error_from_validation_videos_is_preferred_over_clean_silhouettes() -> None:
    from genuscreen.model.weights import angle_residual_sd
    from genuscreen.model.weights import VIDEO_VALIDATION_SET

    clean = {"metrics": {"validation": {"angle_residual_sd_deg": 0.8}}}
    both = {"metrics": {"validation": {"angle_residual_sd_deg": 0.8}, VIDEO_VALIDATION_SET: {"angle_residual_sd_deg": 2.4}}}
    assert angle_residual_sd(clean) == 0.8
    assert angle_residual_sd(both) == 2.4
    assert angle_residual_sd({"metrics": {}}) is None
    calibrated = {"metrics": {VIDEO_VALIDATION_SET: {"angle_residual_sd_deg": 3.4, "angle_interval_sd_deg": 2.1}}}
    assert angle_residual_sd(calibrated) == 2.1
