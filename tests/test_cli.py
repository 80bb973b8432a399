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
    assert data["front_end"] == "pose"
    assert data["walker_frames"] > 60 and data["steps"] >= 4  # the pose model looks at 15 frames a second
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


# --- records, reports and class sessions --------------------------------------------------------

ROSTER = "Student ID,Name,DOB,Gender\nC1,Ann Lee,2017-01-10,F\nC2,王小明,2017-02-20,M\nC3,Cai Lun,2017-03-30,M\n"


def run_cli(args: list[str]) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of one command (for fixtures wider than a test)."""
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def screened_class(tmp_path_factory):
    """A class session imported from a roster, one child screened from the sample clip with a
    report and recorded, one marked absent. Screens once for the whole module."""
    base = tmp_path_factory.mktemp("records")
    data = base / "data"
    roster = base / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    imported = run_cli(["session", "import", str(roster), "--school", "Sunrise Primary", "--class", "2B",
                        "--date", "2025-05-01", "--operator", "Nurse Li", "--data-dir", str(data)])  # fmt: skip
    report = base / "reports" / "C2.pdf"
    screened = run_cli(["screen", str(sample_clip()), "--session", "1", "--child-id", "C2", "--operator", "Nurse Li",
                        "--report", str(report), "--data-dir", str(data)])  # fmt: skip
    marked = run_cli(["session", "mark", "1", "C3", "absent", "--data-dir", str(data)])
    return {"base": base, "data": data, "report": report, "imported": imported, "screened": screened, "marked": marked}


def test_session_import_prints_the_new_session(screened_class) -> None:
    code, out, err = screened_class["imported"]
    assert code == EXIT_OK, err
    assert out.startswith("class session 1 created: 3 children, 2025-05-01, Sunrise Primary, 2B")


def test_screen_writes_the_report_and_records_the_screening(screened_class) -> None:
    from datetime import date

    from genuscreen.storage import Database
    from tests.report.conftest import pdf_text

    code, out, err = screened_class["screened"]
    assert code == EXIT_OK, err
    assert f"report written to {screened_class['report']}" in out
    assert "recorded as screening 1 of child C2" in out
    text = " ".join(pdf_text(screened_class["report"]).split())
    for expected in ("C2", "王小明", "2017-02-20", "male", "Nurse Li", "genuscreen-gaitnet-synthetic-1",
                     "Genu valgum unlikely", "No concern", "not a diagnosis"):  # fmt: skip
        assert expected in text, expected
    with Database(screened_class["data"]) as db:
        [record] = db.screenings()
        assert record.child_external_id == "C2" and record.session_id == 1 and record.operator == "Nurse Li"
        assert db.resolve(record.report_path) == screened_class["report"]
        expected_age = (date.today() - date(2017, 2, 20)).days / 365.2425
        assert record.age_years == pytest.approx(expected_age, abs=0.01), "the age comes from the roster's date of birth"
        assert db.load_result(record.id).heatmaps is not None
        assert [m.status for m in db.members(1)] == ["pending", "done", "absent"]


def test_history_lists_filters_and_exports(screened_class, capsys) -> None:
    data = str(screened_class["data"])
    csv_path = screened_class["base"] / "history.csv"
    assert main(["history", "--session", "1", "--csv", str(csv_path), "--data-dir", data]) == EXIT_OK
    out = capsys.readouterr().out
    assert "C2" in out and "王小明" in out and "genu_valgum_unlikely" in out
    assert "1 screenings written to" in out
    lines = csv_path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("screening_id,child_id,name") and len(lines) == 2
    assert main(["history", "--category", "genu_valgum_likely", "--data-dir", data]) == EXIT_OK
    assert "no screenings match" in capsys.readouterr().out
    assert main(["history", "--since", "01/05/2025", "--data-dir", data]) == EXIT_USER_ERROR
    err = capsys.readouterr().err
    assert "--since must be a date written as YYYY-MM-DD" in err and len(err.strip().splitlines()) == 1


def test_session_report_writes_pdf_and_csv(screened_class, capsys) -> None:
    from tests.report.conftest import pdf_text

    assert screened_class["marked"][0] == EXIT_OK
    pdf = screened_class["base"] / "class.pdf"
    table = screened_class["base"] / "class.csv"
    data = str(screened_class["data"])
    assert main(["session", "report", "1", "--pdf", str(pdf), "--csv", str(table), "--data-dir", data]) == EXIT_OK
    text = " ".join(pdf_text(pdf).split())
    assert "Referral list" in text and "No child in this class needs a referral." in text
    assert "王小明" in text and "absent" in text and "not yet screened" in text
    rows = table.read_text(encoding="utf-8-sig").splitlines()
    assert rows[1].split(",")[2:4] == ["C2", "王小明"]
    assert main(["session", "report", "9", "--pdf", str(pdf), "--data-dir", data]) == EXIT_USER_ERROR
    assert "no class session with number 9" in capsys.readouterr().err
    assert main(["session", "list", "--data-dir", data]) == EXIT_OK
    assert "Sunrise Primary / 2B  1/3 screened" in capsys.readouterr().out


def test_bad_roster_lines_are_named_and_nothing_is_imported(tmp_path: Path, capsys) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("ID,Name,DOB,Sex\nA1,Ann,2017-01-10,F\n,Ben,2017-01-10,M\nA3,Cai,2017-13-01,M\nA1,Dee,2017-01-10,F\n",
                      encoding="utf-8")  # fmt: skip
    code = main(["session", "import", str(roster), "--date", "2025-05-01", "--data-dir", str(tmp_path / "data")])
    assert code == EXIT_NOT_SCREENABLE
    err = capsys.readouterr().err
    assert "3 bad lines" in err and "nothing was imported" in err
    assert "line 3: the ID is empty" in err and "line 4: date of birth '2017-13-01'" in err
    assert "line 5: ID 'A1' is already used on line 2" in err
    from genuscreen.storage import Database

    with Database(tmp_path / "data") as db:
        assert db.sessions() == [] and db.children() == []
    assert main(["session", "import", str(tmp_path / "none.csv"), "--data-dir", str(tmp_path / "data")]) == EXIT_USER_ERROR
    assert "not found" in capsys.readouterr().err


def test_record_needs_a_child_id(capsys) -> None:
    assert main(["screen", str(sample_clip()), "--record"]) == 1
    err = capsys.readouterr().err
    assert "--child-id" in err and len(err.strip().splitlines()) == 1


def test_child_delete_removes_records_and_derived_files(tmp_path: Path, capsys) -> None:
    from genuscreen.storage import Database
    from tests.storage.results import make_result

    video = tmp_path / "walk.mp4"
    video.write_bytes(b"recording")
    data = tmp_path / "data"
    with Database(data) as db:
        child = db.add_child("Z9", "Zoe")
        report = tmp_path / "zoe.pdf"
        report.write_bytes(b"%PDF")
        record = db.record_screening(make_result(), child.id, video_path=video, report_path=report)
        heat = db.resolve(record.heatmaps_path)
    assert main(["child", "delete", "Z9", "--data-dir", str(data)]) == EXIT_USER_ERROR  # no terminal to ask on
    assert "--yes" in capsys.readouterr().err and report.exists()
    assert main(["child", "delete", "Z9", "--yes", "--data-dir", str(data)]) == EXIT_OK
    assert "child Z9 deleted: 1 screenings, 2 files" in capsys.readouterr().out
    assert not report.exists() and not heat.exists() and video.exists()
    assert main(["child", "delete", "Z9", "--yes", "--data-dir", str(data)]) == EXIT_USER_ERROR


def test_screen_falls_back_to_the_background_model_when_a_pose_model_file_is_damaged(
        tmp_path: Path, capsys, broken_pose_models: Path) -> None:  # fmt: skip
    target = broken_pose_models / "modules/pose_detection/pose_detection.tflite"
    target.write_bytes(target.read_bytes()[:1000])
    result = tmp_path / "r.json"
    assert main(["screen", str(sample_clip()), "--age", "8", "--json", str(result)]) == 0
    err = capsys.readouterr().err
    warnings = [line for line in err.splitlines() if "pose_detection.tflite" in line]
    assert len(warnings) == 1 and "background model" in warnings[0], err
    data = json.loads(result.read_text())
    assert data["front_end"] == "background" and data["screenable"]
    assert any("pose_detection.tflite" in note for note in data["notes"])


def test_asking_for_the_pose_model_when_it_is_damaged_is_one_line(tmp_path: Path, capsys, broken_pose_models: Path) -> None:
    (broken_pose_models / "modules/pose_landmark/pose_landmark_full.tflite").unlink()
    assert main(["inspect", str(sample_clip()), "--front-end", "pose"]) == EXIT_USER_ERROR
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "pose_landmark_full.tflite" in err and "missing" in err
    assert main(["inspect", str(sample_clip()), "--front-end", "background"]) == EXIT_OK


def test_no_pose_library_log_line_reaches_the_terminal(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "genuscreen", "inspect", str(sample_clip())], capture_output=True,
                          text=True, timeout=300)  # fmt: skip
    assert done.returncode == EXIT_OK, done.stderr
    assert done.stderr == "", done.stderr  # no TensorFlow Lite, glog or absl lines
