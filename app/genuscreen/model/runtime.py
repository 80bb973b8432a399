"""Running a network on many windows by the fastest path measured on the target hardware.

Measured on a 2-core AVX-512 CPU (benchmarks/RESULTS-model.md, `make bench-model`):
- batching windows avoids PyTorch's slow 3D convolution for thin layers at batch 1;
- bf16 autocast roughly halves CPU latency where the CPU has bf16 instructions (AVX512-BF16 or
  AMX), with the model's outputs kept close to fp32 (checked in the benchmark and the tests);
- a frozen TorchScript graph (batch norm folded into the convolutions, fewer dispatches) is
  faster than eager in fp32 and in bf16, most of all at batch 1;
- inductor is about as fast again, but needs a C++ compiler at run time and half a minute to
  compile, which a desktop bundle cannot count on, so it stays a benchmark entry.
On CUDA, fp16 autocast in eager mode.
"""

from __future__ import annotations

import contextlib
import warnings
from dataclasses import dataclass

import torch
from torch import nn

PRECISIONS = ("auto", "fp32", "bf16", "fp16")
DEFAULT_BATCH = 8


def cpu_has_bf16() -> bool:
    """Whether this CPU runs bf16 convolutions natively (oneDNN says so)."""
    try:
        return bool(torch.backends.mkldnn.is_available() and torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False


@dataclass(frozen=True)
class RunPlan:
    """How windows are run: device, arithmetic, whether the graph is frozen, batch size."""

    device: str  # "cpu" | "cuda" | "cuda:N"
    precision: str  # "fp32" | "bf16" | "fp16"
    frozen: bool
    batch_size: int

    def describe(self) -> str:
        graph = "frozen TorchScript" if self.frozen else "eager"
        return f"{self.device}, {self.precision}, {graph}, batch {self.batch_size}"


def choose_plan(device: str = "cpu", precision: str = "auto", batch_size: int = DEFAULT_BATCH) -> RunPlan:
    """The fastest measured path for ``device``; ``precision`` other than "auto" forces one."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {PRECISIONS}, got {precision!r}")
    if batch_size < 1:
        raise ValueError(f"batch size must be at least 1, got {batch_size}")
    on_cuda = torch.device(device).type == "cuda"
    if precision == "auto":
        precision = "fp16" if on_cuda else ("bf16" if cpu_has_bf16() else "fp32")
    if precision == "fp16" and not on_cuda:
        raise ValueError("fp16 runs on CUDA only; use bf16 or fp32 on the CPU")
    frozen = not on_cuda
    return RunPlan(str(device), precision, frozen, batch_size)


class BatchRunner:
    """Runs ``module`` (in eval mode, no gradients) over any number of windows, in batches.

    The module's output may be a tensor or a dict of tensors; results come back as float32 on
    the CPU, concatenated over the batches.
    """

    def __init__(self, module: nn.Module, plan: RunPlan):
        self.plan = plan
        self.module = module.eval().to(plan.device)
        self._frozen: torch.jit.ScriptModule | None = None

    def _autocast(self):
        if self.plan.precision == "fp32":
            return contextlib.nullcontext()
        dtype = torch.bfloat16 if self.plan.precision == "bf16" else torch.float16
        return torch.autocast(torch.device(self.plan.device).type, dtype=dtype)

    def _forward(self, batch: torch.Tensor):
        if not self.plan.frozen:
            return self.module(batch)
        if self._frozen is None:
            # The traced graph keeps batch and window sizes symbolic (tests check other sizes).
            with warnings.catch_warnings():
                # TorchScript is deprecated in favour of torch.compile, which needs a compiler
                # at run time (module docstring); it still works and is what we measured.
                warnings.simplefilter("ignore", DeprecationWarning)
                self._frozen = torch.jit.freeze(torch.jit.trace(self.module, batch, strict=False))
        return self._frozen(batch)

    @torch.inference_mode()
    def __call__(self, windows: torch.Tensor):
        if windows.ndim < 2 or windows.shape[0] == 0:
            raise ValueError(f"expected a non-empty batch of windows, got shape {tuple(windows.shape)}")
        outputs = []
        size = self.plan.batch_size
        for start in range(0, windows.shape[0], size):
            batch = windows[start : start + size].to(self.plan.device, torch.float32)
            with self._autocast():
                out = self._forward(batch)
            outputs.append(_map(out, lambda t: t.float().cpu()))
        if isinstance(outputs[0], dict):
            return {key: torch.cat([o[key] for o in outputs]) for key in outputs[0]}
        return torch.cat(outputs)


def _map(out, fn):
    return {key: fn(value) for key, value in out.items()} if isinstance(out, dict) else fn(out)
