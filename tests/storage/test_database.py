"""The records: private data folder, reopening a screening without the model, deleting a child,
CSV export filters, class sessions, transactions and a log without names."""

from __future__ import annotations

import csv
import logging
import os
import sqlite3
import stat
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest

from genuscreen.storage import (
    SCHEMA_VERSION,
    Database,
    Roster,
    RosterLineError,
    SchemaError,
    StorageError,
    default_data_dir,
    read_roster,
)
from genuscreen.storage import paths
from tests.storage.results import make_result

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def db(tmp_path: Path):
    with Database(tmp_path / "data") as database:
        yield database


@posix_only
def test_data_folder_and_files_are_private(tmp_path: Path) -> None:
    data = tmp_path / "new" / "GenuScreen"
    old_umask = os.umask(0o022)  # a usual umask: without care, folders would be 0755 and files 0644
    try:
        with Database(data) as database:
            child = database.add_child("A1", "Ann")
            record = database.record_screening(make_result(), child.id)
            heat = database.resolve(record.heatmaps_path)
            report = database.derived_path(paths.REPORTS_DIR, child)
            assert mode(report.parent) == 0o700
    finally:
        os.umask(old_umask)
    assert mode(data) == 0o700 and mode(data.parent) == 0o700
    assert mode(data / paths.DATABASE_NAME) == 0o600
    assert mode(heat.parent) == 0o700 and mode(heat) == 0o600


def test_connection_settings(db: Database) -> None:
    conn = sqlite3.connect(db.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    assert db._conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db._conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert db.schema_version == SCHEMA_VERSION


def test_default_data_folder_per_platform(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GENUSCREEN_DATA_DIR", str(tmp_path / "chosen"))
    assert default_data_dir() == tmp_path / "chosen"
    monkeypatch.delenv("GENUSCREEN_DATA_DIR")
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: tmp_path / "home"))
    monkeypatch.setattr(sys, "platform", "linux")
    assert default_data_dir() == tmp_path / "home" / ".local" / "share" / "GenuScreen"
    monkeypatch.setattr(sys, "platform", "darwin")
    assert default_data_dir() == tmp_path / "home" / "Library" / "Application Support" / "GenuScreen"
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    assert default_data_dir() == tmp_path / "Roaming" / "GenuScreen"


def test_a_screening_reopens_without_the_model(db: Database, tmp_path: Path) -> None:
    video = tmp_path / "walk.mp4"
    video.write_bytes(b"not really a video, but a file to hash")
    child = db.add_child("A1", "Ann", "2017-05-01", "F")
    result = make_result("re_screen")
    record = db.record_screening(result, child.id, video_path=video, operator="Nurse")
    assert record.category == "uncertain" and record.recommendation == "re_screen"
    assert record.risk_interval == pytest.approx(result.risk_interval)
    assert record.knee_angle_interval == pytest.approx(result.knee_angle_interval)
    assert record.model_id == result.model["id"] and record.model_version == result.model["version"]
    assert len(record.video_sha256) == 64 and record.operator == "Nurse"

    reopened = db.load_result(record.id)
    assert reopened.to_dict() == result.to_dict()  # every number, the per-frame curves, quality, notes
    for name in ("maps", "boxes", "frame_indices", "times_s", "silhouettes"):
        np.testing.assert_array_equal(getattr(reopened.heatmaps, name), getattr(result.heatmaps, name))
    assert db.video_of(record.id) == video
    video.write_bytes(b"another recording now has this name")
    assert db.video_of(record.id) is None, "a changed recording is not taken for the screened one"


def test_delete_child_removes_rows_and_derived_files_but_not_the_video(db: Database, tmp_path: Path) -> None:
    video = tmp_path / "recording.mp4"
    video.write_bytes(b"the user's own recording")
    outside_report = tmp_path / "exports" / "report.pdf"
    outside_report.parent.mkdir()
    outside_report.write_bytes(b"%PDF")
    child = db.add_child("A1", "Ann")
    other = db.add_child("B2", "Ben")
    session = db.create_session("School", "1A", "2025-05-01")
    db.add_member(session.id, child.id)
    db.add_member(session.id, other.id)
    files = []
    for n in range(2):
        report = db.derived_path(paths.REPORTS_DIR, child, suffix=".pdf")
        overlay = db.derived_path(paths.OVERLAYS_DIR, child, suffix=".mp4")
        report.write_bytes(b"%PDF")
        overlay.write_bytes(b"video")
        record = db.record_screening(make_result(), child.id, session_id=session.id, video_path=video,
                                     report_path=report if n == 0 else outside_report, overlay_path=overlay)  # fmt: skip
        files += [db.resolve(record.report_path), overlay, db.resolve(record.heatmaps_path)]
    kept = db.record_screening(make_result(), other.id, session_id=session.id)

    summary = db.delete_child(child.id)

    assert summary.children == 1 and summary.screenings == 2 and not summary.files_failed
    assert sorted(summary.files_removed) == sorted(files)
    assert not any(f.exists() for f in files)
    assert video.read_bytes() == b"the user's own recording"
    assert db.find_child("A1") is None
    assert [r.id for r in db.screenings()] == [kept.id]
    assert [m.child.external_id for m in db.members(session.id)] == ["B2"]
    assert db.resolve(kept.heatmaps_path).is_file(), "another child's files stay"
    counts = {t: db._conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("children", "screenings", "session_members")}
    assert counts == {"children": 1, "screenings": 1, "session_members": 1}


def test_csv_export_filters_by_session_date_and_category(db: Database, tmp_path: Path) -> None:
    ann = db.add_child("A1", "=HYPERLINK(\"http://x\")", "2017-01-01", "F")
    ben = db.add_child("B2", "王小明", "2016-06-01", "M")
    first = db.create_session("School", "1A", "2025-03-01")
    second = db.create_session("School", "1B", "2025-04-01")
    day = datetime(2025, 3, 1, 10, 0, tzinfo=timezone.utc)
    db.record_screening(make_result("no_concern"), ann.id, session_id=first.id, screened_at=day)
    db.record_screening(make_result("refer"), ben.id, session_id=first.id, screened_at=day + timedelta(days=1))
    db.record_screening(make_result("re_screen"), ann.id, session_id=second.id, screened_at=day + timedelta(days=31))
    db.record_screening(make_result("not_screenable"), ben.id, screened_at=day + timedelta(days=40))

    def export(**filters) -> list[dict]:
        out = tmp_path / "export.csv"
        count = db.export_csv(out, **filters)
        raw = out.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), "a byte order mark, so spreadsheets read UTF-8"
        rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
        assert len(rows) == count
        return rows

    assert len(export()) == 4
    assert {r["session_id"] for r in export(session_id=first.id)} == {str(first.id)}
    assert [r["category"] for r in export(category="genu_valgum_likely")] == ["genu_valgum_likely"]
    assert len(export(category=["uncertain", "not_screenable"])) == 2
    assert [r["child_id"] for r in export(since="2025-03-02", until="2025-04-01")] == ["A1", "B2"]
    assert len(export(since=date(2025, 4, 1))) == 2
    assert [r["child_id"] for r in export(search="王")] == ["B2", "B2"]
    rows = export(session_id=first.id, category="genu_valgum_unlikely")
    assert rows[0]["name"].startswith("'="), "a name that looks like a formula is not run by a spreadsheet"
    assert rows[0]["risk"] == "0.05" and rows[0]["model_id"] == "genuscreen-gaitnet-synthetic-1"
    assert [r.child_external_id for r in db.screenings(session_id=first.id, category="genu_valgum_likely")] == ["B2"]
    assert not list(tmp_path.glob(".export.csv.*")), "no temporary files left"


def test_child_ids_are_unique_and_details_are_checked(db: Database) -> None:
    child = db.add_child(" A1 ", "Ann", date(2017, 1, 2), "f")
    assert child.external_id == "A1" and child.sex == "F" and child.date_of_birth == date(2017, 1, 2)
    with pytest.raises(StorageError, match="already"):
        db.add_child("A1", "Someone else")
    with pytest.raises(StorageError, match="needs an ID"):
        db.add_child("  ")
    with pytest.raises(StorageError, match="F or M"):
        db.add_child("A2", sex="X")
    with pytest.raises(StorageError, match="not a date"):
        db.add_child("A3", date_of_birth="2017-02-30")
    updated = db.update_child(child.id, name="Ann Lee", notes="left knee")
    assert updated.name == "Ann Lee" and updated.notes == "left knee" and updated.sex == "F"
    assert db.ensure_child("A1", "Other name").name == "Ann Lee", "known details are not overwritten"
    assert [c.external_id for c in db.children(search="lee")] == ["A1"]
    assert db.children(search="%") == [], "search text is matched literally"


def test_class_session_flow(db: Database, tmp_path: Path) -> None:
    roster_file = tmp_path / "roster.csv"
    roster_file.write_text("ID,Name,Date of birth,Sex\nC1,Ann,2017-01-01,F\nC2,Ben,2017-02-01,M\n"
                           "C3,Cai,2017-03-01,M\nC4,Dee,2017-04-01,F\n", encoding="utf-8")  # fmt: skip
    session = db.import_roster(read_roster(roster_file, on=date(2025, 5, 1)), school="Sunrise", class_name="2B",
                               day="2025-05-01", operator="Nurse")  # fmt: skip
    members = db.members(session.id)
    assert [m.child.external_id for m in members] == ["C1", "C2", "C3", "C4"]
    assert {m.status for m in members} == {"pending"}
    ids = {m.child.external_id: m.child.id for m in members}

    assert db.next_member(session.id).child.external_id == "C1"
    db.record_screening(make_result("refer"), ids["C1"], session_id=session.id)
    db.set_member_status(session.id, ids["C2"], "skipped")
    db.set_member_status(session.id, ids["C3"], "absent")
    assert db.next_member(session.id, after_child_id=ids["C1"]).child.external_id == "C4"
    db.record_screening(make_result("not_screenable"), ids["C4"], session_id=session.id)
    assert db.members(session.id)[3].status == "pending", "a recording that could not be screened is done again"
    db.record_screening(make_result("no_concern"), ids["C4"], session_id=session.id)
    assert db.next_member(session.id, after_child_id=ids["C4"]).child.external_id == "C2", "then the skipped"
    db.set_member_status(session.id, ids["C2"], "done")
    assert db.next_member(session.id) is None

    summary = db.class_summary(session.id)
    by_id = {row.child.external_id: row for row in summary.rows}
    assert by_id["C1"].screening.recommendation == "refer"
    assert by_id["C3"].status == "absent" and by_id["C3"].screening is None
    assert by_id["C4"].screening.recommendation == "no_concern", "the latest screening counts"
    assert by_id["C3"].age_years == pytest.approx(8.17, abs=0.01)
    with pytest.raises(StorageError, match="one of"):
        db.set_member_status(session.id, ids["C1"], "gone")

    # A known ID in a later roster keeps its record and takes the roster's details.
    roster_file.write_text("ID,Name,Date of birth,Sex\nC1,Ann Lee,2017-01-01,F\n", encoding="utf-8")
    db.import_roster(read_roster(roster_file, on=date(2025, 5, 1)))
    assert db.find_child("C1").id == ids["C1"] and db.find_child("C1").name == "Ann Lee"


def test_a_failed_write_leaves_nothing(db: Database) -> None:
    child = db.add_child("A1")
    with pytest.raises(StorageError, match="no class session"):
        db.record_screening(make_result(), child.id, session_id=999)
    assert db.screenings() == []
    assert not list((db.data_dir / paths.HEATMAPS_DIR).glob("*")), "the heatmap file of the failed write is removed"

    bad_roster = Roster(path=Path("r.csv"), encoding="utf-8", errors=[RosterLineError(2, "the ID is empty")])
    with pytest.raises(StorageError):
        db.import_roster(bad_roster)
    assert db.sessions() == []


def test_names_and_ids_never_reach_the_log(db: Database, caplog, tmp_path: Path) -> None:
    caplog.set_level(logging.DEBUG, logger="genuscreen")
    child = db.add_child("SECRET-ID-77", "Zhang Wei 张伟")
    record = db.record_screening(make_result(), child.id)
    db.delete_screening(record.id)
    db.delete_child(child.id)
    assert caplog.records, "the records log what they do"
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "Zhang" not in text and "张伟" not in text and "SECRET" not in text


def test_a_newer_schema_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    data = tmp_path / "data"
    Database(data).close()
    conn = sqlite3.connect(data / paths.DATABASE_NAME)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(SchemaError, match="newer GenuScreen"):
        Database(data)


def test_two_connections_share_the_records(tmp_path: Path) -> None:
    with Database(tmp_path / "d") as first, Database(tmp_path / "d") as second:
        child = first.add_child("A1")
        second.record_screening(make_result(), child.id)
        assert len(first.screenings()) == 1
