"""The screening network: one configurable 3D ResNet (GaitNet) and a 2D baseline, with thin
registered builders in the manner of torchvision's video ResNet.

GaitNet input: [n, 1, T, H, W] silhouettes in [0, 1]. Output: ``logits`` [n, 2] (normal, genu
valgum) and ``angle`` [n] (static knee frontal-plane angle in degrees, positive = valgus).
Switches (``attention``, ``pyramid``, ``width``, ``depths``) make the ablations and the plain
r3d18 baseline the same code; with attention and pyramid pooling off and width 64 the backbone
has torchvision's ``r3d_18`` layer names and shapes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Callable

import torch
from torch import nn

from genuscreen.model.blocks import BasicBlock, BasicStem, SpatialPyramidPooling

ATTENTION_PLACES = ("none", "block", "stage")


@dataclass(frozen=True)
class GaitNetConfig:
    """Everything that shapes a GaitNet; unknown keys are refused, not ignored."""

    in_channels: int = 1
    # Channels of the first stage; stages have width x (1, 2, 4, 8). 16 by measurement: trains
    # on a 2-core CPU in minutes an epoch, ships in under 10 MB, runs a window in ~8 ms
    # (benchmarks/RESULTS-model.md).
    width: int = 16
    depths: tuple[int, int, int, int] = (2, 2, 2, 2)
    attention: str = "block"  # "none" | "block" (after every residual block) | "stage" (last block of each stage)
    pyramid: tuple[int, ...] | None = (1, 2, 4)  # None: global average pooling
    dropout: float = 0.3
    num_classes: int = 2

    def __post_init__(self):
        if self.attention not in ATTENTION_PLACES:
            raise ValueError(f"attention must be one of {ATTENTION_PLACES}, got {self.attention!r}")
        if len(self.depths) != 4 or any(d < 1 for d in self.depths):
            raise ValueError(f"depths must be four positive numbers, got {self.depths}")
        if self.width < 4 or self.in_channels < 1:
            raise ValueError("width must be at least 4 and in_channels at least 1")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {self.dropout}")

    @classmethod
    def from_dict(cls, values: dict) -> "GaitNetConfig":
        known = {f.name for f in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"unknown model settings: {sorted(unknown)} (known: {sorted(known)})")
        values = dict(values)
        for key in ("depths", "pyramid"):
            if isinstance(values.get(key), list):
                values[key] = tuple(values[key])
        return cls(**values)

    def to_dict(self) -> dict:
        return asdict(self)


class GaitNet(nn.Module):
    """3D ResNet (R3D layout) with optional triplet attention and spatial pyramid pooling."""

    def __init__(self, config: GaitNetConfig = GaitNetConfig()):
        super().__init__()
        self.config = config
        w = config.width
        self.stem = BasicStem(config.in_channels, w)
        planes = [w, 2 * w, 4 * w, 8 * w]
        inplanes = w
        for index, (depth, out) in enumerate(zip(config.depths, planes), start=1):
            stride = 1 if index == 1 else 2
            blocks = []
            for b in range(depth):
                attend = config.attention == "block" or (config.attention == "stage" and b == depth - 1)
                blocks.append(BasicBlock(inplanes, out, stride if b == 0 else 1, attention=attend))
                inplanes = out
            setattr(self, f"layer{index}", nn.Sequential(*blocks))
        self.pool = SpatialPyramidPooling(config.pyramid) if config.pyramid else None
        features = self.pool.output_size(inplanes) if self.pool else inplanes
        self.dropout = nn.Dropout(config.dropout) if config.dropout > 0 else nn.Identity()
        self.classifier = nn.Linear(features, config.num_classes)
        self.angle = nn.Linear(features, 1)

    @property
    def cam_layer(self) -> nn.Module:
        """Attention-map target: layer2 (8 x 16 x 11 cells for a 16 x 64 x 44 window). Chosen by
        measurement on synthetic clips (benchmarks/RESULTS-explanations.md): with HiResCAM its
        maps keep most of every frame's mass inside the child's box, where the coarse 2 x 4 x 3
        map of layer4 spread over the whole crop. A property, so that it is not a second name
        for the same weights in the state dict."""
        return self.layer2

    def cam_split(self) -> tuple[nn.Module, nn.Module]:
        """(trunk, tail) with ``tail(trunk(x)) == self(x)`` and the trunk ending at ``cam_layer``:
        the trunk can run on the fast inference path without gradients, and only the tail needs
        them for the attention maps. Both share this network's modules."""
        return nn.Sequential(self.stem, self.layer1, self.layer2), _GaitTail(self)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)  # [n, w, T, H/2, W/2]
        x = self.layer1(x)
        x = self.layer2(x)
        x = self.layer3(x)
        return self.layer4(x)  # [n, 8w, T/8, H/16, W/16]

    def head(self, feature_map: torch.Tensor) -> dict[str, torch.Tensor]:
        pooled = self.pool(feature_map) if self.pool else feature_map.mean(dim=(2, 3, 4))
        pooled = self.dropout(pooled)
        return {"logits": self.classifier(pooled), "angle": self.angle(pooled).squeeze(1)}

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        return self.head(self.features(x))


class GEINet(nn.Module):
    """Baseline of another family: a 2D CNN on the gait energy image (silhouettes averaged over
    time), so it sees the average shape of the legs but not how they move."""

    def __init__(self, in_channels: int = 1, width: int = 32, dropout: float = 0.3, num_classes: int = 2):
        super().__init__()

        def stage(cin: int, cout: int) -> nn.Sequential:
            return nn.Sequential(
                nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
                nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
                nn.MaxPool2d(2),
            )  # fmt: skip

        self.body = nn.Sequential(stage(in_channels, width), stage(width, 2 * width), stage(2 * width, 4 * width))
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.classifier = nn.Linear(4 * width, num_classes)
        self.angle = nn.Linear(4 * width, 1)

    @property
    def cam_layer(self) -> nn.Module:
        """Attention-map target: the second stage ([2w, H/4, W/4], 16 x 11 for 64 x 44 input)."""
        return self.body[-2]

    def cam_split(self) -> tuple[nn.Module, nn.Module]:
        """(trunk, tail) as GaitNet's: the trunk is the gait energy image through ``cam_layer``."""
        return _GEITrunk(self), _GEITail(self)

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        energy = x.mean(dim=2)  # [n, c, T, H, W] -> gait energy image [n, c, H, W]
        pooled = self.dropout(self.body(energy).mean(dim=(2, 3)))
        return {"logits": self.classifier(pooled), "angle": self.angle(pooled).squeeze(1)}


class _GaitTail(nn.Module):
    def __init__(self, net: GaitNet):
        super().__init__()
        self.layer3, self.layer4 = net.layer3, net.layer4
        self.pool, self.dropout, self.classifier, self.angle = net.pool, net.dropout, net.classifier, net.angle

    def forward(self, feature_map: torch.Tensor) -> dict[str, torch.Tensor]:
        return GaitNet.head(self, self.layer4(self.layer3(feature_map)))  # type: ignore[arg-type]


class _GEITrunk(nn.Module):
    def __init__(self, net: GEINet):
        super().__init__()
        self.body = net.body[:-1]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x.mean(dim=2))


class _GEITail(nn.Module):
    def __init__(self, net: GEINet):
        super().__init__()
        self.last, self.dropout, self.classifier, self.angle = net.body[-1], net.dropout, net.classifier, net.angle

    def forward(self, feature_map: torch.Tensor) -> dict[str, torch.Tensor]:
        pooled = self.dropout(self.last(feature_map).mean(dim=(2, 3)))
        return {"logits": self.classifier(pooled), "angle": self.angle(pooled).squeeze(1)}


_BUILDERS: dict[str, Callable[..., nn.Module]] = {}


def register_model(name: str) -> Callable[[Callable[..., nn.Module]], Callable[..., nn.Module]]:
    """Register a builder under ``name``; a second builder with the same name is refused."""

    def decorate(builder: Callable[..., nn.Module]) -> Callable[..., nn.Module]:
        if name in _BUILDERS:
            raise ValueError(f"a model named {name!r} is already registered")
        _BUILDERS[name] = builder
        return builder

    return decorate


def list_models() -> list[str]:
    return sorted(_BUILDERS)


def build_model(name: str, **overrides) -> nn.Module:
    """Build a registered model; ``overrides`` change its settings (unknown ones are refused)."""
    if name not in _BUILDERS:
        raise ValueError(f"unknown model {name!r}; available: {', '.join(list_models())}")
    return _BUILDERS[name](**overrides)


def _gaitnet(defaults: dict, overrides: dict) -> GaitNet:
    return GaitNet(GaitNetConfig.from_dict({**defaults, **overrides}))


@register_model("gaitnet")
def gaitnet(**overrides) -> GaitNet:
    """The paper's network: R3D with triplet attention after every block and pyramid pooling."""
    return _gaitnet({}, overrides)


@register_model("gaitnet_no_ta")
def gaitnet_no_ta(**overrides) -> GaitNet:
    """Ablation: no triplet attention."""
    return _gaitnet({"attention": "none"}, overrides)


@register_model("gaitnet_no_spp")
def gaitnet_no_spp(**overrides) -> GaitNet:
    """Ablation: global average pooling instead of the spatial pyramid."""
    return _gaitnet({"pyramid": None}, overrides)


@register_model("r3d18")
def r3d18(**overrides) -> GaitNet:
    """Plain R3D-18 at full width, torchvision's layer names: neither attention nor pyramid."""
    return _gaitnet({"attention": "none", "pyramid": None, "width": 64}, overrides)


@register_model("gei_cnn")
def gei_cnn(**overrides) -> GEINet:
    """Baseline of another family: 2D CNN on the gait energy image."""
    allowed = {"in_channels", "width", "dropout", "num_classes"}
    unknown = set(overrides) - allowed
    if unknown:
        raise ValueError(f"unknown model settings for gei_cnn: {sorted(unknown)} (known: {sorted(allowed)})")
    return GEINet(**overrides)
