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

Tracing and freezing cost a new process more time than running the windows of a short clip, so
a runner given a ``cache_id`` keeps its frozen graph on disk (``model.graph_cache``) and a new
process loads it instead (benchmarks/RESULTS-startup.md).
"""

from __future__ import annotations

import contextlib
import hashlib
import platform
import sys
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import torch
from torch import nn

import genuscreen
from genuscreen.model import graph_cache

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
    the CPU, concatenated over the batches. ``cache_id`` says what the module is (the sha256 of
    its weights file and which part of the model it is) so that its frozen graph can be kept on
    disk; without it the graph is built in memory.
    """

    def __init__(self, module: nn.Module, plan: RunPlan, cache_id: dict | None = None):
        self.plan = plan
        self.module = module.eval().to(plan.device)
        self.cache_id = cache_id
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
            self._frozen = self._frozen_graph(tuple(batch.shape[1:]))
        return self._frozen(batch)

    def _frozen_graph(self, window_shape: tuple[int, ...]) -> torch.jit.ScriptModule:
        """From the cache on disk when it holds this graph; else built (and stored when cached)."""
        if self.cache_id is None:
            return self._trace_and_freeze(window_shape)
        key = self.graph_key(window_shape)
        graph = graph_cache.load(key, self.plan.device)
        if graph is None:
            graph = self._trace_and_freeze(window_shape)
            graph_cache.store(key, graph)
        return graph

    def graph_key(self, window_shape: tuple[int, ...]) -> dict:
        """Everything the frozen graph depends on: the weights, the code that uses them, torch,
        the device, the arithmetic and the traced input's shape."""
        return {
            "model": self.cache_id,
            "code": _code_fingerprint(self.module),
            "torch": str(torch.__version__),
            **device_fingerprint(self.plan.device),
            "precision": self.plan.precision,
            "batch_size": self.plan.batch_size,
            "window_shape": list(window_shape),
        }

    def _trace_and_freeze(self, window_shape: tuple[int, ...]) -> torch.jit.ScriptModule:
        # Traced on a full batch of zeros rather than the caller's first batch, so that the graph
        # depends only on what its key says. Batch and window sizes stay symbolic in the traced
        # graph (tests check other sizes). Called inside the autocast context, so bf16 is traced in.
        example = torch.zeros(self.plan.batch_size, *window_shape, device=self.plan.device)
        with warnings.catch_warnings():
            # TorchScript is deprecated in favour of torch.compile, which needs a compiler
            # at run time (module docstring); it still works and is what we measured.
            warnings.simplefilter("ignore", DeprecationWarning)
            # check_trace would trace a second time and compare, which costs about 1.5 s of a new
            # process (most of it importing torch.distributed); tests/model/test_runtime.py
            # compares the frozen graph with the eager module instead.
            traced = torch.jit.trace(self.module, example, strict=False, check_trace=False)
            return torch.jit.freeze(traced)

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


def device_fingerprint(device: str) -> dict:
    """What a graph built for ``device`` may depend on: the GPU model and its compute capability
    on CUDA, the processor architecture on the CPU."""
    where = torch.device(device)
    if where.type == "cuda":
        index = where.index if where.index is not None else torch.cuda.current_device()
        return {"device": "cuda", "gpu": torch.cuda.get_device_name(index),
                "capability": list(torch.cuda.get_device_capability(index))}  # fmt: skip
    return {"device": where.type, "machine": platform.machine()}


def _code_fingerprint(module: nn.Module) -> str:
    """sha256 over the source files of GenuScreen's classes inside ``module`` and its structure.
    The weights' hash says which numbers the graph holds, not what the code does with them: an
    edited block must not run a graph traced from the old one."""
    digest = hashlib.sha256(f"{genuscreen.__version__}\n{module!r}".encode())
    for name in sorted({type(m).__module__ for m in module.modules()}):
        if name.split(".")[0] == "genuscreen":
            digest.update(_source_digest(name).encode())
    return digest.hexdigest()


@cache
def _source_digest(module_name: str) -> str:
    """The sha256 of a module's source file; a bundle without sources has only its name (and the
    package version, above), which changes with every release."""
    try:
        return hashlib.sha256(Path(sys.modules[module_name].__file__).read_bytes()).hexdigest()
    except (KeyError, TypeError, OSError):
        return module_name
