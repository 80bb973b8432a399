"""Size and cost of a model: parameters and multiply-accumulates (MACs) per window.

MACs are counted with forward hooks on convolutions and linear layers (the layers that carry
the cost); pooling, normalisation and the attention's element-wise products are left out.
"""

from __future__ import annotations

import torch
from torch import nn

# The input the models are sized for when no card says otherwise: [1, 1, T, H, W].
DEFAULT_INPUT = (1, 1, 16, 64, 44)


def parameter_count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def count_macs(model: nn.Module, input_shape: tuple[int, ...] = DEFAULT_INPUT) -> int:
    """MACs of one forward pass on an input of ``input_shape`` (batch included)."""
    total = 0

    def conv_hook(module: nn.Module, _inputs, output: torch.Tensor) -> None:
        nonlocal total
        kernel = 1
        for k in module.kernel_size:
            kernel *= k
        total += output.numel() * (module.in_channels // module.groups) * kernel

    def linear_hook(module: nn.Linear, _inputs, output: torch.Tensor) -> None:
        nonlocal total
        total += output.numel() * module.in_features

    hooks = []
    for module in model.modules():
        if isinstance(module, (nn.Conv2d, nn.Conv3d)):
            hooks.append(module.register_forward_hook(conv_hook))
        elif isinstance(module, nn.Linear):
            hooks.append(module.register_forward_hook(linear_hook))
    try:
        was_training = model.training
        model.eval()
        with torch.no_grad():
            model(torch.zeros(input_shape))
        model.train(was_training)
    finally:
        for hook in hooks:
            hook.remove()
    return total
