"""The screening records: one SQLite database in the data folder. See the package docstring."""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import os
import secrets
import sqlite3
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Iterator

from genuscreen.files import PRIVATE_FILE_MODE, atomic_output, make_private_dir, safe_filename, spreadsheet_cell
from genuscreen.storage import paths
from genuscreen.storage.heatmaps import load_heatmaps, save_heatmaps
from genuscreen.storage.records import (
    MEMBER_STATUSES,
    STATUS_DONE,
    STATUS_PENDING,
    Child,
    ClassSession,
    ClassSummary,
    ClassSummaryRow,
    Member,
    ScreeningRecord,
)
from genuscreen.storage.roster import Roster
from genuscreen.storage.schema import migrate, refuse_newer

# Ids and counts only: children's names and IDs never go into the log.
log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000
# A file in heatmaps/ this old with no screening (or still a temporary file) was left by a crash.
LEFTOVER_AGE_S = 15 * 60
_UNSET = object()
_CHILD_FIELDS = ("external_id", "name", "date_of_birth", "sex", "notes")


class StorageError(ValueError):
    """A request the records cannot fulfil (unknown child, duplicate ID, bad value); the
    message says what is wrong in words a user can act on."""


@dataclass
class DeleteSummary:
    """What deleting a child (or a screening) removed."""

    children: int = 0
    screenings: int = 0
    files_removed: list[Path] = field(default_factory=list)
    files_failed: list[tuple[Path, str]] = field(default_factory=list)  # (path, why)


def _now() -> datetime:
    return datetime.now().astimezone().replace(microsecond=0)


def _iso(value: date | datetime | str | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return value.isoformat()


def _as_date(value: date | datetime | str | None, what: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise StorageError(f"{what} {value!r} is not a date (write it as YYYY-MM-DD)") from None


def _check_sex(sex: str | None) -> str | None:
    if sex in (None, ""):
        return None
    sex = str(sex).strip().upper()
    if sex not in ("F", "M"):
        raise StorageError(f"sex must be F or M, got {sex!r}")
    return sex


def file_sha256(path: str | os.PathLike, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


CSV_COLUMNS = (
    "screening_id", "child_id", "name", "date_of_birth", "sex", "age_years", "session_id", "school", "class",
    "screened_at", "category", "recommendation", "risk", "risk_low", "risk_high", "knee_angle_deg",
    "knee_angle_low", "knee_angle_high", "model_id", "model_version", "device", "operator", "video_file",
    "video_sha256", "report",
)  # fmt: skip


class Database:
    """The records in ``data_dir`` (default :func:`paths.default_data_dir`).

    Opening creates the folder (0700), the database file (0600) and brings the schema up to
    date. One Database may be shared between threads (calls are serialised); several processes
    may open the same folder (SQLite locking, WAL, a busy timeout). Close it, or use ``with``.
    """

    def __init__(self, data_dir: str | os.PathLike | None = None):
        self.data_dir = make_private_dir(Path(data_dir).expanduser() if data_dir is not None else paths.default_data_dir())
        self.path = self.data_dir / paths.DATABASE_NAME
        if not self.path.exists():
            # Created 0600 before SQLite opens it; SQLite gives its -wal and -shm files the same mode.
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE_MODE))
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        try:
            self._conn.row_factory = sqlite3.Row
            self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            refuse_newer(self._conn)  # before WAL mode rewrites the file's header
            self._conn.execute("PRAGMA foreign_keys = ON")
            self._conn.execute("PRAGMA journal_mode = WAL")
            # FULL: a committed screening survives a power cut, not only a crash.
            self._conn.execute("PRAGMA synchronous = FULL")
            before = migrate(self._conn)
        except Exception:
            self._conn.close()
            raise
        if before and before != self.schema_version:
            log.info("records migrated from schema %d to %d", before, self.schema_version)
        self._sweep_leftovers()

    def _sweep_leftovers(self, older_than_s: float = LEFTOVER_AGE_S) -> int:
        """Remove what a crashed writer left in the folders the app writes: temporary files
        (``*.part``, from atomic writes) in heatmaps/, reports/ and overlays/, and heatmap files
        whose screening was never committed. Only old ones: another process may be writing the
        new ones right now. Returns how many files were removed."""
        cutoff = time.time() - older_than_s
        known = {self.resolve(r[0]) for r in self._read("SELECT heatmaps_path FROM screenings WHERE heatmaps_path IS NOT NULL")}
        removed = 0
        for name in (paths.HEATMAPS_DIR, paths.REPORTS_DIR, paths.OVERLAYS_DIR):
            folder = self.data_dir / name
            if not folder.is_dir():
                continue
            for path in folder.iterdir():
                try:
                    orphan = name == paths.HEATMAPS_DIR and path.suffix == ".npz" and path not in known
                    if (path.name.endswith(".part") or orphan) and path.is_file() and path.stat().st_mtime < cutoff:
                        path.unlink()
                        removed += 1
                except OSError:
                    continue
        if removed:
            log.info("removed %d files left by an interrupted write", removed)
        return removed

    # --- connection ------------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return int(self._read("PRAGMA user_version")[0][0])

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed when the block ends, rolled back on an error.
        IMMEDIATE takes the write lock up front, so two writers wait (busy timeout) instead of
        failing when one upgrades a read lock."""
        with self._lock, self._conn:
            self._conn.execute("BEGIN IMMEDIATE")
            yield self._conn

    def _read(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    # --- paths of derived files ------------------------------------------------------------

    def resolve(self, stored: str | None) -> Path | None:
        """The path of a stored file reference (relative ones live in the data folder)."""
        if not stored:
            return None
        path = Path(stored)
        return path if path.is_absolute() else self.data_dir / path

    def _stored_path(self, path: str | os.PathLike | None) -> str | None:
        """How a path is stored: relative inside the data folder (which may move), else absolute."""
        if path is None:
            return None
        path = Path(path).expanduser().absolute()
        try:
            return path.relative_to(self.data_dir.absolute()).as_posix()
        except ValueError:
            return str(path)

    def derived_path(self, kind: str, child: Child, when: datetime | None = None, suffix: str = ".pdf") -> Path:
        """A new file path in the data folder for something derived from ``child``'s screening:
        ``kind`` is "reports", "overlays" or "heatmaps". The name holds the date, the child's ID
        and name (made safe) and a random part, so it never overwrites another file."""
        if kind not in (paths.REPORTS_DIR, paths.OVERLAYS_DIR, paths.HEATMAPS_DIR):
            raise ValueError(f"unknown kind of file {kind!r}")
        when = when or _now()
        folder = make_private_dir(self.data_dir / kind)
        parts = [when.strftime("%Y%m%d-%H%M%S"), safe_filename(child.external_id, "child")]
        if kind != paths.HEATMAPS_DIR and child.name:
            parts.append(safe_filename(child.name, "", max_bytes=48))
        parts.append(secrets.token_hex(3))
        return folder / ("_".join(p for p in parts if p) + suffix)

    # --- children --------------------------------------------------------------------------

    @staticmethod
    def _child(row: sqlite3.Row) -> Child:
        return Child(
            id=row["id"], external_id=row["external_id"], name=row["name"],
            date_of_birth=date.fromisoformat(row["date_of_birth"]) if row["date_of_birth"] else None,
            sex=row["sex"], notes=row["notes"], created_at=datetime.fromisoformat(row["created_at"]),
        )  # fmt: skip

    def add_child(self, external_id: str, name: str | None = None, date_of_birth: date | str | None = None,
                  sex: str | None = None, notes: str | None = None) -> Child:  # fmt: skip
        """Add a child; raises StorageError when the ID is empty or already used."""
        external_id = (external_id or "").strip()
        if not external_id:
            raise StorageError("a child needs an ID (the school's or clinic's number)")
        birth = _as_date(date_of_birth, "date of birth")
        sex = _check_sex(sex)
        now = _iso(_now())
        try:
            with self._write() as conn:
                cursor = conn.execute(
                    "INSERT INTO children (external_id, name, date_of_birth, sex, notes, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (external_id, name or None, _iso(birth), sex, notes or None, now, now),
                )
                child_id = cursor.lastrowid
        except sqlite3.IntegrityError:
            raise StorageError(f"a child with ID {external_id!r} is already in the records") from None
        log.info("child %d added", child_id)
        return self.get_child(child_id)

    def get_child(self, child_id: int) -> Child:
        rows = self._read("SELECT * FROM children WHERE id = ?", (child_id,))
        if not rows:
            raise StorageError(f"no child with record number {child_id}")
        return self._child(rows[0])

    def find_child(self, external_id: str) -> Child | None:
        """The child with this school or clinic ID, or None."""
        rows = self._read("SELECT * FROM children WHERE external_id = ?", ((external_id or "").strip(),))
        return self._child(rows[0]) if rows else None

    def ensure_child(self, external_id: str, name: str | None = None, date_of_birth: date | str | None = None,
                     sex: str | None = None) -> Child:  # fmt: skip
        """The child with ``external_id``; added when new. Details given fill in blanks of a
        known child but never overwrite what is recorded (use update_child for that)."""
        child = self.find_child(external_id)
        if child is None:
            return self.add_child(external_id, name, date_of_birth, sex)
        blanks = {}
        if name and not child.name:
            blanks["name"] = name
        if date_of_birth and not child.date_of_birth:
            blanks["date_of_birth"] = date_of_birth
        if sex and not child.sex:
            blanks["sex"] = sex
        return self.update_child(child.id, **blanks) if blanks else child

    def update_child(self, child_id: int, *, external_id=_UNSET, name=_UNSET, date_of_birth=_UNSET, sex=_UNSET,
                     notes=_UNSET) -> Child:  # fmt: skip
        """Change the given details of a child (None clears a detail)."""
        changes: dict[str, object] = {}
        if external_id is not _UNSET:
            external_id = (external_id or "").strip()
            if not external_id:
                raise StorageError("a child needs an ID (the school's or clinic's number)")
            changes["external_id"] = external_id
        if name is not _UNSET:
            changes["name"] = name or None
        if date_of_birth is not _UNSET:
            changes["date_of_birth"] = _iso(_as_date(date_of_birth, "date of birth"))
        if sex is not _UNSET:
            changes["sex"] = _check_sex(sex)
        if notes is not _UNSET:
            changes["notes"] = notes or None
        if changes:
            assignments = ", ".join(f"{key} = ?" for key in changes)
            try:
                with self._write() as conn:
                    cursor = conn.execute(f"UPDATE children SET {assignments}, updated_at = ? WHERE id = ?",
                                          (*changes.values(), _iso(_now()), child_id))  # fmt: skip
                    if cursor.rowcount == 0:
                        raise StorageError(f"no child with record number {child_id}")
            except sqlite3.IntegrityError:
                raise StorageError(f"another child already has the ID {changes.get('external_id')!r}") from None
        return self.get_child(child_id)

    def children(self, search: str | None = None) -> list[Child]:
        """Children ordered by ID; ``search`` matches part of the ID or the name (any case)."""
        if search:
            pattern = "%" + search.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            rows = self._read(
                "SELECT * FROM children WHERE external_id LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\' "
                "ORDER BY external_id", (pattern, pattern))  # fmt: skip
        else:
            rows = self._read("SELECT * FROM children ORDER BY external_id")
        return [self._child(r) for r in rows]

    def delete_child(self, child_id: int) -> DeleteSummary:
        """Delete a child with every record of theirs (screenings, class-session places) and
        every file GenuScreen derived from them (reports, overlay videos, heatmap files). The
        original recordings are the user's and are never touched. The caller asks for
        confirmation first; this does it.

        The rows go in one transaction first; then the files. A file that cannot be removed
        is listed in ``files_failed`` (the record is gone either way)."""
        self.get_child(child_id)
        with self._write() as conn:
            rows = conn.execute("SELECT report_path, overlay_path, heatmaps_path, video_path FROM screenings "
                                "WHERE child_id = ?", (child_id,)).fetchall()  # fmt: skip
            conn.execute("DELETE FROM children WHERE id = ?", (child_id,))  # cascades to screenings and members
        summary = DeleteSummary(children=1, screenings=len(rows))
        self._remove_derived_files(rows, summary)
        log.info("child %d deleted: %d screenings, %d files removed, %d not removable", child_id,
                 summary.screenings, len(summary.files_removed), len(summary.files_failed))  # fmt: skip
        return summary

    def _remove_derived_files(self, rows: list[sqlite3.Row], summary: DeleteSummary) -> None:
        for row in rows:
            video = self.resolve(row["video_path"])
            for key in ("report_path", "overlay_path", "heatmaps_path"):
                path = self.resolve(row[key])
                if path is None or (video is not None and path == video):
                    continue
                try:
                    path.unlink()
                    summary.files_removed.append(path)
                except FileNotFoundError:
                    pass
                except OSError as error:
                    summary.files_failed.append((path, error.strerror or str(error)))

    # --- class sessions --------------------------------------------------------------------

    @staticmethod
    def _session(row: sqlite3.Row) -> ClassSession:
        return ClassSession(id=row["id"], school=row["school"], class_name=row["class_name"],
                            date=date.fromisoformat(row["date"]), operator=row["operator"],
                            created_at=datetime.fromisoformat(row["created_at"]))  # fmt: skip

    def create_session(self, school: str | None = None, class_name: str | None = None, day: date | str | None = None,
                       operator: str | None = None) -> ClassSession:  # fmt: skip
        """A new, empty class session (``day`` defaults to today)."""
        day = _as_date(day, "session date") or date.today()
        with self._write() as conn:
            session_id = conn.execute(
                "INSERT INTO sessions (school, class_name, date, operator, created_at) VALUES (?, ?, ?, ?, ?)",
                (school or None, class_name or None, day.isoformat(), operator or None, _iso(_now())),
            ).lastrowid
        return self.get_session(session_id)

    def get_session(self, session_id: int) -> ClassSession:
        rows = self._read("SELECT * FROM sessions WHERE id = ?", (session_id,))
        if not rows:
            raise StorageError(f"no class session with number {session_id}")
        return self._session(rows[0])

    def sessions(self) -> list[ClassSession]:
        """All class sessions, newest first."""
        return [self._session(r) for r in self._read("SELECT * FROM sessions ORDER BY date DESC, id DESC")]

    def import_roster(self, roster: Roster, *, school: str | None = None, class_name: str | None = None,
                      day: date | str | None = None, operator: str | None = None) -> ClassSession:  # fmt: skip
        """Create a class session from a checked roster, all in one transaction: children new to
        the records are added; known IDs keep their record and get the roster's name, date of
        birth and sex. Raises StorageError for a roster with errors (nothing is imported)."""
        if roster.errors or not roster.rows:
            raise StorageError(f"the roster has {len(roster.errors)} bad lines; fix them and import it again")
        day = _as_date(day, "session date") or date.today()
        now = _iso(_now())
        with self._write() as conn:
            session_id = conn.execute(
                "INSERT INTO sessions (school, class_name, date, operator, created_at) VALUES (?, ?, ?, ?, ?)",
                (school or None, class_name or None, day.isoformat(), operator or None, now),
            ).lastrowid
            for position, row in enumerate(roster.rows):
                conn.execute(
                    "INSERT INTO children (external_id, name, date_of_birth, sex, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (external_id) DO UPDATE SET name = excluded.name, "
                    "date_of_birth = excluded.date_of_birth, sex = COALESCE(excluded.sex, children.sex), "
                    "updated_at = excluded.updated_at",
                    (row.external_id, row.name, row.date_of_birth.isoformat(), row.sex, now, now),
                )
                child_id = conn.execute("SELECT id FROM children WHERE external_id = ?", (row.external_id,)).fetchone()[0]
                conn.execute("INSERT INTO session_members (session_id, child_id, position, status) VALUES (?, ?, ?, ?)",
                             (session_id, child_id, position, STATUS_PENDING))  # fmt: skip
        log.info("class session %d imported with %d children", session_id, len(roster.rows))
        return self.get_session(session_id)

    def add_member(self, session_id: int, child_id: int) -> None:
        """Put a child on a class session's roster (at the end); nothing happens if already there."""
        with self._write() as conn:
            position = conn.execute("SELECT COALESCE(MAX(position) + 1, 0) FROM session_members WHERE session_id = ?",
                                    (session_id,)).fetchone()[0]  # fmt: skip
            try:
                conn.execute("INSERT OR IGNORE INTO session_members (session_id, child_id, position, status) "
                             "VALUES (?, ?, ?, ?)", (session_id, child_id, position, STATUS_PENDING))  # fmt: skip
            except sqlite3.IntegrityError:
                raise StorageError(f"no class session {session_id} or no child {child_id}") from None

    def set_member_status(self, session_id: int, child_id: int, status: str) -> None:
        """Mark a child in a class session: pending, done, skipped (come back later) or absent."""
        if status not in MEMBER_STATUSES:
            raise StorageError(f"status must be one of {', '.join(MEMBER_STATUSES)}, got {status!r}")
        with self._write() as conn:
            cursor = conn.execute("UPDATE session_members SET status = ? WHERE session_id = ? AND child_id = ?",
                                  (status, session_id, child_id))  # fmt: skip
            if cursor.rowcount == 0:
                raise StorageError(f"child {child_id} is not on the roster of class session {session_id}")

    def members(self, session_id: int) -> list[Member]:
        """The roster of a class session in order, with each child's status and latest screening."""
        self.get_session(session_id)
        rows = self._read(
            "SELECT c.*, m.position, m.status, (SELECT s.id FROM screenings s WHERE s.child_id = c.id AND "
            "s.session_id = m.session_id ORDER BY s.screened_at DESC, s.id DESC LIMIT 1) AS screening_id "
            "FROM session_members m JOIN children c ON c.id = m.child_id WHERE m.session_id = ? ORDER BY m.position",
            (session_id,),
        )
        return [Member(session_id, self._child(r), r["position"], r["status"], r["screening_id"]) for r in rows]

    def next_member(self, session_id: int, after_child_id: int | None = None) -> Member | None:
        """The next child still pending after ``after_child_id`` in roster order (wrapping round),
        then the skipped ones; None when everyone is done or absent."""
        members = self.members(session_id)
        start = next((i + 1 for i, m in enumerate(members) if m.child.id == after_child_id), 0)
        ordered = members[start:] + members[:start]
        for wanted in (STATUS_PENDING, "skipped"):
            for member in ordered:
                if member.status == wanted:
                    return member
        return None

    def class_summary(self, session_id: int) -> ClassSummary:
        """Every child on the roster with their status and latest screening in the session."""
        session = self.get_session(session_id)
        latest = {r.id: r for r in self.screenings(session_id=session_id)}
        rows = []
        for member in self.members(session_id):
            record = latest.get(member.screening_id) if member.screening_id else None
            age = record.age_years if record and record.age_years is not None else member.child.age_on(session.date)
            rows.append(ClassSummaryRow(member.child, member.position, member.status, age, record))
        return ClassSummary(session, rows)

    # --- screenings ------------------------------------------------------------------------

    def record_screening(self, result, child_id: int, *, session_id: int | None = None,
                         video_path: str | os.PathLike | None = None, report_path: str | os.PathLike | None = None,
                         overlay_path: str | os.PathLike | None = None, operator: str | None = None,
                         screened_at: datetime | None = None, hash_video: bool = True) -> ScreeningRecord:  # fmt: skip
        """Store a ScreeningResult for a child: its summary, its full JSON (per-frame curves
        included) and its heatmaps (an .npz in the data folder), so it can be reopened without
        the model. With ``session_id`` the child is marked done in that class session (pending
        again when the recording could not be screened), in the same transaction. The video is hashed (sha256) unless ``hash_video`` is False."""
        return self.record_result_dict(
            result.to_dict(), child_id, heatmaps=getattr(result, "heatmaps", None), session_id=session_id,
            video_path=video_path, report_path=report_path, overlay_path=overlay_path, operator=operator,
            screened_at=screened_at, hash_video=hash_video,
        )  # fmt: skip

    def record_result_dict(self, data: dict, child_id: int, *, heatmaps=None, session_id: int | None = None,
                           video_path: str | os.PathLike | None = None, report_path: str | os.PathLike | None = None,
                           overlay_path: str | os.PathLike | None = None, operator: str | None = None,
                           screened_at: datetime | None = None, hash_video: bool = True) -> ScreeningRecord:  # fmt: skip
        """:meth:`record_screening` for a result already turned into its JSON form (``to_dict()``)."""
        child = self.get_child(child_id)
        screened_at = (screened_at or _now()).replace(microsecond=0)
        if screened_at.tzinfo is None:
            screened_at = screened_at.astimezone()
        video_sha = None
        if video_path is not None and hash_video and Path(video_path).is_file():
            video_sha = file_sha256(video_path)
        heat_file = None
        if heatmaps is not None and len(heatmaps.frame_indices):
            heat_file = save_heatmaps(heatmaps, self.derived_path(paths.HEATMAPS_DIR, child, screened_at, ".npz"))
        model = data.get("model") or {}
        risk_interval = data.get("risk_interval") or (None, None)
        angle_interval = data.get("knee_angle_interval") or (None, None)
        try:
            with self._write() as conn:
                screening_id = conn.execute(
                    """INSERT INTO screenings (child_id, session_id, screened_at, age_years, screenable, category,
                       recommendation, risk, risk_low, risk_high, knee_angle_deg, knee_angle_low, knee_angle_high,
                       result_json, model_id, model_version, device, quality_json, video_path, video_sha256,
                       report_path, overlay_path, heatmaps_path, operator, created_at)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    (child_id, session_id, _iso(screened_at), data.get("age_years"), int(bool(data.get("screenable"))),
                     data.get("category") or "", data.get("recommendation"), data.get("risk"), risk_interval[0],
                     risk_interval[1], data.get("knee_angle_deg"), angle_interval[0], angle_interval[1],
                     json.dumps(data, ensure_ascii=False), str(model.get("id", "")), str(model.get("version", "")),
                     data.get("device"), json.dumps(data.get("quality"), ensure_ascii=False),
                     self._stored_path(Path(video_path).absolute()) if video_path else None, video_sha,
                     self._stored_path(report_path), self._stored_path(overlay_path), self._stored_path(heat_file),
                     operator or None, _iso(_now())),
                ).lastrowid  # fmt: skip
                if session_id is not None:
                    # A recording that could not be screened leaves the child to do again.
                    status = STATUS_DONE if data.get("screenable") else STATUS_PENDING
                    conn.execute("INSERT OR IGNORE INTO session_members (session_id, child_id, position, status) "
                                 "VALUES (?, ?, (SELECT COALESCE(MAX(position) + 1, 0) FROM session_members "
                                 "WHERE session_id = ?), ?)", (session_id, child_id, session_id, status))
                    conn.execute("UPDATE session_members SET status = ? WHERE session_id = ? AND child_id = ?",
                                 (status, session_id, child_id))  # fmt: skip
        except BaseException as error:
            if heat_file is not None:
                heat_file.unlink(missing_ok=True)
            if isinstance(error, sqlite3.IntegrityError):
                raise StorageError(f"cannot record the screening: no class session {session_id}") from None
            raise
        log.info("screening %d recorded for child %d", screening_id, child_id)
        return self.get_screening(screening_id)

    def set_report_path(self, screening_id: int, path: str | os.PathLike | None) -> None:
        """Remember the PDF report written for a screening (deleted with the child)."""
        self._set_path(screening_id, "report_path", path)

    def set_overlay_path(self, screening_id: int, path: str | os.PathLike | None) -> None:
        """Remember the overlay video written for a screening (deleted with the child)."""
        self._set_path(screening_id, "overlay_path", path)

    def _set_path(self, screening_id: int, column: str, path) -> None:
        with self._write() as conn:
            cursor = conn.execute(f"UPDATE screenings SET {column} = ? WHERE id = ?", (self._stored_path(path), screening_id))
            if cursor.rowcount == 0:
                raise StorageError(f"no screening with number {screening_id}")

    @staticmethod
    def _screening(row: sqlite3.Row) -> ScreeningRecord:
        def pair(a, b):
            return None if a is None or b is None else (float(a), float(b))

        return ScreeningRecord(
            id=row["id"], child_id=row["child_id"], child_external_id=row["external_id"], child_name=row["name"],
            session_id=row["session_id"], screened_at=datetime.fromisoformat(row["screened_at"]),
            age_years=row["age_years"], screenable=bool(row["screenable"]), category=row["category"],
            recommendation=row["recommendation"], risk=row["risk"], risk_interval=pair(row["risk_low"], row["risk_high"]),
            knee_angle_deg=row["knee_angle_deg"],
            knee_angle_interval=pair(row["knee_angle_low"], row["knee_angle_high"]), model_id=row["model_id"],
            model_version=row["model_version"], device=row["device"], operator=row["operator"],
            video_path=row["video_path"], video_sha256=row["video_sha256"], report_path=row["report_path"],
            overlay_path=row["overlay_path"], heatmaps_path=row["heatmaps_path"],
        )  # fmt: skip

    _SCREENING_SELECT = (
        "SELECT s.id, s.child_id, s.session_id, s.screened_at, s.age_years, s.screenable, s.category, "
        "s.recommendation, s.risk, s.risk_low, s.risk_high, s.knee_angle_deg, s.knee_angle_low, s.knee_angle_high, "
        "s.model_id, s.model_version, s.device, s.operator, s.video_path, s.video_sha256, s.report_path, "
        "s.overlay_path, s.heatmaps_path, c.external_id, c.name, c.date_of_birth, c.sex, "
        "ss.school, ss.class_name FROM screenings s JOIN children c ON c.id = s.child_id "
        "LEFT JOIN sessions ss ON ss.id = s.session_id"
    )

    def get_screening(self, screening_id: int) -> ScreeningRecord:
        rows = self._read(self._SCREENING_SELECT + " WHERE s.id = ?", (screening_id,))
        if not rows:
            raise StorageError(f"no screening with number {screening_id}")
        return self._screening(rows[0])

    def _filtered(self, child_id, session_id, since, until, category, search) -> list[sqlite3.Row]:
        where, params = [], []
        if child_id is not None:
            where.append("s.child_id = ?")
            params.append(child_id)
        if session_id is not None:
            where.append("s.session_id = ?")
            params.append(session_id)
        since_day, until_day = _as_date(since, "start date"), _as_date(until, "end date")
        # screened_at is ISO local time: its first 10 characters are the local date.
        if since_day is not None:
            where.append("substr(s.screened_at, 1, 10) >= ?")
            params.append(since_day.isoformat())
        if until_day is not None:
            where.append("substr(s.screened_at, 1, 10) <= ?")
            params.append(until_day.isoformat())
        if category:
            categories = [category] if isinstance(category, str) else list(category)
            where.append(f"s.category IN ({', '.join('?' * len(categories))})")
            params.extend(categories)
        if search:
            pattern = "%" + search.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            where.append("(c.external_id LIKE ? ESCAPE '\\' OR c.name LIKE ? ESCAPE '\\')")
            params.extend([pattern, pattern])
        sql = self._SCREENING_SELECT + (" WHERE " + " AND ".join(where) if where else "")
        return self._read(sql + " ORDER BY s.screened_at DESC, s.id DESC", tuple(params))

    def screenings(self, *, child_id: int | None = None, session_id: int | None = None,
                   since: date | str | None = None, until: date | str | None = None,
                   category: str | list[str] | None = None, search: str | None = None) -> list[ScreeningRecord]:  # fmt: skip
        """Stored screenings, newest first, filtered by child, class session, date range
        (inclusive, local dates), category (one or a list) and ``search`` (part of the child's
        ID or name)."""
        return [self._screening(r) for r in self._filtered(child_id, session_id, since, until, category, search)]

    def load_result(self, screening_id: int):
        """The stored ScreeningResult, heatmaps included when their file is there: what a
        review needs, without running the model again."""
        from genuscreen.storage.restore import result_from_dict

        rows = self._read("SELECT result_json, heatmaps_path FROM screenings WHERE id = ?", (screening_id,))
        if not rows:
            raise StorageError(f"no screening with number {screening_id}")
        heat_path = self.resolve(rows[0]["heatmaps_path"])
        heatmaps = load_heatmaps(heat_path) if heat_path is not None and heat_path.is_file() else None
        return result_from_dict(json.loads(rows[0]["result_json"]), heatmaps)

    def video_of(self, screening_id: int, verify: bool = True) -> Path | None:
        """The recording of a screening when it is still where it was and (with ``verify``)
        still the same file by its sha256; None otherwise (the review then shows silhouettes)."""
        record = self.get_screening(screening_id)
        path = self.resolve(record.video_path)
        if path is None or not path.is_file():
            return None
        if verify and record.video_sha256 and file_sha256(path) != record.video_sha256:
            return None
        return path

    def delete_screening(self, screening_id: int) -> DeleteSummary:
        """Delete one screening and the files derived from it (never the recording)."""
        with self._write() as conn:
            rows = conn.execute("SELECT report_path, overlay_path, heatmaps_path, video_path FROM screenings "
                                "WHERE id = ?", (screening_id,)).fetchall()  # fmt: skip
            if not rows:
                raise StorageError(f"no screening with number {screening_id}")
            conn.execute("DELETE FROM screenings WHERE id = ?", (screening_id,))
        summary = DeleteSummary(screenings=1)
        self._remove_derived_files(rows, summary)
        log.info("screening %d deleted", screening_id)
        return summary

    def export_csv(self, path: str | os.PathLike, *, child_id: int | None = None, session_id: int | None = None,
                   since: date | str | None = None, until: date | str | None = None,
                   category: str | list[str] | None = None, search: str | None = None) -> int:  # fmt: skip
        """Write the screenings that match the filters (as :meth:`screenings`) to a CSV file
        (UTF-8 with a byte order mark, so spreadsheets show Chinese names), atomically.
        Returns the number of rows."""
        rows = self._filtered(child_id, session_id, since, until, category, search)
        with atomic_output(path) as tmp:
            with open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(CSV_COLUMNS)
                for r in rows:
                    video = r["video_path"]
                    writer.writerow([spreadsheet_cell(v) for v in (
                        r["id"], r["external_id"], r["name"], r["date_of_birth"], r["sex"], r["age_years"],
                        r["session_id"], r["school"], r["class_name"], r["screened_at"], r["category"],
                        r["recommendation"], r["risk"], r["risk_low"], r["risk_high"], r["knee_angle_deg"],
                        r["knee_angle_low"], r["knee_angle_high"], r["model_id"], r["model_version"], r["device"],
                        r["operator"], Path(video).name if video else None, r["video_sha256"],
                        str(self.resolve(r["report_path"]) or "") or None,
                    )])  # fmt: skip
        return len(rows)
