"""The capture page driven by a stand-in camera that plays the sample clip: preview with the
walker's box, empty scene, countdown, automatic stop, the clip written and then analysed."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from genuscreen.assets import sample_clip
from genuscreen.gui.capture import CapturePage
from genuscreen.gui.live import ClipCameras
from genuscreen.gui.main_window import MainWindow
from genuscreen.gui.worker import TaskGroup
from genuscreen.video.sources import FileSource

pytestmark = pytest.mark.gui


def test_a_camera_drives_the_preview_and_the_recording_stops_by_itself(qtbot, tmp_path) -> None:
    cameras = ClipCameras(sample_clip(), speed=3.0)
    tasks = TaskGroup()
    page = CapturePage(cameras, tasks, lambda: tmp_path / "recordings")
    page.countdown_s = 0
    qtbot.addWidget(page)
    page.show()
    page.activate()
    qtbot.waitUntil(lambda: page.preview.frames_shown >= 3, timeout=10_000)
    assert page.record_button.isEnabled() and not page.stop_button.isEnabled()
    assert "Live: 640×480" in page.status.text()

    qtbot.mouseClick(page.empty_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.empty_scene is not None, timeout=5_000)
    assert page.empty_scene.shape == (480, 640, 3) and "captured" in page.empty_state.text()

    with qtbot.waitSignal(page.clip_recorded, timeout=20_000) as recorded:
        qtbot.mouseClick(page.record_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.recording, timeout=5_000)
        assert page.stop_button.isEnabled() and not page.record_button.isEnabled()
    path, empty_scene = recorded.args
    path = Path(path)
    assert path.parent == tmp_path / "recordings" and path.suffix == ".mp4"
    assert empty_scene is page.empty_scene
    assert not list(path.parent.glob(".*"))  # the temporary file was renamed
    with FileSource(path) as clip:
        assert (clip.info.width, clip.info.height) == (640, 480)
        assert sum(1 for _ in clip.frames()) > 60
    assert "the child left the picture" in page.status.text()
    assert page.preview.boxes_shown > 20  # the walker's box was drawn on the preview
    assert not page.recording and page.record_button.isEnabled()

    page.deactivate()
    assert not page.camera.is_running() and cameras.opened[-1].closed  # the camera is released
    tasks.shutdown()


def test_a_recorded_walk_opens_for_review_and_is_analysed(qtbot) -> None:
    cameras = ClipCameras(sample_clip(), speed=2.0)
    window = MainWindow(cameras=cameras)
    qtbot.addWidget(window)
    window.show()
    window.capture_action.trigger()
    capture = window.capture
    capture.countdown_s = 1
    qtbot.waitUntil(lambda: capture.preview.frames_shown >= 3, timeout=10_000)
    capture.start_recording()
    assert capture.preview.banner == "1" and "Recording starts in 1 s" in capture.status.text()
    qtbot.waitUntil(lambda: window.analysis is not None, timeout=20_000)
    # The recording is now the clip under review, in the data folder, and its screening runs.
    assert window.pages.currentWidget() is window.review
    assert window.clip_path.parent == window.preferences.recordings_folder()
    assert cameras.opened[-1].closed
    window.cancel()
    qtbot.waitUntil(lambda: window.analysis is None, timeout=10_000)
    window.close()
