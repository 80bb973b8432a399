"""The live camera in its own QThread: frames are read, the walker is boxed and the recording
written there; the GUI thread only paints the newest frame. The person's skeleton comes from the
pose model in a thread beside it (``live_pose``), which the camera never waits for.

The thread stops on a ``threading.Event`` and releases the camera itself (as DeepLabCut-live's
``SingleCameraWorker`` does). The preview takes only the newest frame: when the GUI is still
painting the last one, newer frames replace it rather than queue up (a size-1 mailbox), so a
slow paint never builds a backlog. Commands (record, stop, capture the empty scene) go to the
thread through a queue read between frames.
"""

from __future__ import annotations

import logging
import queue
import threading
from dataclasses import dataclass
from typing import Callable

import cv2
import numpy as np
from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from genuscreen.gui.live import STOP_ENDED, STOP_USER, AutoStop, CameraProvider, ClipRecorder, WalkerFinder
from genuscreen.gui.live_pose import Estimator, PoseFollower, default_estimator
from genuscreen.video.errors import VideoError

PREVIEW_LONG_SIDE = 960  # pixels; the preview is shrunk in the camera thread, not when painting

log = logging.getLogger(__name__)


@dataclass
class LiveFrame:
    image: np.ndarray  # BGR, preview size
    box: tuple[float, float, float, float] | None  # in preview pixels
    recording_s: float | None  # seconds recorded so far, None when not recording
    landmarks: np.ndarray | None = None  # [33, 3] the person's skeleton in preview pixels (x, y, visibility)
    pose_problem: str | None = None  # why there is no skeleton: the pose model cannot be used


class _CameraLoop(QObject):
    frame_ready = Signal()
    opened = Signal(int, int, float)  # width, height, frames per second
    failed = Signal(str)
    recording_started = Signal(str)  # the clip's path
    recording_finished = Signal(str, str)  # the clip's path, why it stopped (live.STOP_*)
    recording_failed = Signal(str)
    empty_scene_captured = Signal(object)  # the BGR frame, full size
    done = Signal()

    def __init__(self, provider: CameraProvider, key, stop: threading.Event, auto_stop: AutoStop,
                 make_estimator: Callable[[], Estimator] | None):  # fmt: skip
        super().__init__()
        self._provider = provider
        self._key = key
        self._make_estimator = make_estimator
        self._stop = stop
        self._auto_stop_template = auto_stop
        self.commands: queue.Queue = queue.Queue()
        self._mailbox_lock = threading.Lock()
        self._mailbox: LiveFrame | None = None
        self.source = None

    def take_frame(self) -> LiveFrame | None:
        with self._mailbox_lock:
            frame, self._mailbox = self._mailbox, None
            return frame

    def _post(self, frame: LiveFrame) -> None:
        with self._mailbox_lock:
            was_empty = self._mailbox is None
            self._mailbox = frame
        if was_empty:
            self.frame_ready.emit()

    @Slot()
    def run(self) -> None:
        recorder: ClipRecorder | None = None
        follower: PoseFollower | None = None
        try:
            self.source = self._provider.open(self._key)
            if self._stop.is_set():
                return
            info = self.source.info
            self.opened.emit(info.width, info.height, info.fps)
            if self._make_estimator is not None:
                follower = PoseFollower(self._make_estimator).start()
            finder = WalkerFinder()
            auto_stop = None
            for frame in self.source.frames():
                if self._stop.is_set():
                    break
                image = frame.image
                while not self.commands.empty():
                    command, argument = self.commands.get_nowait()
                    if command == "empty":
                        finder.set_empty_scene(image)
                        self.empty_scene_captured.emit(image.copy())
                    elif command == "record" and recorder is None:
                        try:
                            recorder = ClipRecorder(argument, info.fps, (image.shape[1], image.shape[0]))
                        except OSError as error:
                            self.recording_failed.emit(str(error))
                            continue
                        auto_stop = AutoStop(self._auto_stop_template.close_share, self._auto_stop_template.gone_after_s,
                                             self._auto_stop_template.longest_s)  # fmt: skip
                        self.recording_started.emit(str(recorder.path))
                    elif command == "stop" and recorder is not None:
                        self._finish(recorder, STOP_USER)
                        recorder = None
                box = finder.find(image)
                recorded = None
                if recorder is not None:
                    recorder.write(image)
                    recorded = recorder.frames / max(info.fps, 1.0)
                    reason = auto_stop.update(frame.time_s, box, image.shape[0])
                    if reason is not None:
                        self._finish(recorder, reason)
                        recorder = None
                self._post(self._preview(image, box, recorded, frame.time_s, follower))
        except (VideoError, OSError) as error:
            self.failed.emit(str(error))
        except Exception as error:  # a camera driver can fail in many ways; the GUI says so
            log.exception("camera failed")
            self.failed.emit(f"{type(error).__name__}: {error}")
        finally:
            if follower is not None:
                follower.stop()
            if recorder is not None:
                # Stopped from outside (window closed, camera gone): keep what was recorded.
                self._finish(recorder, STOP_ENDED)
            if self.source is not None:
                self.source.close()
            self.done.emit()

    def _finish(self, recorder: ClipRecorder, reason: str) -> None:
        try:
            path = recorder.finish()
        except OSError as error:
            recorder.abort()
            self.recording_failed.emit(str(error))
        else:
            self.recording_finished.emit(str(path), reason)

    @staticmethod
    def _preview(image: np.ndarray, box, recorded: float | None, time_s: float,
                 follower: PoseFollower | None) -> LiveFrame:  # fmt: skip
        scale = min(1.0, PREVIEW_LONG_SIDE / max(image.shape[:2]))
        if scale < 1.0:
            image = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
            box = None if box is None else tuple(v * scale for v in box)
        image = np.ascontiguousarray(image)
        if follower is None:
            return LiveFrame(image, box, recorded)
        # The pose model sees the preview-size frame, so its landmarks are in preview pixels.
        follower.submit(time_s, image)
        return LiveFrame(image, box, recorded, follower.latest(time_s), follower.problem)


class CameraController(QObject):
    """One live camera at a time. Signals arrive in the GUI thread."""

    frame_ready = Signal()
    opened = Signal(int, int, float)
    failed = Signal(str)
    recording_started = Signal(str)
    recording_finished = Signal(str, str)
    recording_failed = Signal(str)
    empty_scene_captured = Signal(object)
    stopped = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._thread: QThread | None = None
        self._loop: _CameraLoop | None = None
        self._stop: threading.Event | None = None
        self.auto_stop = AutoStop()
        # Makes the pose model for the preview's skeleton (None: no skeleton); tests put in a stand-in.
        self.make_estimator: Callable[[], Estimator] | None = default_estimator

    def start(self, provider: CameraProvider, key) -> None:
        self.stop()
        self._stop = threading.Event()
        self._thread = QThread()
        self._thread.setObjectName("genuscreen-camera")
        self._loop = _CameraLoop(provider, key, self._stop, self.auto_stop, self.make_estimator)
        self._loop.moveToThread(self._thread)
        self._thread.started.connect(self._loop.run)
        for name in ("frame_ready", "opened", "failed", "recording_started", "recording_finished", "recording_failed",
                     "empty_scene_captured"):  # fmt: skip
            getattr(self._loop, name).connect(getattr(self, name))
        self._loop.done.connect(self._thread.quit, Qt.ConnectionType.DirectConnection)
        self._thread.finished.connect(self._thread_finished)
        self._thread.start()

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    def take_frame(self) -> LiveFrame | None:
        return self._loop.take_frame() if self._loop is not None else None

    def record(self, folder: str) -> None:
        if self._loop is not None:
            self._loop.commands.put(("record", folder))

    def stop_recording(self) -> None:
        if self._loop is not None:
            self._loop.commands.put(("stop", None))

    def capture_empty_scene(self) -> None:
        if self._loop is not None:
            self._loop.commands.put(("empty", None))

    def stop(self, timeout_ms: int = 5000) -> bool:
        """Stop the camera and wait for its thread; the camera is released there."""
        if self._thread is None:
            return True
        self._stop.set()
        source = self._loop.source if self._loop is not None else None
        if source is not None:
            source.stop()  # wakes a camera blocked in read()
        ended = self._thread.wait(timeout_ms)
        if ended:
            self._forget_thread()
        else:
            log.warning("the camera thread did not stop within %.0f s", timeout_ms / 1000)
        return ended

    @Slot()
    def _thread_finished(self) -> None:
        if self.sender() is self._thread:  # not an earlier camera's thread
            self._forget_thread()

    def _forget_thread(self) -> None:
        if self._thread is None:
            return
        self._thread.wait()  # 'finished' comes just before the thread really ends
        self._thread = None
        self._loop = None
        self.stopped.emit()
