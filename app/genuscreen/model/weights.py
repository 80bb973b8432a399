"""Weight files and their model cards.

A weights file (``NAME.pt``, a state dict) always has a JSON model card beside it
(``NAME.json``): builder and its settings, input spec, classes, decision threshold, version,
date, training data, metrics and the sha256 of the weights file. Loading checks the hash, then
the card against the code, then loads with ``weights_only=True`` and ``strict=True``; every
failure is a :class:`WeightsError` that names the file and says what to do. There is no
fallback to random weights.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn

from genuscreen.files import sha256_of
from genuscreen.model.network import build_model, list_models

CARD_FORMAT = 1
# The shipped model in weights/ (found through genuscreen.assets.weights_dir()).
DEFAULT_WEIGHTS = "gaitnet-synthetic.pt"
# The card's metrics block for labelled validation videos read through the whole video pipeline:
# its angle residual sizes the screening interval (silhouettes from real video are noisier than
# the clean training ones).
VIDEO_VALIDATION_SET = "validation videos (end to end)"
REQUIRED_CARD_KEYS = ("format", "id", "builder", "settings", "input", "classes", "threshold", "version", "sha256")


class WeightsError(Exception):
    """A weights file or its card cannot be used; ``str()`` names the file and the problem."""


@dataclass(frozen=True)
class LoadedModel:
    model: nn.Module
    card: dict
    path: Path


def card_path(weights: Path) -> Path:
    return weights.with_suffix(".json")


def _atomic_write(path: Path, write) -> None:
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".part", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_weights(model: nn.Module, path: str | os.PathLike, builder: str, settings: dict, card: dict) -> dict:
    """Write ``model``'s state dict and its card (both via temporary files). Returns the card.

    ``card`` supplies the descriptive fields (id, input, classes, threshold, version, date,
    training data, metrics); builder, settings, format and sha256 are filled in here.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()  # torch.save names the archive after the file: the temporary name
    torch.save(model.state_dict(), buffer)  # would make equal weights hash differently
    _atomic_write(path, lambda tmp: tmp.write_bytes(buffer.getvalue()))
    full = {**card, "format": CARD_FORMAT, "builder": builder, "settings": settings, "sha256": sha256_of(path)}
    missing = [k for k in REQUIRED_CARD_KEYS if k not in full]
    if missing:
        raise ValueError(f"model card lacks {missing}")
    _atomic_write(card_path(path), lambda tmp: tmp.write_text(json.dumps(full, indent=2) + "\n", encoding="utf-8"))
    return full


def update_card(path: str | os.PathLike, **fields) -> dict:
    """Change descriptive fields of a card (metrics after an evaluation, say); the weights and
    their hash stay as they are."""
    card = read_card(path)
    protected = {"format", "builder", "settings", "sha256"} & set(fields)
    if protected:
        raise ValueError(f"{sorted(protected)} describe the weights file and cannot be changed")
    card.update(fields)
    target = card_path(Path(path))
    _atomic_write(target, lambda tmp: tmp.write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8"))
    return card


def read_card(path: str | os.PathLike) -> dict:
    """The card of a weights file, checked for form (not yet against the weights)."""
    weights = Path(path)
    card_file = card_path(weights)
    if not card_file.exists():
        raise WeightsError(f"The model card {card_file.name} is missing beside {weights.name}. Reinstall the weights with their card.")
    try:
        card = json.loads(card_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise WeightsError(f"The model card {card_file.name} cannot be read ({error}). Reinstall the weights with their card.") from None
    missing = [k for k in REQUIRED_CARD_KEYS if k not in card]
    if missing:
        raise WeightsError(f"The model card {card_file.name} lacks {', '.join(missing)}. It does not belong to this version of GenuScreen.")
    if card["format"] != CARD_FORMAT:
        raise WeightsError(
            f"The model card {card_file.name} has format {card['format']}; this version of GenuScreen reads format {CARD_FORMAT}. Update GenuScreen or use matching weights."
        )
    if card["builder"] not in list_models():
        raise WeightsError(f"{weights.name} is for the model {card['builder']!r}, which this version of GenuScreen does not have.")
    return card


def load_weights(path: str | os.PathLike, device: str | torch.device = "cpu") -> LoadedModel:
    """Build the card's model and load the weights into it, after checking file, hash and card."""
    weights = Path(path)
    if not weights.is_file():
        raise WeightsError(f"Weights file not found: {weights}. Reinstall GenuScreen or choose another weights file.")
    card = read_card(weights)
    actual = sha256_of(weights)
    if actual != card["sha256"]:
        raise WeightsError(
            f"{weights.name} does not match its model card (sha256 {actual[:12]}... instead of {card['sha256'][:12]}...): "
            "the file is damaged or was changed. Reinstall the weights."
        )
    try:
        model = build_model(card["builder"], **card["settings"])
    except (TypeError, ValueError) as error:
        raise WeightsError(f"The model card of {weights.name} describes a model this code cannot build: {error}") from None
    try:
        state = torch.load(weights, map_location=device, weights_only=True)
    except Exception as error:  # torch raises several types for damaged or foreign files
        raise WeightsError(f"{weights.name} cannot be read as weights ({type(error).__name__}). Reinstall the weights.") from None
    try:
        model.load_state_dict(state, strict=True)
    except (RuntimeError, TypeError, AttributeError) as error:
        first = str(error).splitlines()[1].strip() if len(str(error).splitlines()) > 1 else str(error)
        raise WeightsError(f"{weights.name} does not fit the model its card describes ({card['builder']}): {first}") from None
    return LoadedModel(model.to(device).eval(), card, weights)


def angle_residual_sd(card: dict) -> float | None:
    """The model's knee-angle error (SD, degrees) that widens the interval. Preferred: the value
    calibrated on validation videos read through the video pipeline, so that 90 % of their intervals
    held the truth; then their residual SD; then the residual on clean validation silhouettes
    (which understates the error on video: docs/evaluation/end_to_end/)."""
    metrics = card.get("metrics", {}) or {}
    videos, clean = metrics.get(VIDEO_VALIDATION_SET) or {}, metrics.get("validation") or {}
    for value in (videos.get("angle_interval_sd_deg"), videos.get("angle_residual_sd_deg"), clean.get("angle_residual_sd_deg")):
        if value is not None:
            return float(value)
    return None
