"""Augmentations of silhouette windows that mimic what real recordings do to them.

Each works on a batch [n, T, H, W] of floats in [0, 1], draws from the ``torch.Generator`` it is
given (training is deterministic under a seed) and applies to a random share of the windows:

- mask noise: frames grown or shrunk by a pixel, as background subtraction does;
- holes: small blocks missing inside the body (a shirt the colour of the wall);
- shadows: a dark patch joined to the feet on the floor, to one side;
- scale and position: the crop box a little too large, small or off-centre;
- frame drops: a frame repeated in place of the next (dropped or duplicated video frames);
- speed: the window resampled 0.8-1.25x in time (children walk at different paces);
- occlusion: a vertical bar hiding part of the body (a chair leg, a door frame);
- horizontal flip: left and right legs swap (the label does not change).

The knee angle target is unchanged by all of them (a flip keeps valgus valgus).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

import torch
import torch.nn.functional as F


@dataclass(frozen=True)
class AugmentSettings:
    """Probability of each augmentation per window (0 turns it off) and its strength."""

    mask_noise: float = 0.5
    holes: float = 0.3
    shadow: float = 0.25
    affine: float = 0.8
    scale_range: float = 0.08  # the crop scaled by 1 +- this
    shift_px: float = 3.0
    frame_drop: float = 0.3
    speed: float = 0.4
    occlusion: float = 0.15
    flip: float = 0.5

    @classmethod
    def from_dict(cls, values: dict | None) -> "AugmentSettings":
        values = values or {}
        known = {f.name for f in fields(cls)}
        if set(values) - known:
            raise ValueError(f"unknown augmentation settings {sorted(set(values) - known)} (known: {sorted(known)})")
        return cls(**values)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def off(cls) -> "AugmentSettings":
        return cls(**{f.name: 0.0 for f in fields(cls)})


def _chosen(n: int, p: float, gen: torch.Generator) -> torch.Tensor:
    return torch.rand(n, generator=gen) < p


def _dilate(x: torch.Tensor) -> torch.Tensor:
    return F.max_pool2d(x, 3, stride=1, padding=1)


def _erode(x: torch.Tensor) -> torch.Tensor:
    return -F.max_pool2d(-x, 3, stride=1, padding=1)


def augment(batch: torch.Tensor, settings: AugmentSettings, gen: torch.Generator) -> torch.Tensor:
    """An augmented copy of ``batch`` [n, T, H, W] (floats in [0, 1])."""
    x = batch.clone()
    n, t, h, w = x.shape

    pick = _chosen(n, settings.speed, gen)
    if pick.any():
        factor = torch.empty(n).uniform_(0.8, 1.25, generator=gen)
        base = torch.arange(t, dtype=torch.float32)
        for i in torch.nonzero(pick).flatten().tolist():
            centre = (t - 1) / 2
            idx = ((base - centre) * factor[i] + centre).round().clamp(0, t - 1).long()
            x[i] = x[i, idx]

    pick = _chosen(n, settings.frame_drop, gen)
    for i in torch.nonzero(pick).flatten().tolist():
        k = int(torch.randint(1, t, (1,), generator=gen))
        x[i, k] = x[i, k - 1]

    pick = _chosen(n, settings.affine, gen)
    if pick.any():
        scale = 1 + (torch.rand(n, generator=gen) * 2 - 1) * settings.scale_range
        shift_x = (torch.rand(n, generator=gen) * 2 - 1) * settings.shift_px * 2 / w
        shift_y = (torch.rand(n, generator=gen) * 2 - 1) * settings.shift_px * 2 / h
        theta = torch.zeros(n, 2, 3)
        theta[:, 0, 0] = torch.where(pick, scale, 1.0)
        theta[:, 1, 1] = torch.where(pick, scale, 1.0)
        theta[:, 0, 2] = torch.where(pick, shift_x, 0.0)
        theta[:, 1, 2] = torch.where(pick, shift_y, 0.0)
        grid = F.affine_grid(theta, [n, t, h, w], align_corners=False)
        x = F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)

    pick = _chosen(n, settings.mask_noise, gen)
    if pick.any():
        frames = x[pick].reshape(-1, 1, h, w)
        grow = torch.rand(frames.shape[0], generator=gen) < 0.5
        change = torch.rand(frames.shape[0], generator=gen) < 0.5  # not every frame
        noisy = torch.where(grow[:, None, None, None], _dilate(frames), _erode(frames))
        frames = torch.where(change[:, None, None, None], noisy, frames)
        x[pick] = frames.reshape(-1, t, h, w)

    pick = _chosen(n, settings.holes, gen)
    for i in torch.nonzero(pick).flatten().tolist():
        for _ in range(int(torch.randint(1, 4, (1,), generator=gen))):
            bh, bw = int(torch.randint(2, max(3, h // 8), (1,), generator=gen)), int(torch.randint(2, max(3, w // 6), (1,), generator=gen))
            y0 = int(torch.randint(0, h - bh, (1,), generator=gen))
            x0 = int(torch.randint(0, w - bw, (1,), generator=gen))
            x[i, :, y0 : y0 + bh, x0 : x0 + bw] = 0.0

    pick = _chosen(n, settings.shadow, gen)
    if pick.any():
        rows = torch.arange(h, dtype=torch.float32)[:, None]
        cols = torch.arange(w, dtype=torch.float32)[None, :]
        for i in torch.nonzero(pick).flatten().tolist():
            side = 1.0 if float(torch.rand(1, generator=gen)) < 0.5 else -1.0
            length = float(torch.empty(1).uniform_(0.15, 0.45, generator=gen)) * w
            height = float(torch.empty(1).uniform_(0.02, 0.06, generator=gen)) * h
            cx, cy = w / 2 + side * length / 2, h - height
            patch = (((cols - cx) / (length / 2 + 1)) ** 2 + ((rows - cy) / (height + 0.5)) ** 2) <= 1.0
            x[i] = torch.maximum(x[i], patch.float()[None])

    pick = _chosen(n, settings.occlusion, gen)
    for i in torch.nonzero(pick).flatten().tolist():
        bar = int(torch.randint(2, max(3, w // 5), (1,), generator=gen))
        x0 = int(torch.randint(0, w - bar, (1,), generator=gen))
        y0 = int(torch.randint(0, h // 3, (1,), generator=gen))  # head to thighs: the knees stay in view
        x[i, :, y0 : y0 + h // 4, x0 : x0 + bar] = 0.0

    pick = _chosen(n, settings.flip, gen)
    if pick.any():
        x[pick] = x[pick].flip(-1)
    return x.clamp_(0.0, 1.0)
