"""The whole video stage on rendered walking children with exact truth: boxes, masks, steps,
verdicts of the quality gate, and clips that map back onto the frames; for both front ends (the
pose model, the default, and the background model) where both are meant to agree."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from genuscreen.synth import Scene, Walker, heel_strike_times, render, write_video
from genuscreen.video import FRONT_ENDS, ClipSpec, inspect_video
from genuscreen.video.blobs import box_iou
from genuscreen.video.clips import model_frame
from genuscreen.video.pose_walker import PoseParams, analysed

SIZE = dict(width=480, height=360)


def make_clip(tmp_path: Path, name: str, scene: Scene) -> tuple[Path, list, dict]:
    """Render ``scene`` to an mp4; return its path, the child's boxes and some of its masks."""
    boxes, masks, images = [], {}, []
    for frame in render(scene):
        images.append(frame.image)
        boxes.append(frame.boxes[0] if frame.boxes else None)
        if frame.index % 10 == 0 and frame.masks:
            masks[frame.index] = frame.masks[0] > 0
    path = tmp_path / f"{name}.mp4"
    write_video(path, images, scene.fps)
    return path, boxes, masks


def toward(**kw) -> Walker:
    defaults = dict(start_time_s=0.8)  # a short empty lead-in, as the capture screen records
    defaults.update(kw)
    return Walker(**defaults)


@pytest.fixture(scope="module")
def frontal_clip(tmp_path_factory):
    scene = Scene(**SIZE, fps=30, duration_s=5.6, walkers=(toward(),), seed=11)
    path, boxes, masks = make_clip(tmp_path_factory.mktemp("frontal"), "frontal", scene)
    return scene, path, boxes, masks


@pytest.fixture(scope="module", params=FRONT_ENDS)
def frontal(request, frontal_clip):
    scene, path, boxes, masks = frontal_clip
    return scene, path, boxes, masks, inspect_video(path, front_end=request.param)


def frames_looked_at(inspection, boxes: list) -> int:
    """Frames with the child in view that the front end analysed (the pose model looks at about
    15 a second)."""
    extraction = inspection.extraction
    if extraction.front_end != "pose":
        return sum(b is not None for b in boxes)
    rate = PoseParams().rate_hz
    return sum(b is not None and analysed(i, extraction.info.fps, rate) for i, b in enumerate(boxes))


def test_frontal_walk_passes_the_gate(frontal) -> None:
    _, _, _, _, inspection = frontal
    assert inspection.quality.ok, inspection.quality.to_dict()
    assert inspection.clips, "a screenable clip must give model windows"


def test_walker_box_and_mask_accuracy(frontal) -> None:
    scene, _, boxes, masks, inspection = frontal
    walker = inspection.extraction.walker
    ious = [box_iou(f.box, boxes[f.index]) for f in walker.frames if boxes[f.index] is not None]
    assert len(ious) >= 0.9 * frames_looked_at(inspection, boxes)
    assert np.mean(ious) > 0.85, np.mean(ious)
    # Silhouettes drawn back through their crop boxes overlap the exact masks.
    mask_ious = []
    for f in walker.frames:
        if f.index not in masks:
            continue
        x0, y0, x1, y1 = f.crop_box
        canvas = np.zeros((scene.height, scene.width), np.uint8)
        w, h = int(round(x1 - x0)), int(round(y1 - y0))
        sil = cv2.resize(f.silhouette * 255, (w, h), interpolation=cv2.INTER_LINEAR)
        ix0, iy0 = int(round(x0)), int(round(y0))
        sx0, sy0 = max(0, -ix0), max(0, -iy0)
        cx1, cy1 = min(scene.width, ix0 + w), min(scene.height, iy0 + h)
        canvas[iy0 + sy0 : cy1, ix0 + sx0 : cx1] = sil[sy0 : cy1 - iy0, sx0 : cx1 - ix0]
        truth = masks[f.index]
        drawn = canvas > 127
        mask_ious.append((drawn & truth).sum() / max(1, (drawn | truth).sum()))
    assert len(mask_ious) >= 3
    assert np.mean(mask_ious) > 0.7, mask_ious


def test_step_count_matches_heel_strikes(frontal) -> None:
    scene, _, _, _, inspection = frontal
    truth = len(heel_strike_times(scene.walkers[0], scene.duration_s, scene_seed=scene.seed))
    assert abs(inspection.steps.steps - truth) <= 1, (inspection.steps, truth)
    assert inspection.steps.cadence_steps_per_min == pytest.approx(140, rel=0.08)


@pytest.mark.parametrize("front_end", FRONT_ENDS)
@pytest.mark.parametrize("cadence, speed", [(120, 0.8), (165, 1.3)])
def test_step_count_other_cadences(tmp_path: Path, cadence: float, speed: float, front_end: str) -> None:
    # With the empty-scene reference the capture screen records, so that this tests the counter.
    scene = Scene(**SIZE, fps=25, duration_s=5.5, walkers=(toward(cadence_steps_per_min=cadence, speed_m_s=speed),), seed=cadence)
    empty = next(iter(render(Scene(**SIZE, fps=25, duration_s=0.1, walkers=(), seed=cadence)))).image
    path, _, _ = make_clip(tmp_path, "cadence", scene)
    inspection = inspect_video(path, empty_scene=empty, front_end=front_end)
    truth = len(heel_strike_times(scene.walkers[0], scene.duration_s, scene_seed=scene.seed))
    assert abs(inspection.steps.steps - truth) <= 1, (inspection.steps, truth)


def test_clips_have_the_spec_shape_and_map_back(frontal) -> None:
    scene, _, boxes, _, inspection = frontal
    spec = ClipSpec()
    for clip in inspection.clips:
        assert clip.silhouettes.shape == (spec.frames, spec.height, spec.width)
        assert clip.silhouettes.dtype == np.float32
        assert 0.0 <= clip.silhouettes.min() and clip.silhouettes.max() <= 1.0
        assert clip.crop_boxes.shape == (spec.frames, 4)
        assert np.all(np.diff(clip.times_s) == pytest.approx(1 / spec.fps))
        # Each crop box holds the child's box (height-normalised, centred).
        for box, index in zip(clip.crop_boxes, clip.frame_indices):
            truth = boxes[index]
            cx = (truth[0] + truth[2]) / 2
            assert box[0] < cx < box[2]
            assert abs(box[1] - truth[1]) < 0.06 * (truth[3] - truth[1])
            assert abs(box[3] - truth[3]) < 0.06 * (truth[3] - truth[1])
    # Overlapping windows: stride half the length.
    starts = [c.times_s[0] for c in inspection.clips]
    assert np.allclose(np.diff(starts)[:3], spec.stride / spec.fps, atol=1e-6)


def test_model_frame_box_matches_its_silhouette(frontal) -> None:
    _, _, _, _, inspection = frontal
    frame = inspection.extraction.walker.frames[len(inspection.extraction.walker.frames) // 2]
    spec = ClipSpec()
    image, box = model_frame(frame, spec)
    # Same scale in x and y: the box's aspect is the model frame's aspect.
    assert (box[2] - box[0]) / (box[3] - box[1]) == pytest.approx(spec.width / spec.height, rel=0.02)
    assert image.shape == (spec.height, spec.width)


def verdict(tmp_path: Path, scene: Scene, front_end: str = "pose") -> list[str]:
    path, _, _ = make_clip(tmp_path, "case", scene)
    return inspect_video(path, front_end=front_end).quality.codes()


def verdicts(tmp_path: Path, scene: Scene) -> dict[str, list[str]]:
    """The gate's codes from each front end on one rendered clip."""
    path, _, _ = make_clip(tmp_path, "case", scene)
    return {front_end: inspect_video(path, front_end=front_end).quality.codes() for front_end in FRONT_ENDS}


def test_side_view(tmp_path: Path) -> None:
    walker = Walker(path="across", start_distance_m=4.0, lateral_offset_m=-2.2, speed_m_s=1.1)
    for codes in verdicts(tmp_path, Scene(**SIZE, duration_s=4.0, walkers=(walker,), seed=2)).values():
        assert "side_view" in codes


def test_two_children(tmp_path: Path) -> None:
    first = toward(lateral_offset_m=-0.5)
    second = toward(lateral_offset_m=0.6, start_distance_m=5.5, shirt_bgr=(40, 40, 200), cadence_steps_per_min=150)
    for codes in verdicts(tmp_path, Scene(**SIZE, duration_s=5.0, walkers=(first, second), seed=3)).values():
        assert "multiple_people" in codes


def test_too_dark(tmp_path: Path) -> None:
    for codes in verdicts(tmp_path, Scene(**SIZE, duration_s=5.0, walkers=(toward(),), brightness=0.15, seed=4)).values():
        assert "too_dark" in codes


def test_hand_held_shake_refuses_only_the_background_model(tmp_path: Path) -> None:
    # A smooth random shake of 5 % of the width, as a hand-held tablet: the background model cannot
    # separate the child from a moving scene; the pose model measures the walk relative to the body.
    codes = verdicts(tmp_path, Scene(**SIZE, duration_s=5.0, walkers=(toward(),), camera_shake_px=25, seed=5))
    assert "camera_moving" in codes["background"]
    assert codes["pose"] == [], codes["pose"]


def test_violent_shake_refuses_the_pose_model(tmp_path: Path) -> None:
    codes = verdict(tmp_path, Scene(**SIZE, duration_s=5.0, walkers=(toward(),), camera_shake_px=140, seed=5))
    assert "camera_moving" in codes


def test_body_cut_off(tmp_path: Path) -> None:
    # Camera high and close: the child's feet leave the bottom of the frame for most of the walk.
    walker = toward(start_distance_m=3.0, end_distance_m=0.8, speed_m_s=0.9)
    scene = Scene(**SIZE, duration_s=4.5, walkers=(walker,), camera_height_m=1.1, hfov_deg=50, seed=6)
    for codes in verdicts(tmp_path, scene).values():
        assert "body_cut_off" in codes


def test_too_short(tmp_path: Path) -> None:
    for codes in verdicts(tmp_path, Scene(**SIZE, duration_s=0.8, walkers=(Walker(),), seed=7)).values():
        assert "too_few_frames" in codes
        assert "too_few_steps" in codes


def test_nobody(tmp_path: Path) -> None:
    for codes in verdicts(tmp_path, Scene(**SIZE, duration_s=2.0, walkers=(), seed=8)).values():
        assert codes[-1] == "no_person"


def test_standing_child_is_not_a_walk(tmp_path: Path) -> None:
    # Standing still from the first frame: the background model takes the child for part of the
    # scene (no walker); the pose model sees the child but counts no steps.
    walker = Walker(path="still", start_distance_m=3.0)
    codes = verdicts(tmp_path, Scene(**SIZE, duration_s=4.0, walkers=(walker,), seed=9))
    assert "no_person" in codes["background"] or "too_few_steps" in codes["background"]
    assert "too_few_steps" in codes["pose"]


def test_standing_child_with_reference_counts_no_steps(tmp_path: Path) -> None:
    scene = Scene(**SIZE, duration_s=4.0, walkers=(Walker(path="still", start_distance_m=3.0),), seed=9)
    empty = next(iter(render(Scene(**SIZE, duration_s=0.1, walkers=(), seed=9)))).image
    path, _, _ = make_clip(tmp_path, "still", scene)
    inspection = inspect_video(path, empty_scene=empty, front_end="background")
    assert inspection.extraction.walker is not None
    assert "too_few_steps" in inspection.quality.codes()


def test_progress_is_reported_and_cancel_stops_quickly(frontal) -> None:
    import time

    from genuscreen.video import Cancelled

    _, path, _, _, inspection = frontal
    front_end = inspection.extraction.front_end
    first, second = ("people", "pose") if front_end == "pose" else ("background", "tracking")
    seen: list[tuple[str, int, int]] = []
    inspect_video(path, progress=lambda stage, done, total: seen.append((stage, done, total)), front_end=front_end)
    stages = [s for s, _, _ in seen]
    assert stages[0] == first and stages[-1] == second
    tracking = [(d, t) for s, d, t in seen if s == second]
    assert tracking[-1][0] == tracking[-1][1]  # reaches 100%
    assert all(b[0] >= a[0] for a, b in zip(tracking, tracking[1:]))  # never goes back

    calls = {"n": 0, "asked": None}

    def should_cancel() -> bool:
        calls["n"] += 1
        if calls["n"] == 60 and calls["asked"] is None:
            calls["asked"] = time.perf_counter()
        return calls["asked"] is not None

    with pytest.raises(Cancelled):
        inspect_video(path, should_cancel=should_cancel, front_end=front_end)
    assert time.perf_counter() - calls["asked"] < 1.0


def test_walker_is_the_child_walking_toward_the_camera(tmp_path: Path) -> None:
    # An adult crosses the back of the room while the child walks toward the camera.
    child = toward()
    adult = Walker(path="across", height_m=1.75, start_distance_m=7.0, lateral_offset_m=-3.0, speed_m_s=1.3,
                   cadence_steps_per_min=110, shirt_bgr=(60, 60, 60))
    scene = Scene(**SIZE, duration_s=5.6, walkers=(child, adult), seed=21)
    path, boxes, _ = make_clip(tmp_path, "child_and_adult", scene)
    for front_end in FRONT_ENDS:
        inspection = inspect_video(path, front_end=front_end)
        walker = inspection.extraction.walker
        ious = [box_iou(f.box, boxes[f.index]) for f in walker.frames if boxes[f.index] is not None]
        assert np.median(ious) > 0.8, front_end
        if front_end == "background":  # it cannot tell a passer-by from a second walker
            assert "multiple_people" in inspection.quality.codes()
        else:  # the adult crossing behind is said, and refuses nothing
            assert inspection.quality.ok, inspection.quality.codes()
            assert [n.code for n in inspection.quality.notes if n.code.startswith("bystander_")]
