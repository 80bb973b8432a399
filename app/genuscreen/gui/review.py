"""The review page: the clip's player (play/pause, frame step, speed, scrub), the attention
overlay with its controls and legend, the person the screening followed (box and skeleton, on
refused clips too), and the timeline, all on one playhead."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSlider,
    QSplitter,
    QStackedWidget,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from genuscreen.gui.frames import FrameStore, SilhouetteFrames
from genuscreen.gui.settings import COLORMAPS, Preferences
from genuscreen.gui.timeline import Timeline
from genuscreen.gui.video_view import ColourLegend, VideoView
from genuscreen.inference.result import ScreeningResult

SPEEDS = (0.25, 0.5, 1.0, 2.0)


class ReviewPage(QWidget):
    frame_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.store: FrameStore | None = None
        self.result: ScreeningResult | None = None
        self.index = 0
        self.speed = 1.0
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)

        self.placeholder = QLabel()
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setObjectName("dropHint")
        self.video = VideoView()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self.video)
        # Says when the picture is not the recording (a stored screening whose video has gone).
        self.video_note = QLabel()
        self.video_note.setWordWrap(True)
        self.video_note.setObjectName("videoNote")
        self.video_note.setStyleSheet("#videoNote { background: #fff3cd; color: #5c4400; padding: 6px; }")
        self.video_note.hide()

        style = self.style()
        self.play_button = QToolButton()
        self.play_button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaPlay))
        self.play_button.clicked.connect(self.toggle_play)
        self.back_button = QToolButton()
        self.back_button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaSeekBackward))
        self.back_button.clicked.connect(lambda: self.step(-1))
        self.forward_button = QToolButton()
        self.forward_button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaSeekForward))
        self.forward_button.clicked.connect(lambda: self.step(1))
        self.speed_box = QComboBox()
        for speed in SPEEDS:
            self.speed_box.addItem(f"{speed:g}×", speed)
        self.speed_box.setCurrentIndex(SPEEDS.index(1.0))
        self.speed_box.currentIndexChanged.connect(lambda i: self.set_speed(SPEEDS[i]))
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 0)
        self.slider.valueChanged.connect(self.seek_frame)
        self.time_label = QLabel()
        controls = QHBoxLayout()
        for widget in (self.back_button, self.play_button, self.forward_button, self.speed_box):
            controls.addWidget(widget)
        controls.addWidget(self.slider, 1)
        controls.addWidget(self.time_label)

        self.walker_box = QCheckBox()
        self.walker_box.setChecked(True)
        self.walker_box.toggled.connect(self.video.walker.set_shown)
        self.overlay_box = QCheckBox()
        self.overlay_box.setChecked(True)
        self.overlay_box.toggled.connect(self.video.set_overlay_visible)
        self.opacity_label = QLabel()
        self.opacity = QSlider(Qt.Orientation.Horizontal)
        self.opacity.setRange(0, 100)
        self.opacity.setValue(50)
        self.opacity.valueChanged.connect(lambda v: self.video.set_overlay_opacity(v / 100.0))
        self.opacity_label.setBuddy(self.opacity)
        self.legend = ColourLegend()
        self.overlay_note = QLabel()
        self.overlay_note.setWordWrap(True)
        overlay = QHBoxLayout()
        overlay.addWidget(self.walker_box)
        overlay.addWidget(self.overlay_box)
        overlay.addSpacing(self.fontMetrics().height())
        overlay.addWidget(self.opacity_label)
        overlay.addWidget(self.opacity, 1)
        overlay.addSpacing(self.fontMetrics().height())
        overlay.addWidget(self.legend, 2)
        overlay.addWidget(self.overlay_note, 3)

        self.timeline = Timeline()
        self.timeline.seek_requested.connect(self.seek_time)

        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        margin = self.fontMetrics().height() // 3
        upper_layout.setContentsMargins(0, 0, margin, 0)
        upper_layout.addWidget(self.video_note)
        upper_layout.addWidget(self.stack, 1)
        upper_layout.addLayout(controls)
        upper_layout.addLayout(overlay)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(upper)
        splitter.addWidget(self.timeline)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self._set_enabled(False)
        self._retranslate()

    # --- language -------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.placeholder.setText(self.tr(
            "<h2>Open a clip to review it</h2><p>File ▸ Open (Ctrl+O), drop a video file here, or record "
            "one on the Capture page.</p>"))  # fmt: skip
        self.play_button.setToolTip(self.tr("Play or pause (Space)"))
        self.back_button.setToolTip(self.tr("Previous frame (Left arrow)"))
        self.forward_button.setToolTip(self.tr("Next frame (Right arrow)"))
        self.speed_box.setToolTip(self.tr("Playback speed"))
        self.slider.setToolTip(self.tr("Drag to move through the clip"))
        self.walker_box.setText(self.tr("Person followed"))
        self.walker_box.setToolTip(self.tr("Show the box and the skeleton of the person the screening followed "
                                           "(blue: the child's left side, orange: the right side)"))  # fmt: skip
        self.overlay_box.setText(self.tr("Attention overlay"))
        self.overlay_box.setToolTip(self.tr("Show where the model looked in each frame"))
        self.opacity_label.setText(self.tr("Opacity"))
        self.overlay_note.setText(self.tr("Colours are relative to this clip's strongest attention."))
        self._update_time_label()

    # --- content --------------------------------------------------------------------------

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self.play_button, self.back_button, self.forward_button, self.speed_box, self.slider):
            widget.setEnabled(enabled)

    def set_store(self, store: FrameStore | SilhouetteFrames, note: str | None = None) -> None:
        """A new clip: frames arrive as the store loads (``frames_loaded``). ``note``: shown
        above the picture (why it is not the recording)."""
        self.pause()
        self.store = store
        self._set_note(note)
        self.result = None
        self.index = 0
        self.video.clear()
        self.timeline.clear_curves()
        self.slider.blockSignals(True)
        self.slider.setRange(0, 0)
        self.slider.setValue(0)
        self.slider.blockSignals(False)
        self.stack.setCurrentWidget(self.video)
        self._update_time_label()

    def clear(self) -> None:
        self.pause()
        self.store = None
        self.result = None
        self.video.clear()
        self.timeline.clear_curves()
        self.stack.setCurrentWidget(self.placeholder)
        self._set_note(None)
        self._set_enabled(False)
        self._update_time_label()

    def show_without_frames(self, result: ScreeningResult, note: str) -> None:
        """A stored result with neither its recording nor silhouettes: the timeline only."""
        self.clear()
        self._set_note(note)
        if result.per_frame:
            self.timeline.set_duration(max(p["time_s"] for p in result.per_frame) + 0.5)
        self.set_result(result)

    def _set_note(self, note: str | None) -> None:
        self.video_note.setText(note or "")
        self.video_note.setVisible(bool(note))

    def frames_loaded(self) -> None:
        """More frames are in the store: extend the slider; show the first frame."""
        store = self.store
        if store is None or len(store) == 0:
            return
        self.slider.blockSignals(True)
        self.slider.setRange(0, len(store) - 1)
        self.slider.blockSignals(False)
        self.timeline.set_duration(max(store.duration_s(), store.expected_frames / store.fps if store.fps else 0.0))
        if not self.slider.isEnabled():
            self._set_enabled(True)
            self._show(0)
        else:
            self._update_time_label()

    def set_result(self, result: ScreeningResult | None) -> None:
        self.result = result
        self.video.walker.set_walker(result.walker if result is not None else None)
        if result is None or not result.per_frame:
            self.timeline.clear_curves()
        else:
            threshold = result.model.get("threshold") if result.model else None
            self.timeline.set_curves(result.per_frame, threshold, result.norm_band_deg)
        if self.store is not None and len(self.store):
            self._show(self.index)

    def set_colormap(self, colormap: int) -> None:
        self.video.set_colormap(colormap)
        self.legend.set_colormap(colormap)

    def set_opacity(self, opacity: float) -> None:
        self.opacity.setValue(round(100 * opacity))

    def apply_preferences(self, preferences: Preferences) -> None:
        """The overlay colours and opacity and whether the followed person is drawn."""
        self.set_colormap(COLORMAPS[preferences.colormap])
        self.set_opacity(preferences.overlay_opacity)
        self.walker_box.setChecked(preferences.show_walker)

    def keep_preferences(self, preferences: Preferences) -> None:
        """Write what the user set on this page into ``preferences`` (to be saved)."""
        preferences.overlay_opacity = self.opacity.value() / 100.0
        preferences.show_walker = self.walker_box.isChecked()

    # --- playback -------------------------------------------------------------------------

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    def toggle_play(self) -> None:
        if self.playing:
            self.pause()
        else:
            self.play()

    def play(self) -> None:
        if self.store is None or len(self.store) == 0:
            return
        if self.index >= len(self.store) - 1 and self.store.complete:
            self._show(0)  # play again from the start
        self._timer.start(max(1, round(1000.0 / (self.store.fps * self.speed))))
        self.play_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MediaPause))

    def pause(self) -> None:
        self._timer.stop()
        self.play_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MediaPlay))

    def set_speed(self, speed: float) -> None:
        self.speed = speed
        if self.playing:
            self.play()

    def _tick(self) -> None:
        if self.store is None:
            self.pause()
            return
        if self.index + 1 < len(self.store):
            self._show(self.index + 1)
        elif self.store.complete:
            self.pause()

    def step(self, frames: int) -> None:
        if self.store is None or len(self.store) == 0:
            return
        self.pause()
        self.seek_frame(self.index + frames)

    def seek_frame(self, index: int) -> None:
        if self.store is None or len(self.store) == 0:
            return
        self._show(max(0, min(int(index), len(self.store) - 1)))

    def seek_time(self, time_s: float) -> None:
        if self.store is not None and len(self.store):
            self._show(self.store.index_at(time_s))

    def _show(self, index: int) -> None:
        store = self.store
        self.index = index
        self.video.show_frame(store.image_rgb(index), store.width, store.height)
        heat = self.result.heatmaps if self.result is not None else None
        k = heat.nearest(index) if heat is not None else None
        if k is None:
            self.video.show_heat(None, None)
        else:
            self.video.show_heat(heat.maps[k], heat.boxes[k])
        self.video.walker.show_at(store.time_of(index))
        self.slider.blockSignals(True)
        self.slider.setValue(index)
        self.slider.blockSignals(False)
        self.timeline.set_time(store.time_of(index))
        self._update_time_label()
        self.frame_changed.emit(index)

    def _update_time_label(self) -> None:
        store = self.store
        if store is None or len(store) == 0:
            self.time_label.setText("")
            return
        total = max(len(store), store.expected_frames)
        self.time_label.setText(self.tr("{time:.2f} s · frame {frame} of {frames}").format(
            time=store.time_of(self.index), frame=self.index + 1, frames=total))  # fmt: skip
