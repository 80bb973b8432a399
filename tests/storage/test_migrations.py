"""Every earlier schema version opens with the current code, its data kept; a failing migration
leaves the database at the version it had."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from genuscreen.storage import SCHEMA_VERSION, Database, paths, schema
from tests.storage.results import make_result

NOW = "2025-05-01T09:30:00+08:00"


def build_old_database(data: Path, version: int) -> None:
    """A database at ``version`` with rows written the way that version wrote them."""
    data.mkdir(parents=True)
    conn = sqlite3.connect(data / paths.DATABASE_NAME)
    conn.execute("PRAGMA foreign_keys = ON")
    schema.migrate(conn, target=version)
    assert schema.schema_version(conn) == version
    if version >= 1:
        result = make_result("refer").to_dict()
        with conn:
            conn.execute("INSERT INTO children (id, external_id, name, date_of_birth, sex, notes, created_at) "
                         "VALUES (1, 'A1', '王小明', '2016-04-12', 'M', 'note', ?)", (NOW,))  # fmt: skip
            conn.execute(
                "INSERT INTO screenings (id, child_id, screened_at, age_years, screenable, category, recommendation, "
                "risk, risk_low, risk_high, knee_angle_deg, knee_angle_low, knee_angle_high, result_json, model_id, "
                "model_version, device, quality_json, video_path, video_sha256, report_path, overlay_path, operator, "
                "created_at) VALUES (7, 1, ?, 9.0, 1, 'genu_valgum_likely', 'refer', 0.93, 0.88, 0.97, 21.0, 18.0, "
                "24.0, ?, 'genuscreen-gaitnet-synthetic-1', '0.1.0', 'cpu', ?, '/videos/a1.mp4', ?, "
                "'reports/a1.pdf', NULL, 'Nurse', ?)",
                (NOW, json.dumps(result), json.dumps(result["quality"]), "ab" * 32, NOW),
            )
    if version >= 2:
        with conn:
            conn.execute("INSERT INTO sessions (id, school, class_name, date, operator, created_at) "
                         "VALUES (3, 'Sunrise', '2B', '2025-05-01', 'Nurse', ?)", (NOW,))  # fmt: skip
            conn.execute("INSERT INTO session_members (session_id, child_id, position, status) VALUES (3, 1, 0, 'done')")
            conn.execute("UPDATE screenings SET session_id = 3 WHERE id = 7")
    conn.close()


@pytest.mark.parametrize("version", range(0, SCHEMA_VERSION))
def test_every_earlier_version_migrates_with_its_data(tmp_path: Path, version: int) -> None:
    data = tmp_path / "data"
    build_old_database(data, version)
    with Database(data) as db:
        assert db.schema_version == SCHEMA_VERSION
        if version >= 1:
            child = db.find_child("A1")
            assert (child.id, child.name, child.sex, child.notes) == (1, "王小明", "M", "note")
            assert child.date_of_birth.isoformat() == "2016-04-12"
            [record] = db.screenings()
            assert (record.id, record.category, record.recommendation, record.operator) == (
                7, "genu_valgum_likely", "refer", "Nurse")  # fmt: skip
            assert record.risk_interval == (0.88, 0.97) and record.heatmaps_path is None
            assert record.report_path == "reports/a1.pdf" and record.video_sha256 == "ab" * 32
            reopened = db.load_result(7)
            assert reopened.recommendation == "refer" and reopened.heatmaps is None
            assert db._conn.execute("SELECT updated_at FROM children WHERE id = 1").fetchone()[0] == NOW
        if version >= 2:
            assert db.get_session(3).class_name == "2B"
            assert [(m.child.id, m.status, m.screening_id) for m in db.members(3)] == [(1, "done", 7)]
        # What the newer versions added works on the migrated database.
        child = db.ensure_child("A1")
        session = db.create_session("Sunrise", "3C")
        new = db.record_screening(make_result(), child.id, session_id=session.id)
        assert db.resolve(new.heatmaps_path).is_file()
        assert db._conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert db._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_the_schema_is_the_same_however_it_was_reached(tmp_path: Path) -> None:
    """Migrating step by step from version 1 ends at the same tables as a new database."""

    def tables(data: Path) -> dict:
        conn = sqlite3.connect(data / paths.DATABASE_NAME)
        out = {name: [tuple(c) for c in conn.execute(f"PRAGMA table_info({name})")]
               for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")}  # fmt: skip
        out["indexes"] = sorted(r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' "
                                                           "AND name NOT LIKE 'sqlite_%'"))  # fmt: skip
        conn.close()
        return out

    Database(tmp_path / "new").close()
    build_old_database(tmp_path / "old", 1)
    Database(tmp_path / "old").close()
    assert tables(tmp_path / "old") == tables(tmp_path / "new")


def test_a_failing_migration_changes_nothing(tmp_path: Path, monkeypatch) -> None:
    data = tmp_path / "data"
    build_old_database(data, 1)
    broken = (*schema.MIGRATIONS[:1], ("CREATE TABLE sessions (id INTEGER PRIMARY KEY)", "THIS IS NOT SQL"),
              *schema.MIGRATIONS[2:])  # fmt: skip
    monkeypatch.setattr(schema, "MIGRATIONS", broken)
    with pytest.raises(sqlite3.OperationalError):
        Database(data)
    conn = sqlite3.connect(data / paths.DATABASE_NAME)
    assert schema.schema_version(conn) == 1
    assert conn.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'sessions'").fetchone()[0] == 0
    assert conn.execute("SELECT COUNT(*) FROM screenings").fetchone()[0] == 1
    conn.close()
    monkeypatch.undo()
    with Database(data) as db:
        assert db.schema_version == SCHEMA_VERSION
