"""screen(): one pipeline from a video file to a result, with progress, cancel, explanations,
the quality gate, determinism, and the CLI around it."""

import json
import time
from pathlib import Path

import numpy as np
import pytest

from genuscreen.assets import sample_clip
from genuscreen.cli import main
from genuscreen.inference import Progress, run_screen, screen
from genuscreen.inference.pipeline import _prepared, default_weights
from genuscreen.video.errors import Cancelled, VideoOpenError
from tests.helpers import textured_background, write_frames

JSON_FIELDS = {"risk", "risk_interval", "category", "recommendation", "knee_angle_deg", "knee_angle_interval",
               "per_frame", "quality", "model", "device", "timings"}  # fmt: skip


@pytest.fixture(scope="module")
def sample_result():
    seen: list[Progress] = []
    result = run_screen(sample_clip(), on_progress=seen.append, age_y=8.0, sex="F", device="cpu")
    return result, seen


def test_the_sample_clip_is_screened(sample_result) -> None:
    result, _ = sample_result
    assert result.screenable and result.windows >= 5
    assert 0.0 <= result.risk_interval[0] <= result.risk <= result.risk_interval[1] <= 1.0
    assert result.knee_angle_interval[0] <= result.knee_angle_deg <= result.knee_angle_interval[1]
    assert result.recommendation in ("no_concern", "re_screen", "refer") and result.reason
    assert result.device == "cpu"
    assert result.norm_band_deg[0] <= result.norm_band_deg[1] <= result.norm_band_deg[2]
    frames = [p["frame"] for p in result.per_frame]
    assert frames == sorted(frames) and len(frames) > 40
    data = json.loads(json.dumps(result.to_dict()))
    assert JSON_FIELDS <= set(data)
    assert data["model"]["id"] == _prepared(default_weights(), "cpu", "auto").loaded.card["id"]
    assert {"video", "model and explanations", "total"} <= set(data["timings"])


def test_progress_is_monotonic_and_ends_at_total(sample_result) -> None:
    _, seen = sample_result
    done = [p.done for p in seen]
    assert done == sorted(done)
    assert seen[-1].done == seen[-1].total and all(p.total == seen[0].total for p in seen)
    assert {"reading video", "analysing", "done"} <= {p.stage for p in seen}


def test_heatmaps_are_compact_and_cover_the_frames(sample_result) -> None:
    result, _ = sample_result
    heat = result.heatmaps
    assert heat.maps.dtype == np.uint8 and heat.maps.shape[1:] == (64, 44)
    assert heat.maps.max() == 255  # scaled to the clip's strongest attention
    assert heat.nbytes() < 64 * 44 * len(result.per_frame) + 64 * len(result.per_frame)
    assert set(heat.frame_indices.tolist()) == {p["frame"] for p in result.per_frame}
    full = heat.full_frame(len(heat.maps) // 2, result.video["width"], result.video["height"])
    x0, y0, x1, y1 = heat.boxes[len(heat.maps) // 2]
    inside = full[int(y0) : int(np.ceil(y1)), int(x0) : int(np.ceil(x1))].sum()
    assert inside / full.sum() > 0.99


def test_no_hooks_are_left_on_the_model(sample_result) -> None:
    model = _prepared(default_weights(), "cpu", "auto").loaded.model
    for module in model.modules():
        assert not module._forward_hooks and not module._backward_hooks and not module._forward_pre_hooks


def test_screening_is_deterministic_on_the_cpu(sample_result) -> None:
    first, _ = sample_result
    again = run_screen(sample_clip(), age_y=8.0, sex="F", device="cpu")
    assert again.risk == first.risk and again.knee_angle_deg == first.knee_angle_deg
    assert again.per_frame == first.per_frame
    assert np.array_equal(again.heatmaps.maps, first.heatmaps.maps)


def test_cancel_stops_within_a_second() -> None:
    flag = {"at": None}

    def should_cancel() -> bool:
        return flag["at"] is not None

    gen = screen(sample_clip(), device="cpu", should_cancel=should_cancel)
    with pytest.raises(Cancelled):
        for progress in gen:
            if progress.stage == "reading video" and flag["at"] is None:
                flag["at"] = time.monotonic()
    assert time.monotonic() - flag["at"] < 1.0


def test_a_clip_without_a_child_gets_reasons_not_a_score(tmp_path: Path) -> None:
    empty = write_frames(tmp_path / "empty.mp4", [textured_background(240, 320, seed=1)] * 50)
    result = run_screen(empty, device="cpu")
    assert not result.screenable and result.risk is None and result.recommendation is None
    assert result.category == "not_screenable"
    assert "no_person" in [p["code"] for p in result.quality["problems"]]
    assert "cannot be screened" in result.reason
    assert main(["screen", str(empty), "--json", str(tmp_path / "r.json")]) == 2
    assert json.loads((tmp_path / "r.json").read_text())["risk"] is None


def test_bad_input_is_a_clear_error(tmp_path: Path, capsys) -> None:
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"not a video at all")
    with pytest.raises(VideoOpenError):
        run_screen(junk, device="cpu")
    assert main(["screen", str(junk)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "junk.mp4" in err
    with pytest.raises(ValueError, match="age"):
        run_screen(sample_clip(), age_y=40)
    assert main(["screen", str(sample_clip()), "--weights", str(tmp_path / "none.pt")]) == 1
    assert "not found" in capsys.readouterr().err


def test_cli_writes_json_and_overlay(tmp_path: Path, capsys) -> None:
    import cv2

    code = main(["screen", str(sample_clip()), "--age", "6", "--json", str(tmp_path / "r.json"),
                 "--overlay", str(tmp_path / "o.mp4")])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0 and "recommendation:" in out and "not a diagnosis" in out
    data = json.loads((tmp_path / "r.json").read_text())
    assert JSON_FIELDS <= set(data) and data["age_years"] == 6.0
    cap = cv2.VideoCapture(str(tmp_path / "o.mp4"))
    assert int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) == data["video"]["frames"]
    cap.release()
    assert not list(tmp_path.glob(".*tmp*"))


def test_a_cuda_failure_falls_back_to_the_cpu_and_says_so(monkeypatch) -> None:
    from genuscreen.inference import pipeline
    from genuscreen.inference.device import DeviceChoice, is_cuda_failure

    real = pipeline._prepared

    class BrokenGpu:
        def __init__(self, path, precision):
            cpu = real(path, "cpu", precision)
            self.loaded, self.plan, self.tail, self.device = cpu.loaded, cpu.plan, cpu.tail, "cuda"

        def trunk_runner(self, _batch):
            raise RuntimeError("CUDA error: out of memory")

    monkeypatch.setattr(pipeline, "resolve_device", lambda _requested: DeviceChoice("cuda", "cuda (test card)"))
    monkeypatch.setattr(pipeline, "_prepared", lambda path, device, precision: BrokenGpu(path, precision) if device == "cuda" else real(path, device, precision))
    result = run_screen(sample_clip(), device="cuda")
    assert result.screenable and result.device == "cpu"
    assert any("GPU failed" in note for note in result.notes)
    assert is_cuda_failure(RuntimeError("CUDA error: device-side assert")) and not is_cuda_failure(ValueError("x"))


def test_asking_for_cuda_without_it_runs_on_the_cpu_with_a_note() -> None:
    import torch

    from genuscreen.inference.device import resolve_device

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    choice = resolve_device("cuda")
    assert choice.device == "cpu" and "CUDA was asked for" in choice.notes[0]
    assert resolve_device("auto").notes == []
    with pytest.raises(ValueError, match="device"):
        resolve_device("tpu")
