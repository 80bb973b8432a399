"""Metrics on hand-made predictions equal values worked out by hand."""

import math

import numpy as np
import pytest

from genuscreen.train import metrics


def test_confusion_precision_recall_f1_by_hand() -> None:
    labels = np.array([1, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    prob = np.array([0.9, 0.8, 0.6, 0.3, 0.7, 0.2, 0.1, 0.1, 0.4, 0.05])
    m = metrics.classification(labels, prob, threshold=0.5)
    assert m["confusion"] == {"tp": 3, "fp": 1, "fn": 1, "tn": 5}
    assert m["precision"] == pytest.approx(3 / 4)
    assert m["recall"] == pytest.approx(3 / 4)
    assert m["f1"] == pytest.approx(0.75)
    assert m["accuracy"] == pytest.approx(0.8)
    assert m["specificity"] == pytest.approx(5 / 6)
    # AUC: pairs (pos, neg) where pos outscores neg: 0.9, 0.8, 0.6 beat all 6; 0.3 beats 0.2, 0.1, 0.1, 0.05 (4)
    assert m["roc_auc"] == pytest.approx((6 + 6 + 5 + 4) / 24)


def test_auc_counts_ties_half_and_is_nan_without_a_class() -> None:
    assert metrics.roc_auc(np.array([1, 0]), np.array([0.5, 0.5])) == pytest.approx(0.5)
    assert metrics.roc_auc(np.array([1, 1, 0]), np.array([0.9, 0.5, 0.5])) == pytest.approx(0.75)
    assert math.isnan(metrics.roc_auc(np.array([1, 1]), np.array([0.2, 0.3])))


def test_no_positive_predictions_give_zero_not_a_crash() -> None:
    m = metrics.classification(np.array([1, 0]), np.array([0.1, 0.2]))
    assert m["precision"] == 0.0 and m["recall"] == 0.0 and m["f1"] == 0.0


def test_spearman_and_regression() -> None:
    true = np.array([0.0, 5.0, 10.0, 20.0])
    assert metrics.spearman(true, true**2) == pytest.approx(1.0)
    assert metrics.spearman(true, -true) == pytest.approx(-1.0)
    r = metrics.regression(true, true + np.array([1.0, -1.0, 2.0, 0.0]))
    assert r["angle_mae_deg"] == pytest.approx(1.0)
    assert r["angle_bias_deg"] == pytest.approx(0.5)
    assert r["angle_residual_sd_deg"] == pytest.approx(np.std([1.0, -1.0, 2.0, 0.0], ddof=1))
    assert math.isnan(metrics.spearman(np.ones(3), np.arange(3.0)))


def test_expected_calibration_error_by_hand() -> None:
    # Bin [0.2, 0.3): probabilities 0.25 x 4, one positive -> |0.25 - 0.25| = 0.
    # Bin [0.9, 1.0]: probabilities 0.95 x 4, two positive -> |0.5 - 0.95| = 0.45, half the samples.
    labels = np.array([1, 0, 0, 0, 1, 1, 0, 0])
    prob = np.array([0.25] * 4 + [0.95] * 4)
    calib = metrics.calibration(labels, prob, bins=10)
    assert calib["ece"] == pytest.approx(0.5 * 0.45)
    assert sum(b["count"] for b in calib["bins"]) == 8
    assert metrics.calibration(np.array([1]), np.array([1.0]))["ece"] == pytest.approx(0.0)  # 1.0 falls in the last bin


def test_reliability_diagram_is_written(tmp_path) -> None:
    import cv2

    calib = metrics.calibration(np.array([0, 1, 1, 0, 1]), np.array([0.1, 0.8, 0.9, 0.3, 0.6]))
    metrics.reliability_diagram(calib, tmp_path / "r.png")
    image = cv2.imread(str(tmp_path / "r.png"))
    assert image is not None and image.shape[0] > 400
    assert not list(tmp_path.glob(".*tmp*"))


def test_by_group_splits_the_samples() -> None:
    groups = np.array(["a", "a", "b", "b"])
    out = metrics.by_group(groups, [1, 0, 1, 0], [0.9, 0.1, 0.2, 0.8], [20, 2, 18, 3], [19, 3, 10, 9])
    assert out["a"]["f1"] == pytest.approx(1.0) and out["b"]["f1"] == pytest.approx(0.0)
    assert out["a"]["n"] == 2 and out["b"]["angle_mae_deg"] == pytest.approx(7.0)
