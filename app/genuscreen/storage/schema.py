"""The database schema as an ordered list of migrations, and the code that applies them.

``PRAGMA user_version`` holds the number of migrations applied. Opening a database applies
the missing ones in order, each in its own transaction together with the version bump, so a
crash mid-migration leaves the database at the previous version, never in between. Migrations
are append-only: once released, a step is never edited; a change is a new step.
"""

from __future__ import annotations

import sqlite3

# Version 1: children and their screenings.
_V1 = (
    """CREATE TABLE children (
        id INTEGER PRIMARY KEY,
        external_id TEXT NOT NULL UNIQUE,      -- the school's or clinic's ID for the child
        name TEXT,
        date_of_birth TEXT,                    -- ISO date
        sex TEXT CHECK (sex IN ('F', 'M')),
        notes TEXT,
        created_at TEXT NOT NULL               -- ISO date-time with offset
    )""",
    """CREATE TABLE screenings (
        id INTEGER PRIMARY KEY,
        child_id INTEGER NOT NULL REFERENCES children(id) ON DELETE CASCADE,
        screened_at TEXT NOT NULL,
        age_years REAL,
        screenable INTEGER NOT NULL,
        category TEXT NOT NULL,
        recommendation TEXT,
        risk REAL, risk_low REAL, risk_high REAL,
        knee_angle_deg REAL, knee_angle_low REAL, knee_angle_high REAL,
        result_json TEXT NOT NULL,             -- ScreeningResult.to_dict(): per-frame curves included
        model_id TEXT NOT NULL,
        model_version TEXT NOT NULL,
        device TEXT,
        quality_json TEXT,
        video_path TEXT,                       -- the user's recording; never deleted by GenuScreen
        video_sha256 TEXT,
        report_path TEXT,
        overlay_path TEXT,
        operator TEXT,
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX screenings_child ON screenings(child_id)",
)

# Version 2: class sessions (a school class screened child by child) and their members.
_V2 = (
    """CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        school TEXT,
        class_name TEXT,
        date TEXT NOT NULL,                    -- ISO date of the screening day
        operator TEXT,
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE session_members (
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        child_id INTEGER NOT NULL REFERENCES children(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,             -- order of the roster
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'skipped', 'absent')),
        PRIMARY KEY (session_id, child_id)
    )""",
    "ALTER TABLE screenings ADD COLUMN session_id INTEGER REFERENCES sessions(id) ON DELETE SET NULL",
    "CREATE INDEX screenings_session ON screenings(session_id)",
)

# Version 3: the compact heatmaps file of a screening (reopen without the model), edit times.
_V3 = (
    "ALTER TABLE screenings ADD COLUMN heatmaps_path TEXT",
    "ALTER TABLE children ADD COLUMN updated_at TEXT",
    "UPDATE children SET updated_at = created_at",
    "CREATE INDEX screenings_date ON screenings(screened_at)",
)

MIGRATIONS: tuple[tuple[str, ...], ...] = (_V1, _V2, _V3)
SCHEMA_VERSION = len(MIGRATIONS)


class SchemaError(RuntimeError):
    """The database cannot be used by this version of GenuScreen."""


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def refuse_newer(conn: sqlite3.Connection) -> int:
    """The database's schema version; raises SchemaError, before anything is written, for a
    database from a newer GenuScreen."""
    version = schema_version(conn)
    if version > SCHEMA_VERSION:
        raise SchemaError(
            f"The records were written by a newer GenuScreen (schema {version}; this version reads up to "
            f"{SCHEMA_VERSION}). Update GenuScreen to open them."
        )
    return version


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Bring the database to version ``target`` (default: the current one); returns the
    version it had before. Raises SchemaError for a database from a newer GenuScreen."""
    before = refuse_newer(conn)
    for version in range(before + 1, target + 1):
        with conn:
            conn.execute("BEGIN IMMEDIATE")
            # Another process may have migrated while this one waited for the lock.
            if schema_version(conn) >= version:
                continue
            for statement in MIGRATIONS[version - 1]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version}")
    return before
