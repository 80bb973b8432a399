"""A writer killed with SIGKILL at random moments never corrupts the records nor loses a
screening it had reported as committed."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from genuscreen.storage import Database, paths
from tests.storage.results import make_result

KILLS = 20

# Writes screenings (with a small heatmap file each) in a loop and prints each id once committed.
WRITER = """
import json, sys
from types import SimpleNamespace
import numpy as np
from genuscreen.storage import Database

data = json.loads(open(sys.argv[2], encoding="utf-8").read())
heat = SimpleNamespace(maps=np.zeros((2, 64, 44), np.uint8), boxes=np.zeros((2, 4), np.float32),
                       frame_indices=np.array([3, 5]), times_s=np.array([0.12, 0.2]),
                       silhouettes=np.ones((2, 64, 44), np.uint8))
db = Database(sys.argv[1])
child = db.ensure_child("K1", "Killed Writer")
session = db.sessions()[0].id if db.sessions() else db.create_session("School", "1A").id
print("ready", flush=True)
while True:
    record = db.record_result_dict(data, child.id, heatmaps=heat, session_id=session, operator="loop")
    print(record.id, flush=True)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
def test_killing_the_writer_never_corrupts_or_loses_committed_rows(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    result_file = tmp_path / "result.json"
    result_file.write_text(json.dumps(make_result("re_screen").to_dict()), encoding="utf-8")
    rng = random.Random(8)
    committed: set[int] = set()
    kills_while_writing = 0
    started = time.monotonic()
    for _ in range(KILLS):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(data_dir), str(result_file)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
        assert writer.stdout.readline().strip() == "ready", writer.stderr.read()
        time.sleep(rng.uniform(0.0, 0.35))
        os.kill(writer.pid, signal.SIGKILL)
        out, err = writer.communicate(timeout=30)
        assert writer.returncode == -signal.SIGKILL, err
        ids = {int(line) for line in out.split()}
        kills_while_writing += bool(ids)
        committed |= ids

        conn = sqlite3.connect(data_dir / paths.DATABASE_NAME)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
            stored = {row[0] for row in conn.execute("SELECT id FROM screenings")}
        finally:
            conn.close()
        assert committed <= stored, f"committed screenings lost: {sorted(committed - stored)}"

    assert kills_while_writing >= KILLS // 2, "most kills land while the writer is writing"
    assert time.monotonic() - started < 60
    with Database(data_dir) as db:
        records = db.screenings()
        assert {r.id for r in records} >= committed
        # Every stored screening is whole: its JSON reads back and its heatmap file is there.
        for record in records[:: max(1, len(records) // 20)]:
            assert db.load_result(record.id).recommendation == "re_screen"
            assert db.resolve(record.heatmaps_path).is_file()
        db.record_screening(make_result(), db.find_child("K1").id)
    folder = data_dir / paths.HEATMAPS_DIR
    leftovers = [p for p in folder.iterdir() if p.name.endswith(".part")]
    assert len(leftovers) <= KILLS, "at most one temporary file per kill (never a half file under a real name)"
    # Once old enough, what the killed writers left is swept when the records are opened.
    long_ago = time.time() - 3600
    for path in folder.iterdir():
        os.utime(path, (long_ago, long_ago))
    with Database(data_dir) as db:
        referenced = {db.resolve(r.heatmaps_path) for r in db.screenings()}
    assert set(folder.iterdir()) == referenced
