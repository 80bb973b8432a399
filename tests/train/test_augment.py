"""Augmentations: deterministic under a generator, each does what it says, none when off."""

import dataclasses

import pytest
import torch

from genuscreen.train.augment import AugmentSettings, augment


def body(n: int = 6) -> torch.Tensor:
    """A crude standing figure: torso and two legs, [n, 16, 64, 44]."""
    x = torch.zeros(n, 16, 64, 44)
    x[:, :, 8:36, 16:28] = 1.0
    x[:, :, 36:62, 16:21] = 1.0
    x[:, :, 36:62, 23:28] = 1.0
    x[:, :, 36:62, 23:28] *= torch.linspace(0.5, 1.0, 16)[None, :, None, None]  # frames differ
    return x


def only(name: str, p: float = 1.0, **extra) -> AugmentSettings:
    return dataclasses.replace(AugmentSettings.off(), **{name: p}, **extra)


def test_off_is_the_identity_and_input_is_not_changed() -> None:
    x = body()
    before = x.clone()
    assert torch.equal(augment(x, AugmentSettings.off(), torch.Generator().manual_seed(0)), x)
    augment(x, AugmentSettings(), torch.Generator().manual_seed(0))
    assert torch.equal(x, before)


def test_same_seed_same_result_and_values_stay_in_range() -> None:
    x = body()
    a = augment(x, AugmentSettings(), torch.Generator().manual_seed(1))
    b = augment(x, AugmentSettings(), torch.Generator().manual_seed(1))
    c = augment(x, AugmentSettings(), torch.Generator().manual_seed(2))
    assert torch.equal(a, b) and not torch.equal(a, c)
    assert a.shape == x.shape and a.min() >= 0 and a.max() <= 1


@pytest.mark.parametrize("name", ["mask_noise", "holes", "shadow", "affine", "frame_drop", "speed", "occlusion", "flip"])
def test_each_augmentation_changes_the_windows(name) -> None:
    x = body()
    out = augment(x, only(name), torch.Generator().manual_seed(3))
    assert not torch.equal(out, x)


def test_flip_mirrors_and_shadow_adds_only_near_the_floor() -> None:
    x = body()
    assert torch.equal(augment(x, only("flip"), torch.Generator().manual_seed(0)), x.flip(-1))
    shadowed = augment(x, only("shadow"), torch.Generator().manual_seed(0))
    added = shadowed - x
    assert added.min() >= 0 and added[:, :, :56].abs().max() == 0  # only the bottom rows gain pixels


def test_holes_and_occlusion_only_remove() -> None:
    x = body()
    for name in ("holes", "occlusion"):
        out = augment(x, only(name), torch.Generator().manual_seed(5))
        assert (out <= x).all()
    occluded = augment(x, only("occlusion"), torch.Generator().manual_seed(5))
    assert torch.equal(occluded[:, :, 44:], x[:, :, 44:])  # the knees and below stay in view


def test_unknown_setting_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown augmentation settings"):
        AugmentSettings.from_dict({"blur": 0.3})
