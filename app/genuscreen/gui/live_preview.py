"""The capture page's live picture: the newest camera frame scaled to fit, the walker's box, the
person's skeleton from the pose model, and the recording time and countdown over it.

Everything here is painted from a ``camera.LiveFrame`` the camera thread prepared (frame shrunk,
box and landmarks in preview pixels), so a paint costs no image work in the GUI thread.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from genuscreen.gui.camera import LiveFrame
from genuscreen.gui.skeleton_paint import BOX_COLOUR, paint_skeleton

RECORD_COLOUR = QColor(229, 57, 53)


class LivePreview(QWidget):
    """The newest camera frame, scaled to fit, with the walker's box, the skeleton and a status
    overlay."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._image: QImage | None = None
        self._pixels: np.ndarray | None = None  # keeps the QImage's memory alive
        self._box = None
        self._landmarks: np.ndarray | None = None
        self.banner = ""  # big text in the middle (the countdown)
        self.corner = ""  # small text top-left (recording time)
        self.placeholder = ""
        self.frames_shown = 0
        self.boxes_shown = 0
        self.skeletons_shown = 0  # frames shown with a skeleton on them
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def sizeHint(self) -> QSize:
        h = self.fontMetrics().height()
        return QSize(40 * h, 30 * h)

    def set_frame(self, frame: LiveFrame) -> None:
        pixels = frame.image
        self._pixels = pixels
        self._image = QImage(pixels.data, pixels.shape[1], pixels.shape[0], pixels.strides[0], QImage.Format.Format_BGR888)
        self._box = frame.box
        self._landmarks = frame.landmarks
        self.frames_shown += 1
        self.boxes_shown += frame.box is not None
        self.skeletons_shown += frame.landmarks is not None
        self.update()

    @property
    def box(self):
        """The walker's box on the frame shown (preview pixels), or None."""
        return self._box

    @property
    def landmarks(self) -> np.ndarray | None:
        """The skeleton on the frame shown ([33, 3], preview pixels), or None."""
        return self._landmarks

    def clear(self) -> None:
        self._image = None
        self._pixels = None
        self._box = None
        self._landmarks = None
        self.update()

    def _target(self) -> QRectF:
        w, h = self._image.width(), self._image.height()
        scale = min(self.width() / w, self.height() / h)
        return QRectF((self.width() - w * scale) / 2, (self.height() - h * scale) / 2, w * scale, h * scale)

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(24, 24, 24))
        if self._image is None:
            painter.setPen(QColor(220, 220, 220))
            painter.drawText(self.rect().adjusted(20, 20, -20, -20), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             self.placeholder)  # fmt: skip
            return
        target = self._target()
        painter.drawImage(target, self._image)
        self._paint_person(painter, target)
        if self.corner:
            self._paint_corner(painter, target)
        if self.banner:
            self._paint_banner(painter, target)

    def _paint_person(self, painter: QPainter, target: QRectF) -> None:
        """The box and the skeleton, given in preview pixels, over the scaled picture."""
        painter.save()
        painter.translate(target.topLeft())
        scale = target.width() / self._image.width()
        painter.scale(scale, scale)
        if self._box is not None:
            x0, y0, x1, y1 = self._box
            pen = QPen(BOX_COLOUR, 2)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.drawRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        if self._landmarks is not None:
            paint_skeleton(painter, self._landmarks)
        painter.restore()

    def _paint_corner(self, painter: QPainter, target: QRectF) -> None:
        font = QFont(self.font())
        font.setBold(True)
        painter.setFont(font)
        fm = painter.fontMetrics()
        rect = QRectF(target.x() + 8, target.y() + 8, fm.horizontalAdvance(self.corner) + 16, fm.height() + 8)
        painter.fillRect(rect, RECORD_COLOUR)
        painter.setPen(Qt.GlobalColor.white)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.corner)

    def _paint_banner(self, painter: QPainter, target: QRectF) -> None:
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 6)
        painter.setFont(font)
        painter.setPen(QColor(0, 0, 0, 160))
        painter.drawText(target.translated(3, 3), Qt.AlignmentFlag.AlignCenter, self.banner)
        painter.setPen(Qt.GlobalColor.white)
        painter.drawText(target, Qt.AlignmentFlag.AlignCenter, self.banner)
