"""Which device runs the model: ``auto`` takes CUDA when it works, else the CPU, and says why."""

from __future__ import annotations

from dataclasses import dataclass, field

import torch

DEVICES = ("auto", "cpu", "cuda")


@dataclass
class DeviceChoice:
    device: str  # "cpu" or "cuda"
    name: str  # shown to the user: "cpu" or the card's name
    notes: list[str] = field(default_factory=list)


def cuda_usable() -> tuple[bool, str]:
    """(usable, why not): a real allocation, since is_available() can be true with a broken driver."""
    if not torch.cuda.is_available():
        return False, "no CUDA device or driver"
    try:
        torch.zeros(1, device="cuda")
        return True, ""
    except Exception as error:  # driver and runtime errors come in several types
        return False, f"CUDA failed to start ({type(error).__name__})"


def resolve_device(requested: str = "auto") -> DeviceChoice:
    if requested not in DEVICES:
        raise ValueError(f"device must be one of {', '.join(DEVICES)}, got {requested!r}")
    if requested == "cpu":
        return DeviceChoice("cpu", "cpu")
    usable, why = cuda_usable()
    if usable:
        return DeviceChoice("cuda", f"cuda ({torch.cuda.get_device_name(0)})")
    notes = [f"CUDA was asked for but {why}; the model ran on the CPU."] if requested == "cuda" else []
    return DeviceChoice("cpu", "cpu", notes)


def is_cuda_failure(error: BaseException) -> bool:
    """An error the CPU can recover from: out of GPU memory, or a CUDA runtime failure."""
    if isinstance(error, torch.cuda.OutOfMemoryError):
        return True
    text = str(error)
    return isinstance(error, RuntimeError) and ("CUDA" in text or "cuDNN" in text or "out of memory" in text)
