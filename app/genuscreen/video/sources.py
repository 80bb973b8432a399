"""Frame sources: video files and cameras, streamed one frame at a time.

Sources are registered by kind with :func:`register_source`; :func:`open_source` picks one from a
path or a camera index. Both stream frames and never hold a whole video in memory.
"""

from __future__ import annotations

import math
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import cv2
import numpy as np

from genuscreen.video.errors import CameraError, VideoOpenError


@dataclass(frozen=True)
class Frame:
    """One decoded frame: its index in the stream, its time in seconds and the BGR image."""

    index: int
    time_s: float
    image: np.ndarray  # [h, w, 3] uint8 BGR, already rotated upright


@dataclass(frozen=True)
class VideoInfo:
    """What is known about a stream before reading it. Counts may be estimates for some files."""

    source: str
    width: int  # after rotation
    height: int
    fps: float
    frame_count: int  # 0 when unknown (live camera)
    rotation_deg: int

    @property
    def duration_s(self) -> float:
        return self.frame_count / self.fps if self.fps > 0 and self.frame_count > 0 else 0.0


_SOURCES: dict[str, type] = {}


def register_source(kind: str) -> Callable[[type], type]:
    """Class decorator that registers a source under ``kind``; refuses duplicates and bad classes."""

    def decorate(cls: type) -> type:
        if kind in _SOURCES:
            raise ValueError(f"a video source named {kind!r} is already registered ({_SOURCES[kind].__name__})")
        for needed in ("info", "frames", "close"):
            if not hasattr(cls, needed):
                raise TypeError(f"video source {cls.__name__} lacks {needed!r}")
        _SOURCES[kind] = cls
        return cls

    return decorate


def registered_sources() -> dict[str, type]:
    return dict(_SOURCES)


# A plausible rate for files whose header says 0 or nonsense; timestamps still win when present.
_FALLBACK_FPS = 30.0
_MAX_PLAUSIBLE_FPS = 1000.0

_ROTATE = {
    90: cv2.ROTATE_90_CLOCKWISE,
    180: cv2.ROTATE_180,
    270: cv2.ROTATE_90_COUNTERCLOCKWISE,
}


# FFmpeg turns plain text into "video" (its tty demuxer); nobody records a child as ANSI art.
_NOT_VIDEO_CODECS = {b"ansi"}

_STILL_SIGNATURES = [
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
]


def _still_image_kind(path: Path) -> str | None:
    """The image format when ``path`` is a still picture (by its signature), else None."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)
    except OSError:
        return None
    for signature, kind in _STILL_SIGNATURES:
        if head.startswith(signature):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP"
    return None


def _rotate(image: np.ndarray, rotation_deg: int) -> np.ndarray:
    code = _ROTATE.get(rotation_deg)
    return image if code is None else cv2.rotate(image, code)


@register_source("file")
class FileSource:
    """A video file read with OpenCV's FFmpeg backend.

    Rotation metadata (phone clips) is applied here, so every consumer sees upright frames.
    Frame times come from the container's timestamps when it has them, which keeps variable
    frame rate clips right; otherwise from index / fps.
    """

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self._check_path()
        self._capture = self._open()
        self._info = self._read_info()
        self.timestamps: list[float] = []  # time of every frame of the last pass, decoded or skipped

    def _check_path(self) -> None:
        p = self.path
        if not p.exists():
            raise VideoOpenError(f"Video file not found: {p}. Check the path and try again.", "not_found",
                                 name=p.name)
        if p.is_dir():
            raise VideoOpenError(f"{p} is a folder, not a video file. Choose a video file inside it.", "folder",
                                 name=p.name)
        if not os.access(p, os.R_OK):
            raise VideoOpenError(
                f"Cannot read {p}: permission denied. Copy the file somewhere you can read, or fix its permissions.",
                "permission", name=p.name,
            )
        if p.stat().st_size == 0:
            raise VideoOpenError(f"{p.name} is empty (0 bytes). Record or copy the clip again.", "empty", name=p.name)

    def _open(self) -> cv2.VideoCapture:
        still = _still_image_kind(self.path)
        if still:
            raise VideoOpenError(
                f"{self.path.name} is a still picture ({still}), not a video. Choose a video of the child walking.",
                "still_picture", name=self.path.name,
            )
        capture = cv2.VideoCapture(str(self.path), cv2.CAP_FFMPEG)
        codec = int(capture.get(cv2.CAP_PROP_FOURCC) or 0).to_bytes(4, "little", signed=False) if capture.isOpened() else b""
        if codec in _NOT_VIDEO_CODECS:
            capture.release()
            raise VideoOpenError(f"{self.path.name} is not a video (it holds text). Choose a video file.", "text",
                                 name=self.path.name)
        if not capture.isOpened():
            capture.release()
            raise VideoOpenError(
                f"{self.path.name} could not be opened as a video. It may be damaged or not a video "
                "(supported: files FFmpeg reads, such as MP4, MOV, AVI, MKV). Re-export or record it again.",
                "not_video", name=self.path.name,
            )
        # We rotate ourselves so the rotation is known and applied exactly once.
        capture.set(cv2.CAP_PROP_ORIENTATION_AUTO, 0)
        return capture

    def _read_info(self) -> VideoInfo:
        c = self._capture
        raw_w = int(c.get(cv2.CAP_PROP_FRAME_WIDTH))
        raw_h = int(c.get(cv2.CAP_PROP_FRAME_HEIGHT))
        fps = float(c.get(cv2.CAP_PROP_FPS) or 0.0)
        if not math.isfinite(fps) or fps <= 0 or fps > _MAX_PLAUSIBLE_FPS:
            fps = _FALLBACK_FPS
        count = c.get(cv2.CAP_PROP_FRAME_COUNT) or 0
        count = int(count) if math.isfinite(count) and 0 < count < 1e9 else 0
        rotation = int(round(float(c.get(cv2.CAP_PROP_ORIENTATION_META) or 0.0))) % 360
        if rotation not in _ROTATE:
            rotation = 0
        if raw_w <= 0 or raw_h <= 0:
            raise VideoOpenError(
                f"{self.path.name} has no readable picture (size {raw_w}x{raw_h}). It may not be a video file.",
                "not_video", name=self.path.name,
            )
        width, height = (raw_h, raw_w) if rotation in (90, 270) else (raw_w, raw_h)
        return VideoInfo(str(self.path), width, height, fps, max(count, 0), rotation)

    @property
    def info(self) -> VideoInfo:
        return self._info

    def frames(self, decode: Callable[[int], bool] | None = None, start: int = 0,
               start_time_s: float | None = None) -> Iterator[Frame]:  # fmt: skip
        """Yield frames from the start of the file, or from frame ``start``.

        Args:
            decode: optional predicate on the frame index; frames for which it is False are
                skipped cheaply (grabbed but not converted) and not yielded. Indices of the
                yielded frames are still their positions in the file.
            start, start_time_s: begin at frame ``start``, whose time an earlier pass measured.
                The file is seeked there when its time then matches (half a frame); otherwise,
                as in files that seek inexactly, the frames before it are read and skipped.
        """
        c = self._capture
        fps = self._info.fps
        index = self._seek(start, start_time_s) if start > 0 else 0
        holding = index > 0  # the seek left frame ``start`` grabbed
        if index == 0:
            c.set(cv2.CAP_PROP_POS_FRAMES, 0)
        last_time = -1.0
        self.timestamps = []
        while True:
            if not holding and not c.grab():
                break
            holding = False
            msec = c.get(cv2.CAP_PROP_POS_MSEC)
            time_s = msec / 1000.0 if msec and msec > 0 else index / fps
            # Some containers report stale stamps; keep time strictly increasing.
            if time_s <= last_time:
                time_s = last_time + 1.0 / fps
            last_time = time_s
            self.timestamps.append(time_s)
            if decode is not None and not decode(index):
                index += 1
                continue
            ok, image = c.retrieve()
            if not ok or image is None:
                self.timestamps.pop()
                break
            yield Frame(index, time_s, _rotate(image, self._info.rotation_deg))
            index += 1
        self.frames_read = index
        if index <= 1 and self._info.frame_count <= 1:
            raise VideoOpenError(
                f"{self.path.name} holds no more than one frame: it is a still, not a walk. "
                "Record the child walking toward the camera for 4-6 seconds.",
                "one_frame", name=self.path.name,
            )
        if index == 0:
            raise VideoOpenError(
                f"{self.path.name} contains no decodable frames. The file may be truncated or damaged; "
                "record or copy it again.",
                "no_frames", name=self.path.name,
            )

    def _seek(self, start: int, start_time_s: float | None) -> int:
        """Grab frame ``start`` by seeking, if the frame grabbed has the time measured for it:
        ``start``; else 0 (the caller reads from the beginning)."""
        c = self._capture
        if start_time_s is None or not c.set(cv2.CAP_PROP_POS_FRAMES, start) or not c.grab():
            return 0
        if abs(c.get(cv2.CAP_PROP_POS_MSEC) / 1000.0 - start_time_s) > 0.5 / self._info.fps:
            return 0
        return start

    def close(self) -> None:
        self._capture.release()

    def __enter__(self) -> "FileSource":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


@register_source("camera")
class CameraSource:
    """A live camera (device index or device path) streamed until :meth:`stop` is called.

    A camera that is absent raises :class:`CameraError` on construction; one that stops
    delivering frames (unplugged) raises :class:`CameraError` from :meth:`frames` after
    ``disconnect_after_s`` without a frame.
    """

    def __init__(
        self,
        device: int | str = 0,
        width: int | None = None,
        height: int | None = None,
        fps: float | None = None,
        disconnect_after_s: float = 2.0,
        capture_factory: Callable[[int | str], cv2.VideoCapture] | None = None,
    ):
        self.device = device
        self.disconnect_after_s = disconnect_after_s
        self._stop = threading.Event()
        factory = capture_factory or (lambda dev: cv2.VideoCapture(dev))
        self._capture = factory(device)
        if self._capture is None or not self._capture.isOpened():
            if self._capture is not None:
                self._capture.release()
            raise CameraError(
                f"No camera found at {device!r}. Check that it is plugged in and not used by another "
                "program, or choose another camera."
            )
        if width:
            self._capture.set(cv2.CAP_PROP_FRAME_WIDTH, width)
        if height:
            self._capture.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
        if fps:
            self._capture.set(cv2.CAP_PROP_FPS, fps)
        actual_fps = float(self._capture.get(cv2.CAP_PROP_FPS) or 0.0)
        if not math.isfinite(actual_fps) or actual_fps <= 0 or actual_fps > _MAX_PLAUSIBLE_FPS:
            actual_fps = fps or _FALLBACK_FPS
        self._info = VideoInfo(
            f"camera:{device}",
            int(self._capture.get(cv2.CAP_PROP_FRAME_WIDTH)),
            int(self._capture.get(cv2.CAP_PROP_FRAME_HEIGHT)),
            actual_fps,
            0,
            0,
        )

    @property
    def info(self) -> VideoInfo:
        return self._info

    def stop(self) -> None:
        """Ask :meth:`frames` to end cleanly; safe to call from another thread."""
        self._stop.set()

    def frames(self) -> Iterator[Frame]:
        start = time.monotonic()
        last_frame = start
        index = 0
        while not self._stop.is_set():
            ok, image = self._capture.read()
            now = time.monotonic()
            if not ok or image is None:
                if now - last_frame > self.disconnect_after_s:
                    raise CameraError(
                        f"The camera {self.device!r} stopped sending pictures (disconnected?). "
                        "Reconnect it and start the recording again; frames recorded so far are kept."
                    )
                time.sleep(0.01)
                continue
            last_frame = now
            yield Frame(index, now - start, image)
            index += 1

    def close(self) -> None:
        self._stop.set()
        self._capture.release()

    def __enter__(self) -> "CameraSource":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_source(spec: str | int | os.PathLike) -> FileSource | CameraSource:
    """Open a video file (a path) or a camera (an int, or a string of digits, or /dev/video*)."""
    if isinstance(spec, int) or (isinstance(spec, str) and spec.isdigit()):
        return _SOURCES["camera"](int(spec))
    if isinstance(spec, str) and spec.startswith("/dev/video"):
        return _SOURCES["camera"](spec)
    return _SOURCES["file"](spec)
