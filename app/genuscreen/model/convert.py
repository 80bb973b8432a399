"""Load torchvision's Kinetics-trained ``r3d_18`` weights into the silhouette network.

With attention and pyramid pooling off and width 64 (the ``r3d18`` builder, and the backbone of
any ``gaitnet`` at width 64) our layer names and shapes are torchvision's. Two things differ:
the stem sees one silhouette channel instead of RGB, so its kernel is summed over the colour
channels (a grey image x gives the same response as the RGB image (x, x, x)); and the 400-class
``fc`` head is dropped, the screening heads start fresh.
"""

from __future__ import annotations

from collections.abc import Mapping

import torch
from torch import nn

_STEM = "stem.0.weight"
_DROPPED_PREFIXES = ("fc.",)


def convert_r3d18_state_dict(state: Mapping[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """torchvision r3d_18 state dict -> backbone state dict for a one-channel GaitNet."""
    if _STEM not in state:
        raise ValueError(f"not an r3d_18 state dict: {_STEM!r} is missing")
    converted = {}
    for key, value in state.items():
        if key.startswith(_DROPPED_PREFIXES):
            continue
        if key == _STEM and value.shape[1] == 3:
            value = value.sum(dim=1, keepdim=True)  # [64, 3, 3, 7, 7] -> [64, 1, 3, 7, 7]
        converted[key] = value
    return converted


def load_r3d18_backbone(model: nn.Module, state: Mapping[str, torch.Tensor]) -> list[str]:
    """Load converted r3d_18 weights into ``model``'s backbone.

    Returns the keys of ``model`` left as they were (heads, attention, anything not in r3d_18).
    Raises ValueError naming the first key whose shape differs (another width or depth).
    """
    converted = convert_r3d18_state_dict(state)
    own = model.state_dict()
    for key, value in converted.items():
        if key not in own:
            raise ValueError(f"r3d_18 key {key!r} has no place in this model (is it the r3d layout?)")
        if own[key].shape != value.shape:
            raise ValueError(
                f"r3d_18 weight {key!r} has shape {tuple(value.shape)}, the model expects "
                f"{tuple(own[key].shape)}; use width 64 and depths (2, 2, 2, 2)"
            )
    result = model.load_state_dict(converted, strict=False)
    return sorted(result.missing_keys)
