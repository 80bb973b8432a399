"""Start-up and languages: the window switches language at once, a missing translation falls
back to English, and ``run()`` starts and ends cleanly."""

from __future__ import annotations

import logging
from dataclasses import replace

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from genuscreen.gui import app as app_module
from genuscreen.gui.app import translations
from genuscreen.gui.main_window import MainWindow
from genuscreen.gui.settings import load_preferences

pytestmark = pytest.mark.gui


def test_switching_language_changes_the_visible_labels_at_once(qtbot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.analyse_button.text() == "Analyse"
    window.apply_settings(replace(window.preferences, language="zh_CN"))
    assert translations().language == "zh_CN"
    assert window.analyse_button.text() == "分析"
    assert window.child_box.title() == "儿童信息"
    assert "尚无结果" in window.result_panel.status.text()
    assert window.review.overlay_box.text() == "注意力叠加图"
    assert load_preferences(window.store).language == "zh_CN"
    window.apply_settings(replace(window.preferences, language="en"))
    assert window.analyse_button.text() == "Analyse"
    window.close()


def test_a_missing_translation_falls_back_to_english(qtbot, monkeypatch, tmp_path, caplog) -> None:
    monkeypatch.setattr(app_module, "translation_file", lambda language: tmp_path / f"none_{language}.qm")
    with caplog.at_level(logging.WARNING):
        assert translations().apply("zh_CN") == "en"
    assert "missing or unreadable" in caplog.text
    assert translations().language == "en"


def test_run_starts_the_window_and_returns_when_it_closes(qtbot) -> None:
    def close_windows() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow):
                widget.close()

    QTimer.singleShot(200, close_windows)
    assert app_module.run([]) == 0
