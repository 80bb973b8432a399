"""The records in the desktop application: saving after an analysis (and never losing an unsaved
result), the records page (search, filters, CSV, reopening a screening without the model, with
and without its recording, deleting a child), Ctrl+E with the PDF report, and class sessions
(roster import with bad lines, child by child, skip, absent, class summary)."""

from __future__ import annotations

import csv
import shutil
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog

import genuscreen.inference
import genuscreen.inference.pipeline
from genuscreen.assets import sample_clip
from genuscreen.gui import jobs, main_window
from genuscreen.gui.app import translations
from genuscreen.gui.frames import FrameStore, SilhouetteFrames
from genuscreen.gui.history import HistoryPage
from genuscreen.gui.main_window import MainWindow
from genuscreen.storage import Database
from tests.report.conftest import pdf_info, pdf_text
from tests.storage.results import make_result

pytestmark = pytest.mark.gui

WAIT_MS = 60_000


@pytest.fixture
def data_dir(isolated_settings) -> Path:
    """The data folder the window's settings point at (conftest: tmp_path/data)."""
    return isolated_settings / "data"


@pytest.fixture
def window(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    yield window
    window.close()


@pytest.fixture
def fast_analysis(monkeypatch, sample_result):
    """Analyse gives the sample clip's shared screening at once (the model ran once for the
    whole test session); the rest of the flow (worker, saving, records) is the real one."""

    def screening_job(*_args, **_kwargs):
        return lambda _should_cancel, _report: sample_result

    monkeypatch.setattr(main_window, "screening_job", screening_job)


@pytest.fixture
def no_model(monkeypatch):
    """Any attempt to run the model fails the test."""

    def refuse(*_args, **_kwargs):
        raise AssertionError("the model ran, but a stored screening must open without it")

    for module, name in ((genuscreen.inference, "screen"), (genuscreen.inference, "run_screen"),
                         (genuscreen.inference.pipeline, "screen"), (jobs, "screen")):  # fmt: skip
        monkeypatch.setattr(module, name, refuse)


def open_and_analyse(qtbot, window: MainWindow, clip: Path | None = None) -> None:
    window.open_clip(clip or sample_clip())
    qtbot.waitUntil(lambda: window.loading is None, timeout=30_000)
    window.analyse()
    qtbot.waitUntil(lambda: window.analysis is None and window.result is not None, timeout=WAIT_MS)


def wait_saved(qtbot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.saving is None and window.record is not None, timeout=WAIT_MS)


def fill_records(data_dir: Path, sample_result, video: Path | None = None) -> dict[str, int]:
    """Three children with different outcomes; returns screening numbers by child ID."""
    with Database(data_dir) as db:
        ids = {}
        children = (("2B-01", "Li Wei", sample_result), ("2B-02", "Wang Fang", make_result("refer")),
                    ("3A-07", "Zhang Min", make_result("re_screen")))
        for external_id, name, result in children:
            child = db.add_child(external_id, name, "2016-03-08", "F")
            record = db.record_screening(result, child.id, video_path=video if result is sample_result else None)
            ids[external_id] = record.id
        return ids


# --- saving -----------------------------------------------------------------------------------


def test_a_result_without_an_id_is_kept_until_saved(qtbot, window, fast_analysis, message_boxes, monkeypatch,
                                                    data_dir) -> None:  # fmt: skip
    open_and_analyse(qtbot, window)
    assert window.unsaved and window.record is None
    assert "Not saved in the records yet" in window.record_status.label.text()
    assert window.record_status.save_button.isVisible() and window.save_action.isEnabled()

    # Opening another clip asks first; answering anything but Save or Discard keeps the result.
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(sample_clip()), "")))
    window.choose_clip()
    assert [m[1] for m in message_boxes] == ["Save this screening?"]
    message_boxes.clear()
    assert window.result is not None and window.unsaved

    # Save to records asks for the ID and saves.
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("5C-03", True)))
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    wait_saved(qtbot, window)
    assert window.child.child_id.text() == "5C-03" and not window.unsaved
    with Database(data_dir) as db:
        [record] = db.screenings()
        assert record.child_external_id == "5C-03" and record.video_path.endswith("sample_walk.mp4")
        assert db.load_result(record.id).risk == pytest.approx(round(window.result.risk, 4))


# --- the records page ------------------------------------------------------------------------


def test_search_and_filters_narrow_the_table_and_the_csv(qtbot, window, sample_result, data_dir, tmp_path) -> None:
    fill_records(data_dir, sample_result)
    window.records_action.trigger()
    history = window.history
    assert not window.side_panel.isVisible()
    assert {row[0] for row in history.visible_rows()} == {"2B-01", "2B-02", "3A-07"}
    categories = {row[0]: row[3] for row in history.visible_rows()}
    assert categories["2B-02"] == "Genu valgum likely" and categories["3A-07"] == "Uncertain"
    refer_row = next(r for r in range(3) if history.table.item(r, 0).text() == "2B-02")
    assert history.table.item(refer_row, 3).foreground().color().red() > 150  # the category in its colour

    history.search.setText("wang")
    qtbot.waitUntil(lambda: len(history.visible_rows()) == 1, timeout=2_000)
    assert history.visible_rows()[0][:2] == ("2B-02", "Wang Fang")
    history.search.setText("2B")
    qtbot.waitUntil(lambda: len(history.visible_rows()) == 2, timeout=2_000)

    history.search.clear()
    history.category_box.setCurrentIndex(history.category_box.findText("Uncertain"))
    qtbot.waitUntil(lambda: len(history.visible_rows()) == 1, timeout=2_000)
    assert history.visible_rows()[0][0] == "3A-07"
    assert history.write_csv(tmp_path / "uncertain") == 1
    with open(tmp_path / "uncertain.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["child_id"] for r in rows] == ["3A-07"] and rows[0]["category"] == "uncertain"

    history.category_box.setCurrentIndex(0)
    history.since.setDate(QDate.currentDate().addDays(1))
    assert history.visible_rows() == []
    history.since.setDate(QDate.currentDate())
    assert len(history.visible_rows()) == 3


def test_a_stored_screening_reopens_without_the_model(qtbot, window, sample_result, data_dir, no_model) -> None:
    ids = fill_records(data_dir, sample_result, video=sample_clip())
    window.records_action.trigger()
    assert window.history.select(ids["2B-01"])
    qtbot.mouseClick(window.history.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.reopening is None and window.loading is None, timeout=WAIT_MS)

    assert window.pages.currentWidget() is window.review
    assert isinstance(window.frames, FrameStore) and window.frames.complete and window.clip_path == sample_clip()
    assert not window.review.video_note.isVisible()
    panel = window.result_panel
    assert panel.category.text() == "Genu valgum unlikely" and panel.recommendation.text() == "No concern"
    times, _scores = window.review.timeline.score_curve.getData()
    assert len(times) == len(sample_result.per_frame)
    assert window.child.child_id.text() == "2B-01" and window.child.name.text() == "Li Wei"
    assert window.record.id == ids["2B-01"] and not window.unsaved
    assert "From the records: child 2B-01" in window.record_status.label.text()
    assert "did not run again" in window.stage_label.text()
    # The stored attention maps lie over the recording's frames.
    window.review.seek_frame(sample_result.per_frame[len(sample_result.per_frame) // 2]["frame"])
    assert window.review.video.heat_item.isVisible()


def test_a_screening_whose_recording_is_gone_shows_its_silhouettes(qtbot, window, sample_result, data_dir, tmp_path,
                                                                   no_model) -> None:  # fmt: skip
    moved = tmp_path / "walk_of_2B-01.mp4"
    shutil.copy(sample_clip(), moved)
    ids = fill_records(data_dir, sample_result, video=moved)
    moved.unlink()
    window.reopen_screening(ids["2B-01"])
    qtbot.waitUntil(lambda: window.reopening is None, timeout=WAIT_MS)

    note = window.review.video_note
    assert note.isVisible() and "is not available" in note.text() and "silhouettes" in note.text()
    assert isinstance(window.frames, SilhouetteFrames) and window.clip_path is None
    assert not window.analyse_button.isEnabled()  # nothing to analyse again
    assert window.result_panel.category.text() == "Genu valgum unlikely"
    assert window.review.timeline.has_curves()
    frame = sample_result.per_frame[len(sample_result.per_frame) // 2]["frame"]
    window.review.seek_frame(frame)
    assert window.review.video.heat_item.isVisible()
    assert window.frames.image_rgb(frame).max() > 150  # the silhouette is drawn
    assert window.export_action.isEnabled()

    # Its PDF report can still be written from the records (the key frames are silhouettes), in
    # the interface's language.
    translations().apply("zh_CN")
    report = tmp_path / "reports" / "2B-01"
    window.history.write_report(ids["2B-01"], report)
    qtbot.waitUntil(lambda: window.history.reporting is None, timeout=WAIT_MS)
    written = report.with_suffix(".pdf")
    text = pdf_text(written)
    assert "2B-01" in text and "膝外翻" in text and "报告已保存" in window.history.status.text()
    with Database(data_dir) as db:
        assert db.resolve(db.get_screening(ids["2B-01"]).report_path) == written


def test_deleting_a_child_after_confirmation_removes_their_rows_and_files(qtbot, window, sample_result, data_dir,
                                                                          tmp_path, monkeypatch) -> None:  # fmt: skip
    video = tmp_path / "walk.mp4"
    shutil.copy(sample_clip(), video)
    ids = fill_records(data_dir, sample_result, video=video)
    report = data_dir / "reports" / "GenuScreen_2B-01.pdf"
    overlay = tmp_path / "exports" / "walk_overlay.mp4"
    for path in (report, overlay):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF-1.4 stand-in")
    with Database(data_dir) as db:
        db.set_report_path(ids["2B-01"], report)
        db.set_overlay_path(ids["2B-01"], overlay)
        heatmaps = db.resolve(db.get_screening(ids["2B-01"]).heatmaps_path)
    assert heatmaps.is_file()

    asked: list[tuple[str, str]] = []
    answer = [False]

    def confirm(_page, title: str, text: str) -> bool:
        asked.append((title, text))
        return answer[0]

    monkeypatch.setattr(HistoryPage, "confirm_delete", confirm)
    window.records_action.trigger()
    history = window.history
    history.select(ids["2B-01"])
    qtbot.mouseClick(history.delete_button, Qt.MouseButton.LeftButton)
    title, text = asked[-1]
    assert title == "Delete child 2B-01"
    assert "Delete child 2B-01 (Li Wei)" in text and "Screening records: 1" in text and "PDF reports: 1" in text
    assert "Overlay videos: 1" in text and "The original recordings are not deleted" in text
    assert len(history.visible_rows()) == 3 and report.exists()  # cancelled: nothing happened

    answer[0] = True
    history.select(ids["2B-01"])
    qtbot.mouseClick(history.delete_button, Qt.MouseButton.LeftButton)
    assert {row[0] for row in history.visible_rows()} == {"2B-02", "3A-07"}
    assert not report.exists() and not overlay.exists() and not heatmaps.exists()
    assert video.exists()  # the recording is the user's
    assert "Child 2B-01 deleted: 1 screenings and 3 files" in history.status.text()
    with Database(data_dir) as db:
        assert db.find_child("2B-01") is None


# --- export --------------------------------------------------------------------------------


def test_ctrl_e_writes_the_pdf_report_and_notes_it_on_the_record(qtbot, window, fast_analysis, data_dir, tmp_path,
                                                                  monkeypatch) -> None:  # fmt: skip
    window.apply_settings(replace(window.preferences, report_page="Letter", operator="Nurse Chen"))
    window.child.child_id.setText("2B-14")
    window.child.name.setText("Li Wei")
    open_and_analyse(qtbot, window)
    wait_saved(qtbot, window)
    folder = tmp_path / "export"
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(folder)))
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.exporting is None, timeout=WAIT_MS)

    [report] = folder.glob("*.pdf")
    assert report.name.startswith("GenuScreen_") and "2B-14" in report.name
    text = pdf_text(report)
    assert "2B-14" in text and "Li Wei" in text and "Nurse Chen" in text
    assert "612 x 792" in pdf_info(report)["Page size"]  # Letter, from the settings
    assert (folder / "sample_walk_result.json").exists() and (folder / "sample_walk_overlay.mp4").exists()
    with Database(data_dir) as db:
        record = db.get_screening(window.record.id)
        assert db.resolve(record.report_path) == report
        assert db.resolve(record.overlay_path) == folder / "sample_walk_overlay.mp4"
        assert record.operator == "Nurse Chen"


# --- class sessions --------------------------------------------------------------------------


def write_roster(path: Path, rows: list[str]) -> Path:
    path.write_text("ID,Name,Date of birth,Sex\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_a_roster_with_a_bad_line_names_it_and_imports_nothing(qtbot, window, tmp_path, data_dir) -> None:
    roster = write_roster(tmp_path / "3B.csv", ["3B-01,Li Wei,2016-03-08,F", "3B-02,Wang Fang,2016-02-30,F",
                                                "3B-03,Zhang Min,2015-11-20,M"])  # fmt: skip
    window.session_action.trigger()
    dialog = window.class_session.open_roster(roster)
    assert dialog.isVisible()
    [line] = dialog.error_lines()
    assert line.startswith("Line 3:") and "2016-02-30" in line
    assert "Nothing was imported" in dialog.heading.text()
    dialog.accept()  # even accepted, a roster with errors imports nothing
    with Database(data_dir) as db:
        assert db.sessions() == [] and db.children() == []
    assert window.class_session.session is None


def test_roster_problems_are_worded_in_chinese(qtbot, window, tmp_path) -> None:
    from genuscreen.gui.app import translations

    roster = write_roster(tmp_path / "3B.csv", ["3B-01,Li Wei,2016-03-08,F", "3B-01,,2016-02-30,X"])
    assert translations().apply("zh_CN") == "zh_CN"
    window.session_action.trigger()
    dialog = window.class_session.open_roster(roster)
    [line] = dialog.error_lines()
    assert "编号 3B-01 已在第 2 行使用" in line and "姓名为空" in line and "2016-02-30 不是有效日期" in line
    assert "性别 X 不是 F 或 M" in line and "is empty" not in line
    dialog.reject()


def test_a_class_session_goes_child_by_child(qtbot, window, fast_analysis, tmp_path, data_dir) -> None:
    born = (date.today() - timedelta(days=int(8.5 * 365))).isoformat()
    roster = write_roster(tmp_path / "3B.csv", [f"3B-01,Li Wei,{born},F", f"3B-02,Wang Fang,{born},F",
                                                f"3B-03,Zhang Min,{born},M"])  # fmt: skip
    page = window.class_session
    window.session_action.trigger()
    dialog = page.open_roster(roster)
    assert dialog.error_lines() == [] and dialog.children.rowCount() == 3
    dialog.class_name.setText("3B")
    dialog.accept()
    assert page.session is not None and page.session.class_name == "3B"
    assert "Class session created with 3 children" in page.status.text()
    # The first child is the current one and fills the child panel.
    assert page.current.child.external_id == "3B-01" and window.child.child_id.text() == "3B-01"
    assert window.child.name.text() == "Li Wei" and window.child.sex_code() == "F"
    assert window.child.age() == pytest.approx(8.5, abs=0.05)
    assert window.session_strip.isVisible() and "Now: 3B-01" in window.session_strip.label.text()

    qtbot.mouseClick(page.absent_button, Qt.MouseButton.LeftButton)
    assert page.status_of("3B-01") == "absent" and page.current.child.external_id == "3B-02"
    qtbot.mouseClick(page.skip_button, Qt.MouseButton.LeftButton)
    assert page.status_of("3B-02") == "skipped" and page.current.child.external_id == "3B-03"
    assert window.child.child_id.text() == "3B-03" and window.child.sex_code() == "M"

    # The third child's walk is opened, analysed and saved to the class session.
    open_and_analyse(qtbot, window)
    wait_saved(qtbot, window)
    assert page.status_of("3B-03") == "done"
    assert window.record.session_id == page.session.id and window.record.child_external_id == "3B-03"
    assert "1 of 3 done" in window.session_strip.label.text()

    # Next child comes back to the skipped one, with nothing of the previous child on screen.
    qtbot.mouseClick(window.session_strip.next_button, Qt.MouseButton.LeftButton)
    assert page.current.child.external_id == "3B-02" and window.child.child_id.text() == "3B-02"
    assert window.result is None and window.clip_path is None

    summary = tmp_path / "summary" / "3B.pdf"
    page.write_summary(summary)
    qtbot.waitUntil(lambda: page.summarising is None, timeout=WAIT_MS)
    text = pdf_text(summary)
    assert all(child in text for child in ("3B-01", "3B-02", "3B-03")) and "absent" in text
    with open(summary.with_suffix(".csv"), encoding="utf-8-sig", newline="") as handle:
        rows = {r["child_id"]: r for r in csv.DictReader(handle)}
    assert rows["3B-03"]["status"] == "done" and rows["3B-03"]["category"] == "genu_valgum_unlikely"
    assert rows["3B-01"]["status"] == "absent" and rows["3B-02"]["status"] == "skipped"
    assert "Class summary written" in page.status.text()


def test_details_typed_when_saving_correct_the_record_and_blanks_keep_it(tmp_path) -> None:
    from genuscreen.gui.jobs import save_screening_job
    from genuscreen.storage import Database
    from tests.storage.results import make_result

    with Database(tmp_path / "data") as db:
        first = {"id": "2B-14", "name": "Li Nna", "date_of_birth": "2017-03-02", "sex": "F", "notes": None}
        save_screening_job(lambda: db, make_result(), first, video=None)(lambda: False, lambda *a: None)
        corrected = {"id": "2B-14", "name": "Li Na", "date_of_birth": None, "sex": None, "notes": "barefoot"}
        save_screening_job(lambda: db, make_result(), corrected, video=None)(lambda: False, lambda *a: None)
        child = db.find_child("2B-14")
        assert child.name == "Li Na" and child.notes == "barefoot"  # the correction is kept
        assert str(child.date_of_birth) == "2017-03-02" and child.sex == "F"  # blanks did not erase
        assert len(db.screenings(child_id=child.id)) == 2
