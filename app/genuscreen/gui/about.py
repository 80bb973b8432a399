"""The About dialog: version, what the product is and is not, and the model card."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from genuscreen import __version__
from genuscreen.inference.pipeline import default_weights
from genuscreen.model.weights import WeightsError, read_card


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("About GenuScreen"))
        text = QLabel(self._text())
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        text.setOpenExternalLinks(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(buttons)
        self.text = text
        self.setMinimumWidth(36 * self.fontMetrics().averageCharWidth())

    def _text(self) -> str:
        parts = [
            f"<h2>GenuScreen {html.escape(__version__)}</h2>",
            "<p>" + self.tr("Screening support for knock-knees (genu valgum) in children, from a video of the child "
                            "walking toward a camera. Everything runs on this computer; nothing leaves it.") + "</p>",
            "<p><b>" + self.tr("Screening support, not a diagnosis, and not clinically validated. The shipped model "
                               "has demonstration weights trained on synthetic data.") + "</b></p>",
        ]  # fmt: skip
        try:
            card = read_card(default_weights())
        except WeightsError as error:
            parts.append("<p>" + html.escape(self.tr("The model card cannot be read: {error}").format(error=error)) + "</p>")
            return "".join(parts)
        training = card.get("training_data", {}) or {}
        rows = [
            (self.tr("Model"), card.get("id", "?")),
            (self.tr("Version"), f"{card.get('version', '?')} ({card.get('date', '?')})"),
            (self.tr("Network"), card.get("builder", "?")),
            (self.tr("Training data"), training.get("description", self.tr("not stated"))),
            (self.tr("Intended use"), card.get("intended_use", "")),
            (self.tr("Weights checksum (SHA-256)"), card.get("sha256", "?")[:16] + "…"),
        ]
        table = "".join(f"<tr><td valign='top'><b>{html.escape(k)}</b>&nbsp;&nbsp;</td><td>{html.escape(str(v))}</td></tr>"
                        for k, v in rows)  # fmt: skip
        title = self.tr("Model card")
        parts.append(f"<h3>{html.escape(title)}</h3><table>{table}</table>")
        return "".join(parts)
