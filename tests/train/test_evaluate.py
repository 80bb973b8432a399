"""Evaluation: the splits come back from the card, every set has model and baseline rows, the
reports are written, the card can take the metrics, and the CLI reports errors in one line."""

import json

import pytest

from genuscreen.cli import main
from genuscreen.model.weights import load_weights, sha256_of
from genuscreen.train.evaluate import age_group, evaluate
from genuscreen.train.loop import TrainConfig, train

TINY = {
    "model": "gaitnet", "model_settings": {"width": 4, "dropout": 0.0},
    "data": {"synthetic": {"n": 24, "seed": 5, "mask_noise_px": 0.0}},
    "test_data": {"synthetic": {"n": 6, "seed": 8, "mask_noise_px": 0.0}},
    "split": [0.75, 0.25, 0.0], "epochs": 1, "batch_size": 8, "precision": "fp32",
}  # fmt: skip


@pytest.fixture(scope="module")
def trained(tmp_path_factory, tiny_windows):
    _, cache = tiny_windows
    out = tmp_path_factory.mktemp("run")
    train(TrainConfig.from_dict(TINY), out, cache=cache, quiet=True, device="cpu", log=lambda _m: None)
    return out / "model.pt", cache


def test_evaluation_reports_every_split_with_the_baseline(trained, tmp_path) -> None:
    weights, cache = trained
    before = sha256_of(weights)
    report = evaluate(weights, tmp_path / "eval", cache, update_card=True)
    assert list(report["sets"]) == ["train", "validation", "test"]
    card = load_weights(weights).card  # still loads: the hash is of the weights, not the card
    assert sha256_of(weights) == before
    assert set(card["metrics"]) >= {"train", "validation", "test", "geometric_baseline"}
    assert report["sets"]["train"]["n"] == card["training_data"]["train_clips"]
    assert report["sets"]["validation"]["n"] == card["training_data"]["val_clips"]
    assert report["sets"]["test"]["clips"] == 6
    for name in report["sets"]:
        assert {"precision", "recall", "f1", "roc_auc", "ece", "angle_mae_deg", "angle_spearman", "confusion"} <= set(report["sets"][name])
        assert {"f1", "roc_auc", "angle_mae_deg"} <= set(report["baseline"][name])
    assert 0.0 <= report["sets"]["test"]["angle_interval_coverage_90"] <= 1.0
    assert "by_age" in report["sets"]["test"] and "by_legwear" in report["sets"]["test"]
    md = (tmp_path / "eval" / "evaluation.md").read_text()
    assert "geometric baseline" in md and "| test | model |" in md
    saved = json.loads((tmp_path / "eval" / "evaluation.json").read_text())
    assert saved["sets"]["test"]["confusion"] == report["sets"]["test"]["confusion"]
    assert (tmp_path / "eval" / "reliability.png").stat().st_size > 1000


def test_age_groups() -> None:
    assert [age_group(a) for a in (3.0, 5.9, 6.0, 8.99, 9.0, 12.5, None, float("nan"))] == [
        "3-5 y", "3-5 y", "6-8 y", "6-8 y", "9-12 y", "9-12 y", "unknown", "unknown"]  # fmt: skip


def test_cli_errors_are_one_line(tmp_path, capsys) -> None:
    assert main(["evaluate", "--weights", str(tmp_path / "none.pt"), "--out", str(tmp_path / "e")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not found" in err
    bad = tmp_path / "bad.json"
    bad.write_text('{"epochs": 2, "lr": 0.1, "bogus": 1}')
    assert main(["train", "--config", str(bad), "--out", str(tmp_path / "t")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bogus" in err
    assert main(["train", "--config", str(tmp_path / "missing.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_calibrated_interval_sd_makes_ninety_percent_of_intervals_hold_the_truth() -> None:
    import numpy as np

    from genuscreen.train.data import WindowSet
    from genuscreen.train.evaluate import calibrated_interval_sd, interval_coverage
    from genuscreen.video.clips import ClipSpec

    rng = np.random.default_rng(0)
    spec = ClipSpec()
    clips, angles = [], []
    for i in range(200):  # 4 windows each; errors mostly small, a few gross misses
        truth = float(rng.uniform(0, 15))
        error = rng.normal(0, 1.5) if i % 20 else 15.0
        clips.append({"first": 4 * i, "count": 4, "tfa_deg": truth, "label": "normal"})
        angles.extend(truth + error + rng.normal(0, 0.3, 4))
    data = WindowSet(np.zeros((800, 1, 1, 1), np.uint8), clips, {})
    window_angle = np.array(angles)
    sd = calibrated_interval_sd(data, window_angle, spec)
    assert 0.89 <= interval_coverage(data, window_angle, spec, sd) <= 0.93
    assert interval_coverage(data, window_angle, spec, sd * 0.8) < 0.9  # the smallest that covers
    assert sd < 3.0  # the 5 % gross misses do not set the width
