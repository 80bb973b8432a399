"""The timeline under the video: per-frame risk score and knee angle, with a playhead.

The playhead follows playback (``set_time``) and the user moves playback from here: a click
anywhere on either plot, or dragging the playhead, emits ``seek_requested`` with the time.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

SCORE_COLOUR = QColor(200, 70, 40)
ANGLE_COLOUR = QColor(40, 110, 190)
BAND_COLOUR = QColor(60, 170, 90, 50)
PLAYHEAD_COLOUR = QColor(30, 30, 30)


class Timeline(pg.GraphicsLayoutWidget):
    seek_requested = Signal(float)  # time in seconds

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setBackground("w")
        self.ci.setContentsMargins(4, 4, 8, 4)
        self.score_plot = self.addPlot(row=0, col=0)
        self.angle_plot = self.addPlot(row=1, col=0)
        self.angle_plot.setXLink(self.score_plot)
        for plot in (self.score_plot, self.angle_plot):
            plot.setMouseEnabled(x=False, y=False)
            plot.setMenuEnabled(False)
            plot.hideButtons()
            plot.showGrid(x=True, y=True, alpha=0.15)
            plot.getAxis("left").setWidth(self.fontMetrics().horizontalAdvance("0000") + 24)
        self.score_plot.getAxis("bottom").setStyle(showValues=False)
        self.score_plot.setYRange(0.0, 1.0, padding=0.05)

        self.score_curve = self.score_plot.plot(pen=pg.mkPen(SCORE_COLOUR, width=2))
        self.angle_curve = self.angle_plot.plot(pen=pg.mkPen(ANGLE_COLOUR, width=2))
        self.threshold_line = pg.InfiniteLine(angle=0, pen=pg.mkPen(SCORE_COLOUR, style=Qt.PenStyle.DashLine))
        self.score_plot.addItem(self.threshold_line)
        self.threshold_line.hide()
        self.band = pg.LinearRegionItem(orientation="horizontal", movable=False, brush=BAND_COLOUR,
                                        pen=pg.mkPen(None))  # fmt: skip
        self.band.setZValue(-10)
        self.angle_plot.addItem(self.band)
        self.band.hide()

        pen = pg.mkPen(PLAYHEAD_COLOUR, width=2)
        self.playheads = [pg.InfiniteLine(pos=0.0, angle=90, movable=True, pen=pen,
                                          hoverPen=pg.mkPen(PLAYHEAD_COLOUR, width=4)) for _ in range(2)]  # fmt: skip
        for plot, head in zip((self.score_plot, self.angle_plot), self.playheads):
            head.setZValue(20)
            plot.addItem(head)
            head.sigDragged.connect(self._playhead_dragged)
        self.scene().sigMouseClicked.connect(self._clicked)
        self._duration = 1.0
        self._retranslate()

    def sizeHint(self) -> QSize:
        h = self.fontMetrics().height()
        return QSize(40 * h, 12 * h)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.score_plot.setLabel("left", self.tr("Risk"))
        self.angle_plot.setLabel("left", self.tr("Knee angle (°)"))
        self.angle_plot.setLabel("bottom", self.tr("Time (s)"))
        tip = self.tr("Risk of genu valgum and estimated knee angle over time. Click to go to that moment.")
        self.setToolTip(tip)

    def set_duration(self, duration_s: float) -> None:
        self._duration = max(duration_s, 0.1)
        self.score_plot.setXRange(0.0, self._duration, padding=0.01)

    def set_curves(self, per_frame: list[dict], threshold: float | None, band: tuple[float, float, float] | None) -> None:
        """Per-frame points (time_s, score, angle_deg); the model's threshold; the age band."""
        times = np.array([p["time_s"] for p in per_frame], float)
        self.score_curve.setData(times, np.array([p["score"] for p in per_frame], float))
        angles = np.array([p["angle_deg"] for p in per_frame], float)
        self.angle_curve.setData(times, angles)
        if threshold is not None:
            self.threshold_line.setPos(threshold)
            self.threshold_line.show()
        else:
            self.threshold_line.hide()
        low, high = (band[0], band[2]) if band is not None else (None, None)
        if band is not None:
            self.band.setRegion((low, high))
            self.band.show()
        else:
            self.band.hide()
        values = [v for v in (*angles.tolist(), low, high) if v is not None]
        if values:
            self.angle_plot.setYRange(min(values) - 3.0, max(values) + 3.0, padding=0)

    def clear_curves(self) -> None:
        self.score_curve.setData([], [])
        self.angle_curve.setData([], [])
        self.threshold_line.hide()
        self.band.hide()

    def has_curves(self) -> bool:
        x, _ = self.score_curve.getData()
        return x is not None and len(x) > 0

    def set_time(self, time_s: float) -> None:
        for head in self.playheads:
            if not head.moving:
                head.blockSignals(True)
                head.setPos(time_s)
                head.blockSignals(False)

    def time(self) -> float:
        return float(self.playheads[0].value())

    def _playhead_dragged(self, head: pg.InfiniteLine) -> None:
        self.seek_requested.emit(float(np.clip(head.value(), 0.0, self._duration)))

    def _clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        pos = event.scenePos()
        for plot in (self.score_plot, self.angle_plot):
            if plot.vb.sceneBoundingRect().contains(pos):
                time_s = plot.vb.mapSceneToView(pos).x()
                self.seek_requested.emit(float(np.clip(time_s, 0.0, self._duration)))
                event.accept()
                return

    def scene_point_of(self, time_s: float, plot_index: int = 0):
        """Where a time lies on screen (widget coordinates, mid-height of a plot): for tests
        and accessibility tools that click the plot."""
        plot = (self.score_plot, self.angle_plot)[plot_index]
        y_range = plot.vb.viewRange()[1]
        scene = plot.vb.mapViewToScene(pg.Point(time_s, sum(y_range) / 2))
        return self.mapFromScene(scene)
