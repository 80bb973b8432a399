"""Tests for the school tier of the synthetic generator (genuscreen.synth.school) and
`genuscreen synth --tier school`."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from genuscreen.cli import EXIT_OK, main
from genuscreen.synth import dataset as ds
from genuscreen.synth import school
from genuscreen.synth.walk import render

# Small, slow clips keep rendering cheap where the pixels themselves do not matter.
TINY = ["--size", "160x120", "--fps", "10"]

# sha256 of the pictures, masks and label records of three clean clips (seed 5, clips 0-2, at
# 160x120 and 10 fps), as the generator made them before the school tier existed. Cached data
# sets and trained weights depend on the clean tier: if this changes on purpose, raise
# synth.GENERATOR_VERSION and record the new digests.
CLEAN_DIGESTS = {
    0: "a635a9d31958651a3a10c8c85fd62d20932aabeb4de5386fbd82a23284f8636c",
    1: "f0606e6542576587529028f0c633000d9c81428c44f3b22c3edc0bc3a4521133",
    2: "76f61b9b0e31a4225a5ffca6717a9c7b446b8afc6d31b98e48e1c4c9d595604b",
}


def _clip_with(wanted, size=(160, 120), fps=10.0, seed=5, limit=200) -> school.SchoolClip:
    """The first school clip of a data set whose conditions satisfy ``wanted`` (drawing only)."""
    for i, label in enumerate(ds.label_plan(limit, seed)):
        clip = school.sample_school_clip(ds.clip_seed(seed, i), label, size, fps)
        if wanted(clip):
            return clip
    raise AssertionError("no clip with the wanted conditions")  # pragma: no cover


def _with_camera(clip: school.SchoolClip, camera: school.HandHeld, **picture) -> school.SchoolClip:
    return dataclasses.replace(clip, conditions=dataclasses.replace(clip.conditions, camera=camera, **picture))


# ------------------------------------------------------------------------------------------
# The clean tier stays as it was
# ------------------------------------------------------------------------------------------


def test_clean_tier_renders_byte_for_byte_as_before() -> None:
    for index, label in enumerate(["normal", "genu_valgum", "normal"]):
        seed = ds.clip_seed(5, index)
        _, scene = ds.sample_clip(seed, label, (160, 120), 10.0)
        digest = hashlib.sha256()
        for frame in render(scene):
            digest.update(frame.image.tobytes())
            digest.update(frame.masks[0].tobytes())
        digest.update(json.dumps(ds.clip_record(index, label, seed, scene)).encode())
        assert digest.hexdigest() == CLEAN_DIGESTS[index], f"clean clip {index} changed"


def test_school_clip_films_the_clean_clips_child_in_the_same_room() -> None:
    for index in range(3):
        seed = ds.clip_seed(5, index)
        _, clean = ds.sample_clip(seed, "normal", (160, 120), 10.0)
        clip = school.sample_school_clip(seed, "normal", (160, 120), 10.0)
        scene = clip.scene
        assert scene.walkers[0] == clean.walkers[0]
        same = ("width", "height", "fps", "duration_s", "camera_height_m", "hfov_deg", "tilt_deg", "background", "seed")
        assert {k: getattr(scene, k) for k in same} == {k: getattr(clean, k) for k in same}
        assert ds.clip_record(index, "normal", seed, scene) == ds.clip_record(index, "normal", seed, clean)


# ------------------------------------------------------------------------------------------
# Data sets
# ------------------------------------------------------------------------------------------


def test_synth_command_writes_school_labels_with_every_condition(tmp_path: Path, capsys) -> None:
    out = tmp_path / "school"
    code = main(["synth", "--out", str(out), "--n", "3", "--seed", "5", "--tier", "school", *TINY, "--workers", "1"])
    assert code == EXIT_OK, capsys.readouterr().err
    rows = [json.loads(line) for line in (out / "labels.jsonl").read_text().splitlines()]
    assert len(rows) == 3
    for row in rows:
        assert tuple(row) == ds.COLUMNS + school.SCHOOL_COLUMNS
        assert row["tier"] == "school" and row["size"] == "160x120"
        assert 0.0 <= row["shake"] <= school.SHAKE_RANGE[1] and abs(row["shake_roll_deg"]) <= school.ROLL_MAX_DEG
        assert row["pan"] == 0.0 or school.PAN_RANGE[0] * 0.5 <= abs(row["pan"]) <= school.PAN_RANGE[1]
        assert row["bystanders"] == len(row["bystander_kinds"]) <= 2
        assert set(row["bystander_kinds"]) <= set(school.BYSTANDER_KINDS)
        assert 0 <= row["bystander_adults"] <= row["bystanders"]
        assert 0.0 <= row["blur"] <= 1.0 and 0.0 <= row["camera_blur"] < 0.2 and 0.0 <= row["flicker"] <= 0.12
        assert isinstance(row["low_light"], bool)
        assert row["jpeg_quality"] is None or 1 <= row["jpeg_quality"] <= 100
        # The record describes the child and scene that were rendered: the clean columns are
        # the clean clip's.
        _, clean_scene = ds.sample_clip(row["seed"], row["label"], (160, 120), 10.0)
        clean = ds.clip_record(int(row["id"]), row["label"], row["seed"], clean_scene, file=row["file"])
        assert {k: row[k] for k in ds.COLUMNS} == clean
    with open(out / "labels.csv", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert tuple(table[0]) == ds.COLUMNS + school.SCHOOL_COLUMNS
    assert [r["tier"] for r in table] == ["school"] * 3
    assert [r["bystander_kinds"].split(";") if r["bystander_kinds"] else [] for r in table] == [
        r["bystander_kinds"] for r in rows
    ]


def test_same_seed_same_school_data_set_whatever_the_workers(tmp_path: Path) -> None:
    def files(folder: Path) -> dict:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}

    args = dict(size=(160, 120), fps=10.0, masks=True, tier="school")
    ds.write_dataset(tmp_path / "one", 3, 11, workers=1, **args)
    ds.write_dataset(tmp_path / "two", 3, 11, workers=2, **args)
    one, two = files(tmp_path / "one"), files(tmp_path / "two")
    assert one.keys() == two.keys() and len(one) == 2 + 3 + 3
    assert all(one[k] == two[k] for k in one)
    # ... and not the clean data set of the same seed.
    ds.write_dataset(tmp_path / "clean", 1, 11, size=(160, 120), fps=10.0)
    assert (tmp_path / "clean" / "clips" / "000000.mp4").read_bytes() != one["clips/000000.mp4"]


def test_bad_tier_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="tier must be one of clean, school"):
        ds.write_dataset(tmp_path, 1, 0, tier="hospital")


# ------------------------------------------------------------------------------------------
# Camera
# ------------------------------------------------------------------------------------------


def test_shake_is_smooth_hand_tremor_within_its_amplitude() -> None:
    clip = _clip_with(lambda c: c.conditions.camera.shake_px > 0.015 * c.scene.width, size=(640, 480), fps=30.0)
    camera, scene = clip.conditions.camera, clip.scene
    t = np.arange(scene.n_frames) / scene.fps
    dx, dy, roll = camera.at(t)
    dx = dx - camera.pan_px_s * (t - camera.pan_mid_s)
    assert np.hypot(dx, dy).max() == pytest.approx(camera.shake_px, rel=1e-6)
    assert np.abs(roll).max() <= school.ROLL_MAX_DEG + 1e-9
    # Low-frequency motion, not white noise: most of the power lies below 5 Hz.
    power = np.abs(np.fft.rfft(dx - dx.mean())) ** 2
    freqs = np.fft.rfftfreq(len(dx), 1.0 / scene.fps)
    assert power[freqs <= 5.0].sum() > 0.9 * power.sum()
    assert school.TREMOR_HZ[0] <= camera.tremor_hz <= school.TREMOR_HZ[1]


def test_the_picture_moves_with_the_camera() -> None:
    clip = _clip_with(lambda c: c.scene.background != "plain", size=(320, 240), fps=10.0)
    camera = school.HandHeld(pan_px_s=12.0, pan_mid_s=0.0)  # the view moves right 12 px a second
    clip = _with_camera(clip, camera, blur=0.0, flicker=0.0, jpeg_quality=None)
    clip = dataclasses.replace(clip, scene=dataclasses.replace(clip.scene, noise_sigma=0.0))
    frames = [f for f in school.render_school(clip) if f.index in (0, 10, 20)]
    top = [cv2.cvtColor(f.image[:90], cv2.COLOR_BGR2GRAY).astype(np.float32) for f in frames]
    for frame, band in zip(frames[1:], top[1:]):
        (sx, sy), _ = cv2.phaseCorrelate(top[0], band)
        assert sx == pytest.approx(-12.0 * frame.time_s, abs=0.6) and abs(sy) < 0.6
        assert frame.camera_offset_px == (round(12.0 * frame.time_s), 0)


def test_ground_truth_is_the_walkers_in_the_moved_frames() -> None:
    clip = _clip_with(lambda c: len(c.conditions.bystanders) >= 1, size=(320, 240), fps=10.0)
    shaken = _with_camera(clip, dataclasses.replace(clip.conditions.camera, shake_px=6.0, roll_deg=0.0, pan_px_s=5.0))
    still = _with_camera(clip, school.HandHeld())
    moved = 0
    for a, b in zip(school.render_school(still, rgb=False), school.render_school(shaken, rgb=False)):
        if a.boxes[0] is None or b.boxes[0] is None:
            continue
        # Whole in view in both: the walker's box moves by minus the camera's offset.
        if min(a.boxes[0][:2]) <= 1 or a.boxes[0][2] >= 319 or a.boxes[0][3] >= 239:
            continue
        dx, dy, _ = (float(v) for v in shaken.conditions.camera.at(b.time_s))
        assert b.boxes[0][0] == pytest.approx(a.boxes[0][0] - dx, abs=1.01)
        assert b.boxes[0][1] == pytest.approx(a.boxes[0][1] - dy, abs=1.01)
        assert b.joints[0]["pelvis"][0] == pytest.approx(a.joints[0]["pelvis"][0] - dx, abs=1e-6)
        # The walker's mask is the walker's alone: no pixel of it belongs to a bystander.
        walker = b.masks[0] > 0
        assert walker.any() and not any((m[walker] > 0).any() for m in b.masks[1:])
        x0, y0, x1, y1 = b.boxes[0]
        assert walker[y0:y1, x0:x1].sum() == walker.sum()
        moved += abs(dx) + abs(dy) > 2
    assert moved > 5


def test_saved_masks_are_in_the_moved_frames(tmp_path: Path) -> None:
    records = ds.write_dataset(tmp_path, 1, 5, size=(160, 120), fps=10.0, masks=True, tier="school")
    truth = ds.load_masks(tmp_path / "masks" / "000000.npz")
    clip = school.sample_school_clip(records[0]["seed"], records[0]["label"], (160, 120), 10.0)
    frames = list(school.render_school(clip, rgb=False))
    assert truth["camera"].shape == (len(frames), 3)
    for t, frame in enumerate(frames):
        assert (frame.boxes[0] is None) == (not np.all(np.isfinite(truth["boxes"][t])))
        if frame.boxes[0] is not None:
            assert tuple(int(v) for v in truth["boxes"][t]) == frame.boxes[0]
            x0, y0, x1, y1 = frame.boxes[0]
            assert np.array_equal(truth["masks"][t], (frame.masks[0][y0:y1, x0:x1] > 0).astype(np.uint8))
        dx, dy, roll = clip.conditions.camera.at(frame.time_s)
        assert truth["camera"][t] == pytest.approx([dx, dy, roll], abs=1e-3)


def test_walker_stays_whole_in_view_however_the_camera_moves() -> None:
    for i in range(4):
        clip = school.sample_school_clip(ds.clip_seed(13, i), "genu_valgum", (320, 180), 10.0)
        seen = [f.boxes[0] for f in school.render_school(clip, rgb=False) if f.boxes[0] is not None]
        assert len(seen) > 20
        for x0, y0, x1, y1 in seen:
            assert x0 > 0 and y0 > 0 and x1 < 320 and y1 < 180


# ------------------------------------------------------------------------------------------
# Bystanders
# ------------------------------------------------------------------------------------------


def test_bystanders_are_people_of_their_kind_in_view_and_clear_of_the_walker() -> None:
    for kind in school.BYSTANDER_KINDS:
        clip = _clip_with(lambda c, k=kind: k in c.conditions.bystanders)
        scene, cond = clip.scene, clip.conditions
        assert len(scene.walkers) == 1 + len(cond.bystanders)
        paths = {"sitting": ("sit", "sit_floor"), "standing": ("still",), "crossing": ("across",)}
        for person, k in zip(scene.walkers[1:], cond.bystanders):
            assert person.path in paths[k]
            assert person != scene.walkers[0]
        benches = sum(p.path == "sit" for p in scene.walkers[1:])
        assert len(scene.props) == benches
        j = 1 + cond.bystanders.index(kind)
        alone = dataclasses.replace(scene, walkers=scene.walkers[:1], props=(), exit_times_s=())
        hidden = visible = 0
        for frame, solo in zip(school.render_school(clip, rgb=False), render(alone, rgb=False)):
            visible += frame.boxes[j] is not None
            # The walker's visible area against its area with nobody about (the camera's
            # motion does not change the walker's area, only where it is).
            full = int((solo.masks[0] > 0).sum())
            hidden += full > 0 and (frame.masks[0] > 0).sum() < 0.9 * full
        assert visible >= (5 if kind == "crossing" else 0.8 * scene.n_frames), kind
        assert hidden <= 0.5 * scene.fps, kind  # never hidden for more than a moment


def test_sitting_people_sit_and_have_a_seat() -> None:
    clip = _clip_with(lambda c: any(w.path == "sit" for w in c.scene.walkers))
    sitter = next(w for w in clip.scene.walkers if w.path == "sit")
    frame = next(iter(school.render_school(clip, rgb=False)))
    j = clip.scene.walkers.index(sitter)
    x0, y0, x1, y1 = frame.boxes[j]
    # Seated: the box is far less tall than the person's stature would make it standing.
    upright = dataclasses.replace(sitter, path="still", heading_deg=0.0)
    alone = dataclasses.replace(clip.scene, walkers=(upright,), props=(), exit_times_s=())
    standing = next(iter(render(alone, rgb=False)))
    sx0, sy0, sx1, sy1 = standing.boxes[0]
    assert (y1 - y0) < 0.85 * (sy1 - sy0)
    bench = clip.scene.props[0]
    assert bench.x0 < sitter.lateral_offset_m < bench.x1 and bench.z0 < sitter.start_distance_m < bench.z1
    assert 0.15 < bench.y1 < 0.6


def test_low_light_is_dim_but_screenable() -> None:
    seed, label = next((ds.clip_seed(5, i), label) for i, label in enumerate(ds.label_plan(200, 5))
                       if school.sample_school_clip(ds.clip_seed(5, i), label, (160, 120), 10.0).conditions.low_light)
    clip = school.sample_school_clip(seed, label, (160, 120), 10.0)
    _, clean = ds.sample_clip(seed, label, (160, 120), 10.0)
    assert clip.scene.brightness < clean.brightness and clip.scene.noise_sigma >= school.LOW_LIGHT_NOISE[0]
    levels = [float(np.median(cv2.cvtColor(f.image, cv2.COLOR_BGR2GRAY))) for f in school.render_school(clip)]
    # Dim, yet above the quality gate's "too dark" (a median grey level under 40 of 255).
    assert 40.0 < float(np.median(levels)) <= school.LOW_LIGHT_LUMA[1] + 10.0
