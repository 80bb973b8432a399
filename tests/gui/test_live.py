"""The Qt-free parts of the application: the live walker box, the automatic stop, the clip
recorder, the review player's frame store and the background task wrapper."""

from __future__ import annotations

import numpy as np
import pytest

from genuscreen.assets import sample_clip
from genuscreen.gui.frames import FrameStore
from genuscreen.gui.live import STOP_CLOSE, STOP_LEFT, STOP_LONG, AutoStop, ClipRecorder, WalkerFinder
from genuscreen.gui.worker import Task
from genuscreen.video.errors import Cancelled, VideoOpenError
from genuscreen.video.sources import FileSource
from tests.helpers import draw_person, textured_background

pytestmark = pytest.mark.gui


def test_auto_stop_waits_for_the_child_then_stops_when_it_leaves_or_comes_close() -> None:
    rule = AutoStop(close_share=0.9, gone_after_s=1.0, longest_s=30.0)
    # Nobody yet: the child may still be walking in; no stop however long.
    assert all(rule.update(t / 25, None, 480) is None for t in range(50))
    assert rule.update(2.0, (300, 100, 340, 300), 480) is None
    assert rule.update(2.9, None, 480) is None
    assert rule.update(3.0, None, 480) == STOP_LEFT
    assert AutoStop().update(0.0, (0, 10, 50, 450), 480) == STOP_CLOSE
    long = AutoStop(longest_s=5.0)
    long.update(0.0, None, 480)
    assert long.update(5.0, (0, 0, 10, 40), 480) == STOP_LONG


def test_the_walker_box_follows_a_person_on_a_static_scene() -> None:
    background = textured_background(240, 320, seed=3)
    finder = WalkerFinder()
    for _ in range(10):
        assert finder.find(background.copy()) is None
    boxes = []
    for step in range(20):
        frame = background.copy()
        draw_person(frame, np.zeros(frame.shape[:2], np.uint8), 160, 200, 80 + 2 * step, (40, 40, 200), step * 0.6)
        boxes.append(finder.find(frame))
    found = [b for b in boxes if b is not None]
    assert len(found) >= 18
    x0, y0, x1, y1 = found[-1]
    assert x0 < 160 < x1 and y1 == pytest.approx(200, abs=6) and (y1 - y0) == pytest.approx(118, abs=12)


def test_the_recorder_writes_a_whole_clip_or_nothing(tmp_path) -> None:
    tmp_path = tmp_path / "recordings"
    recorder = ClipRecorder(tmp_path, 25.0, (320, 240))
    for k in range(30):
        recorder.write(textured_background(240, 320, seed=k))
    path = recorder.finish()
    assert path.exists() and list(tmp_path.iterdir()) == [path]
    with FileSource(path) as clip:
        assert clip.info.fps == pytest.approx(25.0) and sum(1 for _ in clip.frames()) == 30
    aborted = ClipRecorder(tmp_path, 25.0, (320, 240))
    aborted.write(textured_background(240, 320))
    aborted.abort()
    assert list(tmp_path.iterdir()) == [path]


def test_the_frame_store_gives_any_frame_and_the_frame_at_a_time() -> None:
    store = FrameStore(sample_clip())
    reports = []
    store.load(lambda: False, lambda done, total, stage: reports.append((done, total)))
    assert store.complete and len(store) == 138 and (store.width, store.height) == (640, 480)
    assert reports[-1] == (138, 138)
    assert store.image_rgb(137).shape == (480, 640, 3)
    assert store.index_at(store.time_of(50) + 0.001) == 50 and store.index_at(-1) == 0 and store.index_at(99) == 137
    with pytest.raises(Cancelled):
        FrameStore(sample_clip()).load(lambda: True, lambda *a: None)


def test_the_frame_store_refuses_a_file_that_is_not_a_video(tmp_path) -> None:
    path = tmp_path / "notes.mp4"
    path.write_text("not a video", encoding="utf-8")
    with pytest.raises(VideoOpenError):
        FrameStore(path).load(lambda: False, lambda *a: None)


@pytest.mark.parametrize("outcome", ["succeeded", "failed", "cancelled"])
def test_a_task_always_finishes_and_ends_its_thread(qtbot, outcome) -> None:
    def job(should_cancel, report):
        report(1, 2, "half")
        if outcome == "failed":
            raise ValueError("bad input")
        if outcome == "cancelled":
            raise Cancelled()
        return 42

    task = Task(job, "test-task")
    seen = {}
    task.succeeded.connect(lambda value: seen.setdefault("succeeded", value))
    task.failed.connect(lambda error: seen.setdefault("failed", str(error)))
    task.cancelled.connect(lambda: seen.setdefault("cancelled", True))
    task.progressed.connect(lambda done, total, stage: seen.setdefault("progress", (done, total, stage)))
    with qtbot.waitSignal(task.finished, timeout=5_000):
        task.start()
    assert not task.is_running()
    assert seen["progress"] == (1, 2, "half")
    assert set(seen) == {"progress", outcome}
    assert {"succeeded": 42, "failed": "bad input", "cancelled": True}[outcome] == seen[outcome]
