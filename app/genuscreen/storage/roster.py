"""Reading a class roster: a CSV file with each child's ID, name, date of birth and sex.

Headers may be spelled in common ways ("ID", "Student ID", "Child ID", "学号"; "Name", "姓名";
"Date of birth", "DOB", "Birth date", "出生日期"; "Sex", "Gender", "性别"), in any order and
case; other columns are ignored. The file is read as UTF-8 (with or without a byte order
mark); if it is not UTF-8 it is read as GB18030 (what Chinese Excel writes) and a note says
so. Commas, semicolons and tabs separate fields.

Every row is checked; :func:`read_roster` returns all good rows and every bad row with its
line number and what is wrong (empty ID, duplicate ID, a date that does not exist or lies in
the future, an age outside 2-18 years, a sex that is not F or M). Importing is all or
nothing: callers refuse a roster with errors. Names are kept exactly as written (they may hold
any character); file names made from them go through ``files.safe_filename``.
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from genuscreen.storage.records import age_years

ROSTER_AGE_RANGE_Y = (2.0, 18.0)  # children a school screening covers; outside is a typing error
MAX_ROSTER_BYTES = 10_000_000

_HEADERS = {
    "external_id": {"id", "child id", "student id", "pupil id", "student number", "student no", "number", "no",
                    "external id", "identifier", "学号", "编号", "学生编号", "id号"},
    "name": {"name", "full name", "child name", "student name", "pupil name", "child", "student", "姓名", "名字",
             "学生姓名"},
    "date_of_birth": {"date of birth", "dob", "birth date", "birthdate", "birthday", "born", "date born",
                      "出生日期", "生日", "出生年月日"},
    "sex": {"sex", "gender", "性别"},
}  # fmt: skip
_REQUIRED = ("external_id", "name", "date_of_birth", "sex")
_COLUMN_WORDS = {"external_id": "ID", "name": "name", "date_of_birth": "date of birth", "sex": "sex"}
_SEX_VALUES = {"f": "F", "female": "F", "girl": "F", "w": "F", "女": "F", "女性": "F",
               "m": "M", "male": "M", "boy": "M", "男": "M", "男性": "M"}  # fmt: skip
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
)


class RosterError(ValueError):
    """The file cannot be read as a roster at all (missing, not text, required columns missing)."""


@dataclass(frozen=True)
class RosterRow:
    line: int  # line number in the file (the header is line 1)
    external_id: str
    name: str
    date_of_birth: date
    sex: str | None  # "F", "M", or None when the cell was empty


@dataclass(frozen=True)
class RosterLineError:
    line: int
    message: str  # the line's problems in English, joined with "; "
    # (code, facts) of each problem, so an interface can word them in its language.
    problems: tuple[tuple[str, dict], ...] = ()

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class Roster:
    path: Path
    encoding: str  # "utf-8" or "gb18030"
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[RosterLineError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. the encoding fallback

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def _header_key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("\ufeff", "").strip().lower()
    text = re.sub(r"[_\-.:/]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _column_map(header: list[str]) -> tuple[dict[str, int], list[str]]:
    """Field -> column index, and the required fields with no column."""
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = _header_key(cell)
        for field_name, spellings in _HEADERS.items():
            if key in spellings and field_name not in found:
                found[field_name] = index
    return found, [f for f in _REQUIRED if f not in found]


def _line_error(line: int, problems: list[tuple[str, dict, str]]) -> RosterLineError:
    return RosterLineError(line, "; ".join(words for _code, _facts, words in problems),
                           tuple((code, facts) for code, facts, _words in problems))  # fmt: skip


def parse_date(text: str) -> date | None:
    """A date written as YYYY-MM-DD (or with / or . between, YYYYMMDD, or 2015年3月8日);
    None when it does not parse or does not exist (2015-02-30)."""
    text = unicodedata.normalize("NFKC", text).strip()
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return date(*(int(g) for g in match.groups()))
            except ValueError:
                return None
    return None


def parse_sex(text: str) -> str | None:
    """'F' or 'M' from the common spellings; '' gives None; anything else raises ValueError."""
    key = unicodedata.normalize("NFKC", text).strip().lower()
    if not key:
        return None
    if key not in _SEX_VALUES:
        raise ValueError(text)
    return _SEX_VALUES[key]


def _decode(raw: bytes) -> tuple[str, str, list[str]]:
    try:
        return raw.decode("utf-8-sig"), "utf-8", []
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError as error:
        raise RosterError(
            "The roster is neither UTF-8 nor GB18030 text. Save it from your spreadsheet as "
            f"'CSV UTF-8' and import it again (first bad byte at position {error.start})."
        ) from None
    return text, "gb18030", ["The file is not UTF-8; it was read as GB18030 (Chinese Windows). Check the names."]


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    first_line = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(first_line, delimiters=",;\t")
    except csv.Error:
        return csv.excel


def read_roster(path: str | os.PathLike, on: date | None = None) -> Roster:
    """Read and check a roster CSV. ``on`` is the screening day the ages are checked on
    (default today). Raises RosterError when the file cannot be used at all; row problems are
    in the returned roster's ``errors``."""
    path = Path(path)
    on = on or date.today()
    try:
        if path.stat().st_size > MAX_ROSTER_BYTES:
            raise RosterError(f"{path.name} is too large for a class roster ({path.stat().st_size:,} bytes).")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise RosterError(f"Roster file not found: {path}. Check the path and try again.") from None
    except IsADirectoryError:
        raise RosterError(f"{path} is a folder; choose the roster's CSV file.") from None
    except OSError as error:
        raise RosterError(f"Cannot read {path}: {error.strerror or error}.") from None
    if b"\x00" in raw[:4096]:
        raise RosterError(f"{path.name} is not a CSV text file (it may be an Excel .xlsx file: save it as CSV).")
    text, encoding, notes = _decode(raw)
    roster = Roster(path=path, encoding=encoding, notes=notes)
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text))
    header = next(reader, None)
    while header is not None and not any(cell.strip() for cell in header):
        header = next(reader, None)
    if header is None:
        raise RosterError(f"{path.name} is empty; a roster needs a header line (ID, name, date of birth, sex).")
    header_line = reader.line_num
    columns, missing = _column_map(header)
    if missing:
        words = ", ".join(_COLUMN_WORDS[m] for m in missing)
        raise RosterError(
            f"line {header_line}: the header has no column for {words}. The header needs ID, name, "
            f"date of birth and sex (found: {', '.join(h.strip() for h in header) or 'nothing'})."
        )
    first_line_of: dict[str, int] = {}
    lo_age, hi_age = ROSTER_AGE_RANGE_Y
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            roster.errors.append(RosterLineError(reader.line_num, f"cannot be read as CSV ({error})"))
            break
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        problems: list[tuple[str, dict, str]] = []  # code, facts, English words
        if len(cells) <= max(columns.values()):
            problems.append(("field_count", {"fields": len(cells), "header": len(header)},
                             f"has {len(cells)} fields, the header has {len(header)}"))  # fmt: skip
            roster.errors.append(_line_error(line, problems))
            continue
        external_id = cells[columns["external_id"]].strip()
        name = cells[columns["name"]].strip()
        birth_text = cells[columns["date_of_birth"]].strip()
        sex_text = cells[columns["sex"]].strip()
        if not external_id:
            problems.append(("id_empty", {}, "the ID is empty"))
        elif external_id in first_line_of:
            first = first_line_of[external_id]
            problems.append(("id_repeated", {"id": external_id, "first_line": first},
                             f"ID {external_id!r} is already used on line {first}"))  # fmt: skip
        if not name:
            problems.append(("name_empty", {}, "the name is empty"))
        birth = parse_date(birth_text) if birth_text else None
        if not birth_text:
            problems.append(("birth_empty", {}, "the date of birth is empty"))
        elif birth is None:
            problems.append(("birth_not_a_date", {"text": birth_text},
                             f"date of birth {birth_text!r} is not a real date (write it as YYYY-MM-DD)"))  # fmt: skip
        elif birth > on:
            problems.append(("birth_in_future", {"date": birth.isoformat()},
                             f"date of birth {birth.isoformat()} is in the future"))  # fmt: skip
        else:
            age = age_years(birth, on)
            if not lo_age <= age <= hi_age:
                facts = {"age": f"{age:.1f}", "date": birth.isoformat(), "low": f"{lo_age:.0f}", "high": f"{hi_age:.0f}"}
                problems.append(("age_out_of_range", facts,
                                 f"age {age:.1f} years (born {birth.isoformat()}) is outside {lo_age:.0f}-{hi_age:.0f} years"))  # fmt: skip
        sex = None
        try:
            sex = parse_sex(sex_text)
        except ValueError:
            problems.append(("sex_unknown", {"text": sex_text},
                             f"sex {sex_text!r} is not F or M (also accepted: female/male, girl/boy, 女/男)"))  # fmt: skip
        if external_id and external_id not in first_line_of:
            first_line_of[external_id] = line
        if problems:
            roster.errors.append(_line_error(line, problems))
        else:
            roster.rows.append(RosterRow(line, external_id, name, birth, sex))
    if not roster.rows and not roster.errors:
        roster.errors.append(_line_error(header_line, [("no_children", {}, "the roster has a header but no children")]))
    return roster
