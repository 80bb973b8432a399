"""Roster import: header spellings, encodings, and every bad row named by its line number."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from genuscreen.storage import Database, RosterError, StorageError, read_roster

ON = date(2025, 9, 1)


def write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "roster.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_common_header_spellings_with_a_byte_order_mark(tmp_path: Path) -> None:
    path = write(tmp_path, "\ufeffStudent ID;Full Name;DOB;Gender;Notes\r\nS-01;Ann Lee;2017-03-08;female;x\r\n"
                           "S-02;王小明;2016/11/30;男;\r\n\r\nS-03;Tom;20180105;boy;\r\n")  # fmt: skip
    roster = read_roster(path, on=ON)
    assert roster.ok and roster.encoding == "utf-8" and not roster.notes
    assert [(r.line, r.external_id, r.name, r.date_of_birth, r.sex) for r in roster.rows] == [
        (2, "S-01", "Ann Lee", date(2017, 3, 8), "F"),
        (3, "S-02", "王小明", date(2016, 11, 30), "M"),
        (5, "S-03", "Tom", date(2018, 1, 5), "M"),
    ]


def test_chinese_headers_in_gb18030_are_read_and_said(tmp_path: Path) -> None:
    path = write(tmp_path, "学号,姓名,出生日期,性别\n1001,张伟,2016年5月3日,男\n1002,李娜,2017-01-20,女\n", encoding="gb18030")
    roster = read_roster(path, on=ON)
    assert roster.ok and roster.encoding == "gb18030"
    assert any("GB18030" in note for note in roster.notes)
    assert [r.name for r in roster.rows] == ["张伟", "李娜"]
    assert roster.rows[0].date_of_birth == date(2016, 5, 3)


def test_bad_rows_are_named_by_line(tmp_path: Path) -> None:
    text = (
        "ID,Name,Date of birth,Sex\n"      # 1
        "A1,Ann,2017-03-08,F\n"            # 2 good
        ",Nobody,2017-03-08,F\n"           # 3 empty ID
        "A3,Cai,2017-02-30,M\n"            # 4 impossible date
        "A1,Ann again,2017-03-08,F\n"      # 5 duplicate of line 2
        "A5,Dee,2026-01-01,F\n"            # 6 future
        "A6,Eve,2001-01-01,F\n"            # 7 too old
        "A7,Fay,2024-06-01,F\n"            # 8 too young
        "A8,Gus,2017-01-01,X\n"            # 9 bad sex
        "A9,Hal\n"                         # 10 missing fields
        "A10,,2017-01-01,M\n"              # 11 empty name
        "A11,Ivy,08/03/2017,F\n"           # 12 ambiguous date format
        "A12,Jo/../../etc\x07,2017-05-05,M\n"  # 13 good: odd characters are data
    )  # fmt: skip
    roster = read_roster(write(tmp_path, text), on=ON)
    assert not roster.ok
    errors = {e.line: e.message for e in roster.errors}
    assert sorted(errors) == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    assert "ID is empty" in errors[3]
    assert "2017-02-30" in errors[4] and "not a real date" in errors[4]
    assert "already used on line 2" in errors[5]
    assert "future" in errors[6]
    assert "outside 2-18" in errors[7] and "outside 2-18" in errors[8]
    assert "'X'" in errors[9] and "F or M" in errors[9]
    assert "fields" in errors[10]
    assert "name is empty" in errors[11]
    assert "YYYY-MM-DD" in errors[12]
    assert str(roster.errors[0]).startswith("line 3: ")
    assert [r.line for r in roster.rows] == [2, 13]
    assert roster.rows[1].name == "Jo/../../etc\x07", "names are kept exactly; file names are made safe elsewhere"


def test_a_roster_with_errors_is_not_imported(tmp_path: Path) -> None:
    roster = read_roster(write(tmp_path, "ID,Name,DOB,Sex\nA1,Ann,2017-03-08,F\nA1,Bob,2017-03-08,M\n"), on=ON)
    with Database(tmp_path / "data") as db:
        with pytest.raises(StorageError, match="1 bad lines"):
            db.import_roster(roster)
        assert db.children() == [] and db.sessions() == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Name,DOB,Sex\nAnn,2017-01-01,F\n", "no column for ID"),
        ("ID,Name\nA1,Ann\n", "date of birth, sex"),
        ("", "empty"),
    ],
    ids=["no-id", "no-dob-sex", "empty"],
)
def test_unusable_files_say_why(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(RosterError, match=expected):
        read_roster(write(tmp_path, text), on=ON)


def test_not_a_csv_and_not_found(tmp_path: Path) -> None:
    with pytest.raises(RosterError, match="not found"):
        read_roster(tmp_path / "missing.csv")
    with pytest.raises(RosterError, match="xlsx"):
        read_roster(write(tmp_path, "PK\x03\x04\x00\x00binary", name="r.xlsx"))
    roster = read_roster(write(tmp_path, "ID,Name,DOB,Sex\n"), on=ON)
    assert [str(e) for e in roster.errors] == ["line 1: the roster has a header but no children"]
