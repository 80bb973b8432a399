"""Live capture without Qt: where the walker is in a live frame, when a recording stops by
itself, writing the clip, and the cameras to choose from.

The live box is a fast estimate for the preview (background subtraction and the screening
pipeline's own blob grouping on a small frame, about 2 ms a frame), not the walker extraction
that screening runs on the recorded file.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterator, Protocol

import cv2
import numpy as np

from genuscreen.video.background import ForegroundDetector
from genuscreen.video.blobs import find_blobs
from genuscreen.video.errors import CameraError
from genuscreen.video.sources import CameraSource, FileSource, Frame, VideoInfo

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in full-frame pixels

LIVE_WIDTH = 320  # pixels; the width the live box is looked for at
MIN_PERSON_HEIGHT = 0.08  # share of the frame height (as the walker extraction)
UPRIGHT = 1.1  # a person's box is at least this much taller than wide
LEARN_FAST_FRAMES = 5
LEARNING_RATE = 0.001  # per frame, after the first frames: the scene is learnt over about 30 s


class WalkerFinder:
    """The box of the most person-like moving thing in each live frame.

    Against the empty scene when one was captured (the same foreground test as screening),
    otherwise against a background learnt from the stream (OpenCV's MOG2, shadows ignored).
    """

    def __init__(self, live_width: int = LIVE_WIDTH):
        self.live_width = live_width
        self._subtractor = cv2.createBackgroundSubtractorMOG2(history=500, varThreshold=16, detectShadows=True)
        self._empty: ForegroundDetector | None = None
        self._seen = 0

    def _small(self, image: np.ndarray) -> tuple[np.ndarray, float]:
        scale = min(1.0, self.live_width / image.shape[1])
        if scale == 1.0:
            return image, 1.0
        return cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA), scale

    def set_empty_scene(self, image: np.ndarray | None) -> None:
        self._empty = None if image is None else ForegroundDetector(self._small(image)[0])

    def find(self, image: np.ndarray) -> Box | None:
        small, scale = self._small(image)
        if self._empty is not None and self._empty.background.shape == small.shape:
            foreground = self._empty(small)
        else:
            # Learn the first frames quickly, then slowly: a far child barely moves, and a quick
            # background would absorb it (measured on the sample clip: lost in 30% of frames).
            rate = -1.0 if self._seen < LEARN_FAST_FRAMES else LEARNING_RATE
            mask = self._subtractor.apply(small, learningRate=rate)
            self._seen += 1
            foreground = (mask == 255).astype(np.uint8)  # 127 marks shadows
        h, w = foreground.shape
        people = [b for b in find_blobs(foreground, max(8, (h * w) // 1500))
                  if b.height >= UPRIGHT * b.width and b.height >= MIN_PERSON_HEIGHT * h]  # fmt: skip
        if not people:
            return None
        best = max(people, key=lambda b: b.area)
        return tuple(v / scale for v in best.box)


# Why a recording stopped.
STOP_CLOSE = "close"  # the child reached the camera
STOP_LEFT = "left"  # the child left the picture
STOP_LONG = "long"  # the longest recording allowed
STOP_ENDED = "ended"  # the camera stopped sending pictures
STOP_USER = "user"


@dataclass
class AutoStop:
    """Ends a recording when the child is close to the camera (box over ``close_share`` of the
    frame height) or has been out of the picture for ``gone_after_s`` after being seen.
    Times are the frames' own times, so the rule holds at any frame rate."""

    close_share: float = 0.9
    gone_after_s: float = 1.0
    longest_s: float = 60.0
    _start: float | None = None
    _last_seen: float | None = None

    def update(self, time_s: float, box: Box | None, frame_height: int) -> str | None:
        if self._start is None:
            self._start = time_s
        if box is not None:
            self._last_seen = time_s
            if (box[3] - box[1]) >= self.close_share * frame_height:
                return STOP_CLOSE
        elif self._last_seen is not None and time_s - self._last_seen >= self.gone_after_s:
            return STOP_LEFT
        if time_s - self._start >= self.longest_s:
            return STOP_LONG
        return None


class ClipRecorder:
    """Writes frames to ``folder/walk-<date-time>.mp4`` (MPEG-4 part 2, which OpenCV writes
    everywhere) through a temporary file renamed at the end, so a clip is whole or absent."""

    def __init__(self, folder: str | os.PathLike, fps: float, size: tuple[int, int]):
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        self.path = folder / f"walk-{stamp}.mp4"
        n = 1
        while self.path.exists():
            n += 1
            self.path = folder / f"walk-{stamp}-{n}.mp4"
        self._tmp = self.path.with_name(f".{self.path.stem}.part.mp4")
        self.size = size
        self.frames = 0
        self._writer = cv2.VideoWriter(str(self._tmp), cv2.VideoWriter_fourcc(*"mp4v"), float(fps), size)
        if not self._writer.isOpened():
            self._writer.release()
            raise OSError(f"Cannot write a video in {folder}. Choose a data folder you can write to (Settings).")

    def write(self, image: np.ndarray) -> None:
        if (image.shape[1], image.shape[0]) != self.size:
            image = cv2.resize(image, self.size, interpolation=cv2.INTER_AREA)
        self._writer.write(image)
        self.frames += 1

    def finish(self) -> Path:
        self._writer.release()
        if self.frames == 0:
            self._tmp.unlink(missing_ok=True)
            raise OSError("The recording has no frames.")
        os.replace(self._tmp, self.path)
        return self.path

    def abort(self) -> None:
        self._writer.release()
        self._tmp.unlink(missing_ok=True)


class LiveSource(Protocol):
    """What the capture page needs of a camera (``video.sources.CameraSource`` has it)."""

    @property
    def info(self) -> VideoInfo: ...

    def frames(self) -> Iterator[Frame]: ...

    def stop(self) -> None: ...

    def close(self) -> None: ...


class CameraProvider(Protocol):
    """The cameras to choose from, and how one is opened (injected, so tests and demonstrations
    can use a stand-in)."""

    def available(self) -> list[tuple[str, object]]:
        """(label, key) of each camera; may take a while (called off the GUI thread)."""
        ...

    def open(self, key) -> LiveSource: ...


class SystemCameras:
    """The computer's cameras, found by trying device indices 0 to ``highest``."""

    def __init__(self, highest: int = 4):
        self.highest = highest

    def available(self) -> list[tuple[str, object]]:
        found = []
        for index in range(self.highest + 1):
            try:
                camera = CameraSource(index)
            except CameraError:
                continue
            info = camera.info
            camera.close()
            found.append((f"{index}: {info.width}×{info.height}, {info.fps:.0f} fps", index))
        return found

    def open(self, key) -> LiveSource:
        return CameraSource(key)


class ClipCamera:
    """A stand-in camera that plays a video file at ``speed`` times its frame rate, then shows
    the first frame (the empty scene) for ``hold_s`` (for demonstrations and tests of the
    capture page). Frame times are those of the clip, whatever the speed."""

    def __init__(self, path: str | os.PathLike, speed: float = 1.0, hold_s: float = 2.0):
        self._file = FileSource(path)
        info = self._file.info
        self._info = VideoInfo(f"clip:{Path(path).name}", info.width, info.height, info.fps, 0, 0)
        self.speed = speed
        self.hold_s = hold_s
        self._stopped = False
        self.closed = False

    @property
    def info(self) -> VideoInfo:
        return self._info

    def frames(self) -> Iterator[Frame]:
        fps = self._info.fps
        start = time.monotonic()
        first = None
        index = 0
        for frame in self._file.frames():
            if self._stopped:
                return
            first = frame.image if first is None else first
            yield self._paced(Frame(index, index / fps, frame.image), start)
            index += 1
        for _ in range(round(self.hold_s * fps)):
            if self._stopped or first is None:
                return
            yield self._paced(Frame(index, index / fps, first.copy()), start)
            index += 1

    def _paced(self, frame: Frame, start: float) -> Frame:
        if self.speed > 0:
            delay = start + frame.time_s / self.speed - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        return frame

    def stop(self) -> None:
        self._stopped = True

    def close(self) -> None:
        self._stopped = True
        self.closed = True
        self._file.close()


class ClipCameras:
    """A camera provider with one stand-in camera playing ``path``."""

    def __init__(self, path: str | os.PathLike, label: str = "sample clip", speed: float = 1.0):
        self.path = Path(path)
        self.label = label
        self.speed = speed
        self.opened: list[ClipCamera] = []

    def available(self) -> list[tuple[str, object]]:
        return [(self.label, str(self.path))]

    def open(self, key) -> LiveSource:
        camera = ClipCamera(key, speed=self.speed)
        self.opened.append(camera)
        return camera
