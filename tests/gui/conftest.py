"""GUI test set-up: settings in a temporary folder, English at the start of every test, message
boxes recorded instead of shown (an unexpected one fails the test), no thread left running, and
one screening of the sample clip shared by the tests that only need its result."""

from __future__ import annotations

import threading

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QSettings, QThread  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402
from shiboken6 import isValid  # noqa: E402

from genuscreen.assets import sample_clip  # noqa: E402
from genuscreen.gui.app import settings_store, translations  # noqa: E402
from genuscreen.gui.settings import Preferences, save_preferences  # noqa: E402


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, qapp):
    """QSettings in tmp_path; the data folder (recordings, exports) in tmp_path/data."""
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    save_preferences(settings_store(), Preferences(data_folder=str(tmp_path / "data")))
    translations().apply("en")
    yield tmp_path
    translations().apply("en")


@pytest.fixture(autouse=True)
def message_boxes(monkeypatch):
    """Message boxes are recorded as (kind, title, text). A test that expects one checks the list
    and clears it; anything left at the end fails the test."""
    shown: list[tuple[str, str, str]] = []

    def recorder(kind):
        def show(_parent, title, text, *args, **kwargs):
            shown.append((kind, title, text))
            return QMessageBox.StandardButton.Ok

        return show

    for kind in ("information", "warning", "critical", "question"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(recorder(kind)))
    yield shown
    assert not shown, f"unexpected message boxes: {shown}"


@pytest.fixture(autouse=True)
def no_threads_left(monkeypatch):
    """Fail a test that leaves a QThread or one of the screening's helper threads running."""
    started: list[QThread] = []
    original = QThread.start

    def start(self, *args):
        started.append(self)
        return original(self, *args)

    monkeypatch.setattr(QThread, "start", start)
    yield
    running = [t.objectName() for t in started if isValid(t) and t.isRunning()]
    helpers = [t.name for t in threading.enumerate() if t.name.startswith("genuscreen")]
    assert not running, f"QThreads still running after the test: {running}"
    assert not helpers, f"threads still running after the test: {helpers}"


@pytest.fixture(scope="session")
def sample_result():
    """The sample clip screened once (age 8) for the tests that need a result, not the run."""
    from genuscreen.inference import run_screen

    return run_screen(sample_clip(), age_y=8.0, device="cpu")
