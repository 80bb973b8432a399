"""The child's details: ID, optional name, age (in years or from the date of birth), sex and
notes. The age chooses the normal knee-angle band the result is compared with."""

from __future__ import annotations

from PySide6.QtCore import QDate, QEvent, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QStackedWidget,
    QWidget,
)

MAX_AGE_Y = 18.0  # screen() accepts ages below 19 years
DAYS_PER_YEAR = 365.25


def age_from_birth(birth: QDate, on: QDate) -> float:
    return birth.daysTo(on) / DAYS_PER_YEAR


class ChildDetails(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.child_id = QLineEdit()
        self.name = QLineEdit()
        self.age_mode = QComboBox()
        self.age_mode.addItems(["", ""])
        self.age_years = QDoubleSpinBox()
        self.age_years.setRange(0.0, MAX_AGE_Y)
        self.age_years.setDecimals(1)
        self.age_years.setSingleStep(0.5)
        self.birth_date = QDateEdit()
        self.birth_date.setCalendarPopup(True)
        self.birth_date.setDisplayFormat("yyyy-MM-dd")
        today = QDate.currentDate()
        self.birth_date.setDateRange(today.addYears(-int(MAX_AGE_Y)), today)
        self.birth_date.setDate(today.addYears(-8))
        self.age_stack = QStackedWidget()
        self.age_stack.addWidget(self.age_years)
        self.age_stack.addWidget(self.birth_date)
        self.age_from_birth = QLabel()
        age_row = QHBoxLayout()
        age_row.setContentsMargins(0, 0, 0, 0)
        age_row.addWidget(self.age_mode)
        age_row.addWidget(self.age_stack, 1)
        age_row.addWidget(self.age_from_birth)
        self.sex = QComboBox()
        self.sex.addItems(["", "", ""])
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(4 * self.fontMetrics().lineSpacing() + 12)

        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.labels = [QLabel() for _ in range(5)]
        for label, field in zip(self.labels, (self.child_id, self.name, age_row, self.sex, self.notes)):
            self.form.addRow(label, field)
        self.labels[0].setBuddy(self.child_id)
        self.labels[1].setBuddy(self.name)
        self.labels[2].setBuddy(self.age_years)
        self.labels[3].setBuddy(self.sex)
        self.labels[4].setBuddy(self.notes)

        self.age_mode.currentIndexChanged.connect(self._age_mode_changed)
        for signal in (self.child_id.textChanged, self.name.textChanged, self.age_years.valueChanged,
                       self.birth_date.dateChanged, self.sex.currentIndexChanged, self.notes.textChanged):  # fmt: skip
            signal.connect(self._changed)
        self._retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        for label, text in zip(self.labels, (self.tr("Child ID:"), self.tr("Name:"), self.tr("Age:"), self.tr("Sex:"),
                                             self.tr("Notes:"))):  # fmt: skip
            label.setText(text)
        self.child_id.setPlaceholderText(self.tr("e.g. school and class number"))
        self.name.setPlaceholderText(self.tr("optional"))
        self.age_mode.setItemText(0, self.tr("in years"))
        self.age_mode.setItemText(1, self.tr("date of birth"))
        self.age_years.setSpecialValueText(self.tr("not given"))
        self.age_years.setSuffix(self.tr(" years"))
        self.sex.setItemText(0, self.tr("not given"))
        self.sex.setItemText(1, self.tr("female"))
        self.sex.setItemText(2, self.tr("male"))
        self.notes.setPlaceholderText(self.tr("e.g. barefoot, shorts; anything unusual about the walk"))
        self._update_age_from_birth()

    def _age_mode_changed(self, index: int) -> None:
        self.age_stack.setCurrentIndex(index)
        self.labels[2].setBuddy(self.age_years if index == 0 else self.birth_date)
        self._changed()

    def _changed(self, *_args) -> None:
        self._update_age_from_birth()
        self.changed.emit()

    def _update_age_from_birth(self) -> None:
        if self.age_mode.currentIndex() == 1:
            age = age_from_birth(self.birth_date.date(), QDate.currentDate())
            self.age_from_birth.setText(self.tr("{age} years").format(age=f"{age:.1f}"))
            self.age_from_birth.show()
        else:
            self.age_from_birth.hide()

    # --- values ---------------------------------------------------------------------------

    def age(self) -> float | None:
        """Age in years for the norms, or None when not given (or out of the 0-18 range)."""
        if self.age_mode.currentIndex() == 1:
            age = age_from_birth(self.birth_date.date(), QDate.currentDate())
        else:
            age = self.age_years.value()
        return round(age, 2) if 0.0 < age <= MAX_AGE_Y else None

    def set_age(self, years: float | None) -> None:
        self.age_mode.setCurrentIndex(0)
        self.age_years.setValue(0.0 if years is None else years)

    def sex_code(self) -> str | None:
        return {1: "F", 2: "M"}.get(self.sex.currentIndex())

    def set_values(self, details: dict) -> None:
        """Fill the form from a child's details (the keys of :meth:`values`; what is missing is
        cleared). A date of birth wins over an age in years, unless only the age is given."""
        self.child_id.setText(details.get("id") or "")
        self.name.setText(details.get("name") or "")
        birth = QDate.fromString(details.get("date_of_birth") or "", "yyyy-MM-dd")
        if birth.isValid() and details.get("age_years") is None:
            self.birth_date.setDate(birth)
            self.age_mode.setCurrentIndex(1)
        else:
            # A stored screening keeps the age it was screened at, not today's.
            self.set_age(details.get("age_years"))
        self.sex.setCurrentIndex({"F": 1, "M": 2}.get(details.get("sex") or "", 0))
        self.notes.setPlainText(details.get("notes") or "")

    def clear(self) -> None:
        self.set_values({})

    def values(self) -> dict:
        birth = self.birth_date.date().toString("yyyy-MM-dd") if self.age_mode.currentIndex() == 1 else None
        return {
            "id": self.child_id.text().strip(),
            "name": self.name.text().strip() or None,
            "date_of_birth": birth,
            "age_years": self.age(),
            "sex": self.sex_code(),
            "notes": self.notes.toPlainText().strip() or None,
        }
