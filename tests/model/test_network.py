"""The network: shapes, gradients, switches, attention gates, determinism, registry rules."""

from __future__ import annotations

import pytest
import torch

from genuscreen.model import GaitNetConfig, build_model, list_models, register_model
from genuscreen.model.blocks import AttentionGate, TripletAttention3d

# Pinned so that an accidental change of the architecture shows (default settings).
PARAMETERS = {
    "gaitnet": 2_085_139,
    "gaitnet_no_ta": 2_083_347,
    "gaitnet_no_spp": 2_077_459,
    "r3d18": 33_148_995,
    "gei_cnn": 287_267,
}


def count(model: torch.nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def test_registry_lists_every_builder_with_its_pinned_size() -> None:
    assert list_models() == sorted(PARAMETERS)
    for name, expected in PARAMETERS.items():
        assert count(build_model(name)) == expected, name


@pytest.mark.parametrize("name", sorted(PARAMETERS))
@pytest.mark.parametrize("shape", [(2, 1, 16, 64, 44), (1, 1, 8, 32, 24), (3, 1, 12, 48, 32)])
def test_output_shapes(name: str, shape: tuple[int, ...]) -> None:
    model = build_model(name, width=8)
    out = model.eval()(torch.rand(shape))
    assert out["logits"].shape == (shape[0], 2)
    assert out["angle"].shape == (shape[0],)
    assert torch.isfinite(out["logits"]).all() and torch.isfinite(out["angle"]).all()


@pytest.mark.parametrize("name", sorted(PARAMETERS))
def test_gradients_reach_the_input(name: str) -> None:
    model = build_model(name, width=8)
    x = torch.rand(2, 1, 8, 32, 24, requires_grad=True)
    out = model(x)
    (out["logits"].sum() + out["angle"].sum()).backward()
    assert x.grad is not None and x.grad.abs().sum() > 0


def test_switches_change_what_they_should() -> None:
    full = build_model("gaitnet")
    no_ta = build_model("gaitnet_no_ta")
    no_spp = build_model("gaitnet_no_spp")
    per_stage = build_model("gaitnet", attention="stage")
    attention = lambda m: sum(isinstance(x, TripletAttention3d) for x in m.modules())  # noqa: E731
    assert attention(full) == 8 and attention(per_stage) == 4 and attention(no_ta) == 0
    assert full.pool is not None and no_spp.pool is None
    assert full.classifier.in_features == 128 * (1 + 4 + 16)  # width 16: 128 channels after layer4
    assert no_spp.classifier.in_features == 128
    assert build_model("gaitnet", pyramid=(1, 2)).classifier.in_features == 128 * 5
    assert build_model("gaitnet", dropout=0.0).dropout.__class__.__name__ == "Identity"
    assert build_model("gaitnet", width=16).layer4[0].conv1[0].out_channels == 128
    deep = build_model("gaitnet", depths=(1, 1, 1, 1))
    assert len(deep.layer1) == 1 and count(deep) < count(full)


def test_r3d18_has_torchvision_layer_names() -> None:
    keys = build_model("r3d18").state_dict().keys()
    for expected in (
        "stem.0.weight",
        "stem.1.running_mean",
        "layer1.0.conv1.0.weight",
        "layer1.0.conv2.1.weight",
        "layer2.0.downsample.0.weight",
        "layer4.1.conv2.1.num_batches_tracked",
    ):
        assert expected in keys
    assert not any("attention" in k for k in keys)
    assert build_model("r3d18").state_dict()["stem.0.weight"].shape == (64, 1, 3, 7, 7)


def test_attention_gates_lie_between_zero_and_one() -> None:
    torch.manual_seed(0)
    model = build_model("gaitnet", width=8).train()
    gates: list[torch.Tensor] = []
    hooks = [m.register_forward_hook(lambda _m, _i, out: gates.append(out)) for m in model.modules() if isinstance(m, AttentionGate)]
    model(torch.rand(2, 1, 8, 32, 24) * 5)
    for hook in hooks:
        hook.remove()
    assert len(gates) == 4 * 8
    for gate in gates:
        assert gate.min() > 0 and gate.max() < 1


def test_triplet_attention_equals_the_literal_rotate_gate_rotate_form() -> None:
    """The fast form (gates summed in x's layout) must equal rotating x for each branch,
    gating the rotated copy with its own Z-pool, rotating back and averaging."""
    torch.manual_seed(3)
    attention = TripletAttention3d().train()
    for module in attention.modules():
        if isinstance(module, torch.nn.BatchNorm3d):  # make the batch norms non-trivial
            module.weight.data.uniform_(0.5, 2.0)
            module.bias.data.uniform_(-1.0, 1.0)
    attention.eval()
    x = torch.randn(2, 6, 4, 5, 3)

    def gate(branch, rotated):
        pooled = torch.cat([rotated.amax(1, keepdim=True), rotated.mean(1, keepdim=True)], 1)
        return branch(pooled)

    literal = x * gate(attention.spatial, x)
    for name, axis in (("channel_time", 2), ("channel_height", 3), ("channel_width", 4)):
        rotated = x.transpose(1, axis).contiguous()
        literal = literal + (rotated * gate(getattr(attention, name), rotated)).transpose(1, axis)
    literal = literal / 4
    torch.testing.assert_close(attention(x), literal, rtol=1e-5, atol=1e-6)


def test_outputs_are_deterministic_under_a_seed() -> None:
    def run() -> torch.Tensor:
        torch.manual_seed(123)
        model = build_model("gaitnet", width=8).eval()
        torch.manual_seed(7)
        return model(torch.rand(2, 1, 8, 32, 24))["logits"]

    assert torch.equal(run(), run())


def test_unknown_settings_and_names_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown model settings"):
        build_model("gaitnet", widht=32)
    with pytest.raises(ValueError, match="unknown model 'resnet50'"):
        build_model("resnet50")
    with pytest.raises(ValueError, match="attention must be one of"):
        GaitNetConfig(attention="everywhere")
    with pytest.raises(ValueError, match="unknown model settings for gei_cnn"):
        build_model("gei_cnn", pyramid=(1,))


def test_duplicate_registration_is_refused() -> None:
    with pytest.raises(ValueError, match="already registered"):
        register_model("gaitnet")(lambda **kw: None)


def test_config_round_trips_through_a_dict() -> None:
    config = GaitNetConfig(width=16, depths=(1, 2, 2, 1), attention="stage", pyramid=(1, 2))
    again = GaitNetConfig.from_dict({**config.to_dict(), "depths": [1, 2, 2, 1], "pyramid": [1, 2]})
    assert again == config


def test_cam_layer_is_layer2_and_not_a_second_copy() -> None:
    model = build_model("gaitnet", width=8)
    assert model.cam_layer is model.layer2
    assert not any(k.startswith("cam_layer") for k in model.state_dict())


@pytest.mark.parametrize("name", ["gaitnet", "gaitnet_no_spp", "gei_cnn"])
def test_cam_split_gives_the_same_outputs_and_ends_at_the_cam_layer(name) -> None:
    torch.manual_seed(0)
    model = build_model(name, width=8).eval()
    trunk, tail = model.cam_split()
    x = torch.rand(2, 1, 16, 64, 44)
    seen = []
    hook = model.cam_layer.register_forward_hook(lambda _m, _i, out: seen.append(out))
    with torch.no_grad():
        features = trunk(x)
        split, whole = tail(features), model(x)
    hook.remove()
    assert torch.equal(seen[0], features)
    torch.testing.assert_close(split["logits"], whole["logits"])
    torch.testing.assert_close(split["angle"], whole["angle"])
    assert sum(p.numel() for p in trunk.parameters()) + sum(p.numel() for p in tail.parameters()) == sum(
        p.numel() for p in model.parameters())  # fmt: skip


def test_macs_follow_the_layers() -> None:
    from genuscreen.model.complexity import count_macs

    conv = torch.nn.Sequential(torch.nn.Conv3d(1, 4, 3, padding=1, bias=False))
    assert count_macs(conv, (1, 1, 2, 5, 5)) == 4 * 2 * 5 * 5 * 27
    small, big = count_macs(build_model("gaitnet", width=8)), count_macs(build_model("gaitnet", width=16))
    assert 3.5 < big / small < 4.5  # convolutions grow with width squared
    assert count_macs(build_model("gei_cnn")) < count_macs(build_model("gaitnet")) / 5
