"""Weights files and model cards: round trip, and every way a file can be wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from genuscreen.model import build_model
from genuscreen.model.weights import WeightsError, card_path, load_weights, save_weights

SETTINGS = {"width": 8}
CARD = {
    "id": "gaitnet-test-1",
    "input": {"frames": 8, "height": 32, "width": 24, "fps": 15.0, "normalisation": "silhouette in [0, 1]"},
    "classes": ["normal", "genu_valgum"],
    "threshold": 0.5,
    "version": "0.0.1",
    "date": "2026-11-25",
    "training_data": "none (test)",
    "metrics": {},
}


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    torch.manual_seed(1)
    model = build_model("gaitnet", **SETTINGS)
    path = tmp_path / "weights" / "gaitnet-test.pt"
    save_weights(model, path, "gaitnet", SETTINGS, CARD)
    return path


def test_round_trip_gives_the_same_outputs(saved: Path) -> None:
    torch.manual_seed(1)
    original = build_model("gaitnet", **SETTINGS).eval()
    loaded = load_weights(saved)
    x = torch.rand(2, 1, 8, 32, 24)
    assert torch.equal(original(x)["logits"], loaded.model(x)["logits"])
    assert loaded.card["id"] == "gaitnet-test-1" and len(loaded.card["sha256"]) == 64
    assert not list(saved.parent.glob("*.part"))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(WeightsError, match="not found: .*nothing.pt"):
        load_weights(tmp_path / "nothing.pt")


def test_missing_card(saved: Path) -> None:
    card_path(saved).unlink()
    with pytest.raises(WeightsError, match="card gaitnet-test.json is missing"):
        load_weights(saved)


def test_tampered_weights_fail_the_hash(saved: Path) -> None:
    data = bytearray(saved.read_bytes())
    data[-100] ^= 0xFF
    saved.write_bytes(bytes(data))
    with pytest.raises(WeightsError, match="gaitnet-test.pt does not match its model card"):
        load_weights(saved)


def test_truncated_weights(saved: Path) -> None:
    saved.write_bytes(saved.read_bytes()[:1000])
    with pytest.raises(WeightsError, match="does not match its model card"):
        load_weights(saved)


def rewrite_card(path: Path, **changes) -> None:
    card = json.loads(card_path(path).read_text())
    card.update(changes)
    card_path(path).write_text(json.dumps(card))


def test_wrong_architecture_is_named(saved: Path) -> None:
    rewrite_card(saved, settings={"width": 16})
    with pytest.raises(WeightsError, match="does not fit the model its card describes"):
        load_weights(saved)


def test_unknown_builder_and_settings(saved: Path) -> None:
    rewrite_card(saved, builder="transformer9000")
    with pytest.raises(WeightsError, match="'transformer9000'"):
        load_weights(saved)
    rewrite_card(saved, builder="gaitnet", settings={"colour": "blue"})
    with pytest.raises(WeightsError, match="cannot build"):
        load_weights(saved)


def test_card_of_another_format_or_broken(saved: Path) -> None:
    rewrite_card(saved, format=99)
    with pytest.raises(WeightsError, match="format 99"):
        load_weights(saved)
    card_path(saved).write_text("{not json")
    with pytest.raises(WeightsError, match="cannot be read"):
        load_weights(saved)


def test_pickled_objects_are_refused(tmp_path: Path) -> None:
    # A file that needs unpickling of arbitrary objects must not load (weights_only=True).
    path = tmp_path / "evil.pt"
    torch.save({"stem.0.weight": torch.zeros(1), "payload": Path("/")}, path)
    model = build_model("gaitnet", **SETTINGS)
    save_weights(model, tmp_path / "good.pt", "gaitnet", SETTINGS, CARD)
    card = json.loads(card_path(tmp_path / "good.pt").read_text())
    from genuscreen.model.weights import sha256_of

    card["sha256"] = sha256_of(path)
    card_path(path).write_text(json.dumps(card))
    with pytest.raises(WeightsError, match="cannot be read as weights"):
        load_weights(path)


def test_model_info_command(saved: Path, capsys) -> None:
    from genuscreen.cli import EXIT_OK, EXIT_USER_ERROR, main

    assert main(["model", "info", str(saved)]) == EXIT_OK
    out = capsys.readouterr().out
    assert '"id": "gaitnet-test-1"' in out and "parameters:" in out and "GMACs per window (8x32x24)" in out
    assert main(["model", "info"]) == EXIT_OK
    assert "r3d18" in capsys.readouterr().out
    card_path(saved).unlink()
    assert main(["model", "info", str(saved)]) == EXIT_USER_ERROR
    assert "card" in capsys.readouterr().err
