"""Faults: bad weights files, an unexpected error inside a command, two instances writing the
same records at once. (CUDA out-of-memory and a missing driver fall back to the CPU with a note:
tests/inference/test_screen.py; a worker that raises and the window recovering:
tests/gui/test_live.py and tests/gui/test_main_window.py; killing a writer:
tests/storage/test_kill_loop.py.)"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from genuscreen.assets import sample_clip, weights_dir
from genuscreen.cli import SCREEN_ERROR, main
from genuscreen.model.weights import DEFAULT_WEIGHTS
from genuscreen.storage import paths
from tests.storage.results import make_result


def run(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return code, captured.err


def shipped_copy(folder: Path) -> Path:
    weights = folder / DEFAULT_WEIGHTS
    shutil.copy(weights_dir() / DEFAULT_WEIGHTS, weights)
    shutil.copy((weights_dir() / DEFAULT_WEIGHTS).with_suffix(".json"), weights.with_suffix(".json"))
    return weights


def _missing(weights: Path) -> None:
    weights.unlink()


def _truncated(weights: Path) -> None:
    weights.write_bytes(weights.read_bytes()[: weights.stat().st_size // 3])


def _tampered(weights: Path) -> None:
    data = bytearray(weights.read_bytes())
    data[len(data) // 2] ^= 0xFF
    weights.write_bytes(bytes(data))


def _wrong_architecture(weights: Path) -> None:
    card_path = weights.with_suffix(".json")
    card = json.loads(card_path.read_text())
    card["settings"] = {**card.get("settings", {}), "width": 32}  # the weights are width 16
    card_path.write_text(json.dumps(card))


@pytest.mark.parametrize("spoil", [_missing, _truncated, _tampered, _wrong_architecture],
                         ids=["missing", "truncated", "tampered", "wrong-architecture"])  # fmt: skip
def test_bad_weights_file_is_named_and_nothing_runs(tmp_path: Path, capsys, spoil) -> None:
    weights = shipped_copy(tmp_path)
    spoil(weights)
    out = tmp_path / "result.json"
    code, err = run(capsys, "screen", str(sample_clip()), "--weights", str(weights), "--json", str(out))
    assert code == SCREEN_ERROR
    assert DEFAULT_WEIGHTS in err and len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_unexpected_error_is_one_line_without_traceback(capsys, monkeypatch) -> None:
    import genuscreen.inference

    def broken(*args, **kwargs):
        raise RuntimeError("something inside broke")

    monkeypatch.setattr(genuscreen.inference, "run_screen", broken)
    code, err = run(capsys, "screen", str(sample_clip()))
    assert code == SCREEN_ERROR
    assert "unexpected error (RuntimeError: something inside broke)" in err and "GENUSCREEN_DEBUG" in err
    monkeypatch.setenv("GENUSCREEN_DEBUG", "1")
    with pytest.raises(RuntimeError):  # the details, for whoever asks for them
        main(["screen", str(sample_clip())])


WRITER = """
import json, sys
from genuscreen.storage import Database
data = json.loads(open(sys.argv[2], encoding="utf-8").read())
db = Database(sys.argv[1])
child = db.ensure_child(sys.argv[3], "Writer " + sys.argv[3])
for _ in range(int(sys.argv[4])):
    print(db.record_result_dict(data, child.id).id, flush=True)
db.close()
"""


def test_two_instances_writing_at_once_keep_every_row(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    result_file = tmp_path / "result.json"
    result_file.write_text(json.dumps(make_result("refer").to_dict()), encoding="utf-8")
    each = 25
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(data_dir), str(result_file), name, str(each)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for name in ("A1", "B2")]  # fmt: skip
    ids = []
    for writer in writers:
        out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err[-2000:]
        ids += [int(line) for line in out.split()]
    assert len(ids) == len(set(ids)) == 2 * each
    conn = sqlite3.connect(data_dir / paths.DATABASE_NAME)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert sorted(row[0] for row in conn.execute("SELECT id FROM screenings")) == sorted(ids)
        assert conn.execute("SELECT COUNT(*) FROM children").fetchone()[0] == 2
    finally:
        conn.close()


@pytest.mark.skipif(not hasattr(__import__("signal"), "SIGKILL"), reason="needs SIGKILL (POSIX)")
def test_killing_a_screening_mid_way_leaves_consistent_records_and_no_half_files(tmp_path: Path) -> None:
    """`genuscreen screen --record --report` killed at random moments (analysing, writing the
    report, recording): the records stay whole, a report is either complete or absent, and the
    temporary files a kill leaves are swept when the records are next opened."""
    import os
    import random
    import signal
    import time

    from genuscreen.storage import Database

    data = tmp_path / "data"
    reports = data / paths.REPORTS_DIR
    rng = random.Random(11)
    recorded = 0
    for attempt in range(5):
        report = reports / f"report_{attempt}.pdf"
        process = subprocess.Popen(
            [sys.executable, "-m", "genuscreen", "screen", str(sample_clip()), "--age", "8", "--record",
             "--child-id", "K1", "--data-dir", str(data), "--report", str(report)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        time.sleep(rng.uniform(1.5, 6.0))
        os.kill(process.pid, signal.SIGKILL)
        out, _ = process.communicate(timeout=60)
        recorded += "recorded as screening" in out
        if report.exists():  # complete, or not there at all
            content = report.read_bytes()
            assert content.startswith(b"%PDF") and content.rstrip().endswith(b"%%EOF")
        conn = sqlite3.connect(data / paths.DATABASE_NAME) if (data / paths.DATABASE_NAME).exists() else None
        if conn is not None:
            try:
                assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                assert conn.execute("SELECT COUNT(*) FROM screenings").fetchone()[0] >= recorded
            finally:
                conn.close()
    # Whatever the kills left half-written is removed at the next start (here: as if 15 min later).
    with Database(data) as db:
        db._sweep_leftovers(older_than_s=0)
        assert len(db.screenings()) >= recorded
    assert not [p for p in data.rglob("*") if p.name.endswith(".part")]
