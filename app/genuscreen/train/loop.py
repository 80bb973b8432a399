"""Training: one process, or several under ``torchrun`` (DistributedDataParallel; NCCL on GPUs,
gloo on CPUs).

An epoch draws ``windows_per_clip`` random windows of every training clip, augments them and
takes AdamW steps (linear warm-up, then cosine decay) on two losses: cross-entropy for normal vs
genu valgum (borderline clips have no class and train the angle only) and a smooth L1 loss on
the knee angle (in tens of degrees, so both losses are of similar size). After every epoch the
validation clips are scored (mean over each clip's windows); the best epoch by validation loss
is kept, training stops after ``patience`` epochs without improvement, and a checkpoint allows
``--resume``. Each epoch is a row of ``log.csv``. Same seed, same data, same result.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
import sys
import time
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import numpy as np
import torch
import torch.nn.functional as F

from genuscreen import __version__
from genuscreen.model.network import build_model
from genuscreen.model.weights import save_weights
from genuscreen.train import metrics
from genuscreen.train.augment import AugmentSettings, augment
from genuscreen.train.data import DataError, WindowSet, load_windows, split_by_child
from genuscreen.video.clips import ClipSpec

ANGLE_SCALE_DEG = 10.0
CLASSES = ["normal", "genu_valgum"]


@dataclass
class TrainConfig:
    """A training run; read from a JSON file (unknown keys are refused)."""

    model: str = "gaitnet"
    model_settings: dict = field(default_factory=dict)
    data: dict = field(default_factory=lambda: {"synthetic": {"n": 200, "seed": 1}})
    test_data: dict | None = None  # a separate test source; else a share of ``data``
    split: tuple[float, float, float] = (0.8, 0.2, 0.0)  # train, validation, test shares of ``data`` by child
    epochs: int = 30
    batch_size: int = 32
    windows_per_clip: int = 2
    lr: float = 2e-3
    weight_decay: float = 0.05
    warmup_epochs: float = 1.0
    patience: int = 6
    angle_weight: float = 1.0
    label_smoothing: float = 0.05
    clip_grad_norm: float = 2.0
    # fp32 by default: bf16 autocast training on the CPU gave overflowing gradients every few
    # dozen steps (inference in bf16 is fine); "auto" | "bf16" | "fp16" (CUDA) are there to try.
    precision: str = "fp32"
    seed: int = 0
    augment: dict = field(default_factory=dict)
    max_steps_per_epoch: int | None = None  # for smoke runs
    card_id: str = "genuscreen-gaitnet"
    intended_use: str = (
        "Screening support for genu valgum in children walking toward a camera; not a diagnosis."
    )

    @classmethod
    def from_dict(cls, values: dict) -> "TrainConfig":
        known = {f.name for f in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"unknown training settings {sorted(unknown)} (known: {sorted(known)})")
        values = dict(values)
        if "split" in values:
            values["split"] = tuple(values["split"])
        config = cls(**values)
        AugmentSettings.from_dict(config.augment)  # refuse bad augmentation settings early
        return config

    @classmethod
    def from_file(cls, path: str | os.PathLike) -> "TrainConfig":
        try:
            values = json.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise ValueError(f"cannot read the training config {path}: {exc.strerror}") from None
        except json.JSONDecodeError as exc:
            raise ValueError(f"the training config {path} is not valid JSON: {exc}") from None
        return cls.from_dict(values)

    def to_dict(self) -> dict:
        return asdict(self)


# --------------------------------------------------------------------------------------------
# Distributed helpers
# --------------------------------------------------------------------------------------------


def _world() -> tuple[int, int]:
    if torch.distributed.is_available() and torch.distributed.is_initialized():
        return torch.distributed.get_rank(), torch.distributed.get_world_size()
    return 0, 1


def _init_distributed(device: torch.device) -> bool:
    if int(os.environ.get("WORLD_SIZE", "1")) <= 1 or torch.distributed.is_initialized():
        return False
    torch.distributed.init_process_group(backend="nccl" if device.type == "cuda" else "gloo")
    return True


# --------------------------------------------------------------------------------------------
# Data splits
# --------------------------------------------------------------------------------------------


@dataclass
class Splits:
    train: WindowSet
    val: WindowSet
    test: WindowSet | None


def make_splits(config: TrainConfig, cache: Path, spec: ClipSpec, progress=None) -> Splits:
    """Train, validation and (if any) test sets, split by child with the config's seed."""
    data = load_windows(config.data, cache, spec, progress)
    usable = [i for i, c in enumerate(data.clips) if c["count"] > 0]
    if not usable:
        raise DataError("no clip of the training data gave model windows (all failed the quality gate?)")
    tr, va, te = split_by_child([data.clips[i] for i in usable], config.split, config.seed)
    train, val = data.subset([usable[i] for i in tr]), data.subset([usable[i] for i in va])
    if not len(train) or not len(val):
        raise DataError(f"too few children to split: {len(train)} for training, {len(val)} for validation")
    test = data.subset([usable[i] for i in te]) if te else None
    if config.test_data is not None:
        test = load_windows(config.test_data, cache, spec, progress)
    return Splits(train, val, test)


# --------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------


def window_tensor(windows: np.ndarray, indices) -> torch.Tensor:
    """Windows ``indices`` of a uint8 cache array as floats in [0, 1], [n, T, H, W]."""
    return torch.from_numpy(np.ascontiguousarray(windows[np.asarray(indices)])).float().div_(255.0)


@torch.no_grad()
def predict_windows(model: torch.nn.Module, data: WindowSet, device: torch.device, batch_size: int = 32,
                    autocast: dict | None = None) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """P(genu valgum) and angle of every window of ``data``'s clips, in clip order."""
    model.eval()
    idx = data.window_indices()
    probs, angles = [], []
    for start in range(0, idx.size, batch_size):
        x = window_tensor(data.windows, idx[start : start + batch_size]).unsqueeze(1).to(device)
        with torch.autocast(device.type, **(autocast or {"enabled": False})):
            out = model(x)
        probs.append(out["logits"].float().softmax(1)[:, 1].cpu().numpy())
        angles.append(out["angle"].float().cpu().numpy())
    if not probs:
        return np.zeros(0), np.zeros(0)
    return np.concatenate(probs), np.concatenate(angles)


def clip_means(data: WindowSet, per_window: np.ndarray) -> np.ndarray:
    """Mean of a per-window value over each clip's windows (windows in clip order)."""
    out, k = np.full(len(data.clips), np.nan), 0
    for i, c in enumerate(data.clips):
        if c["count"]:
            out[i] = per_window[k : k + c["count"]].mean()
        k += c["count"]
    return out


def clip_metrics(data: WindowSet, prob: np.ndarray, angle: np.ndarray, threshold: float = 0.5) -> dict:
    targets, true_angle = data.targets(), data.angles()
    hard = targets >= 0
    out = metrics.classification(targets[hard], prob[hard], threshold)
    out["ece"] = metrics.calibration(targets[hard], prob[hard])["ece"]
    known = np.isfinite(true_angle)
    out.update(metrics.regression(true_angle[known], angle[known]))
    return out


def best_threshold(targets: np.ndarray, prob: np.ndarray) -> float:
    """The decision threshold with the highest F1 (ties: nearest 0.5), from 0.05 to 0.95."""
    hard = targets >= 0
    grid = np.round(np.arange(0.05, 0.951, 0.01), 2)
    f1 = [metrics.classification(targets[hard], prob[hard], t)["f1"] for t in grid]
    top = max(f1)
    return float(min((t for t, f in zip(grid, f1) if f >= top - 1e-12), key=lambda t: abs(t - 0.5)))


# --------------------------------------------------------------------------------------------
# Training
# --------------------------------------------------------------------------------------------


def _autocast_for(precision: str, device: torch.device) -> dict:
    from genuscreen.model.runtime import choose_plan

    chosen = choose_plan(str(device), precision).precision
    if chosen == "fp32":
        return {"enabled": False}
    return {"dtype": torch.bfloat16 if chosen == "bf16" else torch.float16}


def _lr_at(step: float, total: float, warmup: float, base: float) -> float:
    if step < warmup:
        return base * (step + 1) / max(1.0, warmup)
    progress = (step - warmup) / max(1.0, total - warmup)
    return base * 0.5 * (1 + math.cos(math.pi * min(1.0, progress)))


class Progress:
    """A one-line progress bar with ETA on stderr (rank 0 only)."""

    def __init__(self, enabled: bool, stream=sys.stderr):
        self.enabled, self.stream, self.start = enabled, stream, time.monotonic()

    def update(self, text: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        elapsed = time.monotonic() - self.start
        eta = elapsed / done * (total - done) if done else 0.0
        bar = "#" * int(20 * done / max(1, total))
        self.stream.write(f"\r{text} [{bar:20s}] {done}/{total}  ETA {int(eta) // 60:02d}:{int(eta) % 60:02d}   ")
        self.stream.flush()

    def end(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()


def train(config: TrainConfig, out: str | os.PathLike, cache: str | os.PathLike | None = None,
          resume: bool = False, device: str = "auto", quiet: bool = False,
          log: Callable[[str], None] = print) -> dict:  # fmt: skip
    """Train ``config`` into ``out`` (``model.pt`` + card, ``checkpoint.pt``, ``log.csv``).

    Returns a summary: best epoch, validation metrics, the weights path.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    cache = Path(cache) if cache else out / "cache"
    dev = torch.device("cuda" if device == "auto" and torch.cuda.is_available() else ("cpu" if device == "auto" else device))
    if dev.type == "cuda" and "LOCAL_RANK" in os.environ:  # one GPU per process under torchrun
        dev = torch.device("cuda", int(os.environ["LOCAL_RANK"]))
        torch.cuda.set_device(dev)
    distributed = _init_distributed(dev)
    rank, world = _world()
    main = rank == 0
    spec = ClipSpec()
    try:
        return _train(config, out, cache, resume, dev, rank, world, main, quiet, log, spec)
    finally:
        if distributed:
            torch.distributed.destroy_process_group()


def _train(config, out, cache, resume, dev, rank, world, main, quiet, log, spec) -> dict:
    torch.manual_seed(config.seed)
    progress = Progress(main and not quiet)
    if main:
        splits = make_splits(config, cache, spec, progress.update)
        progress.end()
    if world > 1:
        torch.distributed.barrier()  # rank 0 built the cache; the others read it
    if not main:
        splits = make_splits(config, cache, spec)
    train_set, val_set = splits.train, splits.val
    model = build_model(config.model, **config.model_settings).to(dev)
    ddp_devices = [dev.index] if dev.type == "cuda" else None
    net = torch.nn.parallel.DistributedDataParallel(model, device_ids=ddp_devices) if world > 1 else model
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    aug = AugmentSettings.from_dict(config.augment)
    autocast = _autocast_for(config.precision, dev)
    gen = torch.Generator().manual_seed(config.seed * 1000 + 17)

    targets = torch.from_numpy(train_set.targets())
    angles = torch.from_numpy(np.nan_to_num(train_set.angles(), nan=0.0)).float()
    angle_known = torch.from_numpy(np.isfinite(train_set.angles()))
    firsts = torch.tensor([c["first"] for c in train_set.clips])
    counts = torch.tensor([c["count"] for c in train_set.clips])
    per_epoch = len(train_set) * config.windows_per_clip
    # With several processes every step must give every rank windows (DDP waits for all), so
    # the last, short global batch is dropped.
    steps = math.ceil(per_epoch / config.batch_size) if world == 1 else max(1, per_epoch // (config.batch_size * world))
    if config.max_steps_per_epoch:
        steps = min(steps, config.max_steps_per_epoch)

    checkpoint, best_path = out / "checkpoint.pt", out / "model.pt"
    log_path = out / "log.csv"
    start_epoch, best_loss, best_epoch, stale = 0, float("inf"), -1, 0
    if resume and checkpoint.is_file():
        state = torch.load(checkpoint, map_location="cpu", weights_only=True)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        gen.set_state(state["generator"])
        start_epoch, best_loss, best_epoch, stale = state["epoch"] + 1, state["best_loss"], state["best_epoch"], state["stale"]
        if main:
            log(f"resuming after epoch {state['epoch'] + 1}")
    elif main:
        with open(log_path, "w", newline="") as fh:
            csv.writer(fh).writerow(["epoch", "lr", "train_loss", "class_loss", "angle_loss", "val_loss",
                                     "val_f1", "val_auc", "val_angle_mae", "seconds"])  # fmt: skip

    total_steps = config.epochs * steps
    for epoch in range(start_epoch, config.epochs):
        started = time.monotonic()
        model.train()
        # Every rank draws the same permutation and takes its own slice of each batch.
        clip_order = torch.randperm(len(train_set), generator=gen).repeat(config.windows_per_clip)
        offsets = (torch.rand(clip_order.numel(), generator=gen) * counts[clip_order]).long()
        sums = torch.zeros(3)
        skipped = 0
        bar = Progress(main and not quiet)
        for step in range(steps):
            lr = _lr_at(epoch * steps + step, total_steps, config.warmup_epochs * steps, config.lr)
            for group in optimizer.param_groups:
                group["lr"] = lr
            lo = step * config.batch_size * world
            batch = clip_order[lo : lo + config.batch_size * world]
            if batch.numel() == 0:
                break
            batch_offsets = offsets[lo : lo + batch.numel()]
            x = window_tensor(train_set.windows, (firsts[batch] + batch_offsets).numpy())
            x = augment(x, aug, gen)  # same generator on every rank: same draws, then sliced
            share = batch.numel() // world
            if share == 0:
                continue  # (every rank skips alike)
            mine = slice(rank * share, (rank + 1) * share)
            x, y = x[mine].unsqueeze(1).to(dev), targets[batch][mine].to(dev)
            a, known = angles[batch][mine].to(dev), angle_known[batch][mine].to(dev)
            with torch.autocast(dev.type, **autocast):
                output = net(x)
            logits, angle = output["logits"].float(), output["angle"].float()
            hard = y >= 0
            class_loss = (F.cross_entropy(logits[hard], y[hard], label_smoothing=config.label_smoothing)
                          if hard.any() else logits.sum() * 0)  # fmt: skip
            angle_loss = (F.smooth_l1_loss(angle[known] / ANGLE_SCALE_DEG, a[known] / ANGLE_SCALE_DEG)
                          if known.any() else angle.sum() * 0)  # fmt: skip
            loss = class_loss + config.angle_weight * angle_loss
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            norm = torch.nn.utils.clip_grad_norm_(model.parameters(), config.clip_grad_norm)
            if not (torch.isfinite(loss) and torch.isfinite(norm)):
                # One bad batch must not poison the weights: skip it (every rank sees the
                # all-reduced gradient, so all skip alike) and count it in the log.
                skipped += 1
                continue
            optimizer.step()
            sums += torch.tensor([loss.item(), class_loss.item(), angle_loss.item()])
            bar.update(f"epoch {epoch + 1}/{config.epochs} loss {sums[0] / (step + 1):.3f}", step + 1, steps)
        bar.end()
        train_losses = (sums / max(1, steps - skipped)).tolist()
        if skipped and main:
            log(f"skipped {skipped} steps of epoch {epoch + 1}: non-finite loss or gradient")

        prob, ang = predict_windows(model, val_set, dev, autocast=autocast)
        val_prob, val_angle = clip_means(val_set, prob), clip_means(val_set, ang)
        val = clip_metrics(val_set, val_prob, val_angle)
        val_loss = _validation_loss(val_set, prob, ang, config)
        if world > 1:  # every rank takes rank 0's view, so all stop at the same epoch
            shared = torch.tensor([val_loss], dtype=torch.float64)
            torch.distributed.broadcast(shared, src=0)
            val_loss = float(shared)
        seconds = time.monotonic() - started
        improved = val_loss < best_loss - 1e-4
        if improved:
            best_loss, best_epoch, stale = val_loss, epoch, 0
        else:
            stale += 1
        if main:
            if improved:
                torch.save(model.state_dict(), out / ".best_state.pt")
            torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "generator": gen.get_state(),
                        "epoch": epoch, "best_loss": best_loss, "best_epoch": best_epoch, "stale": stale},
                       out / ".checkpoint.tmp")  # fmt: skip
            os.replace(out / ".checkpoint.tmp", checkpoint)
            with open(log_path, "a", newline="") as fh:
                csv.writer(fh).writerow([epoch + 1, f"{lr:.6f}", *(f"{v:.5f}" for v in train_losses), f"{val_loss:.5f}",
                                         f"{val['f1']:.4f}", f"{val['roc_auc']:.4f}", f"{val['angle_mae_deg']:.3f}", f"{seconds:.1f}"])  # fmt: skip
            log(f"epoch {epoch + 1}: train loss {train_losses[0]:.3f}, validation loss {val_loss:.3f}, "
                f"F1 {val['f1']:.3f}, AUC {val['roc_auc']:.3f}, angle MAE {val['angle_mae_deg']:.2f} deg ({seconds:.0f} s)")  # fmt: skip
        if stale >= config.patience:
            if main:
                log(f"stopping: no better validation loss for {config.patience} epochs")
            break

    digest = hashlib.sha256()
    for p in model.parameters():  # equal on every rank of a DDP run (buffers are rank 0's at each step)
        digest.update(p.detach().cpu().numpy().tobytes())
    summary = {"best_epoch": best_epoch + 1, "best_val_loss": best_loss, "weights": str(best_path),
               "parameters_sha256": digest.hexdigest()}  # fmt: skip
    if main:
        model.load_state_dict(torch.load(out / ".best_state.pt", map_location="cpu", weights_only=True))
        model.to(dev)
        prob, ang = predict_windows(model, val_set, dev, autocast=autocast)
        val_prob, val_angle = clip_means(val_set, prob), clip_means(val_set, ang)
        threshold = best_threshold(val_set.targets(), val_prob)
        val = clip_metrics(val_set, val_prob, val_angle, threshold)
        card = {
            "id": config.card_id,
            "version": __version__,
            "date": datetime.now(timezone.utc).strftime("%Y-%m-%d"),
            "input": {"frames": spec.frames, "height": spec.height, "width": spec.width, "fps": spec.fps, "stride": spec.stride,
                      "channels": 1, "normalisation": "silhouette in [0, 1], height-normalised and centred"},
            "classes": CLASSES,
            "threshold": threshold,
            "training_data": {"description": _describe(train_set.source), "source": train_set.source, "test_source": splits.test.source if splits.test else None,
                              "split": list(config.split), "split_seed": config.seed,
                              "train_clips": len(train_set), "val_clips": len(val_set)},
            "training": {k: v for k, v in config.to_dict().items() if k not in ("data", "test_data", "card_id", "intended_use")},
            "metrics": {"validation": _rounded(val)},
            "intended_use": config.intended_use,
            "limitations": [
                "Trained on synthetic silhouettes of walking children only; not clinically validated.",
                "Screening support, not a diagnosis.",
            ],
        }  # fmt: skip
        model.cpu()
        save_weights(model, best_path, config.model, {**config.model_settings}, card)
        (out / ".best_state.pt").unlink(missing_ok=True)
        summary.update(threshold=threshold, validation=val)
        log(f"best epoch {best_epoch + 1}; validation F1 {val['f1']:.3f} at threshold {threshold:.2f}; wrote {best_path}")
    return summary


def _describe(source: dict) -> str:
    if "synthetic" in source:
        s = source["synthetic"]
        return (f"Synthetic silhouettes of {s['n']} walking children (plus {s['borderline']} borderline) from GenuScreen's "
                f"generator version {s['generator_version']}, seed {s['seed']}: ages 3-12, walking toward the camera, "
                "exact masks with up to {0} px of boundary noise. No real children.".format(s["mask_noise_px"]))  # fmt: skip
    return f"Labelled videos in {source.get('videos')}, read through the product's video pipeline."


def _validation_loss(data: WindowSet, prob: np.ndarray, angle: np.ndarray, config: TrainConfig) -> float:
    """Window-level cross-entropy plus angle loss on the validation set (the early-stopping signal)."""
    counts = [c["count"] for c in data.clips]
    y = np.repeat(data.targets(), counts)
    a = np.repeat(data.angles(), counts)
    p = np.clip(prob, 1e-6, 1 - 1e-6)
    hard = y >= 0
    ce = float(-np.mean(np.where(y[hard] == 1, np.log(p[hard]), np.log(1 - p[hard])))) if hard.any() else 0.0
    known = np.isfinite(a)
    d = np.abs(angle[known] - a[known]) / ANGLE_SCALE_DEG
    sl1 = float(np.mean(np.where(d < 1, 0.5 * d**2, d - 0.5))) if known.any() else 0.0
    return ce + config.angle_weight * sl1


def _rounded(values: dict) -> dict:
    out = {}
    for key, value in values.items():
        if isinstance(value, float):
            out[key] = round(value, 4) if math.isfinite(value) else None
        elif isinstance(value, dict):
            out[key] = _rounded(value)
        else:
            out[key] = value
    return out
