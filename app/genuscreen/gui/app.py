"""Application start-up. For now a placeholder main window: the product's name, version and notice.

The screening window (capture, review, explanations) replaces it; see the GUI issue.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QVBoxLayout, QWidget

from genuscreen import __version__

NOTICE = (
    "Screening support for knock-knees (genu valgum) in children. "
    "Not a diagnosis and not clinically validated."
)


class PlaceholderWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(f"GenuScreen {__version__}")
        body = QWidget()
        layout = QVBoxLayout(body)
        title = QLabel(f"<h1>GenuScreen</h1><p>Version {__version__}</p>")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        notice = QLabel(NOTICE)
        notice.setWordWrap(True)
        notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint = QLabel("To check a recording now, run:  genuscreen inspect VIDEO --sheet sheet.png")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for widget in (title, notice, hint):
            layout.addWidget(widget)
        self.setCentralWidget(body)
        self.resize(640, 360)


def run(argv: list[str] | None = None) -> int:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName("GenuScreen")
    app.setApplicationVersion(__version__)
    window = PlaceholderWindow()
    window.show()
    return app.exec()
