"""Training: the loss falls, runs are deterministic, resume continues exactly, the card is
complete, bad configs are clear errors, and two DDP processes stay in step."""

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from genuscreen.model.weights import load_weights, sha256_of
from genuscreen.train.loop import TrainConfig, train

TINY = {
    "model": "gaitnet",
    "model_settings": {"width": 4, "dropout": 0.0},
    "data": {"synthetic": {"n": 24, "seed": 5, "mask_noise_px": 0.0}},
    "split": [0.75, 0.25, 0.0],
    "epochs": 2,
    "batch_size": 8,
    "windows_per_clip": 1,
    "lr": 0.003,
    "warmup_epochs": 0.5,
    "precision": "fp32",
    "seed": 3,
}


def run(tmp_path: Path, name: str, cache: Path, **changes) -> Path:
    out = tmp_path / name
    train(TrainConfig.from_dict({**TINY, **changes}), out, cache=cache, quiet=True, device="cpu", log=lambda _m: None)
    return out


def test_training_writes_weights_card_log_and_is_deterministic(tmp_path, tiny_windows) -> None:
    _, cache = tiny_windows
    a = run(tmp_path, "a", cache)
    b = run(tmp_path, "b", cache)
    assert sha256_of(a / "model.pt") == sha256_of(b / "model.pt")
    rows = list(csv.DictReader(open(a / "log.csv")))
    assert [r["epoch"] for r in rows] == ["1", "2"]
    assert {"train_loss", "val_loss", "val_f1", "val_auc", "val_angle_mae", "lr"} <= set(rows[0])
    loaded = load_weights(a / "model.pt")
    card = loaded.card
    assert card["builder"] == "gaitnet" and card["settings"] == {"width": 4, "dropout": 0.0}
    assert card["input"]["frames"] == 16 and card["input"]["height"] == 64 and card["input"]["width"] == 44
    assert 0.05 <= card["threshold"] <= 0.95
    assert card["training_data"]["source"]["synthetic"]["seed"] == 5
    assert card["training_data"]["train_clips"] + card["training_data"]["val_clips"] >= 20
    assert "f1" in card["metrics"]["validation"]
    assert any("not clinically validated" in line for line in card["limitations"])
    c = run(tmp_path, "c", cache, seed=4)
    assert sha256_of(c / "model.pt") != sha256_of(a / "model.pt")


def test_resume_continues_where_training_stopped(tmp_path, tiny_windows) -> None:
    _, cache = tiny_windows
    config = TrainConfig.from_dict({**TINY, "epochs": 3, "patience": 99})
    straight = tmp_path / "straight"
    train(config, straight, cache=cache, quiet=True, device="cpu", log=lambda _m: None)

    class Killed(Exception):
        pass

    def kill_after_epoch_2(message: str) -> None:  # the log line comes after the checkpoint
        if message.startswith("epoch 2:"):
            raise Killed

    resumed = tmp_path / "resumed"
    with pytest.raises(Killed):
        train(config, resumed, cache=cache, quiet=True, device="cpu", log=kill_after_epoch_2)
    assert torch.load(resumed / "checkpoint.pt", weights_only=True)["epoch"] == 1  # 0-based: epoch 2 done
    messages = []
    train(config, resumed, cache=cache, resume=True, quiet=True, device="cpu", log=messages.append)
    assert messages[0] == "resuming after epoch 2"
    a = torch.load(straight / "checkpoint.pt", weights_only=True)["model"]
    b = torch.load(resumed / "checkpoint.pt", weights_only=True)["model"]
    for key in a:
        torch.testing.assert_close(b[key], a[key], rtol=0, atol=0)
    assert [r["epoch"] for r in csv.DictReader(open(resumed / "log.csv"))] == ["1", "2", "3"]
    assert sha256_of(resumed / "model.pt") == sha256_of(straight / "model.pt")


def test_a_few_steps_lower_the_loss(tmp_path, tiny_windows) -> None:
    _, cache = tiny_windows
    out = run(tmp_path, "learn", cache, epochs=5, lr=0.005, patience=99, augment={"flip": 0.0, "affine": 0.0,
              "mask_noise": 0.0, "holes": 0.0, "shadow": 0.0, "frame_drop": 0.0, "speed": 0.0, "occlusion": 0.0})  # fmt: skip
    rows = list(csv.DictReader(open(out / "log.csv")))
    losses = [float(r["train_loss"]) for r in rows]
    assert np.mean(losses[-2:]) < 0.8 * np.mean(losses[:2])


def test_bad_configs_are_clear_errors(tmp_path) -> None:
    with pytest.raises(ValueError, match="unknown training settings \\['epoch'\\]"):
        TrainConfig.from_dict({"epoch": 3})
    with pytest.raises(ValueError, match="unknown augmentation settings"):
        TrainConfig.from_dict({"augment": {"rotate": 0.5}})
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(ValueError, match="not valid JSON"):
        TrainConfig.from_file(bad)
    with pytest.raises(ValueError, match="cannot read"):
        TrainConfig.from_file(tmp_path / "missing.json")


WORKER = """
import json, sys
from genuscreen.train.loop import TrainConfig, train
config = TrainConfig.from_dict(json.loads(sys.argv[1]))
summary = train(config, sys.argv[2], cache=sys.argv[3], quiet=True, device="cpu", log=lambda m: None)
import os
with open(os.path.join(sys.argv[2], f"rank{os.environ['RANK']}.json"), "w") as fh:
    json.dump(summary["parameters_sha256"], fh)
"""


def test_two_ddp_processes_on_cpu_agree(tmp_path, tiny_windows) -> None:
    _, cache = tiny_windows
    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    out = tmp_path / "ddp"
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2", str(script),
         json.dumps(TINY), str(out), str(cache)],
        capture_output=True, text=True, timeout=240, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    digests = [json.loads((out / f"rank{r}.json").read_text()) for r in (0, 1)]
    assert digests[0] == digests[1]
    assert (out / "model.pt").is_file() and len(list(csv.DictReader(open(out / "log.csv")))) == 2
