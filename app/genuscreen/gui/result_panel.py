"""The result panel: category in colour and words, risk with its interval, the knee angle against
the age band, the recommendation and its reason, or the quality problems when the clip cannot
be screened; under them, who else was in view (not screened, and no reason to refuse)."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from genuscreen.gui.angle_chart import AngleBandChart
from genuscreen.gui.wording import (
    CATEGORY_COLOURS,
    category_words,
    note_words,
    problem_words,
    reason_words,
    recommendation_words,
)
from genuscreen.inference.result import ScreeningResult


def _label(word_wrap: bool = True) -> QLabel:
    label = QLabel()
    label.setWordWrap(word_wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ResultPanel(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.result: ScreeningResult | None = None
        self._busy = False
        self.status = _label()
        self.category = QLabel()
        self.category.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.category.setAutoFillBackground(True)
        self.category.setMargin(self.fontMetrics().height() // 3)
        category_font = self.category.font()
        category_font.setBold(True)
        category_font.setPointSizeF(category_font.pointSizeF() * 1.3)
        self.category.setFont(category_font)
        self.risk = _label()
        self.angle = _label()
        self.band = _label()
        self.chart = AngleBandChart()
        self.recommendation_title = QLabel()
        self.recommendation = QLabel()
        rec_font = self.recommendation.font()
        rec_font.setBold(True)
        rec_font.setPointSizeF(rec_font.pointSizeF() * 1.4)
        self.recommendation.setFont(rec_font)
        self.reason = _label()
        self.problems = _label()
        self.problems.setTextFormat(Qt.TextFormat.RichText)
        self.people = _label()  # the quality gate's notes: other people in view
        self.people.setTextFormat(Qt.TextFormat.RichText)
        self.notes = _label()
        self.meta = _label()
        self.disclaimer = _label()
        small = self.disclaimer.font()
        small.setPointSizeF(small.pointSizeF() * 0.9)
        for label in (self.meta, self.disclaimer, self.notes):
            label.setFont(small)
            label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Sunken)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.status, self.category, self.risk, self.angle, self.band, self.chart, rule,
                       self.recommendation_title, self.recommendation, self.reason, self.problems, self.people,
                       self.notes, self.meta, self.disclaimer):  # fmt: skip
            layout.addWidget(widget)
        layout.addStretch(1)
        self._rule = rule
        self._result_widgets = [self.category, self.risk, self.angle, self.band, self.chart, rule,
                                self.recommendation_title, self.recommendation, self.reason, self.problems,
                                self.people, self.notes, self.meta]  # fmt: skip
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._render()
        super().changeEvent(event)

    def show_result(self, result: ScreeningResult | None) -> None:
        self.result = result
        self._busy = False
        self._render()

    def show_busy(self, busy: bool) -> None:
        self._busy = busy
        self._render()

    def _render(self) -> None:
        self.disclaimer.setText(self.tr("Screening support, not a diagnosis. Not clinically validated."))
        result = self.result
        for widget in self._result_widgets:
            widget.setVisible(result is not None and not self._busy)
        if self._busy:
            self.status.setText(self.tr("Analysing… the result appears here."))
            self.status.show()
            return
        if result is None:
            self.status.setText(self.tr("No result yet. Open a clip, enter the child's details and press Analyse."))
            self.status.show()
            return
        self.status.hide()
        self._render_category(result.category)
        self.meta.setText(self.tr("Model {id} (version {version}) on {device}").format(
            id=result.model.get("id", "?"), version=result.model.get("version", "?"), device=result.device))  # fmt: skip
        self._render_notes(result)
        self.recommendation_title.setText(self.tr("Recommendation"))
        self.reason.setText(reason_words(result))
        if result.screenable:
            self._render_screened(result)
        else:
            self._render_not_screenable(result)

    def _render_notes(self, result: ScreeningResult) -> None:
        """Who else was in view, in the interface's language; then the other notes (a GPU
        fallback, an age outside the norms), which the result keeps in English only."""
        people = (result.quality or {}).get("notes") or []
        items = "".join(f"<li>{html.escape(note_words(note))}</li>" for note in people)
        # A heading of their own: under a refused clip's reasons they must not read as more reasons.
        lead = html.escape(self.tr("Other people in view:"))
        self.people.setText(f"<p>{lead}</p><ul style='margin-left: 0'>{items}</ul>" if items else "")
        self.people.setVisible(bool(items))
        worded = {note.get("message") for note in people}
        others = [note for note in result.notes if note not in worded]  # the result repeats them in English
        self.notes.setText("\n".join(others))
        self.notes.setVisible(bool(others))

    def _render_category(self, category: str) -> None:
        palette = self.category.palette()
        palette.setColor(QPalette.ColorRole.Window, CATEGORY_COLOURS.get(category, CATEGORY_COLOURS["not_screenable"]))
        palette.setColor(QPalette.ColorRole.WindowText, Qt.GlobalColor.white)
        self.category.setPalette(palette)
        self.category.setText(category_words(category))

    def _render_screened(self, result: ScreeningResult) -> None:
        lo, hi = result.risk_interval
        self.risk.setText(self.tr("Risk of genu valgum: <b>{risk}</b> (90% interval {low}–{high})").format(
            risk=f"{result.risk:.0%}", low=f"{lo:.0%}", high=f"{hi:.0%}"))  # fmt: skip
        alo, ahi = result.knee_angle_interval
        self.angle.setText(self.tr("Estimated knee angle: <b>{angle}°</b> valgus (90% interval {low}–{high}°)").format(
            angle=f"{result.knee_angle_deg:.1f}", low=f"{alo:.1f}", high=f"{ahi:.1f}"))  # fmt: skip
        if result.norm_band_deg is not None and result.age_y is not None:
            lower, mean, upper = result.norm_band_deg
            self.band.setText(self.tr("Normal band at {age} years: {lower}–{upper}° (mean {mean}°)").format(
                age=f"{result.age_y:g}", lower=f"{lower:.0f}", upper=f"{upper:.0f}", mean=f"{mean:.0f}"))  # fmt: skip
        else:
            self.band.setText(self.tr("No age given: compared with the adult normal range, 0–10°."))
        self.chart.set_values(result.knee_angle_deg, result.knee_angle_interval, result.norm_band_deg)
        self.recommendation.setText(recommendation_words(result.recommendation))
        self.problems.hide()

    def _render_not_screenable(self, result: ScreeningResult) -> None:
        for widget in (self.risk, self.angle, self.band, self.chart):
            widget.hide()
        self.recommendation_title.setText(self.tr("Why it cannot be screened"))
        self.recommendation.setText(self.tr("Record the child again"))
        problems = result.quality.get("problems", []) if result.quality else []
        items = "".join(f"<li>{html.escape(problem_words(p))}</li>" for p in problems)
        self.problems.setText(f"<ul style='margin-left: 0'>{items}</ul>" if items else "")
        self.problems.setVisible(bool(items))
        if items:
            # The pipeline's reason repeats the problems; the list says it better.
            self.reason.setText(self.tr("This recording cannot be screened, for these reasons:"))
