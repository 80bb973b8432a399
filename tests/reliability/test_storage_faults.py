"""The records and reports when the disk or the database misbehaves: a damaged, newer, locked or
read-only database, and a full disk while writing a report or a record. Each gets one clear
line through the command a user runs, and nothing saved before is changed or lost."""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

import pytest

from genuscreen.assets import sample_clip
from genuscreen.cli import main
from genuscreen.storage import Database
from genuscreen.storage import database as database_module

ROSTER = "ID,Name,Date of birth,Sex\n3B-01,Ann Lee,2017-03-02,F\n3B-02,王小明,2016-09-21,M\n"


def run(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return code, captured.err


@pytest.fixture
def roster(tmp_path: Path) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def screened():
    from genuscreen.inference import run_screen

    return run_screen(sample_clip(), age_y=8, device="cpu")


def test_damaged_database_is_reported_and_left_alone(tmp_path: Path, capsys) -> None:
    data = tmp_path / "data"
    data.mkdir()
    damaged = data / "genuscreen.sqlite3"
    content = os.urandom(8192)
    damaged.write_bytes(content)
    code, err = run(capsys, "history", "--data-dir", str(data))
    assert code != 0 and "damaged" in err and "backup" in err
    assert damaged.read_bytes() == content


def test_database_from_a_newer_version_is_refused_unchanged(tmp_path: Path, capsys) -> None:
    data = tmp_path / "data"
    data.mkdir()
    conn = sqlite3.connect(data / "genuscreen.sqlite3")
    conn.execute("CREATE TABLE future (x)")
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    before = (data / "genuscreen.sqlite3").read_bytes()
    code, err = run(capsys, "history", "--data-dir", str(data))
    assert code != 0 and "newer GenuScreen" in err
    assert (data / "genuscreen.sqlite3").read_bytes() == before


def test_locked_database_says_another_instance_is_writing(tmp_path: Path, capsys, roster, monkeypatch) -> None:
    data = tmp_path / "data"
    Database(data).close()
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 200)  # do not wait 10 s in a test
    holder = sqlite3.connect(data / "genuscreen.sqlite3", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another writer in the middle of its transaction
    try:
        code, err = run(capsys, "session", "import", str(roster), "--data-dir", str(data))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code != 0 and "busy" in err and "try again" in err
    with Database(data) as db:
        assert db.sessions() == [] and db.children() == []  # nothing half-imported


def test_read_only_database(tmp_path: Path, capsys, roster, monkeypatch) -> None:
    data = tmp_path / "data"
    Database(data).close()
    real_connect = sqlite3.connect

    def read_only(path, *args, **kwargs):  # what a write-protected file gives (root ignores chmod)
        return real_connect(f"file:{path}?mode=ro", *args, uri=True, **kwargs)

    monkeypatch.setattr(database_module.sqlite3, "connect", read_only)
    code, err = run(capsys, "session", "import", str(roster), "--data-dir", str(data))
    assert code != 0 and "read-only" in err
    monkeypatch.undo()
    with Database(data) as db:
        assert db.sessions() == []


def test_full_disk_while_writing_a_report_keeps_the_old_one(tmp_path: Path, capsys, monkeypatch) -> None:
    report = tmp_path / "report.pdf"
    report.write_bytes(b"%PDF- an earlier report")

    def disk_full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    code, err = run(capsys, "screen", str(sample_clip()), "--age", "8", "--report", str(report))
    assert code == 1 and "disk is full" in err
    assert report.read_bytes() == b"%PDF- an earlier report"
    assert not list(tmp_path.glob(".*.part")), "no partial file is left"


def test_full_disk_while_recording_keeps_earlier_records(tmp_path: Path, capsys, monkeypatch, screened) -> None:
    data = tmp_path / "data"
    with Database(data) as db:
        child = db.ensure_child("3B-01", "Ann Lee", None, "F")
        first = db.record_screening(screened, child.id, video_path=sample_clip())
    heatmaps_before = sorted(p.name for p in (data / "heatmaps").iterdir())
    real_init = Database.__init__

    def full_after_open(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        pages = self._conn.execute("PRAGMA page_count").fetchone()[0]
        self._conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own "database or disk is full"

    monkeypatch.setattr(Database, "__init__", full_after_open)
    code, err = run(capsys, "screen", str(sample_clip()), "--age", "8", "--record", "--child-id", "3B-01",
                    "--data-dir", str(data))  # fmt: skip
    assert code == 1 and "disk is full" in err
    monkeypatch.undo()
    with Database(data) as db:
        assert [s.id for s in db.screenings()] == [first.id]
        assert db.load_result(first.id).risk == pytest.approx(screened.risk, abs=1e-4)
        assert db._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert sorted(p.name for p in (data / "heatmaps").iterdir()) == heatmaps_before
