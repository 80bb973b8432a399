"""Drawing a person's body landmarks: bones coloured by side, joints as dots, and landmarks the
pose model barely saw left out.

One painter function serves both pictures: the live preview paints in a widget's paint event,
and the review player shows a graphics item in full-frame coordinates. Pens are cosmetic, so
lines and dots keep their size on screen whatever the frame's size or the zoom.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem

from genuscreen.video.skeleton import EDGE_SIDES, LANDMARK_NAMES, MIN_VISIBILITY, SKELETON_EDGES

# The person's left is drawn blue and the right orange (the usual convention of pose tools, and
# the pair stays distinct for the common colour-vision deficiencies). A child facing the camera
# has the left side on the right of the picture.
SIDE_COLOURS = {-1: QColor(41, 182, 246), 1: QColor(255, 145, 0), 0: QColor(245, 245, 245)}
BOX_COLOUR = QColor(0, 230, 118)  # the followed person's box, live and on review: the same person, the same mark
OUTLINE = QColor(0, 0, 0, 140)  # a dark rim keeps the lines visible on pale floors and clothes
BONE_WIDTH = 3.0  # screen pixels
JOINT_SIZE = 7.0  # screen pixels

# The landmarks that end a bone: the only ones given a dot (the face's inner points would crowd it).
JOINTS = tuple(sorted({i for edge in SKELETON_EDGES for i in edge}))
JOINT_SIDES = tuple(-1 if LANDMARK_NAMES[i].startswith("left") else 1 if LANDMARK_NAMES[i].startswith("right")
                    else 0 for i in JOINTS)  # fmt: skip


def _pen(colour: QColor, width: float) -> QPen:
    pen = QPen(colour, width)
    pen.setCosmetic(True)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def _bones(landmarks: np.ndarray, seen: np.ndarray) -> dict[int, list[QLineF]]:
    """The visible bones by side."""
    bones: dict[int, list[QLineF]] = {-1: [], 0: [], 1: []}
    for (a, b), side in zip(SKELETON_EDGES, EDGE_SIDES):
        if seen[a] and seen[b]:
            bones[side].append(QLineF(*landmarks[a, :2], *landmarks[b, :2]))
    return bones


def _joints(landmarks: np.ndarray, seen: np.ndarray) -> dict[int, QPolygonF]:
    """The visible joints by side."""
    joints: dict[int, QPolygonF] = {-1: QPolygonF(), 0: QPolygonF(), 1: QPolygonF()}
    for i, side in zip(JOINTS, JOINT_SIDES):
        if seen[i]:
            joints[side].append(QPointF(*landmarks[i, :2]))
    return joints


def paint_skeleton(painter: QPainter, landmarks: np.ndarray, min_visibility: float = MIN_VISIBILITY) -> int:
    """Draw ``landmarks`` ([33, 3]: x, y, visibility) in the painter's current coordinates, which
    must be those of the landmarks. Returns how many bones were drawn."""
    landmarks = np.asarray(landmarks, np.float64)
    seen = landmarks[:, 2] >= min_visibility
    bones = _bones(landmarks, seen)
    joints = _joints(landmarks, seen)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    # Rims first, then colours: a rim painted later would cut across the bones it crosses.
    painter.setPen(_pen(OUTLINE, BONE_WIDTH + 2))
    for lines in bones.values():
        painter.drawLines(lines)
    for side, lines in bones.items():
        painter.setPen(_pen(SIDE_COLOURS[side], BONE_WIDTH))
        painter.drawLines(lines)
    painter.setPen(_pen(OUTLINE, JOINT_SIZE + 2))
    for points in joints.values():
        painter.drawPoints(points)
    for side, points in joints.items():
        painter.setPen(_pen(SIDE_COLOURS[side], JOINT_SIZE))
        painter.drawPoints(points)
    painter.restore()
    return sum(len(lines) for lines in bones.values())


class SkeletonItem(QGraphicsItem):
    """One person's skeleton as a graphics item, in the coordinates of its landmarks."""

    def __init__(self, parent: QGraphicsItem | None = None):
        super().__init__(parent)
        self._landmarks: np.ndarray | None = None
        self._bounds = QRectF()
        self.bones_drawn = 0  # at the last paint (tests and screenshots check it)

    @property
    def landmarks(self) -> np.ndarray | None:
        return self._landmarks

    def set_landmarks(self, landmarks: np.ndarray | None) -> None:
        self.prepareGeometryChange()
        self._landmarks = None if landmarks is None else np.asarray(landmarks, np.float64)
        self._bounds = self._bounds_of(self._landmarks)
        self.update()

    @staticmethod
    def _bounds_of(landmarks: np.ndarray | None) -> QRectF:
        if landmarks is None:
            return QRectF()
        x0, y0 = landmarks[:, :2].min(axis=0)
        x1, y1 = landmarks[:, :2].max(axis=0)
        # The pens are sized in screen pixels: leave room for them at any zoom a frame is shown at.
        margin = 20.0 + 0.1 * max(x1 - x0, y1 - y0)
        return QRectF(x0 - margin, y0 - margin, x1 - x0 + 2 * margin, y1 - y0 + 2 * margin)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, _option, _widget=None) -> None:
        if self._landmarks is not None:
            self.bones_drawn = paint_skeleton(painter, self._landmarks)
