"""The genuscreen command as a user runs it: output, JSON, contact sheet, exit codes, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import cv2
import pytest

from genuscreen import __version__
from genuscreen.assets import sample_clip
from genuscreen.cli import EXIT_NOT_SCREENABLE, EXIT_OK, EXIT_USER_ERROR, main


def test_inspect_sample_clip_writes_json_and_sheet(tmp_path: Path, capsys) -> None:
    report = tmp_path / "out" / "report.json"
    sheet = tmp_path / "sheet.png"
    code = main(["inspect", str(sample_clip()), "--json", str(report), "--sheet", str(sheet)])
    out = capsys.readouterr().out
    assert code == EXIT_OK, out
    assert "quality: OK" in out
    data = json.loads(report.read_text())
    assert data["ok"] is True and data["problems"] == []
    assert data["frames"] == 138 and data["fps"] == pytest.approx(25.0)
    assert data["walker_frames"] > 100 and data["steps"] >= 4
    assert data["clips"] > 0
    image = cv2.imread(str(sheet))
    assert image is not None and image.shape[1] >= 1000
    assert not list(tmp_path.rglob("*.part")), "no temporary files are left behind"


def test_inspect_unscreenable_clip_explains_why(tmp_path: Path, capsys) -> None:
    from genuscreen.synth import Scene, Walker, render, write_video

    scene = Scene(width=320, height=240, duration_s=3.0, walkers=(Walker(path="across", start_distance_m=4, lateral_offset_m=-2.0),))
    path = tmp_path / "side.mp4"
    write_video(path, (f.image for f in render(scene)), scene.fps)
    report = tmp_path / "r.json"
    assert main(["inspect", str(path), "--json", str(report)]) == EXIT_NOT_SCREENABLE
    out = capsys.readouterr().out
    assert "NOT SCREENABLE" in out and "[side_view]" in out
    problems = json.loads(report.read_text())["problems"]
    assert any(p["code"] == "side_view" and p["value"] > 0.8 for p in problems)


@pytest.mark.parametrize(
    "content, expected",
    [(None, "not found"), (b"", "empty"), (b"\x00\x01garbage" * 500, "could not be opened")],
    ids=["missing", "empty", "garbage"],
)
def test_inspect_bad_input_is_one_clear_line(tmp_path: Path, capsys, content, expected: str) -> None:
    path = tmp_path / "clip.mp4"
    if content is not None:
        path.write_bytes(content)
    assert main(["inspect", str(path)]) == EXIT_USER_ERROR
    err = capsys.readouterr().err
    assert expected in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_unwritable_output_is_reported(tmp_path: Path, capsys) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code = main(["inspect", str(sample_clip()), "--json", str(blocker / "sub" / "r.json")])
    assert code == EXIT_USER_ERROR
    assert "could not write" in capsys.readouterr().err


def test_console_script_runs_as_a_module() -> None:
    done = subprocess.run([sys.executable, "-m", "genuscreen", "--version"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert done.stdout.strip() == f"GenuScreen {__version__}"
