"""The class summary: referral list first, absent and skipped children marked, PDF and CSV."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from genuscreen.report import CLASS_CSV_COLUMNS, write_class_summary, write_class_summary_csv
from genuscreen.storage import Database, read_roster
from tests.report.conftest import pdf_info, pdf_text
from tests.storage.results import make_result

ROSTER = (
    "ID,Name,Date of birth,Sex\n"
    "C1,Ann Lee,2016-01-10,F\n"
    "C2,王小明,2016-02-20,M\n"
    "C3,Cai Lun,2016-03-30,M\n"
    "C4,Dee Ho,2016-04-15,F\n"
    "C5,Eve Wu,2016-05-05,F\n"
    "C6,Fan Bo,2016-06-06,M\n"
)


@pytest.fixture
def summary(tmp_path: Path):
    roster_file = tmp_path / "roster.csv"
    roster_file.write_text(ROSTER, encoding="utf-8")
    with Database(tmp_path / "data") as db:
        session = db.import_roster(read_roster(roster_file, on=date(2025, 5, 1)), school="Sunrise Primary",
                                   class_name="3B", day="2025-05-01", operator="Nurse Li")  # fmt: skip
        ids = {m.child.external_id: m.child.id for m in db.members(session.id)}
        db.record_screening(make_result("no_concern", age_y=9.0), ids["C1"], session_id=session.id)
        db.record_screening(make_result("refer", age_y=9.0), ids["C2"], session_id=session.id)
        db.record_screening(make_result("re_screen", age_y=9.0), ids["C4"], session_id=session.id)
        db.set_member_status(session.id, ids["C3"], "absent")
        db.set_member_status(session.id, ids["C5"], "skipped")
        return db.class_summary(session.id)


def test_pdf_lists_referrals_first_and_marks_who_was_not_seen(summary, tmp_path: Path) -> None:
    out = write_class_summary(summary, tmp_path / "class.pdf")
    text = " ".join(pdf_text(out).split())
    assert "Class screening summary" in text and "Sunrise Primary" in text and "3B" in text and "Nurse Li" in text
    assert ("6 children: 3 screened (1 refer, 1 re-screen, 1 no concern, 0 could not be screened); 1 absent, "
            "1 skipped, 1 not yet screened.") in text  # fmt: skip
    referral = text.index("Referral list")
    everyone = text.index("All children")
    assert referral < text.index("王小明") < everyone, "the referred child is on the referral list"
    table = text[everyone:]
    order = [table.index(child_id) for child_id in ("C2", "C4", "C1", "C5", "C6", "C3")]
    assert order == sorted(order), "refer, re-screen, no concern, then skipped, not yet screened, absent"
    assert "absent" in table and "skipped" in table and "not yet screened" in table
    assert "Genu valgum likely" in table and "Refer" in table
    models = sorted({f"{r.screening.model_id} {r.screening.model_version}" for r in summary.rows if r.screening})
    assert f"Screened with the model {', '.join(models)}." in text  # the card's id and version
    assert pdf_info(out)["Page size"].startswith("595.276 x 841.89")


def test_chinese_summary_on_letter(summary, tmp_path: Path) -> None:
    out = write_class_summary(summary, tmp_path / "class_zh.pdf", language="zh", page="Letter")
    text = " ".join(pdf_text(out).split())
    for words in ("班级筛查汇总", "转诊名单", "全部儿童", "王小明", "缺席", "跳过", "尚未筛查", "转诊", "复查", "无需处理"):
        assert words in text, words
    assert pdf_info(out)["Page size"].startswith("612 x 792")


def test_csv_has_the_same_rows_in_the_same_order(summary, tmp_path: Path) -> None:
    out = write_class_summary_csv(summary, tmp_path / "class.csv")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert tuple(rows[0]) == CLASS_CSV_COLUMNS
    assert [r["child_id"] for r in rows] == ["C2", "C4", "C1", "C5", "C6", "C3"]
    assert [r["status"] for r in rows] == ["done", "done", "done", "skipped", "pending", "absent"]
    assert rows[0]["recommendation"] == "refer" and rows[0]["name"] == "王小明"
    assert rows[3]["category"] == "" and rows[0]["school"] == "Sunrise Primary"


def test_a_class_with_no_referral_says_so(tmp_path: Path) -> None:
    roster_file = tmp_path / "roster.csv"
    roster_file.write_text("ID,Name,DOB,Sex\nC1,Ann,2016-01-10,F\n", encoding="utf-8")
    with Database(tmp_path / "data") as db:
        session = db.import_roster(read_roster(roster_file, on=date(2025, 5, 1)), day="2025-05-01")
        summary = db.class_summary(session.id)
    text = " ".join(pdf_text(write_class_summary(summary, tmp_path / "c.pdf")).split())
    assert "No child in this class needs a referral." in text
