"""Tests for the synthetic walking-person renderer (genuscreen.synth.walk)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from genuscreen.synth import (
    RenderedFrame,
    Scene,
    Walker,
    heel_strike_times,
    heel_strikes,
    render,
    write_video,
)

# Small frames keep the whole module well under a few seconds.
SMALL = {"width": 320, "height": 240}


def _frames(scene: Scene) -> list[RenderedFrame]:
    return list(render(scene))


def test_frames_have_the_promised_shapes_and_count():
    scene = Scene(**SMALL, fps=10, duration_s=1.0)
    frames = _frames(scene)
    assert len(frames) == scene.n_frames == 10
    for i, fr in enumerate(frames):
        assert fr.index == i and fr.time_s == pytest.approx(i / 10)
        assert fr.image.shape == (240, 320, 3) and fr.image.dtype == np.uint8
        assert len(fr.masks) == len(fr.boxes) == len(fr.joints) == 1
        assert fr.masks[0].shape == (240, 320) and fr.masks[0].dtype == np.uint8
        assert set(np.unique(fr.masks[0])) <= {0, 255}
        for name in ("head", "hip_l", "hip_r", "knee_l", "knee_r", "ankle_l", "ankle_r"):
            assert name in fr.joints[0]


def test_masks_match_boxes():
    scene = Scene(
        **SMALL,
        fps=10,
        duration_s=3.0,
        walkers=(Walker(), Walker(path="across", lateral_offset_m=-3.0, start_distance_m=3.0,
                                  height_m=1.7, speed_m_s=1.4)),  # fmt: skip
    )
    seen = 0
    for fr in render(scene):
        for mask, box in zip(fr.masks, fr.boxes):
            ys, xs = np.nonzero(mask)
            if box is None:
                assert len(xs) == 0
                continue
            seen += 1
            assert box == (xs.min(), ys.min(), xs.max() + 1, ys.max() + 1)
    assert seen > 30


def test_toward_walker_grows_like_inverse_distance():
    scene = Scene(**SMALL, fps=10, duration_s=4.0, walkers=(Walker(start_distance_m=6.0),))
    heights, dists = [], []
    for fr in render(scene):
        x0, y0, x1, y1 = fr.boxes[0]
        heights.append(y1 - y0)
        dists.append(fr.distances_m[0])
    heights, dists = np.array(heights, float), np.array(dists)
    assert dists[0] == pytest.approx(6.0) and dists[-1] < 2.5
    assert heights[-1] > 2.0 * heights[0]
    # Box height x distance stays roughly constant (perspective), within pose variation.
    product = heights * dists
    assert product.max() / product.min() < 1.15


def test_across_walker_moves_horizontally():
    scene = Scene(
        **SMALL,
        fps=10,
        duration_s=2.0,
        walkers=(Walker(path="across", lateral_offset_m=-1.0, start_distance_m=5.0),),
    )
    centres = [((b[0] + b[2]) / 2, (b[1] + b[3]) / 2) for b in (f.boxes[0] for f in render(scene))]
    cx = np.array([c[0] for c in centres])
    cy = np.array([c[1] for c in centres])
    # 2 m at 5 m distance with f = 160 / tan(32.5 deg) ~ 251 px: about 100 px to the right.
    assert cx[-1] - cx[0] == pytest.approx(100, rel=0.2)
    assert np.all(np.diff(cx[::5]) > 0)
    assert cy.max() - cy.min() < 6


def test_away_walker_shrinks_and_stops():
    walker = Walker(path="away", start_distance_m=2.5, end_distance_m=5.0)
    scene = Scene(**SMALL, fps=10, duration_s=4.0, walkers=(walker,))
    frames = _frames(scene)
    heights = [f.boxes[0][3] - f.boxes[0][1] for f in frames]
    assert heights[-1] < 0.6 * heights[0]
    assert frames[-1].distances_m[0] == pytest.approx(5.0, abs=0.3)
    assert frames[-1].distances_m[0] == frames[-5].distances_m[0]  # standing by then


@pytest.mark.parametrize("cadence", [100.0, 140.0, 170.0])
def test_heel_strikes_follow_the_cadence(cadence):
    walker = Walker(path="across", cadence_steps_per_min=cadence, start_time_s=0.7)
    times = heel_strike_times(walker, 30.0)
    steps_per_min = 60.0 * (len(times) - 1) / (times[-1] - times[0])
    assert steps_per_min == pytest.approx(cadence, rel=0.02)
    assert times[0] > 0.7 and times[-1] < 30.0
    sides = [side for _, side in heel_strikes(walker, 30.0)]
    assert all(a != b for a, b in zip(sides, sides[1:]))  # left and right alternate


def test_toward_walker_stops_striking_at_the_end_of_the_walk():
    walker = Walker(start_distance_m=6.0, end_distance_m=2.0, speed_m_s=1.0)
    times = heel_strike_times(walker, 60.0)
    assert times[-1] < 4.0  # the 4 m walk takes 4 s
    assert heel_strike_times(Walker(path="still"), 10.0) == []


def test_rendered_foot_comes_to_rest_at_each_heel_strike():
    walker = Walker(path="across", lateral_offset_m=-1.5, start_distance_m=4.0)
    scene = Scene(**SMALL, fps=30.0, duration_s=3.0, walkers=(walker,), noise_sigma=0.0)
    frames = _frames(scene)
    checked = 0
    for t, side in heel_strikes(walker, scene.duration_s):
        k0 = int(np.floor(t * scene.fps))  # last frame before the strike
        k1 = k0 + 2  # a frame after it, past the heel's short roll
        if k0 < 3 or k1 + 3 >= len(frames):
            continue
        heel, other = "heel_" + side[0], "ankle_" + ("r" if side == "left" else "l")
        x = {i: frames[i].joints[0][heel][0] for i in range(k0 - 3, k1 + 4)}
        y = {i: frames[i].joints[0][heel][1] for i in range(k0 - 3, k1 + 4)}
        swinging = abs(x[k0] - x[k0 - 3]) / 3
        planted = abs(x[k1 + 3] - x[k1]) / 3
        # The swing foot lands in front of the other foot and stays put on the floor.
        assert frames[k1].joints[0][heel][0] > frames[k1].joints[0][other][0]
        assert planted < 0.1 * swinging
        assert abs(y[k1 + 3] - y[k1]) < 0.3
        checked += 1
    assert checked >= 4


def _gap_ratio(tfa: float, path: str) -> float:
    walker = Walker(path=path, tfa_deg=tfa, start_distance_m=3.0 if path == "still" else 5.0)
    scene = Scene(**SMALL, fps=10, duration_s=2.0, walkers=(walker,), noise_sigma=0.0)
    ratios = []
    for fr in render(scene):
        j = fr.joints[0]
        knee_gap = abs(j["knee_l"][0] - j["knee_r"][0])
        ankle_gap = abs(j["ankle_l"][0] - j["ankle_r"][0])
        ratios.append(ankle_gap / knee_gap)
    return float(np.median(ratios))


@pytest.mark.parametrize("path", ["still", "toward"])
def test_valgus_opens_the_ankles_relative_to_the_knees(path):
    straight, valgus, varus = (_gap_ratio(t, path) for t in (0.0, 20.0, -10.0))
    assert valgus > 1.3 * straight
    assert varus < straight


def test_brightness_scales_mean_intensity():
    means = {}
    for b in (1.0, 0.5, 0.15):
        scene = Scene(**SMALL, fps=5, duration_s=0.4, brightness=b)
        means[b] = np.mean([fr.image.mean() for fr in render(scene)])
    assert means[0.5] / means[1.0] == pytest.approx(0.5, abs=0.04)
    assert means[0.15] / means[1.0] == pytest.approx(0.15, abs=0.03)


def test_render_is_deterministic_for_a_seed():
    scene = Scene(**SMALL, fps=10, duration_s=0.5, camera_shake_px=3.0, seed=42)
    a, b = _frames(scene), _frames(scene)
    for fa, fb in zip(a, b):
        assert np.array_equal(fa.image, fb.image)
        assert np.array_equal(fa.masks[0], fb.masks[0])
        assert fa.joints == fb.joints and fa.camera_offset_px == fb.camera_offset_px
    other = _frames(Scene(**SMALL, fps=10, duration_s=0.5, camera_shake_px=3.0, seed=43))
    assert not np.array_equal(a[0].image, other[0].image)


def test_nearer_walker_wins_where_two_overlap():
    far = Walker(path="still", start_distance_m=4.0, height_m=1.75, shirt_bgr=(30, 30, 200))
    near = Walker(path="still", start_distance_m=2.5, lateral_offset_m=0.15)
    kw = dict(**SMALL, fps=5, duration_s=0.2, noise_sigma=0.0)
    both = _frames(Scene(**kw, walkers=(far, near)))[0]
    far_alone = _frames(Scene(**kw, walkers=(far,)))[0].masks[0]
    near_alone = _frames(Scene(**kw, walkers=(near,)))[0].masks[0]
    overlap = (far_alone > 0) & (near_alone > 0)
    assert overlap.sum() > 500
    assert np.array_equal(both.masks[1], near_alone)
    assert np.array_equal(both.masks[0] > 0, (far_alone > 0) & ~(near_alone > 0))
    # The same order holds in the image: the near child's pixels are not the far adult's shirt.
    assert not np.any((both.masks[0] > 0) & (both.masks[1] > 0))


def test_walker_is_absent_before_its_start_time():
    scene = Scene(**SMALL, fps=10, duration_s=1.0, walkers=(Walker(start_time_s=0.5),))
    frames = _frames(scene)
    for fr in frames[:5]:
        assert fr.boxes[0] is None and fr.joints[0] is None and not fr.masks[0].any()
    for fr in frames[5:]:
        assert fr.boxes[0] is not None and fr.joints[0] is not None


def test_frames_are_independent_arrays():
    # No noise and no shake: the frame is a plain copy of the background, the riskiest case.
    scene = Scene(**SMALL, fps=10, duration_s=0.5, noise_sigma=0.0, walkers=())
    clean = _frames(scene)
    scribbled = []
    for fr in render(scene):
        scribbled.append(fr.image.copy())
        fr.image[:] = 255
    for a, b in zip(clean, scribbled):
        assert np.array_equal(a.image, b)
    assert np.array_equal(clean[0].image, clean[-1].image)


def test_camera_shake_moves_the_room_and_the_truth_together():
    still = _frames(Scene(**SMALL, fps=10, duration_s=1.0, noise_sigma=0.0))
    shaky = _frames(Scene(**SMALL, fps=10, duration_s=1.0, noise_sigma=0.0, camera_shake_px=4.0))
    offsets = [fr.camera_offset_px for fr in shaky]
    assert any(o != (0, 0) for o in offsets)
    for a, b in zip(still, shaky):
        dx, dy = b.camera_offset_px
        assert max(abs(dx), abs(dy)) <= 4
        if a.boxes[0] and b.boxes[0]:
            assert b.boxes[0][0] == pytest.approx(a.boxes[0][0] - dx, abs=1)
            assert b.boxes[0][1] == pytest.approx(a.boxes[0][1] - dy, abs=1)


def test_invalid_walkers_and_scenes_are_rejected():
    with pytest.raises(ValueError, match="path"):
        Walker(path="sideways")
    with pytest.raises(ValueError, match="away"):
        Walker(path="away", start_distance_m=6.0, end_distance_m=2.0)
    with pytest.raises(ValueError, match="legwear"):
        Walker(legwear="skirt")
    with pytest.raises(ValueError):
        Scene(background="forest")
    with pytest.raises(TypeError):
        render("not a scene")  # type: ignore[arg-type]


def test_write_video_round_trip(tmp_path):
    scene = Scene(**SMALL, fps=10, duration_s=0.5)
    path = tmp_path / "clip.avi"
    n = write_video(path, (fr.image for fr in render(scene)), fps=10, fourcc="MJPG")
    assert n == 5
    cap = cv2.VideoCapture(str(path))
    try:
        count = 0
        while cap.read()[0]:
            count += 1
    finally:
        cap.release()
    assert count == 5


def test_write_video_errors_are_clear(tmp_path):
    frame = np.zeros((32, 32, 3), np.uint8)
    with pytest.raises(OSError, match="does not exist"):
        write_video(tmp_path / "missing" / "a.mp4", [frame], fps=10)
    with pytest.raises(ValueError, match="no frames"):
        write_video(tmp_path / "a.mp4", [], fps=10)
    with pytest.raises(ValueError, match="16x16"):
        write_video(tmp_path / "b.avi", [frame, np.zeros((16, 16, 3), np.uint8)], 10, "MJPG")
