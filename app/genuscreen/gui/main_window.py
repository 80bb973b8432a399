"""The main window: wires the pages (review, capture), the child's details, the result panel,
the background work and the menus together. The work itself lives in the widgets and jobs."""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path

import numpy as np
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QStyle,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from genuscreen import __version__
from genuscreen.gui.about import AboutDialog
from genuscreen.gui.app import settings_store, settle_heap, translations
from genuscreen.gui.capture import CapturePage
from genuscreen.gui.child_details import ChildDetails
from genuscreen.gui.frames import FrameStore
from genuscreen.gui.jobs import export_job, screening_job
from genuscreen.gui.live import CameraProvider, SystemCameras
from genuscreen.gui.result_panel import ResultPanel
from genuscreen.gui.review import ReviewPage
from genuscreen.gui.settings import COLORMAPS, DEVICES, SettingsDialog, device_name, load_preferences, save_preferences
from genuscreen.gui.wording import stage_words
from genuscreen.gui.worker import Task, TaskGroup
from genuscreen.inference.result import ScreeningResult
from genuscreen.model.weights import WeightsError
from genuscreen.video.errors import VideoError

VIDEO_PATTERNS = "*.mp4 *.mov *.avi *.mkv *.m4v *.webm *.mts"

log = logging.getLogger(__name__)


def cuda_card() -> str | None:
    """The CUDA card's name when torch sees one, else None."""
    import torch

    try:
        return torch.cuda.get_device_name(0) if torch.cuda.is_available() else None
    except Exception:  # a broken driver: CUDA is then simply not offered
        return None


def user_message(error: BaseException) -> str:
    """The message of an error for the user: our errors say what to do; others are named."""
    if isinstance(error, (VideoError, WeightsError, ValueError, OSError)):
        return str(error)
    return f"{type(error).__name__}: {error}"


class MainWindow(QMainWindow):
    def __init__(self, cameras: CameraProvider | None = None, store: QSettings | None = None):
        super().__init__()
        self.store = store or settings_store()
        self.preferences = load_preferences(self.store)
        self.cuda_card = cuda_card()
        self.tasks = TaskGroup(self)
        self.clip_path: Path | None = None
        self.frames: FrameStore | None = None
        self.result: ScreeningResult | None = None
        self.empty_scene: np.ndarray | None = None
        self.analysis: Task | None = None
        self.loading: Task | None = None
        self.exporting: Task | None = None
        self._analyse_when_loaded = False
        self._clip_opened = False
        self._busy_task: Task | None = None
        self._status_key: tuple = ("ready",)

        self.review = ReviewPage()
        self.capture = CapturePage(cameras or SystemCameras(), self.tasks, self.preferences.recordings_folder)
        self.capture.clip_recorded.connect(self._clip_recorded)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.review)
        self.pages.addWidget(self.capture)

        self.child = ChildDetails()
        self.child_box = QGroupBox()
        QVBoxLayout(self.child_box).addWidget(self.child)
        self.analyse_button = QPushButton()
        self.analyse_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MediaPlay))
        self.analyse_button.clicked.connect(self.analyse)
        self.result_panel = ResultPanel()
        self.result_box = QGroupBox()
        QVBoxLayout(self.result_box).addWidget(self.result_panel)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.addWidget(self.child_box)
        side_layout.addWidget(self.analyse_button)
        side_layout.addWidget(self.result_box, 1)
        scroll = QScrollArea()
        scroll.setWidget(side)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scrollbar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        side_width = max(side.minimumSizeHint().width(), 44 * self.fontMetrics().averageCharWidth())
        scroll.setMinimumWidth(side_width + scrollbar + 2 * scroll.frameWidth())
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.pages)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([3 * side_width, side_width])
        self.setCentralWidget(splitter)
        self.splitter = splitter

        self._make_actions()
        self._make_menus_and_toolbar()
        self._make_status_bar()
        self.setAcceptDrops(True)
        self._apply_preferences()
        self._set_busy(None)
        self._retranslate()
        self.resize(self.fontMetrics().averageCharWidth() * 200, self.fontMetrics().height() * 50)
        settle_heap()

    # --- construction ---------------------------------------------------------------------

    def _make_actions(self) -> None:
        style = self.style()

        def action(slot, shortcut=None, icon=None, checkable=False) -> QAction:
            a = QAction(self)
            if shortcut is not None:
                a.setShortcut(QKeySequence(shortcut))
            if icon is not None:
                a.setIcon(style.standardIcon(icon))
            a.setCheckable(checkable)
            a.triggered.connect(slot)
            self.addAction(a)  # shortcuts work wherever the focus is in the window
            return a

        sp = QStyle.StandardPixmap
        self.open_action = action(self.choose_clip, QKeySequence.StandardKey.Open, sp.SP_DialogOpenButton)
        self.export_action = action(self.export, "Ctrl+E", sp.SP_DialogSaveButton)
        self.quit_action = action(self.close, QKeySequence.StandardKey.Quit)
        self.analyse_action = action(self.analyse, "Ctrl+R", sp.SP_MediaPlay)
        self.cancel_action = action(self.cancel, "Esc", sp.SP_BrowserStop)
        self.play_action = action(self.review.toggle_play, "Space")
        self.previous_action = action(lambda: self.review.step(-1), "Left")
        self.next_action = action(lambda: self.review.step(1), "Right")
        self.review_action = action(lambda: self.show_page(self.review), None, sp.SP_FileDialogContentsView, True)
        self.capture_action = action(lambda: self.show_page(self.capture), None, sp.SP_ComputerIcon, True)
        pages = QActionGroup(self)
        pages.addAction(self.review_action)
        pages.addAction(self.capture_action)
        self.review_action.setChecked(True)
        self.settings_action = action(self.edit_settings, "Ctrl+,", sp.SP_FileDialogDetailedView)
        self.about_action = action(self.show_about, None, sp.SP_MessageBoxInformation)

    def _make_menus_and_toolbar(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.file_menu.addAction(self.open_action)
        self.recent_menu = QMenu(self)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.file_menu.addMenu(self.recent_menu)
        self.file_menu.addAction(self.export_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.settings_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.screening_menu = bar.addMenu("")
        for a in (self.analyse_action, self.cancel_action):
            self.screening_menu.addAction(a)
        self.view_menu = bar.addMenu("")
        for a in (self.review_action, self.capture_action):
            self.view_menu.addAction(a)
        self.view_menu.addSeparator()
        for a in (self.play_action, self.previous_action, self.next_action):
            self.view_menu.addAction(a)
        self.help_menu = bar.addMenu("")
        self.help_menu.addAction(self.about_action)

        self.toolbar = QToolBar()
        self.toolbar.setObjectName("main toolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for a in (self.open_action, self.review_action, self.capture_action, self.analyse_action, self.export_action,
                  self.settings_action):  # fmt: skip
            self.toolbar.addAction(a)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.toolbar.addWidget(spacer)
        self.device_label = QLabel()
        self.device_box = QComboBox()
        for key in DEVICES:
            self.device_box.addItem("", key)
        if self.cuda_card is None:
            self.device_box.model().item(DEVICES.index("cuda")).setEnabled(False)
        self.device_box.currentIndexChanged.connect(self._device_chosen)
        self.device_label.setBuddy(self.device_box)
        self.toolbar.addWidget(self.device_label)
        self.toolbar.addWidget(self.device_box)
        self.addToolBar(self.toolbar)

    def _make_status_bar(self) -> None:
        status = self.statusBar()
        self.stage_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(True)
        self.progress.setMinimumWidth(20 * self.fontMetrics().averageCharWidth())
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.cancel)
        self.running_on = QLabel()
        status.addWidget(self.stage_label, 1)
        status.addPermanentWidget(self.progress)
        status.addPermanentWidget(self.cancel_button)
        status.addPermanentWidget(self.running_on)

    # --- language -------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _update_title(self) -> None:
        name = f" — {self.clip_path.name}" if self.clip_path is not None else ""
        self.setWindowTitle(f"GenuScreen {__version__}{name}")

    def _retranslate(self) -> None:
        self._update_title()
        texts = {
            self.open_action: (self.tr("&Open clip…"), self.tr("Open a video of the child walking (Ctrl+O)")),
            self.export_action: (self.tr("&Export…"), self.tr("Save the result and the video with the attention "
                                                              "overlay to a folder (Ctrl+E)")),
            self.quit_action: (self.tr("&Quit"), None),
            self.analyse_action: (self.tr("&Analyse"), self.tr("Screen the open clip with the child's details (Ctrl+R)")),
            self.cancel_action: (self.tr("&Cancel"), self.tr("Stop the running analysis or export (Esc)")),
            self.play_action: (self.tr("&Play / pause"), None),
            self.previous_action: (self.tr("Pre&vious frame"), None),
            self.next_action: (self.tr("&Next frame"), None),
            self.review_action: (self.tr("&Review"), self.tr("Review a clip and its result")),
            self.capture_action: (self.tr("&Capture"), self.tr("Record a walk with a camera")),
            self.settings_action: (self.tr("&Settings…"), self.tr("Data folder, device, language, overlay colours")),
            self.about_action: (self.tr("&About GenuScreen"), None),
        }  # fmt: skip
        for a, (text, tip) in texts.items():
            a.setText(text)
            a.setToolTip(tip or text.replace("&", ""))
        self.file_menu.setTitle(self.tr("&File"))
        self.recent_menu.setTitle(self.tr("Open &recent"))
        self.screening_menu.setTitle(self.tr("&Screening"))
        self.view_menu.setTitle(self.tr("&View"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.toolbar.setWindowTitle(self.tr("Main toolbar"))
        self.device_label.setText(self.tr("Device:") + " ")
        for i, key in enumerate(DEVICES):
            self.device_box.setItemText(i, device_name(key, self.cuda_card))
        self.device_box.setToolTip(self.tr("Where the model runs. CUDA needs an NVIDIA card and a CUDA build of "
                                           "PyTorch."))  # fmt: skip
        self.child_box.setTitle(self.tr("Child"))
        self.result_box.setTitle(self.tr("Result"))
        self.analyse_button.setText(self.tr("Analyse"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop the running work (Esc)"))
        self._render_status()
        self._render_device()

    # --- status bar -----------------------------------------------------------------------

    def _set_status(self, *key) -> None:
        self._status_key = key
        self._render_status()

    def _render_status(self) -> None:
        kind, *args = self._status_key
        texts = {
            "ready": lambda: self.tr("Ready."),
            "loaded": lambda: self.tr("Clip opened. Enter the child's details and press Analyse."),
            "stage": lambda: stage_words(args[0]),
            "cancelling": lambda: self.tr("Cancelling…"),
            "cancelled": lambda: self.tr("Analysis cancelled."),
            "analysed": lambda: self.tr("Analysis finished in {seconds} s.").format(seconds=f"{args[0]:.1f}"),
            "exported": lambda: self.tr("Exported to {folder}.").format(folder=args[0]),
            "export_cancelled": lambda: self.tr("Export cancelled."),
            "failed": lambda: self.tr("The last action failed; see the message."),
        }
        self.stage_label.setText(texts.get(kind, texts["ready"])())

    def _render_device(self) -> None:
        ran_on = self.result.device if self.result is not None else None
        if ran_on:
            self.running_on.setText(self.tr("Last analysis ran on: {device}").format(device=ran_on))
        else:
            key = self.device_box.currentData()
            resolved = "cuda" if key == "cuda" or (key == "auto" and self.cuda_card) else "cpu"
            self.running_on.setText(self.tr("Model runs on: {device}").format(device=device_name(resolved, self.cuda_card)))

    def _device_chosen(self, _index: int) -> None:
        self._render_device()

    # --- preferences ----------------------------------------------------------------------

    def _apply_preferences(self) -> None:
        p = self.preferences
        device = p.device if (p.device != "cuda" or self.cuda_card) else "auto"
        self.device_box.setCurrentIndex(DEVICES.index(device))
        self.review.set_colormap(COLORMAPS[p.colormap])
        self.review.set_opacity(p.overlay_opacity)

    def _save_preferences(self) -> None:
        self.preferences.overlay_opacity = self.review.opacity.value() / 100.0
        save_preferences(self.store, self.preferences)

    def edit_settings(self) -> None:
        dialog = SettingsDialog(self.preferences, self.cuda_card, self)
        if dialog.exec() != SettingsDialog.DialogCode.Accepted:
            return
        self.apply_settings(dialog.preferences())

    def apply_settings(self, preferences) -> None:
        """Take new preferences: store them and apply them now (the language included)."""
        self.preferences = preferences
        self.preferences.language = translations().apply(preferences.language)
        self._apply_preferences()
        self._save_preferences()

    # --- pages ----------------------------------------------------------------------------

    def show_page(self, page: QWidget) -> None:
        if page is self.capture:
            self.review.pause()
            self.pages.setCurrentWidget(self.capture)
            self.capture_action.setChecked(True)
            self.capture.activate()
        else:
            self.capture.deactivate()
            self.pages.setCurrentWidget(self.review)
            self.review_action.setChecked(True)
        on_review = page is self.review
        for a in (self.play_action, self.previous_action, self.next_action):
            a.setEnabled(on_review)

    # --- opening clips --------------------------------------------------------------------

    def choose_clip(self) -> None:
        start = str(Path(self.preferences.recent_files[0]).parent) if self.preferences.recent_files else ""
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open a walking clip"), start,
                                              self.tr("Videos ({patterns});;All files (*)").format(patterns=VIDEO_PATTERNS))  # fmt: skip
        if path:
            self.open_clip(path)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self.preferences.recent_files:
            a = self.recent_menu.addAction(Path(path).name)
            a.setToolTip(path)
            a.triggered.connect(partial(self.open_clip, path))
        if not self.preferences.recent_files:
            none = self.recent_menu.addAction(self.tr("No recent clips"))
            none.setEnabled(False)

    def open_clip(self, path: str | Path, empty_scene: np.ndarray | None = None, analyse: bool = False) -> None:
        """Open a clip for review; it is read in the background. ``analyse``: screen it once
        its first frames are read (after a recording)."""
        # Work on the previous clip is cancelled and its late signals are ignored (they are
        # matched against the current task).
        for task in (self.analysis, self.loading):
            if task is not None:
                task.cancel()
        if self._busy_task is self.analysis:
            self._set_busy(None)
        self.analysis = None
        self.show_page(self.review)
        self.clip_path = Path(path)
        self.empty_scene = empty_scene
        self.result = None
        self.result_panel.show_result(None)
        self.frames = FrameStore(self.clip_path)
        self.review.set_store(self.frames)
        self._analyse_when_loaded = analyse
        self._clip_opened = False
        task = self.tasks.start(self.frames.load, "genuscreen-frames")
        self.loading = task
        task.progressed.connect(partial(self._frames_progressed, task))
        task.succeeded.connect(partial(self._frames_loaded, task))
        task.failed.connect(partial(self._frames_failed, task))
        task.finished.connect(partial(self._frames_finished, task))
        self._set_status("stage", "frames")
        self._update_actions()
        self._update_title()

    def _frames_progressed(self, task: Task, done: int, _total: int, _stage: str) -> None:
        if task is not self.loading:
            return
        self.review.frames_loaded()
        if done >= 1 and not self._clip_opened:
            self._clip_opened = True  # the file is a readable video
            self._remember_recent()
            self._update_actions()
            if self._analyse_when_loaded and self.analysis is None:
                self._analyse_when_loaded = False
                self.analyse()

    def _frames_loaded(self, task: Task, _store) -> None:
        if task is not self.loading:
            return
        self.review.frames_loaded()
        if self.analysis is None and self.exporting is None:
            self._set_status("loaded")

    def _frames_failed(self, task: Task, error: BaseException) -> None:
        if task is not self.loading:
            return
        if self.analysis is not None:
            self.analysis.cancel()
        path = self.clip_path
        self.clip_path = None
        self.frames = None
        self.review.clear()
        self._analyse_when_loaded = False
        self._set_status("failed")
        self._update_title()
        self._error(self.tr("This clip cannot be opened"), user_message(error), path)

    def _frames_finished(self, task: Task) -> None:
        if task is self.loading:
            self.loading = None
        self._update_actions()

    def _remember_recent(self) -> None:
        path = str(self.clip_path.resolve())
        if not self.preferences.recent_files or self.preferences.recent_files[0] != path:
            self.preferences = self.preferences.with_recent(path)
            self._save_preferences()

    def _clip_recorded(self, path: str, empty_scene) -> None:
        self.open_clip(path, empty_scene=empty_scene, analyse=True)

    # --- analysis -------------------------------------------------------------------------

    def clip_ready(self) -> bool:
        return self.clip_path is not None and self.frames is not None and len(self.frames) > 0

    def analyse(self) -> None:
        if not self.clip_ready() or self.analysis is not None or self.exporting is not None:
            return
        job = screening_job(self.clip_path, self.child.age(), self.child.sex_code(), self.device_box.currentData(),
                            self.empty_scene)  # fmt: skip
        task = self.tasks.start(job, "genuscreen-screening")
        self.analysis = task
        task.progressed.connect(partial(self._progressed, task))
        task.succeeded.connect(partial(self._analysis_succeeded, task))
        task.failed.connect(partial(self._analysis_failed, task))
        task.cancelled.connect(partial(self._analysis_cancelled, task))
        task.finished.connect(partial(self._analysis_finished, task))
        self.result = None
        self.review.set_result(None)
        self.result_panel.show_busy(True)
        self._set_busy(task)
        self._set_status("stage", "loading model")

    def cancel(self) -> None:
        for task in (self.analysis, self.exporting):
            if task is not None and not task.cancel_requested:
                task.cancel()
                self._set_status("cancelling")

    def _progressed(self, task: Task, done: int, total: int, stage: str) -> None:
        if task is not self._busy_task:
            return
        self.progress.setValue(round(1000 * done / max(1, total)))
        self._set_status("stage", stage)

    def _analysis_succeeded(self, task: Task, result: ScreeningResult) -> None:
        if task is not self.analysis:
            return
        self.show_result(result)
        settle_heap(collect=False)  # the model now loaded stays for the next clips

    def show_result(self, result: ScreeningResult) -> None:
        """Show a result of the open clip: panel, timeline and overlay."""
        self.result = result
        self.result_panel.show_result(result)
        self.review.set_result(result)
        self._set_status("analysed", result.timings.get("total", 0.0))
        self._render_device()
        self._update_actions()

    def _analysis_failed(self, task: Task, error: BaseException) -> None:
        if task is not self.analysis:
            return
        self.result_panel.show_result(None)
        self._set_status("failed")
        self._error(self.tr("The clip could not be analysed"), user_message(error), self.clip_path)

    def _analysis_cancelled(self, task: Task) -> None:
        if task is not self.analysis:
            return
        self.result_panel.show_result(None)
        self._set_status("cancelled")

    def _analysis_finished(self, task: Task) -> None:
        if task is self.analysis:
            self.analysis = None
        if task is self._busy_task:
            self._set_busy(None)
        if self._analyse_when_loaded and self.clip_ready():
            self._analyse_when_loaded = False
            self.analyse()

    # --- export ---------------------------------------------------------------------------

    def export(self) -> None:
        if self.result is None or self.clip_path is None or self.exporting is not None or self.analysis is not None:
            if self.result is None:
                QMessageBox.information(self, self.tr("Nothing to export yet"),
                                        self.tr("Analyse a clip first; then its result can be exported."))  # fmt: skip
            return
        default = Path(self.preferences.data_folder) / "exports"
        folder = QFileDialog.getExistingDirectory(self, self.tr("Export to folder"), str(default))
        if not folder:
            return
        job = export_job(self.clip_path, self.result, self.child.values(), Path(folder),
                         self.review.opacity.value() / 100.0, COLORMAPS[self.preferences.colormap])  # fmt: skip
        task = self.tasks.start(job, "genuscreen-export")
        self.exporting = task
        task.progressed.connect(partial(self._progressed, task))
        task.succeeded.connect(lambda _paths: self._set_status("exported", folder))
        task.failed.connect(lambda error: self._error(self.tr("The export failed"), user_message(error)))
        task.cancelled.connect(lambda: self._set_status("export_cancelled"))
        task.finished.connect(partial(self._export_finished, task))
        self._set_busy(task)
        self._set_status("stage", "export")

    def _export_finished(self, task: Task) -> None:
        if task is self.exporting:
            self.exporting = None
        if task is self._busy_task:
            self._set_busy(None)

    # --- shared ---------------------------------------------------------------------------

    def _set_busy(self, task: Task | None) -> None:
        self._busy_task = task
        busy = task is not None
        self.progress.setVisible(busy)
        if busy:
            self.progress.setValue(0)
        self.cancel_button.setVisible(busy)
        self._update_actions()

    def _update_actions(self) -> None:
        busy = self.analysis is not None or self.exporting is not None
        self.analyse_action.setEnabled(self.clip_ready() and not busy)
        self.analyse_button.setEnabled(self.clip_ready() and not busy)
        self.export_action.setEnabled(self.result is not None and not busy)
        self.cancel_action.setEnabled(busy)

    def _error(self, title: str, message: str, path: Path | None = None) -> None:
        text = message if path is None else f"{path.name}\n\n{message}"
        QMessageBox.warning(self, title, text)

    def show_about(self) -> None:
        AboutDialog(self).exec()

    # --- drag and drop, closing -----------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile():
            event.acceptProposedAction()
            self.open_clip(urls[0].toLocalFile())

    def shutdown(self) -> None:
        """Stop the camera and every background job, and wait for their threads."""
        self.review.pause()
        self.capture.shutdown()
        self.tasks.shutdown()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        self._save_preferences()
        super().closeEvent(event)
