"""The frames of the clip under review, for the player (no Qt here).

The review player needs any frame at once (scrubbing, stepping, clicks on the timeline), but a
video file only streams forward. The clip is therefore read once, in a worker thread, through
the project's one video reader (``video.sources.FileSource``), and kept in memory as JPEG at
display size: about 60 KB a frame, so a minute of 1080p at 30 fps takes about 100 MB rather
than 11 GB of raw frames. Decoding one JPEG for display takes a few milliseconds.

A screening reopened from the records whose recording has gone is shown over its stored
silhouettes instead (:class:`SilhouetteFrames`).
"""

from __future__ import annotations

import bisect
import os
from pathlib import Path

import cv2
import numpy as np

from genuscreen.video.errors import Cancelled
from genuscreen.video.sources import FileSource

DISPLAY_LONG_SIDE = 1280  # pixels; frames larger than this are shrunk for display only
JPEG_QUALITY = 90


class FrameStore:
    """Frames of one clip, filled by :meth:`load` (in a worker thread) while the GUI reads them.

    Frame ``i`` is the i-th frame of the file (the index the screening result uses). Appends
    from the loading thread and reads from the GUI thread need no lock: each frame is one
    list append.
    """

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.width = 0  # full-frame size, the coordinates of the result's boxes
        self.height = 0
        self.fps = 25.0
        self.expected_frames = 0
        self.complete = False
        self._frames: list[tuple[float, bytes]] = []  # (time in s, JPEG)
        self._times: list[float] = []
        self._cached: tuple[int, np.ndarray] | None = None

    def load(self, should_cancel, report) -> "FrameStore":
        """Read the whole clip (the worker job); raises VideoOpenError for an unreadable file."""
        with FileSource(self.path) as source:
            info = source.info
            self.width, self.height, self.fps = info.width, info.height, info.fps
            self.expected_frames = info.frame_count
            scale = min(1.0, DISPLAY_LONG_SIDE / max(info.width, info.height))
            params = [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY]
            for frame in source.frames():
                if should_cancel():
                    raise Cancelled("frame loading cancelled")
                image = frame.image
                if scale < 1.0:
                    image = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
                ok, jpeg = cv2.imencode(".jpg", image, params)
                if not ok:
                    raise OSError(f"cannot keep frame {frame.index} of {self.path.name} in memory")
                self._times.append(frame.time_s)
                self._frames.append((frame.time_s, jpeg.tobytes()))
                report(len(self._frames), max(self.expected_frames, len(self._frames)), "frames")
        self.complete = True
        return self

    def __len__(self) -> int:
        return len(self._frames)

    def time_of(self, index: int) -> float:
        return self._frames[index][0]

    def duration_s(self) -> float:
        if not self._frames:
            return 0.0
        return self._frames[-1][0] + 1.0 / self.fps

    def index_at(self, time_s: float) -> int:
        """The frame shown at ``time_s`` (the nearest frame time)."""
        n = len(self._frames)
        if n == 0:
            return 0
        times = self._times[:n]
        k = bisect.bisect_left(times, time_s)
        if k <= 0:
            return 0
        if k >= n:
            return n - 1
        return k if times[k] - time_s < time_s - times[k - 1] else k - 1

    def image_rgb(self, index: int) -> np.ndarray:
        """Frame ``index`` as RGB uint8 at display size (the last one is cached)."""
        if self._cached is not None and self._cached[0] == index:
            return self._cached[1]
        jpeg = np.frombuffer(self._frames[index][1], np.uint8)
        rgb = cv2.cvtColor(cv2.imdecode(jpeg, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
        self._cached = (index, rgb)
        return rgb


SILHOUETTE_LONG_SIDE = 640  # the stored silhouettes are 64 x 44: more pixels would add nothing
SILHOUETTE_GREY = 205
BACKGROUND_GREY = 28


class SilhouetteFrames:
    """Stand-in frames for a stored screening whose recording is no longer there: the child's
    stored silhouettes drawn in their boxes on a dark frame of the recording's size. Frame ``i``
    stands for frame ``i`` of the recording (blank where no silhouette was kept), so the
    attention maps and the timeline line up as they did with the recording. Same interface as
    :class:`FrameStore`; complete from the start."""

    def __init__(self, heatmaps, width: int, height: int, fps: float, frames: int):
        self.path = None
        self.heatmaps = heatmaps
        self.width, self.height = int(width), int(height)
        self.fps = float(fps) if fps and fps > 0 else 25.0
        last_analysed = int(heatmaps.frame_indices.max()) + 1 if len(heatmaps.frame_indices) else 0
        self.expected_frames = max(int(frames or 0), last_analysed, 1)
        self.complete = True
        self._scale = min(1.0, SILHOUETTE_LONG_SIDE / max(self.width, self.height, 1))
        self._size = (max(1, round(self.width * self._scale)), max(1, round(self.height * self._scale)))
        self._cached: tuple[int, np.ndarray] | None = None

    @classmethod
    def of_result(cls, result) -> "SilhouetteFrames | None":
        """The silhouette frames of a result, or None when it kept no silhouettes."""
        heat = result.heatmaps
        video = result.video or {}
        if heat is None or heat.silhouettes is None or not len(heat.frame_indices) or not video.get("width"):
            return None
        return cls(heat, video["width"], video["height"], video.get("fps") or 25.0, video.get("frames") or 0)

    def __len__(self) -> int:
        return self.expected_frames

    def time_of(self, index: int) -> float:
        return index / self.fps

    def duration_s(self) -> float:
        return self.expected_frames / self.fps

    def index_at(self, time_s: float) -> int:
        return int(np.clip(round(time_s * self.fps), 0, self.expected_frames - 1))

    def image_rgb(self, index: int) -> np.ndarray:
        if self._cached is not None and self._cached[0] == index:
            return self._cached[1]
        w, h = self._size
        image = np.full((h, w, 3), BACKGROUND_GREY, np.uint8)
        k = self.heatmaps.nearest(index)
        if k is not None:
            x0, y0, x1, y1 = (float(v) * self._scale for v in self.heatmaps.boxes[k])
            bx0, by0 = int(np.floor(x0)), int(np.floor(y0))
            bw, bh = max(1, int(round(x1 - x0))), max(1, int(round(y1 - y0)))
            patch = cv2.resize(self.heatmaps.silhouettes[k].astype(np.uint8), (bw, bh), interpolation=cv2.INTER_NEAREST)
            fx0, fy0, fx1, fy1 = max(0, bx0), max(0, by0), min(w, bx0 + bw), min(h, by0 + bh)
            if fx1 > fx0 and fy1 > fy0:
                region = patch[fy0 - by0 : fy1 - by0, fx0 - bx0 : fx1 - bx0].astype(bool)
                image[fy0:fy1, fx0:fx1][region] = SILHOUETTE_GREY
        self._cached = (index, image)
        return image
