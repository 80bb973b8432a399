"""The main window: open, analyse, result and timeline, seeking, cancel, bad files, export,
recent files and drag and drop, keyboard."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog

from genuscreen.assets import sample_clip
from genuscreen.gui.about import AboutDialog
from genuscreen.gui.app import settings_store
from genuscreen.gui.main_window import MainWindow
from genuscreen.gui.settings import load_preferences
from genuscreen.inference.result import CATEGORY_NOT_SCREENABLE, ScreeningResult

pytestmark = pytest.mark.gui

ANALYSIS_TIMEOUT_MS = 120_000  # the first screening of a process traces the model


@pytest.fixture
def window(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    yield window
    window.close()


def open_sample(qtbot, window: MainWindow) -> None:
    window.open_clip(sample_clip())
    qtbot.waitUntil(lambda: window.loading is None, timeout=30_000)
    assert window.frames.complete and len(window.frames) == 138


def test_open_and_analyse_the_sample_clip(qtbot, window, sample_result) -> None:
    open_sample(qtbot, window)
    assert window.analyse_button.isEnabled()
    window.child.child_id.setText("2B-14")
    window.child.name.setText("Li Wei")
    window.child.set_age(8)
    seen_progress = []
    window.progress.valueChanged.connect(seen_progress.append)
    qtbot.mouseClick(window.analyse_button, Qt.MouseButton.LeftButton)
    assert window.progress.isVisible() and window.cancel_button.isVisible()
    assert not window.analyse_button.isEnabled()
    qtbot.waitUntil(lambda: window.analysis is None, timeout=ANALYSIS_TIMEOUT_MS)

    result = window.result
    assert result is not None and result.screenable
    assert result.risk == pytest.approx(sample_result.risk)  # the same screening as the CLI's
    assert seen_progress == sorted(seen_progress) and seen_progress[-1] >= 990
    assert not window.progress.isVisible() and window.analyse_button.isEnabled()
    panel = window.result_panel
    assert panel.category.text() == "Genu valgum unlikely"
    assert panel.recommendation.text() == "No concern"
    assert f"{result.risk:.0%}" in panel.risk.text() and "90% interval" in panel.risk.text()
    assert "Normal band at 8 years: 0–11°" in panel.band.text()
    assert panel.reason.text() == result.reason
    assert panel.chart.band == tuple(result.norm_band_deg) and panel.chart.angle == result.knee_angle_deg
    times, scores = window.review.timeline.score_curve.getData()
    assert len(times) == len(result.per_frame) and scores[0] == result.per_frame[0]["score"]
    # The overlay is on a frame the model saw.
    window.review.seek_frame(result.per_frame[len(result.per_frame) // 2]["frame"])
    assert window.review.video.heat_item.isVisible()
    window.review.overlay_box.setChecked(False)
    assert not window.review.video.heat_item.isVisible()
    assert "Analysis finished" in window.stage_label.text()
    assert "cpu" in window.running_on.text()

    # With the child's ID entered, the screening goes into the records by itself.
    qtbot.waitUntil(lambda: window.record is not None, timeout=30_000)
    assert not window.unsaved and "Saved in the records (child 2B-14)" in window.record_status.label.text()
    window.records_action.trigger()
    assert window.pages.currentWidget() is window.history
    child_id, name, screened, category, recommendation, angle, _session = window.history.visible_rows()[0]
    assert (child_id, name, category, recommendation) == ("2B-14", "Li Wei", "Genu valgum unlikely", "No concern")
    assert angle == f"{result.knee_angle_deg:.1f}°" and screened.startswith(window.screened_at.strftime("%Y-%m-%d"))


def test_clicking_the_timeline_seeks_and_playback_moves_the_playhead(qtbot, window, sample_result) -> None:
    open_sample(qtbot, window)
    window.show_result(sample_result)
    review, timeline = window.review, window.review.timeline
    qtbot.waitUntil(lambda: timeline.isVisible())
    point = timeline.scene_point_of(3.0, plot_index=1)
    qtbot.mouseClick(timeline.viewport(), Qt.MouseButton.LeftButton, pos=point)
    expected = window.frames.index_at(3.0)
    assert abs(review.index - expected) <= 1
    assert review.slider.value() == review.index
    assert timeline.time() == pytest.approx(window.frames.time_of(review.index))

    # The other way: playback moves the playhead.
    review.set_speed(2.0)
    start = review.index
    review.play()
    qtbot.waitUntil(lambda: review.index >= start + 5, timeout=5_000)
    review.pause()
    assert timeline.time() == pytest.approx(window.frames.time_of(review.index))


def test_keyboard_plays_and_steps(qtbot, window) -> None:
    open_sample(qtbot, window)
    window.review.slider.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_Right)
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert window.review.index == 2
    qtbot.keyClick(window, Qt.Key.Key_Left)
    assert window.review.index == 1
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert window.review.playing
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert not window.review.playing
    # Typing in a text field is not taken for a shortcut.
    window.child.child_id.setFocus()
    qtbot.keyClicks(window.child.child_id, "2B 14")
    assert window.child.child_id.text() == "2B 14" and not window.review.playing


def test_cancel_stops_the_analysis_and_the_window_returns_to_idle(qtbot, window) -> None:
    open_sample(qtbot, window)
    window.analyse()
    qtbot.waitUntil(lambda: window.progress.value() > 0, timeout=ANALYSIS_TIMEOUT_MS)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.analysis is None, timeout=10_000)
    assert window.result is None
    assert window.stage_label.text() == "Analysis cancelled."
    assert not window.progress.isVisible() and not window.cancel_button.isVisible()
    assert window.analyse_button.isEnabled() and not window.cancel_action.isEnabled()
    assert "No result yet" in window.result_panel.status.text()


def test_an_unreadable_file_shows_a_clear_message(qtbot, window, message_boxes, tmp_path) -> None:
    broken = tmp_path / "walk.mp4"
    broken.write_bytes(bytes(range(256)) * 40)
    window.open_clip(broken)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=10_000)
    kind, title, text = message_boxes.pop()
    assert kind == "warning" and title == "This clip cannot be opened"
    assert "walk.mp4" in text and "could not be opened as a video" in text and "Traceback" not in text
    assert window.clip_path is None and not window.analyse_button.isEnabled()
    assert window.review.stack.currentWidget() is window.review.placeholder


def test_an_unreadable_file_is_explained_in_chinese(qtbot, window, message_boxes, tmp_path) -> None:
    from genuscreen.gui.app import translations

    empty = tmp_path / "走路.mp4"
    empty.write_bytes(b"")
    assert translations().apply("zh_CN") == "zh_CN"
    window.open_clip(empty)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=10_000)
    _kind, _title, text = message_boxes.pop()
    assert "走路.mp4 是空文件（0 字节）" in text and "empty" not in text


def test_a_clip_that_fails_the_quality_gate_lists_the_reasons(qtbot, window, sample_result) -> None:
    problems = [{"code": "too_few_steps", "message": "Only 2 steps were seen; at least 4 are needed.", "value": 2},
                {"code": "too_dark", "message": "The clip is too dark (brightness 20 of 255).", "value": 20}]  # fmt: skip
    rejected = ScreeningResult(video=sample_result.video, quality={"ok": False, "problems": problems}, screenable=False,
                               category=CATEGORY_NOT_SCREENABLE, recommendation=None,
                               reason="This recording cannot be screened. ...", model=sample_result.model,
                               device="cpu", timings={"total": 1.0})  # fmt: skip
    open_sample(qtbot, window)
    window.show_result(rejected)
    panel = window.result_panel
    assert panel.category.text() == "Cannot be screened"
    assert panel.problems.isVisible()
    assert "Only 2 steps were seen" in panel.problems.text() and "too dark" in panel.problems.text()
    assert not panel.risk.isVisible() and not panel.chart.isVisible()
    assert not window.review.timeline.has_curves()


def test_export_writes_the_result_and_the_overlay_video(qtbot, window, sample_result, tmp_path, monkeypatch) -> None:
    open_sample(qtbot, window)
    window.show_result(sample_result)
    window.child.child_id.setText("2B-14")
    folder = tmp_path / "export"
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(folder)))
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert window.exporting is not None
    qtbot.waitUntil(lambda: window.exporting is None, timeout=60_000)
    data = json.loads((folder / "sample_walk_result.json").read_text(encoding="utf-8"))
    assert data["risk"] == round(sample_result.risk, 4) and data["child"]["id"] == "2B-14"
    assert (folder / "sample_walk_overlay.mp4").stat().st_size > 10_000
    assert not list(folder.glob(".*"))  # no temporary files left
    assert "Exported to" in window.stage_label.text()


def test_dropping_a_file_opens_it_and_it_joins_the_recent_files(qtbot, window) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(sample_clip()))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)  # fmt: skip
    window.dropEvent(event)
    qtbot.waitUntil(lambda: window.loading is None, timeout=30_000)
    assert window.clip_path == sample_clip()
    assert load_preferences(settings_store()).recent_files[0] == str(sample_clip().resolve())
    window.recent_menu.aboutToShow.emit()
    assert [a.text() for a in window.recent_menu.actions()] == ["sample_walk.mp4"]


def test_settings_apply_at_once_and_are_stored(qtbot, window) -> None:
    window.apply_settings(replace(window.preferences, colormap="viridis", device="cpu"))
    assert window.device_box.currentData() == "cpu"
    stored = load_preferences(settings_store())
    assert stored.colormap == "viridis" and stored.device == "cpu"


def test_about_shows_the_version_model_card_and_disclaimer(qtbot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    text = dialog.text.text()
    assert "GenuScreen 0.1.0" in text and "genuscreen-gaitnet-synthetic-1" in text
    assert "not a diagnosis" in text and "not clinically validated" in text and "synthetic" in text


def test_closing_during_an_analysis_stops_it(qtbot, sample_result) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    open_sample(qtbot, window)
    window.analyse()
    qtbot.waitUntil(lambda: window.progress.value() > 0, timeout=ANALYSIS_TIMEOUT_MS)
    window.close()  # cancels and waits: the thread check of the fixture must pass
    assert not window.tasks.running()

