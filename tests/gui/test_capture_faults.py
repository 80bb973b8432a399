"""The capture page when the camera is absent or is unplugged in the middle of a recording: the
page says so, keeps what was recorded, releases the camera and stays usable."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from genuscreen.assets import sample_clip
from genuscreen.gui.capture import CapturePage
from genuscreen.gui.live import ClipCamera, ClipCameras
from genuscreen.gui.worker import TaskGroup
from genuscreen.video.errors import CameraError
from genuscreen.video.sources import FileSource

pytestmark = pytest.mark.gui


class UnpluggedCamera(ClipCamera):
    """Plays the sample clip, then fails as a camera pulled out of its socket does."""

    def __init__(self, path, frames_before_failing: int):
        super().__init__(path, speed=3.0)
        self.frames_before_failing = frames_before_failing

    def frames(self):
        for frame in super().frames():
            if frame.index >= self.frames_before_failing:
                raise CameraError("The camera stopped sending pictures (was it unplugged?). Plug it in and try again.")
            yield frame


class UnpluggingCameras(ClipCameras):
    def __init__(self, frames_before_failing: int):
        super().__init__(sample_clip(), speed=3.0)
        self.frames_before_failing = frames_before_failing

    def open(self, key):
        camera = UnpluggedCamera(key, self.frames_before_failing)
        self.opened.append(camera)
        return camera


class NoCameras(ClipCameras):
    def open(self, key):
        raise CameraError(f"No camera found at {key!r}. Check that it is plugged in and not used by another program.")


def page_for(cameras, qtbot, folder: Path) -> tuple[CapturePage, TaskGroup]:
    tasks = TaskGroup()
    page = CapturePage(cameras, tasks, lambda: folder)
    page.countdown_s = 0
    qtbot.addWidget(page)
    page.show()
    page.activate()
    return page, tasks


def test_camera_unplugged_mid_recording_keeps_the_clip_and_says_so(qtbot, tmp_path) -> None:
    cameras = UnpluggingCameras(frames_before_failing=50)
    page, tasks = page_for(cameras, qtbot, tmp_path / "recordings")
    qtbot.waitUntil(lambda: page.preview.frames_shown >= 3, timeout=10_000)
    messages = []
    page.camera.failed.connect(messages.append)
    with qtbot.waitSignal(page.clip_recorded, timeout=20_000) as recorded:
        qtbot.mouseClick(page.record_button, Qt.MouseButton.LeftButton)
    assert messages and "unplugged" in messages[0]
    path = Path(recorded.args[0])
    with FileSource(path) as clip:  # what was recorded before the camera went is kept, whole
        assert 10 <= sum(1 for _ in clip.frames()) <= 50
    assert not list(path.parent.glob(".*")), "no temporary file is left"
    qtbot.waitUntil(lambda: not page.camera.is_running(), timeout=5_000)
    assert cameras.opened[-1].closed and not page.recording
    page.deactivate()
    tasks.shutdown()


def test_no_camera_is_a_message_not_a_crash(qtbot, tmp_path) -> None:
    page, tasks = page_for(NoCameras(sample_clip()), qtbot, tmp_path)
    qtbot.waitUntil(lambda: "No camera found" in page.status.text(), timeout=10_000)
    assert not page.record_button.isEnabled() and not page.recording
    page.deactivate()
    tasks.shutdown()
