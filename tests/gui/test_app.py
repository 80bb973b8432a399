"""The placeholder window opens offscreen and says what the product is."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtWidgets import QApplication, QLabel  # noqa: E402

from genuscreen import __version__  # noqa: E402
from genuscreen.gui.app import PlaceholderWindow  # noqa: E402

pytestmark = pytest.mark.gui


def test_placeholder_window_shows_name_version_and_notice(qtbot) -> None:
    window = PlaceholderWindow()
    qtbot.addWidget(window)
    window.show()
    assert __version__ in window.windowTitle()
    text = " ".join(label.text() for label in window.findChildren(QLabel))
    assert "Not a diagnosis" in text
    assert isinstance(QApplication.instance(), QApplication)
