"""The capture page: camera picker, live preview with the walker's box and skeleton
(``live_preview``), the recording protocol as a checklist, the empty-scene capture, and
recording with a countdown and automatic stop."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np
from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from genuscreen.gui.camera import CameraController
from genuscreen.gui.live import STOP_CLOSE, STOP_ENDED, STOP_LEFT, STOP_LONG, CameraProvider
from genuscreen.gui.live_preview import LivePreview
from genuscreen.gui.worker import TaskGroup

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
        # Why the preview has no skeleton (the pose model could not be loaded); hidden otherwise.
        self.pose_note = QLabel()
        self.pose_note.setWordWrap(True)
        self.pose_note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.pose_note.hide()
        self._pose_problem: str | None = None

        side = QVBoxLayout()
        side.addLayout(camera_row)
        side.addWidget(self.checklist_box)
        side.addWidget(self.empty_button)
        side.addWidget(self.empty_state)
        side.addWidget(self.record_button)
        side.addWidget(self.stop_button)
        side.addWidget(self.status)
        side.addWidget(self.pose_note)
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
            self.tr("Camera on a tripod or shelf, or held steady, at knee-to-waist height, 0.5–1.1 m"),
            self.tr("A straight walkway toward the camera, from about 6 m to 2 m"),
            self.tr("Good light, no window or lamp behind the child"),
            self.tr("Nobody else walking with the child"),
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
        self._render_pose_note()
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
        if frame.pose_problem != self._pose_problem:
            self._pose_problem = frame.pose_problem
            self._render_pose_note()

    def _render_pose_note(self) -> None:
        problem = self._pose_problem
        self.pose_note.setText(self.tr("No skeleton in the preview: {problem}").format(problem=problem) if problem
                               else "")  # fmt: skip
        self.pose_note.setVisible(bool(problem))

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
