"""The shipped weights: they load (hash and card checked), are small, say what they are, and
score a small committed synthetic set (tests/fixtures/synthetic_check.npz, a seed no training
or test set used) about as well as their card claims."""

from pathlib import Path

import numpy as np
import pytest
import torch

from genuscreen.assets import weights_dir
from genuscreen.model.runtime import BatchRunner, choose_plan
from genuscreen.model.weights import DEFAULT_WEIGHTS, load_weights
from genuscreen.synth import GENERATOR_VERSION
from genuscreen.train import metrics

CHECK = Path(__file__).parents[1] / "fixtures" / "synthetic_check.npz"


@pytest.fixture(scope="module")
def shipped():
    return load_weights(weights_dir() / DEFAULT_WEIGHTS)


def test_shipped_weights_are_small_and_their_card_is_honest(shipped) -> None:
    assert shipped.path.stat().st_size < 20 * 1024 * 1024
    card = shipped.card
    assert card["builder"] == "gaitnet"
    assert card["training_data"]["source"]["synthetic"]["generator_version"] == GENERATOR_VERSION
    assert any("not clinically validated" in line for line in card["limitations"])
    assert {"test", "validation", "train", "geometric_baseline"} <= set(card["metrics"])
    assert card["input"] == {**card["input"], "frames": 16, "height": 64, "width": 44, "fps": 15.0}


def test_shipped_weights_score_the_check_set_as_their_card_claims(shipped) -> None:
    data = np.load(CHECK)
    assert str(data["generator_version"]) == GENERATOR_VERSION
    x = torch.from_numpy(data["windows"]).float().div(255).unsqueeze(1)
    out = BatchRunner(shipped.model, choose_plan("cpu"))(x)
    window_prob = out["logits"].softmax(1)[:, 1].numpy()
    clips = data["clip"]
    prob = np.array([window_prob[clips == k].mean() for k in range(len(data["label"]))])
    angle = np.array([out["angle"].numpy()[clips == k].mean() for k in range(len(data["label"]))])
    claimed = shipped.card["metrics"]["test"]
    got = metrics.classification(data["label"], prob, shipped.card["threshold"])
    mae = metrics.regression(data["tfa_deg"], angle)["angle_mae_deg"]
    # 40 clips: one error moves F1 by about 0.025, so the margin allows about two.
    assert got["f1"] >= claimed["f1"] - 0.06, (got, claimed)
    assert mae <= claimed["angle_mae_deg"] + 1.5, (mae, claimed)


def test_bf16_agrees_with_fp32_on_the_shipped_weights(shipped) -> None:
    """The CPU path runs bf16 where the CPU has it; it must not change what the model says."""
    from genuscreen.model.runtime import RunPlan, cpu_has_bf16

    if not cpu_has_bf16():
        pytest.skip("this CPU has no bf16")
    x = torch.from_numpy(np.load(CHECK)["windows"]).float().div(255).unsqueeze(1)
    fp32 = BatchRunner(shipped.model, RunPlan("cpu", "fp32", True, 8))(x)
    bf16 = BatchRunner(shipped.model, RunPlan("cpu", "bf16", True, 8))(x)
    p32, p16 = fp32["logits"].softmax(1)[:, 1], bf16["logits"].softmax(1)[:, 1]
    threshold = shipped.card["threshold"]
    assert (p32 - p16).abs().max() < 0.03
    assert ((p32 >= threshold) == (p16 >= threshold)).float().mean() >= 0.97
    assert (fp32["angle"] - bf16["angle"]).abs().max() < 1.0
