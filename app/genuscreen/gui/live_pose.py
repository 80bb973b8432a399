"""The skeleton of the person in the live preview, without Qt: the pose model runs in a thread of
its own beside the camera's, on the newest frame only.

The pose model takes about 20 ms a frame on one core, which a 30 fps camera cannot wait for
without slowing the preview and the recording. So the camera thread hands each preview frame to
this follower and never waits: a frame still waiting when a newer one comes is replaced (a
size-1 mailbox, as the preview's own), and the camera draws the latest skeleton found on the
frames that follow. The estimator is made and used in the follower's thread only (it is not
thread-safe). When the pose model cannot be loaded the follower says why once and the preview
goes on without a skeleton.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable, Protocol

import numpy as np

log = logging.getLogger(__name__)

# As often as screening analyses frames: enough for a live skeleton, and the other core stays
# free for the camera, the recording and the window.
POSE_RATE_HZ = 15.0
# A skeleton older than this (in the camera's frame time) is not drawn: the person has moved on.
STALE_AFTER_S = 0.5
JOIN_TIMEOUT_S = 5.0


class Estimator(Protocol):
    """What the follower needs of ``video.pose.PoseEstimator``."""

    def estimate(self, image: np.ndarray): ...  # None or an object with ``.landmarks`` [33, 3]

    def close(self) -> None: ...


def default_estimator() -> Estimator:
    """The pose model in video mode (it follows one person from frame to frame), no mask."""
    from genuscreen.video.pose import PoseEstimator  # loads the pose library: only when a camera runs

    return PoseEstimator(tracking=True, segmentation=False)


class PoseFollower:
    """Finds the skeleton on the newest frame it was given, in its own thread.

    Args:
        make_estimator: called once in the follower's thread; may raise (the pose model cannot
            be loaded), and then the follower stops and ``problem`` says why.
    """

    def __init__(self, make_estimator: Callable[[], Estimator] = default_estimator, rate_hz: float = POSE_RATE_HZ):
        self._make_estimator = make_estimator
        self._interval = 1.0 / rate_hz if rate_hz > 0 else 0.0
        self._wake = threading.Condition()
        self._pending: tuple[float, np.ndarray] | None = None  # (frame time, BGR image)
        self._stopping = False
        self._latest: tuple[float, np.ndarray | None] | None = None  # (frame time, landmarks or None)
        self.problem: str | None = None
        self.estimates = 0  # frames the pose model has looked at
        self._thread = threading.Thread(target=self._run, name="genuscreen-pose", daemon=True)

    def start(self) -> "PoseFollower":
        self._thread.start()
        return self

    def submit(self, time_s: float, image: np.ndarray) -> None:
        """Offer a frame (BGR; the landmarks come in its pixels); never waits for the model."""
        with self._wake:
            self._pending = (time_s, image)
            self._wake.notify()

    def latest(self, time_s: float) -> np.ndarray | None:
        """The newest landmarks ([33, 3]) found up to ``time_s``, unless older than STALE_AFTER_S."""
        latest = self._latest
        if latest is None or time_s - latest[0] > STALE_AFTER_S:
            return None
        return latest[1]

    def stop(self) -> None:
        """Stop the thread and wait for it (the frame being estimated is finished first)."""
        with self._wake:
            self._stopping = True
            self._wake.notify()
        if self._thread.is_alive():
            self._thread.join(JOIN_TIMEOUT_S)
            if self._thread.is_alive():
                log.warning("the pose thread did not stop within %.0f s", JOIN_TIMEOUT_S)

    def _next_frame(self) -> tuple[float, np.ndarray] | None:
        with self._wake:
            while self._pending is None and not self._stopping:
                self._wake.wait()
            if self._stopping:
                return None
            frame, self._pending = self._pending, None
            return frame

    def _run(self) -> None:
        try:
            estimator = self._make_estimator()
        except Exception as error:  # a missing or damaged model: the preview goes on without it
            self.problem = str(error)
            log.warning("no skeleton in the live preview: %s", error)
            return
        try:
            while (frame := self._next_frame()) is not None:
                started = time.monotonic()
                time_s, image = frame
                found = estimator.estimate(image)
                self._latest = (time_s, None if found is None else np.asarray(found.landmarks, np.float32))
                self.estimates += 1
                rest = self._interval - (time.monotonic() - started)
                if rest > 0:
                    with self._wake:
                        self._wake.wait_for(lambda: self._stopping, rest)
        except Exception as error:  # the model failed on a frame: stop drawing, keep the camera
            self.problem = f"{type(error).__name__}: {error}"
            log.exception("the pose model failed in the live preview")
        finally:
            estimator.close()
