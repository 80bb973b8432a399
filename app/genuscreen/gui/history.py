"""The records page: every stored screening in a table (child ID, name, date, class session,
category in colour and words, recommendation, knee angle), searched by ID or name and filtered
by class session, date range and category; open a screening again (no model run), write its PDF
report again, export the listed screenings as CSV, and delete a child with everything
GenuScreen keeps about them (after a confirmation that names it; the recordings stay)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QDate, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from genuscreen.files import make_private_dir
from genuscreen.gui.jobs import ReportOptions, report_job
from genuscreen.gui.records import Records, RecordsUnavailable
from genuscreen.gui.wording import CATEGORY_COLOURS, category_words, recommendation_words
from genuscreen.gui.worker import TaskGroup
from genuscreen.inference.result import CATEGORY_LIKELY, CATEGORY_NOT_SCREENABLE, CATEGORY_UNCERTAIN, CATEGORY_UNLIKELY
from genuscreen.report import suggested_report_name
from genuscreen.storage import ClassSession, Database, ScreeningRecord, StorageError
from genuscreen.storage.paths import REPORTS_DIR

CATEGORIES = (CATEGORY_LIKELY, CATEGORY_UNCERTAIN, CATEGORY_UNLIKELY, CATEGORY_NOT_SCREENABLE)
CATEGORY_ORDER = {category: i for i, category in enumerate(CATEGORIES)}  # sorting: most concern first
NO_DATE = QDate(2000, 1, 1)  # the lowest date of the range boxes stands for "no limit"
SEARCH_DELAY_MS = 250
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole
COLUMNS = 7
SCREENED_COLUMN, CATEGORY_COLUMN, ANGLE_COLUMN = 2, 3, 5


class SortableItem(QTableWidgetItem):
    """A cell that sorts by a key of its own (a date, a number) rather than by its text."""

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self.data(SORT_ROLE), other.data(SORT_ROLE)
        if mine is None or theirs is None:  # no value (no knee angle) sorts first
            return mine is None and theirs is not None
        return mine < theirs


def session_label(session: ClassSession) -> str:
    parts = [session.date.isoformat(), session.school, session.class_name]
    return " · ".join(p for p in parts if p)


def date_or_none(edit: QDateEdit) -> date | None:
    return None if edit.date() == NO_DATE else edit.date().toPython()


class HistoryPage(QWidget):
    open_requested = Signal(int)  # a screening's record number
    child_deleted = Signal(int)  # a child's record number

    def __init__(self, records: Records, tasks: TaskGroup, report_options: Callable[[], ReportOptions],
                 parent: QWidget | None = None):  # fmt: skip
        super().__init__(parent)
        self.records = records
        self.tasks = tasks
        self.report_options = report_options
        self.reporting = None
        self.shown: list[ScreeningRecord] = []
        self._sessions: dict[int, ClassSession] = {}
        self._status_key: tuple = ("none",)
        self._stale = True  # the records changed while the page was hidden

        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.session_label = QLabel()
        self.session_box = QComboBox()
        self.session_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.from_label = QLabel()
        self.to_label = QLabel()
        self.since = self._date_edit()
        self.until = self._date_edit()
        self.category_label = QLabel()
        self.category_box = QComboBox()
        self.category_box.addItem("", None)
        for category in CATEGORIES:
            self.category_box.addItem("", category)
        for label, field in ((self.session_label, self.session_box), (self.from_label, self.since),
                             (self.to_label, self.until), (self.category_label, self.category_box)):  # fmt: skip
            label.setBuddy(field)
        self.session_box.currentIndexChanged.connect(self.refresh)
        self.category_box.currentIndexChanged.connect(self.refresh)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        for widget in (self.session_label, self.session_box, self.from_label, self.since, self.to_label, self.until,
                       self.category_label, self.category_box):  # fmt: skip
            filters.addWidget(widget)

        self.table = QTableWidget(0, COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(SCREENED_COLUMN, Qt.SortOrder.DescendingOrder)  # newest first
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self.open_selected())

        style = self.style()
        self.open_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_DialogOpenButton), "")
        self.open_button.clicked.connect(self.open_selected)
        self.report_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_FileIcon), "")
        self.report_button.clicked.connect(self.write_selected_report)
        self.csv_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_DialogSaveButton), "")
        self.csv_button.clicked.connect(self.export_csv)
        self.delete_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_TrashIcon), "")
        self.delete_button.clicked.connect(self.delete_selected_child)
        self.count = QLabel()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        for button in (self.open_button, self.report_button, self.csv_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.count)
        buttons.addSpacing(self.fontMetrics().height())
        buttons.addWidget(self.delete_button)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        records.changed.connect(self._records_changed)
        self._retranslate()
        self._update_buttons()

    def showEvent(self, event) -> None:
        if self._stale:
            self.refresh()
        super().showEvent(event)

    def _records_changed(self) -> None:
        # Read now only when seen; a hidden page reads when it is shown.
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def _date_edit(self) -> QDateEdit:
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMinimumDate(NO_DATE)
        edit.setDate(NO_DATE)
        edit.dateChanged.connect(self.refresh)
        return edit

    # --- language -------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.search.setPlaceholderText(self.tr("Search by child ID or name"))
        self.session_label.setText(self.tr("Class session:"))
        self.from_label.setText(self.tr("From:"))
        self.to_label.setText(self.tr("To:"))
        for edit in (self.since, self.until):
            edit.setSpecialValueText(self.tr("any date"))
        self.category_label.setText(self.tr("Category:"))
        self.category_box.setItemText(0, self.tr("All categories"))
        for i, category in enumerate(CATEGORIES, start=1):
            self.category_box.setItemText(i, category_words(category))
        self.table.setHorizontalHeaderLabels([self.tr("Child ID"), self.tr("Name"), self.tr("Screened"),
                                              self.tr("Category"), self.tr("Recommendation"), self.tr("Knee angle"),
                                              self.tr("Class session")])  # fmt: skip
        self.open_button.setText(self.tr("Open"))
        self.open_button.setToolTip(self.tr("Show the screening on the Review page again, from the records (the "
                                            "model does not run again)"))  # fmt: skip
        self.report_button.setText(self.tr("PDF report…"))
        self.report_button.setToolTip(self.tr("Write the PDF report of the selected screening"))
        self.csv_button.setText(self.tr("Export list (CSV)…"))
        self.csv_button.setToolTip(self.tr("Save the screenings listed here as a table for a spreadsheet"))
        self.delete_button.setText(self.tr("Delete child…"))
        self.delete_button.setToolTip(self.tr("Delete the selected child with all their screenings and reports"))
        if self.session_box.count():
            self.session_box.setItemText(0, self.tr("All"))
        self._fill_table()
        self._set_status(*self._status_key)

    def _set_status(self, *key) -> None:
        self._status_key = key
        kind, *args = key
        texts = {
            "report": lambda: self.tr("Report written to {path}.").format(path=args[0]),
            "csv": lambda: self.tr("{count} screenings written to {path}.").format(count=args[0], path=args[1]),
            "deleted": lambda: self.tr("Child {id} deleted: {screenings} screenings and {files} files.").format(
                id=args[0], screenings=args[1], files=args[2]),
            "writing": lambda: self.tr("Writing the report…"),
        }  # fmt: skip
        self.status.setText(texts[kind]() if kind in texts else "")

    # --- the table ------------------------------------------------------------------------

    def filters(self) -> dict:
        """The filters as ``Database.screenings`` and ``export_csv`` take them."""
        return {
            "search": self.search.text().strip() or None,
            "session_id": self.session_box.currentData(),
            "since": date_or_none(self.since),
            "until": date_or_none(self.until),
            "category": self.category_box.currentData(),
        }

    def _database(self) -> Database | None:
        try:
            return self.records.database()
        except RecordsUnavailable as error:
            self.status.setText(str(error))
            return None

    def refresh(self) -> None:
        """Read the records again with the filters."""
        self._stale = False
        db = self._database()
        if db is None:
            self.shown = []
            self.table.setRowCount(0)
            self._update_buttons()
            return
        self._fill_sessions(db.sessions())
        try:
            self.shown = db.screenings(**self.filters())
        except StorageError as error:
            self.status.setText(str(error))
            self.shown = []
        self._fill_table()

    def _fill_sessions(self, sessions: list[ClassSession]) -> None:
        self._sessions = {s.id: s for s in sessions}
        chosen = self.session_box.currentData()
        self.session_box.blockSignals(True)
        self.session_box.clear()
        self.session_box.addItem(self.tr("All"), None)
        for session in sessions:
            self.session_box.addItem(session_label(session), session.id)
        self.session_box.setCurrentIndex(max(0, self.session_box.findData(chosen)))
        self.session_box.blockSignals(False)

    def _fill_table(self) -> None:
        selected = self.selected()
        self.table.setSortingEnabled(False)
        self.table.clearContents()
        self.table.setRowCount(len(self.shown))
        bold = QFont(self.font())
        bold.setBold(True)
        for row, record in enumerate(self.shown):
            session = self._sessions.get(record.session_id) if record.session_id else None
            angle = f"{record.knee_angle_deg:.1f}°" if record.knee_angle_deg is not None else "–"
            cells = [
                (record.child_external_id, record.child_external_id.lower()),
                (record.child_name or "", (record.child_name or "").lower()),
                (record.screened_at.strftime("%Y-%m-%d %H:%M"), record.screened_at.isoformat()),
                (category_words(record.category), CATEGORY_ORDER.get(record.category, len(CATEGORIES))),
                (recommendation_words(record.recommendation), record.recommendation or ""),
                (angle, record.knee_angle_deg),
                (session_label(session) if session else "", session_label(session) if session else ""),
            ]  # fmt: skip
            for column, (text, key) in enumerate(cells):
                item = SortableItem(text)
                item.setData(SORT_ROLE, key)
                item.setData(ID_ROLE, record.id)
                if column == ANGLE_COLUMN:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
            category = self.table.item(row, CATEGORY_COLUMN)
            colour = CATEGORY_COLOURS.get(record.category, CATEGORY_COLOURS[CATEGORY_NOT_SCREENABLE])
            category.setForeground(QBrush(colour))
            category.setFont(bold)
        self.table.setSortingEnabled(True)
        if selected is not None:
            self.select(selected.id)
        self.count.setText(self.tr("{count} screenings").format(count=len(self.shown)))
        self._update_buttons()

    def select(self, screening_id: int) -> bool:
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).data(ID_ROLE) == screening_id:
                self.table.selectRow(row)
                return True
        return False

    def selected(self) -> ScreeningRecord | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        screening_id = self.table.item(rows[0].row(), 0).data(ID_ROLE)
        return next((r for r in self.shown if r.id == screening_id), None)

    def visible_rows(self) -> list[tuple[str, ...]]:
        """The table's text, row by row, as shown (for tests and accessibility tools)."""
        return [tuple(self.table.item(r, c).text() for c in range(COLUMNS)) for r in range(self.table.rowCount())]

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.open_button.setEnabled(chosen)
        self.report_button.setEnabled(chosen and self.reporting is None)
        self.delete_button.setEnabled(chosen)
        self.csv_button.setEnabled(bool(self.shown))

    # --- actions --------------------------------------------------------------------------

    def open_selected(self) -> None:
        record = self.selected()
        if record is not None:
            self.open_requested.emit(record.id)

    def write_selected_report(self) -> None:
        record = self.selected()
        db = self._database()
        if record is None or db is None or self.reporting is not None:
            return
        folder = make_private_dir(db.data_dir / REPORTS_DIR)
        name = suggested_report_name({"id": record.child_external_id, "name": record.child_name}, record.screened_at)
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the PDF report"), str(folder / name),
                                              self.tr("PDF files (*.pdf)"))  # fmt: skip
        if path:
            self.write_report(record.id, Path(path))

    def write_report(self, screening_id: int, path: Path) -> None:
        """Write a stored screening's PDF report in the background (and note it on its record)."""
        db = self._database()
        if db is None:
            return
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        task = self.tasks.start(report_job(db, screening_id, path, self.report_options()), "genuscreen-report")
        self.reporting = task
        task.succeeded.connect(lambda written: self._set_status("report", written))
        task.failed.connect(lambda error: QMessageBox.warning(self, self.tr("The report could not be written"),
                                                               str(error)))  # fmt: skip
        task.finished.connect(self._report_finished)
        self._set_status("writing")
        self._update_buttons()

    def _report_finished(self) -> None:
        self.reporting = None
        if self._status_key == ("writing",):
            self._set_status("none")
        self.records.notify()

    def export_csv(self) -> None:
        db = self._database()
        if db is None:
            return
        folder = make_private_dir(db.data_dir / "exports")
        name = f"GenuScreen_screenings_{datetime.now():%Y-%m-%d}.csv"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export the list"), str(folder / name),
                                              self.tr("CSV files (*.csv)"))  # fmt: skip
        if path:
            self.write_csv(Path(path))

    def write_csv(self, path: Path) -> int:
        """Write the screenings that match the filters to ``path``; returns how many."""
        db = self._database()
        if db is None:
            return 0
        if path.suffix.lower() != ".csv":
            path = path.with_name(path.name + ".csv")
        try:
            count = db.export_csv(path, **self.filters())
        except (OSError, StorageError) as error:
            QMessageBox.warning(self, self.tr("The list could not be exported"), str(error))
            return 0
        self._set_status("csv", count, path)
        return count

    def deletion_text(self, db: Database, child_id: int) -> str:
        """What deleting a child removes, in words, for the confirmation."""
        child = db.get_child(child_id)
        screenings = db.screenings(child_id=child_id)
        reports = sum(1 for s in screenings if (p := db.resolve(s.report_path)) is not None and p.exists())
        overlays = sum(1 for s in screenings if (p := db.resolve(s.overlay_path)) is not None and p.exists())
        rosters = sum(1 for s in db.sessions() if any(m.child.id == child_id for m in db.members(s.id)))
        who = f"{child.external_id} ({child.name})" if child.name else child.external_id
        lines = [
            self.tr("Delete child {child} and everything GenuScreen keeps about them?").format(child=who),
            "",
            self.tr("This deletes:"),
            "• " + self.tr("Screening records: {count}").format(count=len(screenings)),
            "• " + self.tr("Places on class-session rosters: {count}").format(count=rosters),
            "• " + self.tr("PDF reports: {count}").format(count=reports),
            "• " + self.tr("Overlay videos: {count}").format(count=overlays),
            "• " + self.tr("The stored attention maps and silhouettes"),
            "",
            self.tr("The original recordings are not deleted. This cannot be undone."),
        ]
        return "\n".join(lines)

    def confirm_delete(self, title: str, text: str) -> bool:
        """Ask before deleting; Cancel is the default."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Cancel, self)
        delete = box.addButton(self.tr("Delete"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is delete

    def delete_selected_child(self) -> None:
        record = self.selected()
        db = self._database()
        if record is None or db is None:
            return
        text = self.deletion_text(db, record.child_id)
        if not self.confirm_delete(self.tr("Delete child {id}").format(id=record.child_external_id), text):
            return
        try:
            summary = db.delete_child(record.child_id)
        except StorageError as error:
            QMessageBox.warning(self, self.tr("The child could not be deleted"), str(error))
            return
        self._set_status("deleted", record.child_external_id, summary.screenings, len(summary.files_removed))
        if summary.files_failed:
            failed = "\n".join(f"{path}: {why}" for path, why in summary.files_failed)
            QMessageBox.warning(self, self.tr("Some files could not be deleted"),
                                self.tr("The records are deleted, but these files are still there; delete them "
                                        "yourself:\n{files}").format(files=failed))  # fmt: skip
        self.child_deleted.emit(record.child_id)
        self.records.notify()

