"""Class sessions for school nurses: import a class roster, then go child by child.

The page lists the roster with each child's status (to do, done, skipped, absent) and the
result of their screening. The current child's details fill the child panel; the nurse records
the walk (Capture) or opens a clip, analyses it, and the screening is saved to the session,
which marks the child done. "Next child" goes on to the next child still to do, then back to
the skipped ones; "Skip" leaves the child for later; "Absent" marks the child absent. The class
summary (PDF, with the referral list first, and CSV) can be written at any time.

The strip (:class:`SessionStrip`) repeats the class and the current child beside the other
pages, with "Next child", so the flow goes on from the Review and Capture pages.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from genuscreen.files import make_private_dir, safe_filename
from genuscreen.gui.history import session_label
from genuscreen.gui.jobs import ReportOptions, class_summary_job
from genuscreen.gui.records import Records, RecordsUnavailable
from genuscreen.gui.roster_dialog import RosterDialog
from genuscreen.gui.wording import CATEGORY_COLOURS, category_words
from genuscreen.gui.worker import TaskGroup
from genuscreen.storage import (
    MEMBER_STATUSES,
    STATUS_ABSENT,
    STATUS_DONE,
    STATUS_PENDING,
    STATUS_SKIPPED,
    ClassSession,
    Database,
    Member,
    RosterError,
    StorageError,
    read_roster,
)
from genuscreen.storage.paths import REPORTS_DIR

STATUS_COLOURS = {
    STATUS_DONE: QColor(46, 125, 50),
    STATUS_SKIPPED: QColor(191, 120, 0),
    STATUS_ABSENT: QColor(117, 117, 117),
}
COLUMNS = 6


def default_summary_name(session: ClassSession) -> str:
    """GenuScreen_class_<date>_<school>_<class>.pdf, made safe."""
    parts = ["GenuScreen_class", session.date.isoformat(), safe_filename(session.school, ""),
             safe_filename(session.class_name, "")]  # fmt: skip
    return "_".join(p for p in parts if p) + ".pdf"


class ClassSessionPage(QWidget):
    child_chosen = Signal(object)  # the Member now screened, or None when nobody is left
    record_requested = Signal()
    open_clip_requested = Signal()
    changed = Signal()  # the session, its roster or the current child changed

    def __init__(self, records: Records, tasks: TaskGroup, report_options: Callable[[], ReportOptions],
                 operator: Callable[[], str | None], may_switch_child: Callable[[], bool],
                 parent: QWidget | None = None):  # fmt: skip
        super().__init__(parent)
        self.records = records
        self.tasks = tasks
        self.report_options = report_options
        self.operator = operator
        self.may_switch_child = may_switch_child
        self.session: ClassSession | None = None
        self.members: list[Member] = []
        self.current: Member | None = None
        self.roster_dialog: RosterDialog | None = None
        self.summarising = None
        self._locked = False
        self._status_key: tuple = ("none",)

        self.session_label = QLabel()
        self.session_box = QComboBox()
        self.session_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.session_box.activated.connect(self._session_chosen)
        self.session_label.setBuddy(self.session_box)
        style = self.style()
        self.import_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_DialogOpenButton), "")
        self.import_button.clicked.connect(self.choose_roster)
        self.summary_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_FileIcon), "")
        self.summary_button.clicked.connect(self.choose_summary_file)
        top = QHBoxLayout()
        top.addWidget(self.session_label)
        top.addWidget(self.session_box, 1)
        top.addWidget(self.import_button)
        top.addWidget(self.summary_button)
        self.info = QLabel()
        self.info.setWordWrap(True)

        self.table = QTableWidget(0, COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemDoubleClicked.connect(self._row_chosen)

        self.current_box = QGroupBox()
        self.current_label = QLabel()
        self.current_label.setWordWrap(True)
        font = self.current_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.current_label.setFont(font)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.record_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_DialogYesButton), "")
        self.record_button.clicked.connect(self.record_requested)
        self.open_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_DialogOpenButton), "")
        self.open_button.clicked.connect(self.open_clip_requested)
        self.skip_button = QPushButton()
        self.skip_button.clicked.connect(self.skip_child)
        self.absent_button = QPushButton()
        self.absent_button.clicked.connect(self.mark_absent)
        self.next_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_ArrowForward), "")
        self.next_button.clicked.connect(self.next_child)
        self.next_button.setDefault(True)
        buttons = QHBoxLayout()
        for button in (self.record_button, self.open_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.skip_button, self.absent_button, self.next_button):
            buttons.addWidget(button)
        current_layout = QVBoxLayout(self.current_box)
        current_layout.addWidget(self.current_label)
        current_layout.addWidget(self.hint)
        current_layout.addLayout(buttons)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.info)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.current_box)
        layout.addWidget(self.status)
        records.changed.connect(self.refresh)
        self._retranslate()

    # --- language -------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.session_label.setText(self.tr("Class session:"))
        self.import_button.setText(self.tr("Import roster…"))
        self.import_button.setToolTip(self.tr("Start a class session from a CSV file with each child's ID, name, "
                                              "date of birth and sex"))  # fmt: skip
        self.summary_button.setText(self.tr("Class summary…"))
        self.summary_button.setToolTip(self.tr("Write the class summary: a PDF with the referral list first, and "
                                               "a CSV table"))  # fmt: skip
        headers = [self.tr("No."), self.tr("Child ID"), self.tr("Name"), self.tr("Date of birth"), self.tr("Status"),
                   self.tr("Result")]  # fmt: skip
        self.table.setHorizontalHeaderLabels(headers)
        self.current_box.setTitle(self.tr("Now screening"))
        self.hint.setText(self.tr("Record the child's walk or open a clip of it, then press Analyse: the result is "
                                  "saved to this class session. Then press Next child. Double-click a child in the "
                                  "list to screen that child now."))  # fmt: skip
        self.record_button.setText(self.tr("Record"))
        self.record_button.setToolTip(self.tr("Go to the Capture page to record this child's walk"))
        self.open_button.setText(self.tr("Open clip…"))
        self.open_button.setToolTip(self.tr("Open a video of this child's walk"))
        self.skip_button.setText(self.tr("Skip"))
        self.skip_button.setToolTip(self.tr("Leave this child for later; Next child comes back to skipped children "
                                            "once the others are done"))  # fmt: skip
        self.absent_button.setText(self.tr("Absent"))
        self.absent_button.setToolTip(self.tr("Mark this child absent today"))
        self.next_button.setText(self.tr("Next child"))
        self.next_button.setToolTip(self.tr("Go on to the next child still to screen"))
        if self.records.is_open():
            self.refresh()  # the list of sessions is worded too
        else:
            self._render()

    def status_words(self, status: str) -> str:
        words = {STATUS_PENDING: self.tr("To do"), STATUS_DONE: self.tr("Done"), STATUS_SKIPPED: self.tr("Skipped"),
                 STATUS_ABSENT: self.tr("Absent")}  # fmt: skip
        return words.get(status, status)

    def _set_status(self, *key) -> None:
        self._status_key = key
        self._render_status()

    def _render_status(self) -> None:
        kind, *args = self._status_key
        texts = {
            "imported": lambda: self.tr("Class session created with {count} children.").format(count=args[0]),
            "summary": lambda: self.tr("Class summary written: {pdf} and {csv}.").format(pdf=args[0], csv=args[1]),
            "writing": lambda: self.tr("Writing the class summary…"),
        }
        self.status.setText(texts[kind]() if kind in texts else "")

    # --- reading the records --------------------------------------------------------------

    def _database(self) -> Database | None:
        try:
            return self.records.database()
        except RecordsUnavailable as error:
            self.status.setText(str(error))
            return None

    def session_id(self) -> int | None:
        return self.session.id if self.session is not None else None

    def refresh(self) -> None:
        """Read the sessions and the current session's roster again."""
        db = self._database()
        if db is None:
            return
        sessions = db.sessions()
        if self.session is not None and all(s.id != self.session.id for s in sessions):
            self.session = None  # another data folder, or deleted
        self.session_box.blockSignals(True)
        self.session_box.clear()
        self.session_box.addItem("", None)
        for session in sessions:
            members = db.members(session.id)
            done = sum(m.status == STATUS_DONE for m in members)
            self.session_box.addItem(self.tr("{session} ({done} of {count} done)").format(
                session=session_label(session), done=done, count=len(members)), session.id)  # fmt: skip
        self.session_box.setCurrentIndex(max(0, self.session_box.findData(self.session_id())))
        self.session_box.blockSignals(False)
        self.members = db.members(self.session.id) if self.session is not None else []
        if self.current is not None:
            self.current = next((m for m in self.members if m.child.id == self.current.child.id), None)
        self._render()

    def _render(self) -> None:
        if self.session_box.count():
            self.session_box.setItemText(0, self.tr("None: screen children one by one"))
        self._fill_table()
        members = self.members
        counts = {status: sum(m.status == status for m in members) for status in MEMBER_STATUSES}
        if self.session is None:
            self.info.setText(self.tr("Import a class roster (CSV with ID, name, date of birth and sex) to screen a "
                                      "class child by child, or choose an earlier class session."))  # fmt: skip
        else:
            self.info.setText(self.tr("{count} children: {done} done, {pending} to do, {skipped} skipped, {absent} "
                                      "absent.").format(count=len(members), done=counts[STATUS_DONE],
                                                        pending=counts[STATUS_PENDING], skipped=counts[STATUS_SKIPPED],
                                                        absent=counts[STATUS_ABSENT]))  # fmt: skip
        if self.session is None:
            self.current_label.setText(self.tr("No class session"))
        elif self.current is None:
            self.current_label.setText(self.tr("Everyone is screened or marked absent. Write the class summary."))
        else:
            self.current_label.setText(self.describe(self.current))
        self._update_buttons()
        self._render_status()
        self.changed.emit()

    def describe(self, member: Member) -> str:
        """The current child in one line: ID · name · age · sex."""
        child = member.child
        parts = [child.external_id, child.name or ""]
        age = child.age_on(self.session.date) if self.session is not None else None
        if age is not None:
            parts.append(self.tr("{age} years").format(age=f"{age:.1f}"))
        parts.append({"F": self.tr("girl"), "M": self.tr("boy")}.get(child.sex or "", ""))
        return " · ".join(p for p in parts if p)

    def _fill_table(self) -> None:
        db = None
        results: dict[int, str] = {}
        if any(m.screening_id for m in self.members):
            db = self._database()
        if db is not None:
            for record in db.screenings(session_id=self.session.id):
                results.setdefault(record.id, record.category)
        self.table.clearContents()
        self.table.setRowCount(len(self.members))
        bold = QFont(self.font())
        bold.setBold(True)
        for row, member in enumerate(self.members):
            child = member.child
            category = results.get(member.screening_id) if member.screening_id else None
            cells = [str(member.position + 1), child.external_id, child.name or "",
                     child.date_of_birth.isoformat() if child.date_of_birth else "", self.status_words(member.status),
                     category_words(category) if category else ""]  # fmt: skip
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, child.id)
                if self.current is not None and child.id == self.current.child.id:
                    item.setFont(bold)
                self.table.setItem(row, column, item)
            if member.status in STATUS_COLOURS:
                self.table.item(row, 4).setForeground(QBrush(STATUS_COLOURS[member.status]))
            if category:
                self.table.item(row, 5).setForeground(QBrush(CATEGORY_COLOURS[category]))
        if self.current is not None:
            row = next((i for i, m in enumerate(self.members) if m.child.id == self.current.child.id), None)
            if row is not None:
                self.table.selectRow(row)

    def status_of(self, external_id: str) -> str | None:
        """A child's status in the session, by their ID (for tests and accessibility tools)."""
        return next((m.status for m in self.members if m.child.external_id == external_id), None)

    def set_locked(self, locked: bool) -> None:
        """While a clip is analysed the current child stays the current child."""
        self._locked = locked
        self._update_buttons()

    def _update_buttons(self) -> None:
        active = self.session is not None
        current = self.current is not None
        free = not self._locked
        self.session_box.setEnabled(free)
        self.import_button.setEnabled(free)
        self.summary_button.setEnabled(active and self.summarising is None)
        self.record_button.setEnabled(current and free)
        self.open_button.setEnabled(current and free)
        can_leave = current and free and self.current.status in (STATUS_PENDING, STATUS_SKIPPED)
        self.skip_button.setEnabled(can_leave and self.current.status != STATUS_SKIPPED)
        self.absent_button.setEnabled(can_leave)
        self.next_button.setEnabled(active and free)
        self.table.setEnabled(active)

    # --- choosing the session and the child -----------------------------------------------

    def _session_chosen(self, index: int) -> None:
        if not self.set_session(self.session_box.itemData(index)):
            self.session_box.setCurrentIndex(max(0, self.session_box.findData(self.session_id())))

    def set_session(self, session_id: int | None) -> bool:
        """Make a class session the active one (None: none) and go to its first child still to
        do. False when the child on screen cannot be left now."""
        if session_id == self.session_id():
            return True
        db = self._database()
        if db is None or self._locked or not self.may_switch_child():
            return False
        self.session = db.get_session(session_id) if session_id is not None else None
        self.current = None
        self.refresh()
        self._make_current(db.next_member(session_id) if session_id is not None else None)
        return True

    def _make_current(self, member: Member | None) -> None:
        self.current = member
        self._status_key = ("none",)  # what was said about the last child is past
        self._render()
        self.child_chosen.emit(member)

    def _row_chosen(self, item: QTableWidgetItem) -> None:
        self.choose(item.data(Qt.ItemDataRole.UserRole))

    def choose(self, child_id: int) -> bool:
        """Screen this child now (a skipped one, or one to screen again)."""
        member = next((m for m in self.members if m.child.id == child_id), None)
        if member is None or self._locked or not self.may_switch_child():
            return False
        self._make_current(member)
        return True

    def next_child(self) -> bool:
        """The next child still to do after the current one, then the skipped ones."""
        db = self._database()
        if db is None or self.session is None or self._locked or not self.may_switch_child():
            return False
        after = self.current.child.id if self.current is not None else None
        self._make_current(db.next_member(self.session.id, after_child_id=after))
        return True

    def skip_child(self) -> bool:
        return self._leave_current(STATUS_SKIPPED)

    def mark_absent(self) -> bool:
        return self._leave_current(STATUS_ABSENT)

    def _leave_current(self, status: str) -> bool:
        db = self._database()
        if db is None or self.current is None or self._locked or not self.may_switch_child():
            return False
        leaving = self.current
        db.set_member_status(self.session.id, leaving.child.id, status)
        self.refresh()
        self._make_current(db.next_member(self.session.id, after_child_id=leaving.child.id))
        self.records.notify()
        return True

    # --- roster ---------------------------------------------------------------------------

    def choose_roster(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import a class roster"), "",
                                              self.tr("CSV files (*.csv *.txt);;All files (*)"))  # fmt: skip
        if path:
            self.open_roster(Path(path))

    def open_roster(self, path: Path) -> RosterDialog | None:
        """Read a roster and show it (its bad lines, or its children to import). The dialog
        opens without blocking; Import creates the class session."""
        try:
            roster = read_roster(path)
        except RosterError as error:
            QMessageBox.warning(self, self.tr("This roster cannot be read"), str(error))
            return None
        dialog = RosterDialog(roster, self)
        dialog.accepted.connect(lambda: self._import(dialog))
        dialog.finished.connect(dialog.deleteLater)
        self.roster_dialog = dialog
        dialog.open()
        return dialog

    def _import(self, dialog: RosterDialog) -> None:
        if dialog.roster.errors:
            return
        db = self._database()
        if db is None:
            return
        try:
            session = db.import_roster(dialog.roster, operator=self.operator(), **dialog.values())
        except StorageError as error:
            QMessageBox.warning(self, self.tr("The roster could not be imported"), str(error))
            return
        self.records.notify()
        if self.set_session(session.id):
            self._set_status("imported", len(dialog.roster.rows))

    # --- class summary --------------------------------------------------------------------

    def choose_summary_file(self) -> None:
        db = self._database()
        if db is None or self.session is None:
            return
        folder = make_private_dir(db.data_dir / REPORTS_DIR)
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the class summary"),
                                              str(folder / default_summary_name(self.session)),
                                              self.tr("PDF files (*.pdf)"))  # fmt: skip
        if path:
            self.write_summary(Path(path))

    def write_summary(self, pdf_path: Path) -> None:
        """Write the class summary PDF and, beside it, the CSV, in the background."""
        db = self._database()
        if db is None or self.session is None or self.summarising is not None:
            return
        if pdf_path.suffix.lower() != ".pdf":
            pdf_path = pdf_path.with_name(pdf_path.name + ".pdf")
        job = class_summary_job(db, self.session.id, pdf_path, self.report_options())
        task = self.tasks.start(job, "genuscreen-class-summary")
        self.summarising = task
        task.succeeded.connect(lambda paths: self._set_status("summary", paths[0], paths[1].name))
        task.failed.connect(lambda error: QMessageBox.warning(self, self.tr("The class summary could not be written"),
                                                               str(error)))  # fmt: skip
        task.finished.connect(self._summary_finished)
        self._set_status("writing")
        self._update_buttons()

    def _summary_finished(self) -> None:
        self.summarising = None
        if self._status_key == ("writing",):
            self._set_status("none")
        self._update_buttons()


class SessionStrip(QFrame):
    """The active class session and its current child, beside the other pages, with Next child."""

    show_requested = Signal()

    def __init__(self, page: ClassSessionPage, parent: QWidget | None = None):
        super().__init__(parent)
        self.page = page
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("sessionStrip")
        self.setStyleSheet("#sessionStrip { background: #e8f0fb; }")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.next_button = QPushButton(self.style().standardIcon(QStyle.StandardPixmap.SP_ArrowForward), "")
        self.next_button.clicked.connect(page.next_child)
        self.page_button = QPushButton()
        self.page_button.clicked.connect(self.show_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.page_button)
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addLayout(buttons)
        page.changed.connect(self._render)
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._render()
        super().changeEvent(event)

    def _render(self) -> None:
        page = self.page
        self.setVisible(page.session is not None)
        if page.session is None:
            return
        done = sum(m.status == STATUS_DONE for m in page.members)
        heading = self.tr("Class session {session}: {done} of {count} done").format(
            session=session_label(page.session), done=done, count=len(page.members))  # fmt: skip
        now = page.describe(page.current) if page.current is not None else self.tr("nobody left to screen")
        now_line = self.tr("Now: {child}").format(child=now)
        self.label.setText(f"<b>{html.escape(heading)}</b><br>{html.escape(now_line)}")
        self.next_button.setText(self.tr("Next child"))
        self.next_button.setEnabled(page.next_button.isEnabled())
        self.page_button.setText(self.tr("Roster"))
        self.page_button.setToolTip(self.tr("Show the class session page"))
