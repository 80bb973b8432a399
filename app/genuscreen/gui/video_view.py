"""The video picture of the review page, with the attention overlay and the person the screening
followed (``walker_overlay``), and the overlay's legend.

The frame and the attention map are two pyqtgraph image items in full-frame coordinates: the
map is drawn only over its box, coloured through a lookup table with transparency, so showing a
frame costs one JPEG decode and no per-pixel blending in Python (the same look as
``inference.explain.overlay``: weak attention fades out, strong attention is opaque up to the
chosen opacity).
"""

from __future__ import annotations

import cv2
import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QGraphicsRectItem, QSizePolicy, QWidget

from genuscreen.gui.walker_overlay import WalkerOverlay
from genuscreen.inference.explain import colour_legend

# Frames are [row, column] arrays (pyqtgraph's default transposes them; pyqtgraph #315).
pg.setConfigOptions(imageAxisOrder="row-major")

HEAT_UPSCALE = 4  # the compact maps are smoothed to this multiple before Qt stretches them
# As in explain.overlay: attention below a third of the clip's peak fades towards transparent.
HEAT_FADE = 3.0


def heat_lookup_table(colormap: int) -> np.ndarray:
    """[256, 4] uint8 RGBA: the colour map, transparent where attention is weak."""
    ramp = np.arange(256, dtype=np.uint8)[:, None]
    rgb = cv2.cvtColor(cv2.applyColorMap(ramp, colormap), cv2.COLOR_BGR2RGB)[:, 0, :]
    alpha = np.clip(np.arange(256) / 255.0 * HEAT_FADE, 0.0, 1.0) * 255
    return np.concatenate([rgb, alpha.round().astype(np.uint8)[:, None]], axis=1)


class VideoView(pg.GraphicsView):
    """A frame with an optional attention map over the walker's box."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, background=QColor(24, 24, 24))
        self.view = pg.ViewBox(lockAspect=True, invertY=True, enableMouse=False, enableMenu=False)
        self.view.setMouseEnabled(False, False)
        self.setCentralItem(self.view)
        self.frame_item = pg.ImageItem()
        self.heat_item = pg.ImageItem()
        self.heat_item.setZValue(10)
        self.box_item = QGraphicsRectItem()
        pen = QPen(QColor(255, 255, 255, 140))
        pen.setCosmetic(True)
        pen.setStyle(Qt.PenStyle.DashLine)
        self.box_item.setPen(pen)
        self.box_item.setZValue(11)
        for item in (self.frame_item, self.heat_item, self.box_item):
            self.view.addItem(item)
        self.walker = WalkerOverlay(self.view)
        self._size = (0, 0)
        self._lut = heat_lookup_table(cv2.COLORMAP_JET)
        self._heat_shown = True
        self.heat_item.setOpacity(0.5)
        self.heat_item.hide()
        self.box_item.hide()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        h = self.fontMetrics().height()
        return QSize(40 * h, 30 * h)

    def show_frame(self, rgb: np.ndarray, width: int, height: int) -> None:
        """Show a display-size RGB frame over the full-frame rectangle width x height."""
        self.frame_item.setImage(rgb, autoLevels=False, levels=(0, 255))
        if (width, height) != self._size:
            self._size = (width, height)
            self.frame_item.setRect(QRectF(0, 0, width, height))
            self.view.setRange(QRectF(0, 0, width, height), padding=0)

    def clear(self) -> None:
        self.frame_item.clear()
        self.show_heat(None, None)
        self.walker.clear()
        self._size = (0, 0)

    def show_heat(self, heat: np.ndarray | None, box) -> None:
        """Show a compact attention map (uint8, 255 = the clip's peak) over ``box`` (x0, y0,
        x1, y1 full-frame pixels); ``None`` hides it."""
        if heat is None or box is None:
            self.heat_item.hide()
            self.box_item.hide()
            return
        h, w = heat.shape
        smooth = cv2.resize(heat, (w * HEAT_UPSCALE, h * HEAT_UPSCALE), interpolation=cv2.INTER_LINEAR)
        self.heat_item.setImage(smooth, autoLevels=False, levels=(0, 255), lut=self._lut)
        x0, y0, x1, y1 = (float(v) for v in box)
        rect = QRectF(x0, y0, max(1.0, x1 - x0), max(1.0, y1 - y0))
        self.heat_item.setRect(rect)
        self.box_item.setRect(rect)
        self.heat_item.setVisible(self._heat_shown)
        self.box_item.setVisible(self._heat_shown)

    def set_overlay_visible(self, shown: bool) -> None:
        self._heat_shown = shown
        has_heat = self.heat_item.image is not None
        self.heat_item.setVisible(shown and has_heat)
        self.box_item.setVisible(shown and has_heat)

    def set_overlay_opacity(self, opacity: float) -> None:
        self.heat_item.setOpacity(float(np.clip(opacity, 0.0, 1.0)))

    def set_colormap(self, colormap: int) -> None:
        self._lut = heat_lookup_table(colormap)
        if self.heat_item.image is not None:
            self.heat_item.setLookupTable(self._lut)


class ColourLegend(QWidget):
    """A horizontal colour bar of the overlay: low attention on the left, high on the right."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._colormap = cv2.COLORMAP_JET
        self._bar = self._make_bar()
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._retranslate()

    def _retranslate(self) -> None:
        self.setToolTip(self.tr("Attention colours, scaled to the strongest attention in this clip"))
        self.update()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _make_bar(self) -> QImage:
        # colour_legend draws the strongest at the top; turned so that it grows to the right.
        bar = np.ascontiguousarray(np.rot90(colour_legend(self._colormap, 256, 1), k=-1)[:, :, ::-1])
        image = QImage(bar.data, bar.shape[1], bar.shape[0], bar.strides[0], QImage.Format.Format_RGB888)
        return image.copy()

    def set_colormap(self, colormap: int) -> None:
        self._colormap = colormap
        self._bar = self._make_bar()
        self.update()

    def sizeHint(self) -> QSize:
        fm = self.fontMetrics()
        return QSize(fm.horizontalAdvance(self._low_text() + self._high_text()) + 12 * fm.height(), fm.height() + 4)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def _low_text(self) -> str:
        return self.tr("low")

    def _high_text(self) -> str:
        return self.tr("high")

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        fm = self.fontMetrics()
        low, high = self._low_text(), self._high_text()
        gap = fm.horizontalAdvance(" ")
        left = fm.horizontalAdvance(low) + gap
        right = self.width() - fm.horizontalAdvance(high) - gap
        bar_rect = QRectF(left, 2, max(10, right - left), self.height() - 4)
        painter.drawImage(bar_rect, self._bar)
        painter.setPen(self.palette().windowText().color())
        painter.drawRect(bar_rect)
        painter.drawText(QRectF(0, 0, left, self.height()), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, low)
        painter.drawText(QRectF(right, 0, self.width() - right, self.height()),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, high)  # fmt: skip
