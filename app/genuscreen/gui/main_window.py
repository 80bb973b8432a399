"""The main window: wires the pages (review, capture, records, class session), the child's
details, the result panel, the records, the background work and the menus together. The work
itself lives in the widgets and jobs.

Every analysis is saved in the records as soon as it finishes when the child's ID is entered
(with the class session when one is active). Without an ID the result stays on screen marked
"not saved", with a Save to records button that asks for the ID, and leaving it (another clip,
another child, a stored screening, closing the window) asks first: a result is never lost
silently."""

from __future__ import annotations

import logging
from datetime import datetime
from functools import partial
from pathlib import Path

import numpy as np
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QInputDialog,
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
from genuscreen.gui.class_session import ClassSessionPage, SessionStrip
from genuscreen.gui.frames import FrameStore, SilhouetteFrames
from genuscreen.gui.history import HistoryPage
from genuscreen.gui.jobs import (
    Exported,
    ReportOptions,
    StoredScreening,
    export_job,
    reopen_job,
    save_screening_job,
    screening_job,
)
from genuscreen.gui.live import CameraProvider, SystemCameras
from genuscreen.gui.record_status import FAILED, NONE, SAVED, SAVING, STORED, UNSAVED, RecordStatus
from genuscreen.gui.records import Records, RecordsUnavailable
from genuscreen.gui.result_panel import ResultPanel
from genuscreen.gui.review import ReviewPage
from genuscreen.gui.settings import COLORMAPS, DEVICES, SettingsDialog, device_name, load_preferences, save_preferences
from genuscreen.gui.wording import stage_words, video_error_words
from genuscreen.gui.worker import Task, TaskGroup
from genuscreen.inference.result import ScreeningResult
from genuscreen.model.weights import WeightsError
from genuscreen.storage import ScreeningRecord
from genuscreen.video.errors import VideoError, VideoOpenError

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
    if isinstance(error, VideoOpenError):
        return video_error_words(error)
    if isinstance(error, (VideoError, WeightsError, ValueError, OSError, RecordsUnavailable)):
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
        self.frames: FrameStore | SilhouetteFrames | None = None  # silhouettes: a stored screening's video is gone
        self.result: ScreeningResult | None = None
        self.empty_scene: np.ndarray | None = None
        self.analysis: Task | None = None
        self.loading: Task | None = None
        self.exporting: Task | None = None
        self.records = Records(self.preferences.data_folder, self)
        self.record: ScreeningRecord | None = None  # the stored screening on screen
        self.unsaved = False  # the result on screen is a new analysis not yet in the records
        self.screened_at: datetime | None = None  # when the result on screen was made
        self.saving: Task | None = None
        self.reopening: Task | None = None
        self._exported: Exported | None = None  # files exported before the result was saved
        self._analyse_when_loaded = False
        self._clip_opened = False
        self._busy_task: Task | None = None
        self._status_key: tuple = ("ready",)

        self.review = ReviewPage()
        # Asked at each recording: the data folder may have changed in the settings since.
        self.capture = CapturePage(cameras or SystemCameras(), self.tasks, lambda: self.preferences.recordings_folder())
        self.capture.clip_recorded.connect(self._clip_recorded)
        self.history = HistoryPage(self.records, self.tasks, self.report_options)
        self.history.open_requested.connect(self.reopen_screening)
        self.history.child_deleted.connect(self._child_deleted)
        self.class_session = ClassSessionPage(self.records, self.tasks, self.report_options, self.operator,
                                              self._may_switch_child)  # fmt: skip
        self.class_session.child_chosen.connect(self._session_child_chosen)
        self.class_session.record_requested.connect(lambda: self.show_page(self.capture))
        self.class_session.open_clip_requested.connect(self.choose_clip)
        self.pages = QStackedWidget()
        for page in (self.review, self.capture, self.history, self.class_session):
            self.pages.addWidget(page)

        self.child = ChildDetails()
        self.child_box = QGroupBox()
        QVBoxLayout(self.child_box).addWidget(self.child)
        self.analyse_button = QPushButton()
        self.analyse_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MediaPlay))
        self.analyse_button.clicked.connect(self.analyse)
        self.record_status = RecordStatus()
        self.record_status.save_requested.connect(self.save_to_records)
        self.session_strip = SessionStrip(self.class_session)
        self.session_strip.show_requested.connect(lambda: self.show_page(self.class_session))
        self.result_panel = ResultPanel()
        self.result_box = QGroupBox()
        QVBoxLayout(self.result_box).addWidget(self.result_panel)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.addWidget(self.session_strip)
        side_layout.addWidget(self.child_box)
        side_layout.addWidget(self.analyse_button)
        side_layout.addWidget(self.record_status)
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
        self.side_panel = scroll

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
        self.save_action = action(self.save_to_records, QKeySequence.StandardKey.Save, sp.SP_DriveHDIcon)
        self.review_action = action(lambda: self.show_page(self.review), None, sp.SP_FileDialogContentsView, True)
        self.capture_action = action(lambda: self.show_page(self.capture), None, sp.SP_ComputerIcon, True)
        self.records_action = action(lambda: self.show_page(self.history), "Ctrl+H", sp.SP_FileDialogListView, True)
        self.session_action = action(lambda: self.show_page(self.class_session), None, sp.SP_DirHomeIcon, True)
        pages = QActionGroup(self)
        for a in (self.review_action, self.capture_action, self.records_action, self.session_action):
            pages.addAction(a)
        self.review_action.setChecked(True)
        self.import_roster_action = action(self._import_roster, None, None)
        self.class_summary_action = action(self._class_summary, None, None)
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
        self.file_menu.addAction(self.import_roster_action)
        self.file_menu.addAction(self.class_summary_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.settings_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.screening_menu = bar.addMenu("")
        for a in (self.analyse_action, self.cancel_action, self.save_action):
            self.screening_menu.addAction(a)
        self.view_menu = bar.addMenu("")
        for a in (self.review_action, self.capture_action, self.records_action, self.session_action):
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
        for a in (self.open_action, self.review_action, self.capture_action, self.records_action, self.session_action,
                  self.analyse_action, self.export_action, self.settings_action):  # fmt: skip
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
            self.export_action: (self.tr("&Export…"), self.tr("Save the PDF report, the result and the video with "
                                                              "the attention overlay to a folder (Ctrl+E)")),
            self.save_action: (self.tr("&Save to records"), self.tr("Keep the result in the records with the "
                                                                    "child's details (Ctrl+S)")),
            self.records_action: (self.tr("Recor&ds"), self.tr("Stored screenings: search, open again, reports, "
                                                               "delete (Ctrl+H)")),
            self.session_action: (self.tr("Class &session"), self.tr("Screen a class child by child from a roster")),
            self.import_roster_action: (self.tr("&Import class roster…"), self.tr("Start a class session from a "
                                                                                  "CSV roster")),
            self.class_summary_action: (self.tr("Class s&ummary…"), self.tr("Write the class summary (PDF and CSV) "
                                                                            "of the class session")),
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
            "saved": lambda: self.tr("Saved in the records."),
            "analysed_saved": lambda: self.tr("Analysis finished in {seconds} s and saved in the records.").format(
                seconds=f"{args[0]:.1f}"),
            "opening_record": lambda: self.tr("Opening the screening from the records…"),
            "reopened": lambda: self.tr("Screening opened from the records; the model did not run again."),
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
        self.review.apply_preferences(p)

    def _save_preferences(self) -> None:
        self.review.keep_preferences(self.preferences)
        save_preferences(self.store, self.preferences)

    def edit_settings(self) -> None:
        dialog = SettingsDialog(self.preferences, self.cuda_card, self)
        if dialog.exec() != SettingsDialog.DialogCode.Accepted:
            return
        self.apply_settings(dialog.preferences())

    def apply_settings(self, preferences) -> None:
        """Take new preferences: store them and apply them now (the language included)."""
        self.review.keep_preferences(preferences)  # opacity, person followed: set on the page, not in the dialog
        self.preferences = preferences
        self.preferences.language = translations().apply(preferences.language)
        self._apply_preferences()
        self._save_preferences()
        self.records.set_data_folder(preferences.data_folder)

    def report_options(self) -> ReportOptions:
        """Reports in the interface's language, with the page size and privacy of the settings."""
        return ReportOptions(language=translations().language, page=self.preferences.report_page,
                             silhouettes_only=self.preferences.report_silhouettes_only)  # fmt: skip

    def operator(self) -> str | None:
        return self.preferences.operator or None

    # --- pages ----------------------------------------------------------------------------

    def show_page(self, page: QWidget) -> None:
        if page is not self.review:
            self.review.pause()
        if page is not self.capture:
            self.capture.deactivate()
        self.pages.setCurrentWidget(page)
        actions = {self.review: self.review_action, self.capture: self.capture_action,
                   self.history: self.records_action, self.class_session: self.session_action}  # fmt: skip
        actions[page].setChecked(True)
        if page is self.capture:
            self.capture.activate()
        elif page is self.history:
            self.history.refresh()
        elif page is self.class_session:
            self.class_session.refresh()
        # The records table needs the width; the child and the result belong to the other pages.
        self.side_panel.setVisible(page is not self.history)
        on_review = page is self.review
        for a in (self.play_action, self.previous_action, self.next_action):
            a.setEnabled(on_review)

    # --- opening clips --------------------------------------------------------------------

    def choose_clip(self) -> None:
        if not self._may_leave_result():
            return
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
            a.triggered.connect(partial(self._open_if_leaving, path))
        if not self.preferences.recent_files:
            none = self.recent_menu.addAction(self.tr("No recent clips"))
            none.setEnabled(False)

    def _open_if_leaving(self, path: str | Path) -> None:
        if self._may_leave_result():
            self.open_clip(path)

    def _stop_clip_work(self) -> None:
        """Cancel the work on the clip on screen; its late signals are ignored (they are matched
        against the current task)."""
        for task in (self.analysis, self.loading):
            if task is not None:
                task.cancel()
        if self._busy_task is self.analysis:
            self._set_busy(None)
        self.analysis = None
        self.loading = None
        self._analyse_when_loaded = False

    def close_clip(self) -> None:
        """Nothing on review: no clip, no result (a new child in a class session)."""
        self._stop_clip_work()
        self.clip_path = None
        self.frames = None
        self.empty_scene = None
        self.review.clear()
        self._clear_result()
        self._set_status("ready")
        self._update_actions()
        self._update_title()

    def _clear_result(self) -> None:
        self.result = None
        self.result_panel.show_result(None)
        self._set_record_state(None, unsaved=False)

    def open_clip(self, path: str | Path, empty_scene: np.ndarray | None = None, analyse: bool = False) -> None:
        """Open a clip for review; it is read in the background. ``analyse``: screen it once
        its first frames are read (after a recording)."""
        self._stop_clip_work()
        self.show_page(self.review)
        self.clip_path = Path(path)
        self.empty_scene = empty_scene
        self._clear_result()
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
        if self.analysis is None and self.exporting is None and self.result is None:
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
        # The walk is recorded already: the question can save or drop the old result, not stop this.
        self._may_leave_result(cancellable=False)
        self.open_clip(path, empty_scene=empty_scene, analyse=True)

    # --- analysis -------------------------------------------------------------------------

    def clip_ready(self) -> bool:
        return self.clip_path is not None and isinstance(self.frames, FrameStore) and len(self.frames) > 0

    def _can_analyse(self) -> bool:
        # A save keeps its own copy of the result: analysing again need not wait for it.
        return self.clip_ready() and all(t is None for t in (self.analysis, self.exporting, self.reopening))

    def analyse(self) -> None:
        if not self._can_analyse():
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
        self._clear_result()
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
        self.screened_at = datetime.now().astimezone()
        self._set_record_state(None, unsaved=True)
        if self.child.values()["id"]:
            self._start_save()
        settle_heap(collect=False)  # the model now loaded stays for the next clips

    def show_result(self, result: ScreeningResult) -> None:
        """Show a result of the open clip: panel, timeline and overlay (not yet a record)."""
        self.result = result
        self.screened_at = datetime.now().astimezone()
        self._set_record_state(None, unsaved=False)
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
        """Write the PDF report, the result JSON and the overlay video to a chosen folder."""
        if self.result is None or self._busy():
            if self.result is None:
                QMessageBox.information(self, self.tr("Nothing to export yet"),
                                        self.tr("Analyse a clip first; then its result can be exported."))  # fmt: skip
            return
        default = Path(self.preferences.data_folder) / "exports"
        folder = QFileDialog.getExistingDirectory(self, self.tr("Export to folder"), str(default))
        if not folder:
            return
        records = None
        if self.record is not None:
            try:
                records = self.records.database()
            except RecordsUnavailable:
                records = None  # the files are still written; only the note on the record is missing
        video = self.clip_path if isinstance(self.frames, FrameStore) else None
        operator = self.record.operator if self.record is not None else self.operator()
        job = export_job(video, self.result, self.child.values(), Path(folder), self.review.opacity.value() / 100.0,
                         COLORMAPS[self.preferences.colormap], self.report_options(), operator=operator,
                         screened_at=self.screened_at, records=records,
                         screening_id=self.record.id if self.record is not None else None)  # fmt: skip
        task = self.tasks.start(job, "genuscreen-export")
        self.exporting = task
        exported_result = self.result
        task.progressed.connect(partial(self._progressed, task))
        task.succeeded.connect(partial(self._exported_files, exported_result, folder))
        task.failed.connect(lambda error: self._error(self.tr("The export failed"), user_message(error)))
        task.cancelled.connect(lambda: self._set_status("export_cancelled"))
        task.finished.connect(partial(self._export_finished, task))
        self._set_busy(task)
        self._set_status("stage", "export")

    def _exported_files(self, result: ScreeningResult, folder: str, exported: Exported) -> None:
        self._set_status("exported", folder)
        if result is self.result and self.record is None:
            self._exported = exported  # noted on the record when the result is saved
        elif self.record is not None:
            self.records.notify()

    def _export_finished(self, task: Task) -> None:
        if task is self.exporting:
            self.exporting = None
        if task is self._busy_task:
            self._set_busy(None)

    # --- records --------------------------------------------------------------------------

    def _set_record_state(self, record: ScreeningRecord | None, unsaved: bool) -> None:
        self.record = record
        self.unsaved = unsaved
        if unsaved:
            self._exported = None
        if record is not None:
            self.record_status.show_state(SAVED, record.child_external_id)
        else:
            self.record_status.show_state(UNSAVED if unsaved else NONE)
        self._update_actions()

    def save_to_records(self) -> bool:
        """Save the result on screen in the records; asks for the child's ID when none is
        entered. True when it is saved or being saved."""
        if self.result is None or not self.unsaved:
            return self.result is not None and self.record is not None
        if self.saving is not None:
            return True
        if not self.child.values()["id"]:
            text, ok = QInputDialog.getText(self, self.tr("Child's ID"),
                                            self.tr("The records keep screenings by the child's ID (for example the "
                                                    "school's number). Enter it to save this screening:"))  # fmt: skip
            if not ok or not text.strip():
                self.child.child_id.setFocus()
                return False
            self.child.child_id.setText(text.strip())
        return self._start_save()

    def _start_save(self) -> bool:
        """Save the result on screen in the background, for the child in the child panel and
        the active class session."""
        exported = self._exported
        video = self.clip_path if isinstance(self.frames, FrameStore) else None
        job = save_screening_job(self.records.database, self.result, self.child.values(), video=video,
                                 session_id=self.class_session.session_id(), operator=self.operator(),
                                 screened_at=self.screened_at, report_path=exported.report if exported else None,
                                 overlay_path=exported.overlay if exported else None)  # fmt: skip
        task = self.tasks.start(job, "genuscreen-save")
        self.saving = task
        saved_result = self.result
        task.succeeded.connect(partial(self._saved, saved_result))
        task.failed.connect(partial(self._save_failed, saved_result))
        task.finished.connect(partial(self._save_finished, task))
        self.record_status.show_state(SAVING)
        self._update_actions()
        return True

    def _saved(self, result: ScreeningResult, record: ScreeningRecord) -> None:
        if result is self.result:
            self._set_record_state(record, unsaved=False)
            analysed = self._status_key[0] == "analysed"
            self._set_status(*(("analysed_saved", *self._status_key[1:]) if analysed else ("saved",)))
        self.records.notify()

    def _save_failed(self, result: ScreeningResult, error: BaseException) -> None:
        if result is self.result:
            self.record_status.show_state(FAILED, user_message(error))  # Save to records tries again
        self._error(self.tr("The screening could not be saved"), user_message(error))

    def _save_finished(self, task: Task) -> None:
        if task is self.saving:
            self.saving = None
        self._update_actions()

    def _may_leave_result(self, cancellable: bool = True) -> bool:
        """Before the result on screen goes away: when it is not saved, ask whether to save it.
        True when it may go (saved, being saved, or dropped on purpose)."""
        if self.result is None or not self.unsaved or self.saving is not None:
            return True
        buttons = QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
        if cancellable:
            buttons |= QMessageBox.StandardButton.Cancel
        name = self.clip_path.name if self.clip_path is not None else ""
        answer = QMessageBox.question(self, self.tr("Save this screening?"),
                                      self.tr("The result of {clip} is not saved in the records yet. Save it now?")
                                      .format(clip=name), buttons, QMessageBox.StandardButton.Save)  # fmt: skip
        if answer == QMessageBox.StandardButton.Discard:
            self.unsaved = False
            return True
        if answer == QMessageBox.StandardButton.Save:
            return self.save_to_records() or not cancellable
        return not cancellable

    def _may_switch_child(self) -> bool:
        """A class session may move to another child: no analysis is running and the result
        on screen is saved (or the user says what to do with it)."""
        return self.analysis is None and self._may_leave_result()

    def _session_child_chosen(self, member) -> None:
        # A new child starts with nothing of the previous one on screen.
        self.close_clip()
        if member is None:
            self.child.clear()
        else:
            self.child.set_values(member.child.details())

    def reopen_screening(self, screening_id: int) -> None:
        """Show a stored screening on the review page again, from the records: its result, its
        timeline and attention maps over the recording (or over the stored silhouettes when the
        recording is gone). The model does not run."""
        if self.reopening is not None or self.analysis is not None or not self._may_leave_result():
            return
        try:
            records = self.records.database()
        except RecordsUnavailable as error:
            self._error(self.tr("This screening cannot be opened"), str(error))
            return
        task = self.tasks.start(reopen_job(records, screening_id), "genuscreen-reopen")
        self.reopening = task
        task.succeeded.connect(partial(self._show_stored, task))
        task.failed.connect(lambda error: self._error(self.tr("This screening cannot be opened"), user_message(error)))
        task.finished.connect(partial(self._reopen_finished, task))
        self._set_status("opening_record")

    def _show_stored(self, task: Task, stored: StoredScreening) -> None:
        if task is not self.reopening:
            return
        self.child.set_values(stored.child_details())
        if stored.video is not None:
            self.open_clip(stored.video)
        else:
            self.close_clip()
            self.show_page(self.review)
            name = (stored.result.video or {}).get("file") or ""
            silhouettes = SilhouetteFrames.of_result(stored.result)
            if silhouettes is not None:
                note = self.tr("The recording {name} is not available (moved, renamed or changed since the "
                               "screening). The stored result, timeline and attention maps are shown over the "
                               "child's silhouettes.").format(name=name)  # fmt: skip
                self.frames = silhouettes
                self.review.set_store(silhouettes, note)
                self.review.frames_loaded()
            else:
                note = self.tr("The recording {name} is not available (moved, renamed or changed since the "
                               "screening). The stored result and timeline are shown.").format(name=name)  # fmt: skip
                self.review.show_without_frames(stored.result, note)
        self.show_result(stored.result)
        record = stored.record
        self.screened_at = record.screened_at
        self.record = record
        self.record_status.show_state(STORED, record.child_external_id, record.screened_at.strftime("%Y-%m-%d %H:%M"))
        self._set_status("reopened")
        self._update_actions()
        self._update_title()

    def _reopen_finished(self, task: Task) -> None:
        if task is self.reopening:
            self.reopening = None
        self._update_actions()

    def _child_deleted(self, child_id: int) -> None:
        if self.record is not None and self.record.child_id == child_id:
            self._set_record_state(None, unsaved=False)

    def _import_roster(self) -> None:
        self.show_page(self.class_session)
        self.class_session.choose_roster()

    def _class_summary(self) -> None:
        self.show_page(self.class_session)
        self.class_session.choose_summary_file()

    # --- shared ---------------------------------------------------------------------------

    def _set_busy(self, task: Task | None) -> None:
        self._busy_task = task
        busy = task is not None
        self.progress.setVisible(busy)
        if busy:
            self.progress.setValue(0)
        self.cancel_button.setVisible(busy)
        self._update_actions()

    def _busy(self) -> bool:
        return any(t is not None for t in (self.analysis, self.exporting, self.saving, self.reopening))

    def _update_actions(self) -> None:
        busy = self._busy()
        cancellable = self.analysis is not None or self.exporting is not None
        can_analyse = self._can_analyse()
        self.analyse_action.setEnabled(can_analyse)
        self.analyse_button.setEnabled(can_analyse)
        self.export_action.setEnabled(self.result is not None and not busy)
        self.save_action.setEnabled(self.result is not None and self.unsaved and self.saving is None)
        self.cancel_action.setEnabled(cancellable)
        self.class_session.set_locked(self.analysis is not None)

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
            self._open_if_leaving(urls[0].toLocalFile())

    def shutdown(self) -> None:
        """Stop the camera and every background job, and wait for their threads."""
        self.review.pause()
        self.capture.shutdown()
        self.tasks.shutdown()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._may_leave_result():
            event.ignore()
            return
        self.shutdown()  # a save under way is not cancelled: the wait lets it finish
        self._save_preferences()
        self.records.close()
        super().closeEvent(event)
