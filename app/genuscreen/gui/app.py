"""Start-up of the desktop application: the QApplication, where settings live, and translations.

``run(argv)`` is what ``genuscreen gui`` and ``make gui`` call. Languages are Qt translation
files compiled from ``resources/i18n/*.ts`` at set-up (scripts/build_translations.sh); when a
compiled file is missing the application stays in English and says so in the log.
"""

from __future__ import annotations

import gc
import logging
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QSettings, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from genuscreen import __version__
from genuscreen.assets import resources_dir

ORGANISATION = "GenuScreen"
APPLICATION = "GenuScreen"
ENGLISH = "en"
# Each language's name in that language, as the settings list shows it.
LANGUAGES = {ENGLISH: "English", "zh_CN": "简体中文"}

log = logging.getLogger(__name__)


def settings_store() -> QSettings:
    """The one settings store (an INI file in the user's config folder; tests point
    ``QSettings.setPath`` at a temporary folder)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION)


def translation_file(language: str) -> Path:
    return resources_dir() / "i18n" / f"genuscreen_{language}.qm"


class Translations:
    """The translators installed in the application. Installing or removing one makes Qt send a
    LanguageChange event to every widget, which retranslates itself."""

    def __init__(self, app: QCoreApplication):
        self._app = app
        self._installed: list[QTranslator] = []
        self.language = ENGLISH

    def apply(self, language: str) -> str:
        """Switch to ``language``; returns the language now in use (English when the compiled
        translation is missing or unreadable)."""
        if language == self.language:
            return self.language
        in_use = self._swap(language)
        # Qt posts the LanguageChange events; deliver them now, so the switch is done on return.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
        return in_use

    def _swap(self, language: str) -> str:
        for translator in self._installed:
            self._app.removeTranslator(translator)
        self._installed.clear()
        self.language = ENGLISH
        if language == ENGLISH:
            return ENGLISH
        if language not in LANGUAGES:
            log.warning("unknown language %r; using English", language)
            return ENGLISH
        path = translation_file(language)
        ours = QTranslator(self._app)
        if not path.is_file() or not ours.load(str(path)):
            log.warning("translation %s is missing or unreadable (scripts/build_translations.sh builds it); "
                        "using English", path)  # fmt: skip
            return ENGLISH
        # Qt's own strings (standard buttons, file dialogs) come with Qt.
        qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        qt = QTranslator(self._app)
        if qt.load(f"qtbase_{language}", qt_folder) or qt.load(f"qt_{language}", qt_folder):
            self._app.installTranslator(qt)
            self._installed.append(qt)
        self._app.installTranslator(ours)
        self._installed.append(ours)
        self.language = language
        return language


_translations: Translations | None = None


def translations() -> Translations:
    """The application's translations (created with the first call, after the QApplication)."""
    global _translations
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("create the QApplication first")
    if _translations is None or _translations._app is not app:
        _translations = Translations(app)
    return _translations


def is_english() -> bool:
    return _translations is None or _translations.language == ENGLISH


def settle_heap(collect: bool = True) -> None:
    """Put the objects that live as long as the application (the libraries, the window, a
    loaded model) out of the garbage collector's way. Otherwise each full collection walks
    them all (over 200,000 objects once torch and Qt are loaded) while holding the GIL, and
    the window stalls for 100-150 ms whichever thread collects (benchmarks/RESULTS-gui.md).

    ``collect``: collect first (a full pause of its own: at start-up, before the window shows).
    Without it, freezing is instant; the little cyclic garbage of that moment is kept."""
    if collect:
        gc.collect()
    gc.freeze()


def app_icon() -> QIcon:
    path = resources_dir() / "icons" / "genuscreen.svg"
    return QIcon(str(path)) if path.is_file() else QIcon()


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("GenuScreen")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())
    return app


def run(argv: list[str] | None = None) -> int:
    """Start the desktop application; returns its exit code."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    app = create_application(argv)
    from genuscreen.gui.main_window import MainWindow
    from genuscreen.gui.settings import load_preferences

    preferences = load_preferences(settings_store())
    translations().apply(preferences.language)
    window = MainWindow()
    window.show()
    # A clip named on the command line (argv[1:] when argv is given) opens at once.
    clips = [a for a in (argv or [])[1:] if not a.startswith("-")]
    if clips:
        window.open_clip(clips[0])
    return app.exec()
