"""The screening records of the data folder, shared by the window and its pages.

The database (``storage.Database``) is opened on first use and again when the data folder
changes in the settings. Short reads and writes (a list of screenings, a child's status in a
class session, deleting a child) run where they are asked for; slow ones (saving a screening
with its heatmaps file and the recording's hash, reports) run as jobs (``jobs.py``).
``changed`` tells every view to read the records again.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal

from genuscreen.storage import Database, SchemaError, StorageError

log = logging.getLogger(__name__)


class RecordsUnavailable(RuntimeError):
    """The records cannot be opened; the message says where and what to do."""


class Records(QObject):
    changed = Signal()  # screenings, children or class sessions changed

    def __init__(self, data_folder: str | Path, parent: QObject | None = None):
        super().__init__(parent)
        self.data_folder = Path(data_folder)
        self._database: Database | None = None
        self._retired: list[Database] = []  # earlier folders' records, which running jobs may still use
        self._opening = threading.Lock()  # a job may open the records while the window reads them

    def set_data_folder(self, folder: str | Path) -> None:
        folder = Path(folder)
        if folder == self.data_folder:
            return
        if self._database is not None:
            self._retired.append(self._database)
            self._database = None
        self.data_folder = folder
        self.changed.emit()

    def database(self) -> Database:
        """The open records; raises RecordsUnavailable with a message for the user. Safe to
        call from a job's thread (the first save opens them there: creating a database
        waits for the disk)."""
        with self._opening:
            if self._database is None:
                folder = self.data_folder
                try:
                    self._database = Database(folder)
                except (OSError, sqlite3.Error, SchemaError, StorageError) as error:
                    log.warning("records in %s cannot be opened: %s", folder, error)
                    raise RecordsUnavailable(QCoreApplication.translate(
                        "Records", "The records in {folder} cannot be opened ({error}). Choose another data folder "
                        "in Settings.").format(folder=folder, error=error)) from error  # fmt: skip
            return self._database

    def is_open(self) -> bool:
        return self._database is not None

    def notify(self) -> None:
        self.changed.emit()

    def close(self) -> None:
        """Close the records (when no job uses them any more: at shutdown)."""
        for database in [*self._retired, self._database]:
            if database is not None:
                database.close()
        self._retired.clear()
        self._database = None
