"""Tests for the synthetic walking-person renderer (genuscreen.synth.walk and .body)."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest

from genuscreen import clinical
from genuscreen.synth import (
    SKIN_TONES_BGR,
    RenderedFrame,
    Scene,
    Walker,
    heel_strike_times,
    heel_strikes,
    intermalleolar_distance_cm,
    leg_geometry,
    render,
    write_video,
)
from genuscreen.synth.walk import Prop, _Camera

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
        Walker(legwear="kilt")
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


# ------------------------------------------------------------------------------------------
# Knee geometry: the static angle and the intermalleolar distance are what the pixels show
# ------------------------------------------------------------------------------------------

# A frontal standing child, camera between knee and hip height, no tilt, filling a tall frame
# (about 8 px per cm at the legs). Masks are exact with or without the picture, so these render
# without it.
STAND = dict(width=720, height=1280, hfov_deg=25.4, camera_height_m=0.45, tilt_deg=0.0,
             fps=10, duration_s=0.1, noise_sigma=0.0)  # fmt: skip


def _standing(tfa: float, **walker) -> tuple[Scene, RenderedFrame]:
    kw = dict(path="still", start_distance_m=2.0, height_m=1.25, age_y=7.0, tfa_deg=tfa,
              legwear="bare")  # fmt: skip
    kw.update(walker)
    scene = Scene(**STAND, walkers=(Walker(**kw),))
    return scene, next(iter(render(scene, rgb=False)))


def _down_angle(p, q) -> float:
    """Angle (degrees) of the image line p -> q from straight down, positive toward +x."""
    return math.degrees(math.atan2(q[0] - p[0], q[1] - p[1]))


def _valgus(thigh_l: float, shank_l: float, thigh_r: float, shank_r: float) -> float:
    # Facing the camera, the child's left leg is on the image's right. Valgus turns the leg
    # outward at the knee: toward +x going down for the left leg, toward -x for the right.
    return 0.5 * ((shank_l - thigh_l) + (thigh_r - shank_r))


@pytest.mark.parametrize("tfa", [0.0, 8.0, 18.0, -5.0])
def test_standing_knee_angle_from_joints_is_the_tfa(tfa):
    _, fr = _standing(tfa)
    j = fr.joints[0]
    angles = [_down_angle(j["hip_" + s], j["knee_" + s]) for s in "lr"]
    angles += [_down_angle(j["knee_" + s], j["ankle_" + s]) for s in "lr"]
    measured = _valgus(angles[0], angles[2], angles[1], angles[3])
    assert measured == pytest.approx(tfa, abs=1.5)


def _medial_edge_line(mask: np.ndarray, rows: range, x_mid: float, side: str):
    """Fit x = a * y + b to one leg's medial silhouette edge; rows where the legs touch (no gap
    at the midline) are skipped."""
    ys, xs = [], []
    for y in rows:
        row = mask[y] > 0
        left = np.nonzero(row[: int(x_mid)])[0]
        right = np.nonzero(row[int(x_mid) :])[0]
        if len(left) == 0 or len(right) == 0 or row[int(x_mid)]:
            continue  # the legs touch here: no medial edge to see
        ys.append(y)
        # The child's left leg is on the image's right: its medial edge is its leftmost pixel.
        xs.append(int(x_mid) + right[0] - 0.5 if side == "l" else left[-1] + 0.5)
    assert len(ys) > 40, f"too few rows with a gap between the legs ({len(ys)})"
    a, _ = np.polyfit(ys, xs, 1)
    return math.degrees(math.atan(a))


@pytest.mark.parametrize("tfa", [0.0, 8.0, 18.0, -5.0])
def test_standing_knee_angle_from_mask_edges_is_the_tfa(tfa):
    # Legwear "bare": skin from the upper thigh down, so the silhouette's edges are the legs'
    # own (shorts, a skirt or trousers would put cloth edges there). At the reference build
    # (BMI 16) thigh and shank taper equally, so their medial edges meet at the joint angle.
    _, fr = _standing(tfa)
    j, mask = fr.joints[0], fr.masks[0]
    x_mid = 0.5 * (j["hip_l"][0] + j["hip_r"][0])
    hip_y = 0.5 * (j["hip_l"][1] + j["hip_r"][1])
    knee_y = 0.5 * (j["knee_l"][1] + j["knee_r"][1])
    ankle_y = 0.5 * (j["ankle_l"][1] + j["ankle_r"][1])
    # Away from the shorts' hem and the knee (thigh), and from the knee and the shoe (shank).
    thigh = range(int(hip_y + 0.3 * (knee_y - hip_y)), int(hip_y + 0.8 * (knee_y - hip_y)))
    shank = range(int(knee_y + 0.15 * (ankle_y - knee_y)), int(knee_y + 0.7 * (ankle_y - knee_y)))
    edges = {(part, s): _medial_edge_line(mask, rows, x_mid, s)
             for part, rows in (("thigh", thigh), ("shank", shank)) for s in "lr"}  # fmt: skip
    measured = _valgus(edges["thigh", "l"], edges["shank", "l"], edges["thigh", "r"],
                       edges["shank", "r"])  # fmt: skip
    assert measured == pytest.approx(tfa, abs=1.5)


@pytest.mark.parametrize(
    "tfa, walker",
    [(2.0, {}), (8.0, {}), (14.0, {"age_y": 4.0, "height_m": 1.02}), (20.0, {"bmi": 24.0}),
     (25.0, {"sex": "male", "age_y": 11.0, "height_m": 1.45}), (-5.0, {})],
)  # fmt: skip
def test_intermalleolar_distance_matches_the_rendered_ankles(tfa, walker):
    scene, fr = _standing(tfa, **walker)
    j = fr.joints[0]
    f = _Camera(scene).f
    # Standing straight, the ankles are at the pelvis' depth; back-project their image gap.
    gap_m = abs(j["ankle_l"][0] - j["ankle_r"][0]) * fr.distances_m[0] / f
    geometry = leg_geometry(scene.walkers[0])
    rendered_cm = 100.0 * (gap_m - 2.0 * geometry.ankle_radius_m)
    imd = intermalleolar_distance_cm(scene.walkers[0])
    assert rendered_cm == pytest.approx(imd, abs=0.5)
    if tfa <= 0.0:
        assert imd == 0.0 and not geometry.knees_touch  # ankles together, knees apart
    if tfa >= clinical.TFA_VALGUM_MIN:
        assert geometry.knees_touch and imd > clinical.IMD_PATHOLOGICAL_CM


def test_intermalleolar_distance_grows_with_the_angle():
    imds = [intermalleolar_distance_cm(Walker(tfa_deg=t, age_y=7.0))
            for t in (-5.0, 0.0, 5.0, 10.0, 15.0, 20.0)]  # fmt: skip
    assert imds[0] == imds[1] == 0.0
    assert all(b > a for a, b in zip(imds[1:], imds[2:]))


# ------------------------------------------------------------------------------------------
# Kinematics
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("cadence", [120.0, 160.0])
def test_step_frequency_in_the_masks_is_the_cadence(cadence):
    # Side view: the width of the lower third of the silhouette peaks once per step (feet apart
    # in double support). Its dominant frequency is the step frequency.
    walker = Walker(path="across", lateral_offset_m=-3.2, start_distance_m=4.0, speed_m_s=1.0,
                    cadence_steps_per_min=cadence)  # fmt: skip
    scene = Scene(width=320, height=240, hfov_deg=90.0, fps=30.0, duration_s=6.0, walkers=(walker,),
                  seed=5)  # fmt: skip
    widths = []
    for fr in render(scene, rgb=False):
        x0, y0, x1, y1 = fr.boxes[0]
        low = fr.masks[0][y1 - (y1 - y0) // 3 : y1, x0:x1] > 0
        cols = np.nonzero(low.any(axis=0))[0]
        widths.append(cols[-1] - cols[0] + 1)
    w = np.asarray(widths, float)
    w -= np.polyval(np.polyfit(np.arange(len(w)), w, 1), np.arange(len(w)))  # remove the trend
    w *= np.hanning(len(w))
    n = 1 << 15  # zero padding: fine frequency steps for the peak
    spec = np.abs(np.fft.rfft(w, n))
    freqs = np.fft.rfftfreq(n, 1.0 / scene.fps)
    band = (freqs > 1.0) & (freqs < 5.0)
    peak = freqs[band][np.argmax(spec[band])]
    assert 60.0 * peak == pytest.approx(cadence, rel=0.03)


def test_image_height_follows_the_pinhole_prediction():
    # The silhouette is a few per cent taller than f * stature / distance: hair sits ~1 cm
    # above the stature and the feet, ahead of the pelvis, are nearer the camera.
    walker = Walker(start_distance_m=6.0, end_distance_m=3.0, height_m=1.25, age_y=7.0)
    scene = Scene(width=640, height=480, fps=25.0, duration_s=3.6, walkers=(walker,),
                  camera_height_m=0.6, hfov_deg=60.0)  # fmt: skip
    f = _Camera(scene).f
    ratios = []
    for fr in render(scene, rgb=False):
        x0, y0, x1, y1 = fr.boxes[0]
        ratios.append((y1 - y0) / (f * walker.height_m / fr.distances_m[0]))
    ratios = np.asarray(ratios)
    assert len(ratios) == scene.n_frames
    assert np.all(np.abs(ratios - 1.0) < 0.05), (ratios.min(), ratios.max())


def test_heading_turns_the_walk():
    straight = Walker(start_distance_m=5.0, end_distance_m=2.5)
    turned = Walker(start_distance_m=5.0, end_distance_m=2.5, heading_deg=8.0)
    scenes = [Scene(**SMALL, fps=10, duration_s=3.5, walkers=(w,)) for w in (straight, turned)]
    ends = [list(render(s, rgb=False))[-1] for s in scenes]
    # Both stop near the same distance; the turned one has drifted toward the camera's right.
    assert ends[0].distances_m[0] == pytest.approx(ends[1].distances_m[0], abs=0.35)
    drift = ends[1].joints[0]["pelvis"][0] - ends[0].joints[0]["pelvis"][0]
    f = _Camera(scenes[0]).f
    expected = 2.5 * math.tan(math.radians(8.0)) * f / ends[1].distances_m[0]
    assert drift == pytest.approx(expected, rel=0.25)


def test_heel_strikes_follow_the_rendered_feet_with_variability():
    # Step times vary from step to step with the scene's seed; heel_strikes given that seed
    # still finds the moments the rendered heels come to rest.
    walker = Walker(path="across", lateral_offset_m=-1.5, start_distance_m=4.0,
                    gait_variability=0.05)  # fmt: skip
    scene = Scene(**SMALL, fps=60.0, duration_s=3.0, walkers=(walker,), seed=7)
    strikes = heel_strikes(walker, scene.duration_s, scene_seed=7)
    steps = np.diff([t for t, _ in strikes])
    assert steps.std() > 0.01  # the variability is there, around the cadence
    assert 60.0 / steps.mean() == pytest.approx(walker.cadence_steps_per_min, rel=0.06)
    frames = list(render(scene, rgb=False))
    checked = 0
    for t, side in strikes:
        k = int(round(t * scene.fps))
        if k < 6 or k + 8 >= len(frames):
            continue
        heel = "heel_" + side[0]
        x = [fr.joints[0][heel][0] for fr in frames[k - 6 : k + 9]]
        swinging = abs(x[1] - x[0])  # px per frame, a few frames before the strike
        planted = abs(x[14] - x[8]) / 6.0  # px per frame, after the heel's short roll
        assert planted < 0.2 * swinging
        checked += 1
    assert checked >= 4
    # The default seed is not this clip's: its strike times differ.
    assert heel_strike_times(walker, scene.duration_s) != [t for t, _ in strikes]


# ------------------------------------------------------------------------------------------
# Body: age, build, valgum gait
# ------------------------------------------------------------------------------------------


def test_age_shrinks_the_head_relative_to_stature():
    ratios = []
    for age, height in ((3.0, 0.96), (7.0, 1.22), (12.0, 1.51)):
        _, fr = _standing(5.0, age_y=age, height_m=height)
        j = fr.joints[0]
        head = math.dist(j["head"], j["neck"])  # 0.3 head heights
        stature = 0.5 * (j["ankle_l"][1] + j["ankle_r"][1]) - j["head"][1]
        ratios.append(head / stature)
    assert ratios[0] > ratios[1] > ratios[2]
    assert ratios[0] / ratios[2] > 1.2  # 1/5 of stature at 3 y vs 1/6.5 at 12 y


def test_bmi_widens_the_thighs():
    widths = []
    for bmi in (13.0, 16.0, 28.0):
        _, fr = _standing(5.0, bmi=bmi)
        j = fr.joints[0]
        y = int(round(0.5 * (j["hip_l"][1] + j["knee_l"][1])))
        cols = np.nonzero(fr.masks[0][y] > 0)[0]
        widths.append(cols[-1] - cols[0])
    assert widths[0] < widths[1] < widths[2]
    assert widths[2] > 1.2 * widths[1]


def _gait_features(tfa: float) -> tuple[float, float]:
    """Median step width (m, between the ankles) and median lateral toe-out of the feet (m,
    toe ahead of heel, outward positive), from the joints of a child walking toward the camera."""
    # No style variation between the two children: only the knee angle differs.
    walker = Walker(start_distance_m=5.5, end_distance_m=2.5, tfa_deg=tfa, age_y=7.0,
                    gait_variability=0.0)  # fmt: skip
    scene = Scene(**SMALL, fps=25.0, duration_s=3.0, walkers=(walker,), camera_height_m=0.6)
    f = _Camera(scene).f
    width, toe_out = [], []
    for fr in render(scene, rgb=False):
        j, m_per_px = fr.joints[0], fr.distances_m[0] / f
        width.append(abs(j["ankle_l"][0] - j["ankle_r"][0]) * m_per_px)
        # The child's left is the image's right: outward is +x for the left foot.
        out_l, out_r = j["toe_l"][0] - j["heel_l"][0], j["heel_r"][0] - j["toe_r"][0]
        toe_out.append(0.5 * (out_l + out_r) * m_per_px)
    return float(np.median(width)), float(np.median(toe_out))


def test_valgum_walks_with_wider_steps_and_more_out_toeing():
    normal = _gait_features(5.0)
    valgum = _gait_features(20.0)
    assert valgum[0] > normal[0] + 0.04
    assert valgum[1] > normal[1] + 0.02


# ------------------------------------------------------------------------------------------
# Picture: fast path, determinism, blur, compression, variety
# ------------------------------------------------------------------------------------------

_RICH = dict(
    **SMALL, fps=15, duration_s=1.2, seed=11, background="corridor", light_direction_deg=60.0,
    light_intensity=1.4, colour_temperature_k=3200.0, camera_shake_px=2.0,
    walkers=(Walker(legwear="skirt", bmi=22.0, age_y=6.0, height_m=1.15, tfa_deg=17.0,
                    heading_deg=5.0),
             Walker(path="across", lateral_offset_m=-2.5, start_distance_m=3.5, height_m=1.7,
                    speed_m_s=1.3, cadence_steps_per_min=110, sex="male", legwear="trousers")),
)  # fmt: skip


def test_fast_path_gives_the_same_truth_without_the_picture():
    scene = Scene(**_RICH, motion_blur=0.5, jpeg_quality=60)
    with_rgb, without = list(render(scene)), list(render(scene, rgb=False))
    assert len(with_rgb) == len(without) == scene.n_frames
    for a, b in zip(with_rgb, without):
        assert a.image is not None and b.image is None
        for ma, mb in zip(a.masks, b.masks):
            assert np.array_equal(ma, mb)
        assert a.boxes == b.boxes and a.joints == b.joints and a.distances_m == b.distances_m
        assert a.camera_offset_px == b.camera_offset_px


def test_new_scene_features_render_deterministically():
    scene = Scene(**_RICH, motion_blur=0.4, jpeg_quality=70)
    a, b = list(render(scene)), list(render(scene))
    for fa, fb in zip(a, b):
        assert np.array_equal(fa.image, fb.image)
        assert np.array_equal(fa.masks[0], fb.masks[0]) and fa.joints == fb.joints


@pytest.mark.parametrize("effect", [{"motion_blur": 0.8}, {"jpeg_quality": 30}])
def test_blur_and_compression_change_the_image_but_not_the_masks(effect):
    base = dict(**SMALL, fps=15, duration_s=0.8, walkers=(Walker(start_distance_m=3.0),), seed=3)
    plain, changed = list(render(Scene(**base))), list(render(Scene(**base, **effect)))
    for a, b in zip(plain, changed):
        assert np.array_equal(a.masks[0], b.masks[0]) and a.boxes == b.boxes
    diff = [np.abs(a.image.astype(int) - b.image.astype(int)) for a, b in zip(plain, changed)]
    if "motion_blur" in effect:
        # Only the moving walker smears: the change lies on and around it, not in the room.
        d, m = diff[6].max(axis=2), plain[6].masks[0] > 0
        ring = cv2.dilate(m.astype(np.uint8), np.ones((9, 9), np.uint8)) > 0
        assert d[ring].mean() > 2.0 and d[~ring].max() <= 1
    else:
        assert np.mean([d.mean() for d in diff]) > 1.0


def test_light_and_colour_temperature_tint_the_picture():
    base = dict(**SMALL, fps=5, duration_s=0.2, background="plain", noise_sigma=0.0, seed=2)

    def mean_bgr(**kw) -> np.ndarray:
        return next(iter(render(Scene(**base, **kw)))).image.reshape(-1, 3).mean(0)

    neutral = mean_bgr()
    warm, cool = mean_bgr(colour_temperature_k=2800.0), mean_bgr(colour_temperature_k=8000.0)
    # BGR: warm light is redder and less blue, cool light the other way round.
    assert warm[2] / warm[0] > neutral[2] / neutral[0] > cool[2] / cool[0]
    assert mean_bgr(light_intensity=0.4).mean() < 0.85 * neutral.mean()


def test_backgrounds_vary_with_the_seed():
    for background in ("room", "corridor"):
        images = [next(iter(render(Scene(**SMALL, fps=5, duration_s=0.2, walkers=(), seed=s,
                                         background=background, noise_sigma=0.0)))).image  # fmt: skip
                  for s in range(4)]
        for a, b in zip(images, images[1:]):
            assert np.abs(a.astype(int) - b.astype(int)).mean() > 5.0


def test_skin_tones_run_from_very_light_to_very_dark():
    luma = [0.114 * b + 0.587 * g + 0.299 * r for b, g, r in SKIN_TONES_BGR]
    assert len(luma) >= 8 and all(a > b for a, b in zip(luma, luma[1:]))
    assert luma[0] > 200 and luma[-1] < 50


def test_new_walker_and_scene_values_are_checked():
    for bad in ({"sex": "other"}, {"bmi": 5.0}, {"age_y": 30.0}, {"gait_variability": 0.5},
                {"heading_deg": 60.0}):  # fmt: skip
        with pytest.raises(ValueError):
            Walker(**bad)
    for bad in ({"motion_blur": 1.5}, {"jpeg_quality": 0}, {"colour_temperature_k": 500.0},
                {"light_intensity": 0.0}, {"background": "forest"}):  # fmt: skip
        with pytest.raises(ValueError):
            Scene(**bad)


def test_pelvis_tilts_and_turns_in_gait_but_not_standing():
    from genuscreen.synth.body import _IDX, _body_of

    walker = Walker(start_distance_m=6.0, end_distance_m=2.0, gait_variability=0.0)
    body = _body_of(walker)
    drop, turn = [], []
    for t in np.linspace(0.5, 2.5, 41):  # mid-walk
        pts = body.pose(t)[0]
        hl, hr = pts[_IDX["hip_l"]], pts[_IDX["hip_r"]]
        drop.append(hl[2] - hr[2])  # obliquity: one hip lower than the other
        turn.append(hl[0] - hr[0])  # rotation: one hip ahead of the other
    span = 2.0 * body.hip_half
    assert np.ptp(drop) > span * 2 * math.sin(math.radians(2.0))  # a few degrees either way
    assert np.ptp(turn) > span * 2 * math.sin(math.radians(3.0))
    pts = body.pose(30.0)[0]  # long after the walk: standing
    assert pts[_IDX["hip_l"]][2] == pytest.approx(pts[_IDX["hip_r"]][2])
    assert pts[_IDX["hip_l"]][0] == pytest.approx(pts[_IDX["hip_r"]][0])


def test_sitting_people_stay_put_with_bent_legs():
    # Seated, the person's box is shorter than standing: on a seat of knee height by the
    # thigh's length less the feet put forward, on the floor by more.
    for path, shorter in (("sit", 0.9), ("sit_floor", 0.75)):
        person = Walker(path=path, height_m=1.3, age_y=8.0, start_distance_m=4.0, heading_deg=60.0, speed_m_s=0.0)
        assert heel_strikes(person, 5.0) == []
        frames = _frames(Scene(**SMALL, fps=5, duration_s=1.0, walkers=(person,)))
        assert frames[0].boxes[0] == frames[-1].boxes[0]  # no steps, no travel
        joints = frames[0].joints[0]
        # Knees bent: the knee is nearer the hip's height than the ankle's (image y grows down).
        hip_y = 0.5 * (joints["hip_l"][1] + joints["hip_r"][1])
        ankle_y = 0.5 * (joints["ankle_l"][1] + joints["ankle_r"][1])
        knee_y = 0.5 * (joints["knee_l"][1] + joints["knee_r"][1])
        assert knee_y - hip_y < 0.5 * (ankle_y - hip_y)
        x0, y0, x1, y1 = frames[0].boxes[0]
        standing = _frames(Scene(**SMALL, fps=5, duration_s=0.2, walkers=(Walker(
            path="still", height_m=1.3, age_y=8.0, start_distance_m=4.0),)))[0].boxes[0]  # fmt: skip
        assert (y1 - y0) < shorter * (standing[3] - standing[1])
    with pytest.raises(ValueError, match="heading_deg"):
        Walker(path="still", heading_deg=60.0)


def test_props_are_drawn_with_the_room_and_people_leave_at_their_exit():
    bench = Prop(-0.8, 0.8, 0.0, 0.45, 3.0, 3.4, (40, 40, 200))
    base = Scene(**SMALL, fps=10, duration_s=1.0, walkers=(Walker(), Walker(path="across", lateral_offset_m=-1.0,
                 start_distance_m=7.0)), seed=3)  # fmt: skip
    with_bench = Scene(**{**base.__dict__, "props": (bench,), "exit_times_s": (None, 0.5)})
    plain, benched = _frames(base), _frames(with_bench)
    # The bench is part of the room (the background changes where it stands), the walker the same.
    assert np.array_equal(plain[0].masks[0], benched[0].masks[0])
    assert not np.array_equal(plain[0].image, benched[0].image)
    # The crossing person is there until 0.5 s and gone from then on.
    assert all(f.boxes[1] is not None for f in benched[:5])
    assert all(f.boxes[1] is None and f.joints[1] is None for f in benched[5:])
    assert all(f.boxes[1] is not None for f in plain)
    with pytest.raises(ValueError, match="exit_times_s"):
        Scene(walkers=(Walker(),), exit_times_s=(None, 1.0))
    with pytest.raises(ValueError, match="Prop"):
        Prop(0.0, 1.0, 0.0, 0.5, 3.0, 2.0)
