"""Whether the result on screen is in the records: saved, being saved, not saved yet (with the
button that saves it), or opened from the records. A result is never lost silently: while it is
not saved, this line says so in the warning colour."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QStyle, QVBoxLayout, QWidget

WARNING_COLOUR = QColor(176, 96, 0)
SAVED_COLOUR = QColor(46, 125, 50)

NONE = "none"
UNSAVED = "unsaved"
SAVING = "saving"
SAVED = "saved"
FAILED = "failed"
STORED = "stored"


class RecordStatus(QFrame):
    save_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_button = QPushButton()
        self.save_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_DialogSaveButton))
        self.save_button.clicked.connect(self.save_requested)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.save_button)
        self.state: tuple = (NONE,)
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._render()
        super().changeEvent(event)

    def show_state(self, state: str, *args) -> None:
        """``unsaved``; ``saving``; ``saved`` (child ID); ``failed`` (message); ``stored``
        (child ID, date); ``none`` hides the line."""
        self.state = (state, *args)
        self._render()

    def _render(self) -> None:
        state, *args = self.state
        self.setVisible(state != NONE)
        texts = {
            UNSAVED: lambda: self.tr("Not saved in the records yet. Enter the child's ID and press Save to records."),
            SAVING: lambda: self.tr("Saving in the records…"),
            SAVED: lambda: self.tr("✓ Saved in the records (child {id}).").format(id=args[0]),
            FAILED: lambda: self.tr("Not saved in the records: {message}").format(message=args[0]),
            STORED: lambda: self.tr("From the records: child {id}, screened {date}.").format(id=args[0], date=args[1]),
        }
        self.label.setText(texts[state]() if state in texts else "")
        colour = {UNSAVED: WARNING_COLOUR, FAILED: WARNING_COLOUR, SAVED: SAVED_COLOUR}.get(state)
        palette = self.label.palette()
        palette.setColor(QPalette.ColorRole.WindowText, colour or self.palette().color(QPalette.ColorRole.WindowText))
        self.label.setPalette(palette)
        font = self.label.font()
        font.setBold(state in (UNSAVED, FAILED))
        self.label.setFont(font)
        self.save_button.setText(self.tr("Save to records"))
        self.save_button.setToolTip(self.tr("Keep this screening in the records with the child's details (Ctrl+S)"))
        self.save_button.setVisible(state in (UNSAVED, FAILED))
