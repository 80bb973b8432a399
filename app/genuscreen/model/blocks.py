"""Building blocks of the screening network: R3D stem and basic block, triplet attention for
3D features, and spatial pyramid pooling.

Triplet attention for 3D features (after Misra et al., "Rotate to Attend", 2021, extended from
2D to video). A feature map ``x`` has shape [n, c, t, h, w]. Four branches each compute a gate
in (0, 1) and multiply ``x`` by it:

- channel-time: rotate so that time takes the channel's place ([n, t, c, h, w]); Z-pool (max and
  mean over that first axis) gives [n, 2, c, h, w]; a 3x3x3 convolution to one map, batch norm
  and a sigmoid give the gate; rotate back. The gate varies over (c, h, w): channel meets
  height and width, seen from time.
- channel-height and channel-width: the same with height (or width) rotated into place, so the
  gates vary over (t, c, w) and (t, h, c).
- spatial: Z-pool over channels gives [n, 2, t, h, w]; conv, batch norm, sigmoid.

The four gated maps are averaged. No branch has more than 2 x 27 + 1 weights plus its batch
norm, so the module is almost free in parameters; its cost is the pooling and four small convs.
Where it sits (after every residual block, or once per stage) is a switch of the network.

Spatial pyramid pooling: the feature map is averaged over time, then max-pooled to grids of
1x1, 2x2 and 4x4 (levels configurable) over height and width; the cells are concatenated, so
the head sees where in the silhouette (knees, ankles) a feature fired.
"""

from __future__ import annotations

import torch
from torch import nn


def conv3x3x3(in_planes: int, out_planes: int, stride: int = 1) -> nn.Conv3d:
    return nn.Conv3d(in_planes, out_planes, kernel_size=3, stride=stride, padding=1, bias=False)


class BasicStem(nn.Sequential):
    """Conv 3x7x7, stride (1, 2, 2): torchvision's r3d stem (same layer names)."""

    def __init__(self, in_channels: int, width: int):
        super().__init__(
            nn.Conv3d(in_channels, width, kernel_size=(3, 7, 7), stride=(1, 2, 2), padding=(1, 3, 3), bias=False),
            nn.BatchNorm3d(width),
            nn.ReLU(inplace=True),
        )


class ZPool(nn.Module):
    """Max and mean over dimension 1, stacked: [n, k, ...] -> [n, 2, ...]."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([x.amax(dim=1, keepdim=True), x.mean(dim=1, keepdim=True)], dim=1)


def rotated_zpool(x: torch.Tensor, axis: int) -> torch.Tensor:
    """What ZPool gives on ``x.transpose(1, axis)``, without copying the rotated tensor: pool
    over ``axis`` first, then rotate the small result."""
    pooled = torch.cat([x.amax(dim=axis, keepdim=True), x.mean(dim=axis, keepdim=True)], dim=axis)
    return pooled.transpose(1, axis)


class AttentionGate(nn.Module):
    """A 3x3x3 conv from a Z-pooled map [n, 2, ...] to one map, batch norm and a sigmoid: the
    gate of one branch, in (0, 1)."""

    def __init__(self, kernel_size: int = 3):
        super().__init__()
        self.conv = nn.Conv3d(2, 1, kernel_size, padding=kernel_size // 2, bias=False)
        self.bn = nn.BatchNorm3d(1)

    def forward(self, pooled: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(self.bn(self.conv(pooled)))  # [n, 1, ...]


class TripletAttention3d(nn.Module):
    """Cross-dimension attention for [n, c, t, h, w] features; see the module docstring."""

    # Axis of x that is rotated into the channel's place for each channel branch.
    _ROTATIONS = {"channel_time": 2, "channel_height": 3, "channel_width": 4}

    def __init__(self, kernel_size: int = 3):
        super().__init__()
        self.pool = ZPool()
        self.channel_time = AttentionGate(kernel_size)
        self.channel_height = AttentionGate(kernel_size)
        self.channel_width = AttentionGate(kernel_size)
        self.spatial = AttentionGate(kernel_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # mean_b(x * gate_b) = x * mean_b(gate_b): the four gates broadcast back to x's layout
        # and are summed, so x is read once instead of being copied for every rotation (about
        # twice as fast on the CPU; tests check it against the literal rotate-gate-rotate form).
        # Gates are summed in x's dtype: under bf16 autocast the sigmoid gives fp32, and full-size
        # fp32 sums would cost a cast back before the next convolution.
        gates = None
        for name, axis in self._ROTATIONS.items():
            gate = getattr(self, name)(rotated_zpool(x, axis)).transpose(1, axis).to(x.dtype)
            gates = gate if gates is None else gates + gate  # the first sum allocates [n, c, t, h, w]
        gates = gates + self.spatial(self.pool(x)).to(x.dtype)
        return x * gates.mul_(0.25)


class BasicBlock(nn.Module):
    """R3D basic block with torchvision's layer names; optional triplet attention after conv2."""

    expansion = 1

    def __init__(self, inplanes: int, planes: int, stride: int = 1, attention: bool = False):
        super().__init__()
        self.conv1 = nn.Sequential(conv3x3x3(inplanes, planes, stride), nn.BatchNorm3d(planes), nn.ReLU(inplace=True))
        self.conv2 = nn.Sequential(conv3x3x3(planes, planes), nn.BatchNorm3d(planes))
        self.relu = nn.ReLU(inplace=True)
        self.downsample = None
        if stride != 1 or inplanes != planes:
            self.downsample = nn.Sequential(
                nn.Conv3d(inplanes, planes, kernel_size=1, stride=stride, bias=False), nn.BatchNorm3d(planes)
            )
        self.attention = TripletAttention3d() if attention else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        residual = x if self.downsample is None else self.downsample(x)
        out = self.conv2(self.conv1(x))
        if self.attention is not None:
            out = self.attention(out)
        return self.relu(out + residual)


class SpatialPyramidPooling(nn.Module):
    """Average over time, then max-pool to each level's grid over (h, w) and concatenate."""

    def __init__(self, levels: tuple[int, ...] = (1, 2, 4)):
        super().__init__()
        if not levels or any(level < 1 for level in levels):
            raise ValueError(f"pyramid levels must be positive, got {levels}")
        self.levels = tuple(levels)

    def output_size(self, channels: int) -> int:
        return channels * sum(level * level for level in self.levels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        frame = x.mean(dim=2)  # [n, c, h, w]
        cells = [nn.functional.adaptive_max_pool2d(frame, level).flatten(1) for level in self.levels]
        return torch.cat(cells, dim=1)  # [n, c * sum(level^2)]
