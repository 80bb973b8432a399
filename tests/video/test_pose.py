"""The pose model wrapper: it finds a person, refuses damaged model files by name, and the
front end it drives follows the walker among other people."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from genuscreen.assets import sample_clip
from genuscreen.video.pose import PoseEstimator, PoseModelError, pose_model_problem
from genuscreen.video.skeleton import LEFT_SHOULDER, N_LANDMARKS, RIGHT_SHOULDER


def sample_frame(index: int = 110) -> np.ndarray:
    capture = cv2.VideoCapture(str(sample_clip()))
    for _ in range(index + 1):
        ok, image = capture.read()
        assert ok
    capture.release()
    return image


def test_finds_the_child_facing_the_camera() -> None:
    image = sample_frame()
    with PoseEstimator(tracking=False, segmentation=True) as estimator:
        found = estimator.estimate(image)
    assert found is not None
    assert found.landmarks.shape == (N_LANDMARKS, 3)
    h, w = image.shape[:2]
    assert 0 < found.landmarks[:, 0].min() and found.landmarks[:, 0].max() < w
    # Facing the camera, the child's left shoulder is on the right of the picture.
    assert found.landmarks[LEFT_SHOULDER, 0] > found.landmarks[RIGHT_SHOULDER, 0]
    assert found.mask.shape == (h, w) and 0.0 <= found.mask.min() and found.mask.max() <= 1.0
    # The mask covers the landmarks' middle (the hips), not the corners of the picture.
    hip = found.landmarks[23:25, :2].mean(axis=0).astype(int)
    assert found.mask[hip[1], hip[0]] > 0.5 and found.mask[0, 0] < 0.5


def test_an_empty_picture_has_nobody() -> None:
    with PoseEstimator(tracking=False, segmentation=False) as estimator:
        assert estimator.estimate(np.full((360, 480, 3), 128, np.uint8)) is None


def test_a_damaged_model_file_is_named(broken_pose_models: Path) -> None:
    target = broken_pose_models / "modules/pose_landmark/pose_landmark_full.tflite"
    data = bytearray(target.read_bytes())
    data[1000:1010] = b"0123456789"
    target.write_bytes(bytes(data))
    problem = pose_model_problem()
    assert isinstance(problem, PoseModelError)
    assert "pose_landmark_full.tflite" in str(problem) and "damaged" in str(problem)
    assert "--front-end background" in str(problem)
    with pytest.raises(PoseModelError):
        PoseEstimator()


def test_the_same_clip_gives_the_same_walker_twice() -> None:
    from genuscreen.video import inspect_video

    first, second = (inspect_video(sample_clip()) for _ in range(2))
    a, b = first.extraction.walker.frames, second.extraction.walker.frames
    assert [f.index for f in a] == [f.index for f in b]
    assert all(np.array_equal(x.landmarks, y.landmarks) and np.array_equal(x.silhouette, y.silhouette) for x, y in zip(a, b))
    assert first.quality.to_dict() == second.quality.to_dict()
    assert all(np.array_equal(x.silhouettes, y.silhouettes) for x, y in zip(first.clips, second.clips))


def test_a_missing_model_file_is_named(broken_pose_models: Path) -> None:
    (broken_pose_models / "modules/pose_detection/pose_detection.tflite").unlink()
    problem = pose_model_problem()
    assert problem is not None and "pose_detection.tflite" in str(problem) and "missing" in str(problem)
