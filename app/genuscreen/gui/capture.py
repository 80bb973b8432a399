"""The capture page: camera picker, live preview with the walker's box, the recording protocol
as a checklist, the empty-scene capture, and recording with a countdown and automatic stop."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np
from PySide6.QtCore import QEvent, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from genuscreen.gui.camera import CameraController, LiveFrame
from genuscreen.gui.live import STOP_CLOSE, STOP_ENDED, STOP_LEFT, STOP_LONG, CameraProvider
from genuscreen.gui.worker import TaskGroup

BOX_COLOUR = QColor(0, 230, 118)
RECORD_COLOUR = QColor(229, 57, 53)


class LivePreview(QWidget):
    """The newest camera frame, scaled to fit, with the walker's box and a status overlay."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._image: QImage | None = None
        self._pixels: np.ndarray | None = None  # keeps the QImage's memory alive
        self._box = None
        self.banner = ""  # big text in the middle (the countdown)
        self.corner = ""  # small text top-left (recording time)
        self.placeholder = ""
        self.frames_shown = 0
        self.boxes_shown = 0
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
        self.frames_shown += 1
        self.boxes_shown += frame.box is not None
        self.update()

    @property
    def box(self):
        """The walker's box on the frame shown (preview pixels), or None."""
        return self._box

    def clear(self) -> None:
        self._image = None
        self._pixels = None
        self._box = None
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
        if self._box is not None:
            s = target.width() / self._image.width()
            x0, y0, x1, y1 = self._box
            pen = QPen(BOX_COLOUR, 2)
            painter.setPen(pen)
            painter.drawRect(QRectF(target.x() + x0 * s, target.y() + y0 * s, (x1 - x0) * s, (y1 - y0) * s))
        if self.corner:
            font = QFont(self.font())
            font.setBold(True)
            painter.setFont(font)
            fm = painter.fontMetrics()
            rect = QRectF(target.x() + 8, target.y() + 8, fm.horizontalAdvance(self.corner) + 16, fm.height() + 8)
            painter.fillRect(rect, RECORD_COLOUR)
            painter.setPen(Qt.GlobalColor.white)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.corner)
        if self.banner:
            font = QFont(self.font())
            font.setBold(True)
            font.setPointSizeF(font.pointSizeF() * 6)
            painter.setFont(font)
            painter.setPen(QColor(0, 0, 0, 160))
            painter.drawText(target.translated(3, 3), Qt.AlignmentFlag.AlignCenter, self.banner)
            painter.setPen(Qt.GlobalColor.white)
            painter.drawText(target, Qt.AlignmentFlag.AlignCenter, self.banner)


class CapturePage(QWidget):
    clip_recorded = Signal(str, object)  # the clip's path, the empty scene (BGR) or None

    def __init__(self, cameras: CameraProvider, tasks: TaskGroup, recordings_folder: Callable[[], Path],
                 parent: QWidget | None = None):  # fmt: skip
        super().__init__(parent)
        self.cameras = cameras
        self.tasks = tasks
        self.recordings_folder = recordings_folder
        self.countdown_s = 3
        self.camera = CameraController(self)
        self.empty_scene: np.ndarray | None = None
        self._countdown_left = 0
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._count_down)
        self._recording = False
        self._active = False
        self._listing = None
        self._status_key: tuple = ("idle",)
        self._live_args = (0, 0, 0.0)

        self.preview = LivePreview()
        self.camera_box = QComboBox()
        self.camera_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.camera_box.setMinimumContentsLength(12)
        self.camera_box.activated.connect(self._camera_chosen)
        self.refresh_button = QToolButton()
        self.refresh_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_BrowserReload))
        self.refresh_button.clicked.connect(self.refresh_cameras)
        self.camera_label = QLabel()
        camera_row = QHBoxLayout()
        camera_row.addWidget(self.camera_label)
        camera_row.addWidget(self.camera_box, 1)
        camera_row.addWidget(self.refresh_button)

        self.checklist_box = QGroupBox()
        self.checklist = QLabel()
        self.checklist.setWordWrap(True)
        self.checklist.setTextFormat(Qt.TextFormat.RichText)
        checklist_layout = QVBoxLayout(self.checklist_box)
        checklist_layout.addWidget(self.checklist)

        self.empty_button = QPushButton()
        self.empty_button.clicked.connect(self.capture_empty_scene)
        self.empty_state = QLabel()
        self.empty_state.setWordWrap(True)
        self.record_button = QPushButton()
        self.record_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_DialogYesButton))
        self.record_button.clicked.connect(self.start_recording)
        self.stop_button = QPushButton()
        self.stop_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MediaStop))
        self.stop_button.clicked.connect(self.stop_recording)
        self.status = QLabel()
        self.status.setWordWrap(True)

        side = QVBoxLayout()
        side.addLayout(camera_row)
        side.addWidget(self.checklist_box)
        side.addWidget(self.empty_button)
        side.addWidget(self.empty_state)
        side.addWidget(self.record_button)
        side.addWidget(self.stop_button)
        side.addWidget(self.status)
        side.addStretch(1)
        side_widget = QWidget()
        side_widget.setLayout(side)
        side_widget.setMinimumWidth(32 * self.fontMetrics().averageCharWidth())
        side_widget.setMaximumWidth(56 * self.fontMetrics().averageCharWidth())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.preview, 3)
        layout.addWidget(side_widget, 1)

        self.camera.frame_ready.connect(self._show_frame)
        self.camera.opened.connect(self._opened)
        self.camera.failed.connect(self._failed)
        self.camera.recording_started.connect(self._recording_started)
        self.camera.recording_finished.connect(self._recording_finished)
        self.camera.recording_failed.connect(self._recording_failed)
        self.camera.empty_scene_captured.connect(self._empty_scene_captured)
        self.camera.stopped.connect(self._camera_stopped)
        self._update_buttons()
        self._retranslate()

    # --- language -------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.camera_label.setText(self.tr("Camera:"))
        self.refresh_button.setToolTip(self.tr("Look for cameras again"))
        self.checklist_box.setTitle(self.tr("Before you record"))
        items = [
            self.tr("Camera fixed (tripod or shelf) at knee-to-waist height, 0.5–1.1 m"),
            self.tr("A straight walkway toward the camera, from about 6 m to 2 m"),
            self.tr("Good light, no window or lamp behind the child"),
            self.tr("Nobody else in the picture"),
            self.tr("Shorts or tight trousers; barefoot if possible"),
            self.tr("Whole body in view, at least 4 steps per walk"),
            self.tr("Capture the empty scene first, then let a warm-up walk pass"),
        ]
        rows = "".join(f"<tr><td>☐&nbsp;</td><td>{item}</td></tr>" for item in items)
        self.checklist.setText(f"<table cellspacing='3'>{rows}</table>")
        self.empty_button.setText(self.tr("Capture empty scene"))
        self.empty_button.setToolTip(self.tr("Keep a picture of the scene without anybody in it: it helps to find "
                                             "the child's outline accurately"))  # fmt: skip
        self.record_button.setText(self.tr("Record"))
        self.record_button.setToolTip(self.tr("Start recording after a countdown; it stops by itself when the child "
                                              "reaches the camera or leaves the picture"))  # fmt: skip
        self.stop_button.setText(self.tr("Stop"))
        self.empty_state.setText(self.tr("Empty scene captured ✓") if self.empty_scene is not None
                                 else self.tr("No empty scene yet"))  # fmt: skip
        self.preview.placeholder = self.tr("No camera picture. Choose a camera, or connect one and press the "
                                           "reload button.")  # fmt: skip
        self._render_status()
        self.preview.update()

    # --- status line ----------------------------------------------------------------------

    def _set_status(self, *key) -> None:
        self._status_key = key
        self._render_status()

    def _render_status(self) -> None:
        kind, *args = self._status_key
        reasons = {
            STOP_CLOSE: self.tr("the child reached the camera"),
            STOP_LEFT: self.tr("the child left the picture"),
            STOP_LONG: self.tr("the longest recording time was reached"),
            STOP_ENDED: self.tr("the camera stopped"),
        }
        texts = {
            "idle": lambda: self.tr("Choose a camera to start the preview."),
            "looking": lambda: self.tr("Looking for cameras…"),
            "none": lambda: self.tr("No camera found. Connect a camera and press the reload button."),
            "opening": lambda: self.tr("Starting the camera…"),
            "live": lambda: self.tr("Live: {width}×{height}, {fps} frames per second.").format(
                width=args[0], height=args[1], fps=f"{args[2]:.0f}"),
            "countdown": lambda: self.tr("Recording starts in {seconds} s…").format(seconds=args[0]),
            "recording": lambda: self.tr("Recording… it stops when the child reaches the camera or leaves the "
                                         "picture."),
            "saved": lambda: self.tr("Saved {name} ({why}). Analysing it…").format(
                name=args[0], why=reasons.get(args[1], self.tr("stopped"))),
            "failed": lambda: self.tr("Camera problem: {message}").format(message=args[0]),
            "record_failed": lambda: self.tr("The recording could not be saved: {message}").format(message=args[0]),
        }  # fmt: skip
        self.status.setText(texts.get(kind, texts["idle"])())

    # --- cameras --------------------------------------------------------------------------

    def activate(self) -> None:
        """The page is shown: find cameras (first time) and start the chosen one."""
        self._active = True
        if self.camera_box.count() == 0:
            self.refresh_cameras()
        elif not self.camera.is_running():
            self._camera_chosen(self.camera_box.currentIndex())

    def deactivate(self) -> None:
        """The page is hidden: release the camera (a recording in progress is kept)."""
        self._active = False
        self._countdown.stop()
        self.preview.banner = ""
        self.camera.stop()
        self.preview.clear()
        self._update_buttons()

    def shutdown(self) -> None:
        self.deactivate()

    def refresh_cameras(self) -> None:
        if self._listing is not None:
            return
        self._set_status("looking")
        cameras = self.cameras
        self._listing = self.tasks.start(lambda _cancel, _report: cameras.available(), "genuscreen-camera-list")
        self._listing.succeeded.connect(self._cameras_listed)
        self._listing.failed.connect(lambda error: self._set_status("failed", str(error)))
        self._listing.finished.connect(self._listing_finished)

    def _listing_finished(self) -> None:
        self._listing = None

    def _cameras_listed(self, cameras: list) -> None:
        self.camera_box.clear()
        for label, key in cameras:
            self.camera_box.addItem(label, key)
        if not cameras:
            self._set_status("none")
        elif self._active:
            self._camera_chosen(0)

    def _camera_chosen(self, index: int) -> None:
        if index < 0 or not self._active:
            return
        self._set_status("opening")
        self.camera.start(self.cameras, self.camera_box.itemData(index))
        self._update_buttons()

    def _opened(self, width: int, height: int, fps: float) -> None:
        self._live_args = (width, height, fps)
        self._set_status("live", width, height, fps)
        self._update_buttons()

    def _failed(self, message: str) -> None:
        self._set_status("failed", message)
        self._update_buttons()

    def _camera_stopped(self) -> None:
        self._recording = False
        self.preview.corner = ""
        self._update_buttons()

    def _show_frame(self) -> None:
        frame = self.camera.take_frame()
        if frame is None:
            return
        self.preview.corner = (self.tr("● REC {seconds} s").format(seconds=f"{frame.recording_s:.1f}")
                               if frame.recording_s is not None else "")  # fmt: skip
        self.preview.set_frame(frame)

    # --- empty scene and recording --------------------------------------------------------

    def capture_empty_scene(self) -> None:
        self.camera.capture_empty_scene()

    def _empty_scene_captured(self, image: np.ndarray) -> None:
        self.empty_scene = image
        self._retranslate()

    def start_recording(self) -> None:
        if not self.camera.is_running() or self._recording or self._countdown.isActive():
            return
        self._countdown_left = self.countdown_s
        if self._countdown_left <= 0:
            self._begin_recording()
            return
        self.preview.banner = str(self._countdown_left)
        self._set_status("countdown", self._countdown_left)
        self._countdown.start()
        self._update_buttons()

    def _count_down(self) -> None:
        self._countdown_left -= 1
        if self._countdown_left > 0:
            self.preview.banner = str(self._countdown_left)
            self._set_status("countdown", self._countdown_left)
            return
        self._countdown.stop()
        self.preview.banner = ""
        self._begin_recording()

    def _begin_recording(self) -> None:
        self._recording = True
        self.camera.record(str(self.recordings_folder()))
        self._update_buttons()

    def stop_recording(self) -> None:
        if self._countdown.isActive():
            self._countdown.stop()
            self.preview.banner = ""
            self._set_status("live", *self._live_args)
        elif self._recording:
            self.camera.stop_recording()
        self._update_buttons()

    def _recording_started(self, _path: str) -> None:
        self._set_status("recording")

    def _recording_finished(self, path: str, reason: str) -> None:
        self._recording = False
        self.preview.corner = ""
        self._set_status("saved", Path(path).name, reason)
        self._update_buttons()
        self.clip_recorded.emit(path, self.empty_scene)

    def _recording_failed(self, message: str) -> None:
        self._recording = False
        self._set_status("record_failed", message)
        self._update_buttons()

    @property
    def recording(self) -> bool:
        return self._recording

    def _update_buttons(self) -> None:
        live = self.camera.is_running()
        busy = self._recording or self._countdown.isActive()
        self.empty_button.setEnabled(live and not busy)
        self.record_button.setEnabled(live and not busy)
        self.stop_button.setEnabled(busy)
        self.camera_box.setEnabled(not busy)
