"""Children's data stays on the machine: no network connection is even attempted during a full
screening, report, record and export; names never reach the logs; nothing from outside is
unpickled."""

from __future__ import annotations

import ast
import logging
import socket
from pathlib import Path

import pytest

from genuscreen.assets import sample_clip

APP = Path(__file__).resolve().parents[2] / "app" / "genuscreen"
NAME = "王小明 Privatename"


@pytest.fixture
def no_network(monkeypatch):
    """Every way to open a connection or resolve a name raises and is recorded."""
    attempts: list[str] = []

    def refuse(what):
        def blocked(*args, **kwargs):
            attempts.append(f"{what}{args[:2]}")
            raise OSError(f"network blocked in this test ({what})")

        return blocked

    monkeypatch.setattr(socket.socket, "connect", refuse("connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("connect_ex"))
    monkeypatch.setattr(socket.socket, "sendto", refuse("sendto"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    return attempts


def test_full_screening_report_record_and_export_make_no_connection(tmp_path: Path, no_network, caplog) -> None:
    from genuscreen.inference import run_screen
    from genuscreen.inference.explain import write_overlay_video
    from genuscreen.report import write_report
    from genuscreen.storage import Database

    caplog.set_level(logging.DEBUG)
    result = run_screen(sample_clip(), age_y=8, device="cpu")
    assert result.screenable
    write_overlay_video(sample_clip(), result, tmp_path / "overlay.mp4")
    child = {"id": "3B-02", "name": NAME, "date_of_birth": None, "age_years": 8.0, "sex": "M"}
    write_report(result, tmp_path / "report.pdf", child=child, video=sample_clip())
    db = Database(data_dir=tmp_path / "data")
    try:
        stored = db.ensure_child("3B-02", NAME, None, "M")
        db.record_screening(result, stored.id, video_path=sample_clip(), report_path=tmp_path / "report.pdf")
        assert db.export_csv(tmp_path / "screenings.csv") == 1
    finally:
        db.close()
    assert no_network == [], f"network use attempted: {no_network}"
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "Privatename" not in logged and "王小明" not in logged


def _calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            yield node, ast.unparse(node.func)


def test_no_unsafe_deserialisation_in_the_code() -> None:
    """torch.load only with weights_only=True, numpy loads without pickles, no pickle module."""
    problems = []
    for path in APP.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) else [])
                if any(n and n.split(".")[0] in ("pickle", "dill", "joblib", "shelve") for n in names):
                    problems.append(f"{path.name}:{node.lineno} imports a pickle module")
        for call, func in _calls(tree):
            keywords = {k.arg: ast.unparse(k.value) for k in call.keywords}
            if func.endswith("torch.load") and keywords.get("weights_only") != "True":
                problems.append(f"{path.name}:{call.lineno} torch.load without weights_only=True")
            if func in ("np.load", "numpy.load") and keywords.get("allow_pickle") == "True":
                problems.append(f"{path.name}:{call.lineno} np.load with allow_pickle=True")
    assert problems == []


def test_no_network_modules_in_the_code() -> None:
    """Nothing in the application imports a networking library."""
    banned = {"socket", "urllib", "http", "requests", "httpx", "ftplib", "smtplib", "aiohttp", "websocket"}
    found = []
    for path in APP.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [f"{path.name}: {a.name}" for a in node.names if a.name.split(".")[0] in banned]
            elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in banned:
                found.append(f"{path.name}: {node.module}")
    assert found == []


def test_the_network_block_notices_an_attempt(no_network) -> None:
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", 9), timeout=0.1)
    with pytest.raises(OSError):
        socket.socket().connect(("127.0.0.1", 9))
    assert len(no_network) == 2
