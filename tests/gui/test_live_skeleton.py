"""The skeleton on the capture page's live preview: found by the pose model in a thread of its own
(never the GUI thread), drawn on newer frames when the model is slower than the camera, the
preview going on without it when the model cannot be loaded, and no thread left behind."""

from __future__ import annotations

import pytest

from genuscreen.assets import sample_clip
from genuscreen.gui.capture import CapturePage
from genuscreen.gui.live import ClipCameras
from genuscreen.gui.worker import TaskGroup
from genuscreen.video.pose import PoseModelError, pose_model_problem
from tests.gui.people import FakePoseModel

pytestmark = pytest.mark.gui


@pytest.fixture
def capture(qtbot, tmp_path):
    """A capture page on a stand-in camera playing the sample clip at 3 times its speed (75 frames
    a second); the test sets ``page.camera.make_estimator`` before ``page.activate()``."""
    tasks = TaskGroup()
    page = CapturePage(ClipCameras(sample_clip(), speed=3.0), tasks, lambda: tmp_path / "recordings")
    qtbot.addWidget(page)
    page.show()
    yield page
    page.deactivate()
    assert not page.camera.is_running()
    tasks.shutdown()


def test_the_preview_draws_the_skeleton_from_the_pose_thread(qtbot, capture) -> None:
    model = FakePoseModel(seconds=0.05)  # slower than the camera's frames
    capture.camera.make_estimator = model
    capture.activate()
    qtbot.waitUntil(lambda: capture.preview.skeletons_shown >= 20, timeout=15_000)
    preview = capture.preview
    assert preview.landmarks is not None and preview.landmarks.shape == (33, 3)
    assert model.threads == {"genuscreen-pose"}  # made and run beside the camera, never on the GUI thread
    # The preview keeps the camera's pace: the latest skeleton is drawn on the frames the model skipped.
    assert preview.skeletons_shown > model.calls
    assert not capture.pose_note.isVisible()
    preview.grab()  # paints the frame with its box and skeleton
    capture.deactivate()
    assert model.closed  # the estimator was released in its thread when the camera stopped


def test_without_the_pose_model_the_preview_goes_on(qtbot, capture) -> None:
    def missing():
        raise PoseModelError("The pose model file /opt/mediapipe/pose_landmark_full.tflite is missing.")

    capture.camera.make_estimator = missing
    capture.activate()
    qtbot.waitUntil(lambda: capture.preview.frames_shown >= 20 and capture.pose_note.isVisible(), timeout=15_000)
    assert capture.preview.skeletons_shown == 0
    assert "pose_landmark_full.tflite" in capture.pose_note.text()
    assert "Live: 640×480" in capture.status.text()


@pytest.mark.skipif(pose_model_problem() is not None, reason="the pose model is not installed")
def test_the_real_pose_model_puts_the_skeleton_on_the_child(qtbot, capture) -> None:
    capture.activate()  # the default estimator: the pose model itself
    qtbot.waitUntil(lambda: capture.preview.landmarks is not None and capture.preview.box is not None, timeout=30_000)
    landmarks, box = capture.preview.landmarks, capture.preview.box
    hips = landmarks[23:25, :2].mean(axis=0)
    x0, y0, x1, y1 = box
    margin = 0.25 * (y1 - y0)  # the skeleton may lag the box by a frame or two
    assert x0 - margin <= hips[0] <= x1 + margin and y0 - margin <= hips[1] <= y1 + margin
