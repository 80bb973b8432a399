"""torchvision r3d_18 compatibility: keys and shapes (dumped from torchvision itself), conversion."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from genuscreen.model import build_model
from genuscreen.model.convert import convert_r3d18_state_dict, load_r3d18_backbone

FIXTURE = Path(__file__).parent.parent / "fixtures" / "torchvision_r3d18_keys.json"
TORCHVISION = {k: tuple(v) for k, v in json.loads(FIXTURE.read_text())["keys"].items()}


def fake_torchvision_state() -> dict[str, torch.Tensor]:
    torch.manual_seed(0)
    return {k: torch.randn(shape) if shape else torch.tensor(3) for k, shape in TORCHVISION.items()}


def test_r3d18_backbone_has_torchvision_keys_and_shapes() -> None:
    ours = {k: tuple(v.shape) for k, v in build_model("r3d18").state_dict().items()}
    backbone = {k: s for k, s in TORCHVISION.items() if not k.startswith("fc.")}
    assert set(backbone) <= set(ours), sorted(set(backbone) - set(ours))
    for key, shape in backbone.items():
        expected = (shape[0], 1, *shape[2:]) if key == "stem.0.weight" else shape
        assert ours[key] == expected, key
    # Everything we have beyond torchvision's backbone is the two screening heads.
    assert {k.split(".")[0] for k in set(ours) - set(backbone)} == {"classifier", "angle"}


def test_conversion_sums_the_rgb_stem_and_drops_the_kinetics_head() -> None:
    state = fake_torchvision_state()
    converted = convert_r3d18_state_dict(state)
    assert "fc.weight" not in converted
    assert torch.allclose(converted["stem.0.weight"], state["stem.0.weight"].sum(dim=1, keepdim=True))
    model = build_model("r3d18")
    untouched = load_r3d18_backbone(model, state)
    assert untouched == ["angle.bias", "angle.weight", "classifier.bias", "classifier.weight"]
    assert torch.equal(model.state_dict()["layer3.1.conv2.0.weight"], state["layer3.1.conv2.0.weight"])
    # A grey clip through the converted stem equals the RGB clip (x, x, x) through the original.
    x = torch.rand(1, 1, 3, 16, 16)
    grey = torch.nn.functional.conv3d(x, converted["stem.0.weight"], padding=(1, 3, 3))
    rgb = torch.nn.functional.conv3d(x.repeat(1, 3, 1, 1, 1), state["stem.0.weight"], padding=(1, 3, 3))
    assert torch.allclose(grey, rgb, atol=1e-4)


def test_gaitnet_at_full_width_takes_the_backbone_too() -> None:
    untouched = load_r3d18_backbone(build_model("gaitnet", width=64), fake_torchvision_state())
    assert any("attention" in k for k in untouched)
    assert not any(k.startswith(("stem.", "layer1.0.conv1")) for k in untouched)


def test_wrong_width_or_not_r3d18_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="width 64"):
        load_r3d18_backbone(build_model("gaitnet", width=32), fake_torchvision_state())
    with pytest.raises(ValueError, match="not an r3d_18 state dict"):
        convert_r3d18_state_dict({"conv1.weight": torch.zeros(1)})
