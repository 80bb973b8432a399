"""Who the screening followed, drawn over the review picture: the person's box and, from the pose
front end, the skeleton of their landmarks.

The result keeps the person followed on every clip, the refused ones included, so the user can
see whom the screening looked at beside the reasons it gives. Only the analysed frames have an
entry (about 15 a second); a frame in between shows the nearest analysed frame's drawing when
one lies close enough in time, so a 30 fps clip does not flicker on playback.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPen
from PySide6.QtWidgets import QGraphicsRectItem

from genuscreen.gui.skeleton_paint import BOX_COLOUR, SkeletonItem
from genuscreen.video.skeleton import N_LANDMARKS

# Frames are analysed about 15 times a second: every video frame lies within 1/30 s of one, and
# beyond a little more than that the person has moved on (or was not followed there at all).
MATCH_WITHIN_S = 0.07


@dataclass
class WalkerTrack:
    """The followed person of a result (``ScreeningResult.walker``) as arrays."""

    times: np.ndarray  # [n] seconds, increasing
    boxes: np.ndarray  # [n, 4] x0, y0, x1, y1, full-frame pixels
    landmarks: np.ndarray | None  # [n, 33, 3] x, y, visibility; None from the background front end

    @classmethod
    def of(cls, walker: dict | None) -> "WalkerTrack | None":
        """The track of a result's ``walker``; None when there is none (a record older than the
        track, or nobody followed) or it does not hold together."""
        if not walker or not walker.get("times_s"):
            return None
        times = np.asarray(walker["times_s"], np.float64)
        boxes = np.asarray(walker.get("boxes") or [], np.float64).reshape(-1, 4)
        if len(boxes) != len(times):
            return None
        landmarks = cls._landmarks_of(walker.get("landmarks"), len(times))
        order = np.argsort(times, kind="stable")
        return cls(times[order], boxes[order], None if landmarks is None else landmarks[order])

    @staticmethod
    def _landmarks_of(landmarks, n: int) -> np.ndarray | None:
        if not landmarks:
            return None
        try:
            array = np.asarray(landmarks, np.float64)
        except ValueError:  # ragged: a frame without its landmarks
            return None
        # Anything else than 33 points per frame cannot be drawn as this skeleton: the box still can.
        return array if array.shape == (n, N_LANDMARKS, 3) else None

    def nearest(self, time_s: float, within_s: float = MATCH_WITHIN_S) -> int | None:
        """Position of the analysed frame nearest ``time_s``, or None when none is within ``within_s``."""
        k = int(np.searchsorted(self.times, time_s))
        candidates = [i for i in (k - 1, k) if 0 <= i < len(self.times)]
        if not candidates:
            return None
        best = min(candidates, key=lambda i: abs(self.times[i] - time_s))
        return best if abs(self.times[best] - time_s) <= within_s else None


class WalkerOverlay:
    """The followed person's box and skeleton on a view box in full-frame coordinates."""

    def __init__(self, view: pg.ViewBox):
        self.box_item = QGraphicsRectItem()
        pen = QPen(BOX_COLOUR, 2)
        pen.setCosmetic(True)
        self.box_item.setPen(pen)
        self.box_item.setZValue(20)  # above the attention map (10) and its box (11)
        self.skeleton_item = SkeletonItem()
        self.skeleton_item.setZValue(21)
        for item in (self.box_item, self.skeleton_item):
            view.addItem(item)
            item.hide()
        self.track: WalkerTrack | None = None
        self.shown = True
        self._at: int | None = None  # the analysed frame on screen

    def set_walker(self, walker: dict | None) -> None:
        """A new result's person (``ScreeningResult.walker``; None: nothing to draw)."""
        self.track = WalkerTrack.of(walker)
        self._at = None
        self._refresh()

    def clear(self) -> None:
        self.set_walker(None)

    def show_at(self, time_s: float) -> None:
        """Draw the person as followed at ``time_s`` (nothing when no analysed frame is near)."""
        self._at = self.track.nearest(time_s) if self.track is not None else None
        self._refresh()

    def set_shown(self, shown: bool) -> None:
        self.shown = shown
        self._refresh()

    def _refresh(self) -> None:
        k = self._at if self.shown else None
        if k is None:
            self.box_item.hide()
            self.skeleton_item.hide()
            return
        x0, y0, x1, y1 = (float(v) for v in self.track.boxes[k])
        self.box_item.setRect(QRectF(x0, y0, max(1.0, x1 - x0), max(1.0, y1 - y0)))
        self.box_item.show()
        landmarks = self.track.landmarks
        self.skeleton_item.set_landmarks(None if landmarks is None else landmarks[k])
        self.skeleton_item.setVisible(landmarks is not None)
