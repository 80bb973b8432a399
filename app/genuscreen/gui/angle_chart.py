"""A small chart of the estimated knee angle against the normal band for the child's age."""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from genuscreen import clinical

BAND_COLOUR = QColor(76, 175, 80, 90)
VALGUM_COLOUR = QColor(229, 57, 53, 45)
MARK_COLOUR = QColor(21, 101, 192)


class AngleBandChart(QWidget):
    """A horizontal degree scale: the age's normal band (green), the genu valgum range (from
    15°, red), and the estimate with its interval."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.angle: float | None = None
        self.interval: tuple[float, float] | None = None
        self.band: tuple[float, float, float] | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.setToolTip(self.tr("Green: normal band for the age. Red: genu valgum range (15° or more). "
                                "Blue: the estimate and its 90% interval."))  # fmt: skip
        self.update()

    def set_values(self, angle: float | None, interval: tuple[float, float] | None,
                   band: tuple[float, float, float] | None) -> None:  # fmt: skip
        self.angle, self.interval, self.band = angle, interval, band
        self.update()

    def sizeHint(self) -> QSize:
        h = self.fontMetrics().height()
        return QSize(20 * h, 4 * h)

    def minimumSizeHint(self) -> QSize:
        h = self.fontMetrics().height()
        return QSize(12 * h, 4 * h)

    def _range(self) -> tuple[float, float]:
        values = [-5.0, 25.0]
        if self.interval is not None:
            values += list(self.interval)
        lo = 5.0 * math.floor((min(values) - 2.0) / 5.0)
        hi = 5.0 * math.ceil((max(values) + 2.0) / 5.0)
        return lo, hi

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = self.fontMetrics()
        text_h = fm.height()
        margin = fm.horizontalAdvance("-00°") / 2 + 2
        left, right = margin, self.width() - margin
        top = text_h * 0.5
        track_h = max(10.0, self.height() - 2.2 * text_h)
        lo, hi = self._range()

        def x_of(deg: float) -> float:
            return left + (right - left) * (deg - lo) / (hi - lo)

        track = QRectF(left, top, right - left, track_h)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(VALGUM_COLOUR)
        valgum_x = x_of(clinical.TFA_VALGUM_MIN)
        painter.drawRect(QRectF(valgum_x, top, right - valgum_x, track_h))
        if self.band is not None:
            lower, mean, upper = self.band
            painter.setBrush(BAND_COLOUR)
            painter.drawRect(QRectF(x_of(lower), top, x_of(upper) - x_of(lower), track_h))
            painter.setPen(QPen(QColor(46, 125, 50), 1, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(x_of(mean), top), QPointF(x_of(mean), top + track_h))
        text_colour = self.palette().windowText().color()
        painter.setPen(QPen(text_colour, 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(track)
        # Ticks every 5 degrees, labelled every 10 (every 5 when there is room).
        step_label = 5 if (right - left) / ((hi - lo) / 5) > fm.horizontalAdvance("-00°") * 1.3 else 10
        deg = lo
        while deg <= hi + 1e-6:
            x = x_of(deg)
            painter.drawLine(QPointF(x, top + track_h), QPointF(x, top + track_h + text_h * 0.25))
            if int(deg) % step_label == 0:
                label = f"{deg:.0f}°"
                w = fm.horizontalAdvance(label)
                painter.drawText(QRectF(x - w, top + track_h + text_h * 0.25, 2 * w, text_h),
                                 Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, label)  # fmt: skip
            deg += 5.0
        if self.angle is not None:
            mid = top + track_h / 2
            painter.setPen(QPen(MARK_COLOUR, 2))
            if self.interval is not None:
                a, b = x_of(self.interval[0]), x_of(self.interval[1])
                painter.drawLine(QPointF(a, mid), QPointF(b, mid))
                for x in (a, b):
                    painter.drawLine(QPointF(x, mid - track_h * 0.25), QPointF(x, mid + track_h * 0.25))
            painter.setBrush(MARK_COLOUR)
            radius = max(3.0, track_h * 0.22)
            painter.drawEllipse(QPointF(x_of(self.angle), mid), radius, radius)
        painter.end()
