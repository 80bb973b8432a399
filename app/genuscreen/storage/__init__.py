"""Screening records: children, class sessions and screenings in SQLite, in the user's data folder.

Qt-free and usable from any thread; the GUI and the CLI call it directly.

The data folder
    ``Database(data_dir)``; without ``data_dir``: ``$GENUSCREEN_DATA_DIR``, else the platform's
    user data folder (``~/.local/share/GenuScreen`` on Linux, ``%APPDATA%\\GenuScreen`` on
    Windows, ``~/Library/Application Support/GenuScreen`` on macOS). Created private to the
    user (0700 on POSIX); the database and every file written into it are 0600. It holds
    ``genuscreen.sqlite3`` (with its WAL files), ``heatmaps/`` and, when the caller asks
    :meth:`Database.derived_path` for places, ``reports/`` and ``overlays/``.

The database
    Tables ``children``, ``sessions`` (class sessions: school, class, date, operator),
    ``session_members`` (a child on a session's roster with a status: pending, done, skipped,
    absent) and ``screenings`` (child, optional session, summary columns, the full result JSON,
    model card id and version, device, quality JSON, the recording's path and sha256, the
    report, overlay and heatmap files, operator, time stamps). The schema is versioned with
    ``PRAGMA user_version`` and an ordered list of migrations (``schema.MIGRATIONS``) applied
    on opening; foreign keys are on, the journal is WAL, every write is one transaction
    (``BEGIN IMMEDIATE`` ... commit, rolled back on any error) and waits up to 10 s for a
    lock held by another process.

Reopening a screening without the model
    The result JSON (``ScreeningResult.to_dict()``) holds every number and the per-frame score
    and angle curves. The attention maps are kept as they come out of the model: uint8 maps in
    the model's 64 x 44 window with each frame's box, frame indices and times, and the child's
    0/1 silhouettes, in an ``.npz`` under ``heatmaps/`` (about 30 KB for a 5 s clip; written to
    a temporary file and renamed). :meth:`Database.load_result` rebuilds the ScreeningResult
    from both; the review draws the maps over frames read from the recording (its path and
    sha256 are stored) or over the silhouettes when the recording has moved. Clips are not
    cached: re-deriving them would mean decoding the video and running the model again.

Children's names and IDs never go into the log (only record numbers and counts).

API (everything raises :class:`StorageError` with a plain message for bad requests)::

    db = Database(data_dir=None)                       # or: with Database(...) as db:
    db.add_child(external_id, name=None, date_of_birth=None, sex=None, notes=None) -> Child
    db.ensure_child(external_id, name=None, date_of_birth=None, sex=None) -> Child
    db.update_child(child_id, name=..., date_of_birth=..., sex=..., notes=..., external_id=...) -> Child
    db.get_child(child_id) / db.find_child(external_id) / db.children(search=None) -> Child | list
    db.delete_child(child_id) -> DeleteSummary         # rows + reports, overlays, heatmaps; never the video
    db.record_screening(result, child_id, session_id=None, video_path=None, report_path=None,
                        overlay_path=None, operator=None, screened_at=None) -> ScreeningRecord
    db.set_report_path(screening_id, path) / db.set_overlay_path(screening_id, path)
    db.screenings(child_id=None, session_id=None, since=None, until=None, category=None,
                  search=None) -> list[ScreeningRecord]          # newest first
    db.get_screening(screening_id) -> ScreeningRecord
    db.load_result(screening_id) -> ScreeningResult    # with heatmaps; no model run
    db.video_of(screening_id) -> Path | None           # the recording, if still there
    db.delete_screening(screening_id) -> DeleteSummary
    db.export_csv(path, <same filters as screenings>) -> int
    db.derived_path("reports" | "overlays", child, when=None, suffix=".pdf") -> Path
    read_roster(path, on=None) -> Roster               # rows, errors (line, message), notes
    db.import_roster(roster, school=None, class_name=None, day=None, operator=None) -> ClassSession
    db.create_session(school=None, class_name=None, day=None, operator=None) -> ClassSession
    db.sessions() / db.get_session(session_id)
    db.add_member(session_id, child_id)
    db.members(session_id) -> list[Member]             # roster order, status, latest screening
    db.set_member_status(session_id, child_id, "pending" | "done" | "skipped" | "absent")
    db.next_member(session_id, after_child_id=None) -> Member | None   # pending first, then skipped
    db.class_summary(session_id) -> ClassSummary       # for report.write_class_summary(_csv)

``record_screening`` with a ``session_id`` marks the child done in that session in the same
transaction. ``delete_child`` does not ask: the GUI or the CLI confirms first.
"""

from genuscreen.files import safe_filename
from genuscreen.storage.database import CSV_COLUMNS, Database, DeleteSummary, StorageError, file_sha256
from genuscreen.storage.paths import default_data_dir
from genuscreen.storage.records import (
    MEMBER_STATUSES,
    STATUS_ABSENT,
    STATUS_DONE,
    STATUS_PENDING,
    STATUS_SKIPPED,
    Child,
    ClassSession,
    ClassSummary,
    ClassSummaryRow,
    Member,
    ScreeningRecord,
)
from genuscreen.storage.roster import Roster, RosterError, RosterLineError, RosterRow, read_roster
from genuscreen.storage.schema import SCHEMA_VERSION, SchemaError

__all__ = [
    "CSV_COLUMNS", "MEMBER_STATUSES", "SCHEMA_VERSION", "STATUS_ABSENT", "STATUS_DONE", "STATUS_PENDING",
    "STATUS_SKIPPED", "Child", "ClassSession", "ClassSummary", "ClassSummaryRow", "Database", "DeleteSummary",
    "Member", "Roster", "RosterError", "RosterLineError", "RosterRow", "SchemaError", "ScreeningRecord",
    "StorageError", "default_data_dir", "file_sha256", "read_roster", "safe_filename",
]  # fmt: skip
