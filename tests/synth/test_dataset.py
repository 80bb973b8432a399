"""Tests for the synthetic data set generator (genuscreen.synth.dataset) and `genuscreen synth`."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import cv2
import numpy as np
import pytest

from genuscreen import clinical
from genuscreen.cli import EXIT_OK, EXIT_USER_ERROR, main
from genuscreen.synth import dataset as ds
from genuscreen.synth import render
from genuscreen.video import inspect_video
from genuscreen.video.clips import ClipSpec

# Small, slow clips keep rendering cheap where the pixels themselves do not matter.
TINY = ["--size", "160x120", "--fps", "10"]


@pytest.fixture(scope="module")
def draws() -> list:
    """300 children (label drawn) and their scenes from one generator."""
    rng = np.random.default_rng(2024)
    out = []
    for _ in range(300):
        child = ds.sample_child(rng)
        out.append((child, ds.sample_scene(rng, child)))
    return out


def _first_frame(path: Path) -> np.ndarray:
    cap = cv2.VideoCapture(str(path))
    ok, frame = cap.read()
    cap.release()
    assert ok, f"cannot read {path}"
    return frame


def _frame_count(path: Path) -> int:
    cap = cv2.VideoCapture(str(path))
    n = 0
    while cap.grab():
        n += 1
    cap.release()
    return n


# ------------------------------------------------------------------------------------------
# Sampling
# ------------------------------------------------------------------------------------------


def test_children_cover_the_ranges_and_labels_are_balanced(draws) -> None:
    labels = [clinical.tfa_label(c.tfa_deg) for c, _ in draws]
    assert set(labels) == {clinical.LABEL_NORMAL, clinical.LABEL_VALGUM}
    assert 0.42 < labels.count(clinical.LABEL_VALGUM) / len(labels) < 0.58
    no_lead_in = np.mean([c.start_time_s == 0.0 for c, _ in draws])
    assert 0.1 < no_lead_in < 0.3  # some recordings start with the child already walking
    ages = np.array([c.age_y for c, _ in draws])
    assert ages.min() >= 3.0 and ages.max() <= 12.0 and ages.min() < 3.3 and ages.max() > 11.7
    for child, scene in draws:
        label = clinical.tfa_label(child.tfa_deg)
        lo, hi = (0.0, clinical.TFA_NORMAL_MAX) if label == clinical.LABEL_NORMAL else (clinical.TFA_VALGUM_MIN, 25.0)
        assert lo <= child.tfa_deg <= hi
        assert 13.0 <= child.bmi <= 28.0
        assert 120.0 <= child.cadence_steps_per_min <= 170.0
        assert 0.7 <= child.speed_m_s <= 1.4
        assert child.sex in ("female", "male")
        assert child.legwear in ("shorts", "leggings", "trousers", "skirt", "bare")
        assert abs(child.heading_deg) <= 8.0 and abs(child.lateral_offset_m) <= 0.4
        assert 5.0 <= child.start_distance_m <= 6.5 and 1.8 <= child.end_distance_m <= 2.6
        assert child.start_time_s == 0.0 or 0.5 <= child.start_time_s <= 1.0
        walker = scene.walkers[0]
        assert walker.end_distance_m >= child.end_distance_m  # only ever moved back
        assert walker.start_distance_m - walker.end_distance_m >= 2.4 - 1e-9
        assert 0.5 <= scene.camera_height_m <= 1.1
        assert 0.0 <= scene.tilt_deg <= 10.0
        assert 50.0 <= scene.hfov_deg <= 80.0
        assert scene.fps in (25.0, 30.0, 50.0, 60.0)
        assert (scene.width, scene.height) in ((640, 480), (1280, 720), (1920, 1080))
        assert scene.background in ("room", "corridor", "plain")
        # The path is longer than its distance along z by 1 / cos(heading).
        path_m = (walker.start_distance_m - walker.end_distance_m) / math.cos(math.radians(walker.heading_deg))
        walk_s = path_m / walker.speed_m_s
        assert scene.duration_s == pytest.approx(walker.start_time_s + walk_s + 0.5, abs=2e-3)
    # Everything the real recordings vary actually varies.
    assert {c.legwear for c, _ in draws} == {"shorts", "leggings", "trousers", "skirt", "bare"}
    assert {s.background for _, s in draws} == {"room", "corridor", "plain"}
    assert len({(s.width, s.height) for _, s in draws}) == 3 and len({s.fps for _, s in draws}) == 4
    assert min(c.bmi for c, _ in draws) < 14.0 and max(c.bmi for c, _ in draws) > 21.0
    assert not any(c.legwear == "skirt" and c.sex == "male" for c, _ in draws)


def test_stature_grows_with_age_with_a_realistic_spread(draws) -> None:
    no_lead_in = np.mean([c.start_time_s == 0.0 for c, _ in draws])
    assert 0.1 < no_lead_in < 0.3  # some recordings start with the child already walking
    ages = np.array([c.age_y for c, _ in draws])
    stature = np.array([100.0 * c.height_m for c, _ in draws])
    slope, intercept = np.polyfit(ages, stature, 1)
    assert 5.0 < slope < 7.0  # ~6 cm a year
    assert 92.0 < intercept + 3 * slope < 99.0 and 145.0 < intercept + 12 * slope < 155.0
    relative = stature / np.array([100.0 * ds.stature_median_m(c.age_y, c.sex) for c, _ in draws])
    assert 0.035 < relative.std() < 0.055
    # Younger children step faster; speed grows with stature.
    cadence = np.array([c.cadence_steps_per_min for c, _ in draws])
    speed = np.array([c.speed_m_s for c, _ in draws])
    assert np.corrcoef(ages, cadence)[0, 1] < -0.5
    assert np.corrcoef(stature, speed)[0, 1] > 0.3


def test_each_label_gets_an_angle_with_that_label() -> None:
    rng = np.random.default_rng(0)
    for label in (clinical.LABEL_NORMAL, clinical.LABEL_VALGUM, clinical.LABEL_BORDERLINE, clinical.LABEL_VARUS):
        for _ in range(50):
            assert clinical.tfa_label(ds.sample_child(rng, label).tfa_deg) == label
    with pytest.raises(ValueError, match="unknown label"):
        ds.sample_child(rng, "knock-knees")


def test_label_plan_is_balanced_and_does_not_depend_on_the_size() -> None:
    plan = ds.label_plan(300, 5)
    assert plan.count(clinical.LABEL_NORMAL) == plan.count(clinical.LABEL_VALGUM) == 150
    assert ds.label_plan(47, 5) == plan[:47]  # clip i's label is the same in a smaller set
    assert plan != ds.label_plan(300, 6)
    varus = ds.label_plan(200, 5, varus=True, borderline=7)
    assert varus.count(clinical.LABEL_VALGUM) == 100 and varus.count(clinical.LABEL_VARUS) == 20
    assert varus[200:] == [clinical.LABEL_BORDERLINE] * 7
    assert ds.clip_seed(5, 3) == int(np.random.SeedSequence(5).spawn(4)[3].generate_state(1)[0])


def test_whole_child_stays_in_view_for_every_camera() -> None:
    """The camera placement keeps head and feet off the frame edge in every frame (exact masks)."""
    rng = np.random.default_rng(11)
    for k in range(40):
        size = ((320, 240), (320, 180))[k % 2]  # 4:3 and 16:9
        child = ds.sample_child(rng)
        scene = ds.sample_scene(rng, child, size=size, fps=8.0)
        w, h = size
        for frame in render(scene, rgb=False):
            assert frame.image is None
            box = frame.boxes[0]
            if box is None:
                continue
            x0, y0, x1, y1 = box
            assert y0 > 0.01 * h and y1 < 0.99 * h, (k, frame.index, box, scene)
            assert x0 > 0 and x1 < w, (k, frame.index, box, scene)


# ------------------------------------------------------------------------------------------
# Writing data sets
# ------------------------------------------------------------------------------------------


def test_synth_command_writes_clips_and_labels_that_pass_the_quality_gate(tmp_path: Path, capsys) -> None:
    out = tmp_path / "set"
    code = main(["synth", "--out", str(out), "--n", "2", "--seed", "3", "--size", "640x480", "--fps", "25", "--workers", "1"])
    captured = capsys.readouterr()
    assert code == EXIT_OK, captured.err
    assert "2 clips written" in captured.out and "synth: 2/2 clips" in captured.err
    rows = [json.loads(line) for line in (out / "labels.jsonl").read_text().splitlines()]
    assert [r["id"] for r in rows] == ["000000", "000001"]
    for row in rows:
        assert tuple(row) == ds.COLUMNS
        assert row["label"] == clinical.tfa_label(row["tfa_deg"]) and row["size"] == "640x480" and row["fps"] == 25.0
        assert len(row["heel_strikes"]) >= 4 and row["imd_cm"] >= 0.0
        path = out / row["file"]
        assert _frame_count(path) == row["n_frames"]
        quality = inspect_video(path).quality
        assert quality.ok, (row, quality.codes())
    with open(out / "labels.csv", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert tuple(table[0]) == ds.COLUMNS
    assert [r["file"] for r in table] == [r["file"] for r in rows]
    assert float(table[1]["tfa_deg"]) == rows[1]["tfa_deg"]
    assert [float(t) for t in table[0]["heel_strikes"].split(";")] == rows[0]["heel_strikes"]
    assert not list(out.rglob(".*tmp*"))


def test_same_seed_same_data_set_whatever_the_workers(tmp_path: Path) -> None:
    args = ["synth", "--n", "3", "--seed", "9", "--borderline", "1", *TINY]
    assert main([*args, "--out", str(tmp_path / "a"), "--workers", "1"]) == EXIT_OK
    assert main([*args, "--out", str(tmp_path / "b"), "--workers", "2"]) == EXIT_OK
    assert main(["synth", "--n", "3", "--seed", "10", *TINY, "--out", str(tmp_path / "c"), "--workers", "1"]) == EXIT_OK
    a = (tmp_path / "a" / "labels.jsonl").read_text()
    assert a == (tmp_path / "b" / "labels.jsonl").read_text()
    assert a != (tmp_path / "c" / "labels.jsonl").read_text()
    assert json.loads(a.splitlines()[-1])["label"] == clinical.LABEL_BORDERLINE
    for stem in ("000000", "000003"):
        first_a = _first_frame(tmp_path / "a" / "clips" / f"{stem}.mp4")
        first_b = _first_frame(tmp_path / "b" / "clips" / f"{stem}.mp4")
        assert first_a.tobytes() == first_b.tobytes()


def test_masks_round_trip(tmp_path: Path) -> None:
    records = ds.write_dataset(tmp_path, 1, 4, masks=True, size=(320, 240), fps=10.0)
    data = ds.load_masks(tmp_path / "masks" / "000000.npz")
    _, scene = ds.sample_clip(records[0]["seed"], records[0]["label"], (320, 240), 10.0)
    frames = list(render(scene, rgb=False))
    assert len(data["masks"]) == len(frames) == records[0]["n_frames"]
    assert data["boxes"].dtype == np.float32 and data["joints"].dtype == np.float32
    assert data["joints"].shape == (len(frames), len(data["joint_names"]), 2)
    assert tuple(data["frame_size"]) == (320, 240) and data["fps"] == 10.0
    seen = 0
    for t, frame in enumerate(frames):
        if frame.boxes[0] is None:
            assert data["masks"][t] is None and np.isnan(data["boxes"][t]).all()
            continue
        seen += 1
        full = np.zeros((240, 320), np.uint8)
        x0, y0, x1, y1 = (int(v) for v in data["boxes"][t])
        assert (x0, y0, x1, y1) == frame.boxes[0]
        full[y0:y1, x0:x1] = data["masks"][t]
        assert np.array_equal(full, (frame.masks[0] > 0).astype(np.uint8))
        knee = data["joints"][t, data["joint_names"].index("knee_l")]
        assert np.allclose(knee, frame.joints[0]["knee_l"], atol=1e-3)
    assert seen > 10


def test_fast_path_gives_model_ready_windows_of_the_same_children() -> None:
    spec = ClipSpec()
    plan = ds.label_plan(4, 21)
    results = list(ds.silhouette_clips(4, 21, spec))
    assert [r["label"] for _, r in results] == plan
    for windows, record in results:
        assert windows and record["windows"] == len(windows)
        for w in windows:
            assert w.shape == (spec.frames, spec.height, spec.width) and w.dtype == np.float32
            assert 0.0 <= w.min() and w.max() <= 1.0 and w.mean() > 0.05
        child, scene = ds.sample_clip(record["seed"], record["label"])
        assert record["tfa_deg"] == child.tfa_deg and record["size"] == f"{scene.width}x{scene.height}"
    # start= splits the same stream between processes.
    tail = list(ds.silhouette_clips(4, 21, spec, start=2))
    assert [r["seed"] for _, r in tail] == [r["seed"] for _, r in results[2:]]
    assert np.array_equal(tail[0][0][0], results[2][0][0])
    noisy = next(ds.silhouette_clips(1, 21, spec, mask_noise_px=2.0))[0]
    assert noisy and not np.array_equal(noisy[0], results[0][0][0])
    # Rendering every frame of the recording instead of every k-th gives the same kind of windows.
    every, record = next(ds.silhouette_clips(1, 21, spec, frame_step=1))
    assert record["frame_step"] == 1 and results[0][1]["frame_step"] >= 1
    assert every and every[0].shape == results[0][0][0].shape
    assert abs(len(every) - len(results[0][0])) <= 1


@pytest.mark.parametrize(
    "extra, expected",
    [
        (["--size", "640"], "--size must be WIDTHxHEIGHT"),
        (["--size", "20x20"], "--size must be WIDTHxHEIGHT"),
        (["--n", "0"], "--n must be at least 1"),
        (["--fps", "0"], "--fps must be within"),
        (["--workers", "0"], "--workers must be at least 1"),
        (["--borderline", "-1"], "--borderline must not be negative"),
        (["--seed", "-4"], "--seed must not be negative"),
    ],
    ids=["size-format", "size-small", "n", "fps", "workers", "borderline", "seed"],
)
def test_bad_arguments_are_one_clear_line(tmp_path: Path, capsys, extra: list[str], expected: str) -> None:
    args = ["synth", "--out", str(tmp_path / "x"), "--n", "1", *extra]
    assert main(args) == EXIT_USER_ERROR
    err = capsys.readouterr().err
    assert expected in err and err.count("\n") == 1
    assert not (tmp_path / "x").exists()


def test_refuses_to_overwrite_a_data_set_unless_asked(tmp_path: Path, capsys) -> None:
    args = ["synth", "--out", str(tmp_path), "--n", "1", *TINY, "--workers", "1"]
    assert main(args) == EXIT_OK
    before = (tmp_path / "labels.jsonl").read_text()
    (tmp_path / "notes.txt").write_text("mine")
    capsys.readouterr()
    assert main(args) == EXIT_USER_ERROR
    err = capsys.readouterr().err
    assert "already holds a data set" in err and "--overwrite" in err and err.count("\n") == 1
    assert (tmp_path / "labels.jsonl").read_text() == before
    assert main([*args, "--overwrite", "--seed", "2"]) == EXIT_OK
    assert (tmp_path / "labels.jsonl").read_text() != before
    assert (tmp_path / "notes.txt").read_text() == "mine"  # only the data set's own files go
    assert len(list((tmp_path / "clips").iterdir())) == 1
    file_out = tmp_path / "notes.txt"
    assert main(["synth", "--out", str(file_out), "--n", "1", *TINY]) == EXIT_USER_ERROR
    assert "not a folder" in capsys.readouterr().err


@pytest.mark.parametrize("workers", [1, 2])
def test_a_failing_worker_leaves_no_partial_files(tmp_path: Path, monkeypatch, workers: int) -> None:
    real_encode = ds._encode

    def failing_encode(path: Path, frames, fps: float) -> int:
        if "000001" in path.name:
            path.write_bytes(b"\x00" * 1000)  # half a file, as a crash mid-encode leaves it
            raise RuntimeError("simulated crash while encoding")
        return real_encode(path, frames, fps)

    monkeypatch.setattr(ds, "_encode", failing_encode)
    with pytest.raises(RuntimeError, match="simulated crash"):
        # "fork" so the worker processes see the patched encoder.
        ds.write_dataset(tmp_path, 4, 1, masks=True, size=(160, 120), fps=10.0, workers=workers, start_method="fork")
    names = sorted(p.name for p in tmp_path.rglob("*") if p.is_file())
    assert not [n for n in names if ".tmp" in n], names
    assert "labels.jsonl" not in names and "000001.mp4" not in names and "000001.npz" not in names
    for clip in (tmp_path / "clips").glob("*.mp4"):  # whatever finished is whole
        assert _frame_count(clip) > 0
        assert (tmp_path / "masks" / f"{clip.stem}.npz").exists()


def test_interrupted_run_can_be_redone_with_overwrite(tmp_path: Path) -> None:
    (tmp_path / "clips").mkdir()
    (tmp_path / "clips" / "000000.mp4").write_bytes(b"old")
    with pytest.raises(ds.DatasetError, match="already holds"):
        ds.write_dataset(tmp_path, 1, 0, size=(160, 120), fps=10.0)
    records = ds.write_dataset(tmp_path, 1, 0, size=(160, 120), fps=10.0, overwrite=True)
    assert _frame_count(tmp_path / records[0]["file"]) == records[0]["n_frames"]
    assert math.isfinite(records[0]["imd_cm"])
