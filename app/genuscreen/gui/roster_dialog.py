"""A class roster read from a CSV file, before anything is imported: either its bad lines with
their line numbers (then nothing can be imported: the file is fixed and imported again), or the
children it lists with the class session's school, class and date to fill in."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from genuscreen.gui.wording import roster_line_words
from genuscreen.storage import Roster


class RosterDialog(QDialog):
    def __init__(self, roster: Roster, parent: QWidget | None = None):
        super().__init__(parent)
        self.roster = roster
        name = roster.path.name
        self.setWindowTitle(self.tr("Import a class roster"))
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.notes = QLabel("\n".join(roster.notes))
        self.notes.setWordWrap(True)
        self.notes.setVisible(bool(roster.notes))
        layout.addWidget(self.notes)
        self.errors = QListWidget()
        self.errors.setWordWrap(True)  # a line's problems can be long; all of it must be readable
        self.errors.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.errors.setResizeMode(QListView.ResizeMode.Adjust)
        self.children = QTableWidget(0, 4)
        self.school = QLineEdit()
        self.class_name = QLineEdit()
        self.day = QDateEdit(QDate.currentDate())
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")

        if roster.errors:
            self.heading.setText(self.tr("<b>{file}</b> has lines that need fixing. Nothing was imported.").format(
                file=name))  # fmt: skip
            for error in roster.errors:
                self.errors.addItem(self.tr("Line {line}: {message}").format(line=error.line,
                                                                              message=roster_line_words(error)))
            layout.addWidget(self.errors, 1)
            advice = QLabel(self.tr("Fix these lines in the file (for example in your spreadsheet, then save it as "
                                    "CSV) and import it again. The header is line 1."))  # fmt: skip
            advice.setWordWrap(True)
            layout.addWidget(advice)
            buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        else:
            self.heading.setText(self.tr("<b>{file}</b>: {count} children. Check them, name the class session and "
                                         "import.").format(file=name, count=len(roster.rows)))  # fmt: skip
            self.children.setHorizontalHeaderLabels([self.tr("Child ID"), self.tr("Name"), self.tr("Date of birth"),
                                                     self.tr("Sex")])  # fmt: skip
            self.children.setRowCount(len(roster.rows))
            sexes = {"F": self.tr("female"), "M": self.tr("male")}
            for row, child in enumerate(roster.rows):
                cells = (child.external_id, child.name, child.date_of_birth.isoformat(), sexes.get(child.sex or "", ""))
                for column, text in enumerate(cells):
                    self.children.setItem(row, column, QTableWidgetItem(text))
            self.children.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            self.children.verticalHeader().hide()
            self.children.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            self.children.horizontalHeader().setStretchLastSection(True)
            layout.addWidget(self.children, 1)
            form = QFormLayout()
            form.addRow(self.tr("School:"), self.school)
            form.addRow(self.tr("Class:"), self.class_name)
            form.addRow(self.tr("Screening day:"), self.day)
            self.school.setPlaceholderText(self.tr("optional"))
            self.class_name.setPlaceholderText(self.tr("e.g. 3B"))
            layout.addLayout(form)
            buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
            import_button = buttons.addButton(self.tr("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
            import_button.setDefault(True)
            self.class_name.setFocus()
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout.addWidget(buttons)
        self.resize(90 * self.fontMetrics().averageCharWidth(), 26 * self.fontMetrics().height())

    def error_lines(self) -> list[str]:
        return [self.errors.item(i).text() for i in range(self.errors.count())]

    def values(self) -> dict:
        """The class session's details, as ``Database.import_roster`` takes them."""
        day: date = self.day.date().toPython()
        return {"school": self.school.text().strip() or None, "class_name": self.class_name.text().strip() or None,
                "day": day}  # fmt: skip
