"""Plain records the database hands out: children, class sessions, their members, screenings
and the rows of a class summary. No database handles inside, so they can cross threads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

STATUS_PENDING = "pending"
STATUS_DONE = "done"
STATUS_SKIPPED = "skipped"
STATUS_ABSENT = "absent"
MEMBER_STATUSES = (STATUS_PENDING, STATUS_DONE, STATUS_SKIPPED, STATUS_ABSENT)


def age_years(date_of_birth: date | None, on: date) -> float | None:
    """Age in years (two decimals) on ``on``; None when the date of birth is not known."""
    if date_of_birth is None:
        return None
    return round((on - date_of_birth).days / 365.2425, 2)


@dataclass(frozen=True)
class Child:
    id: int
    external_id: str  # the school's or clinic's ID
    name: str | None
    date_of_birth: date | None
    sex: str | None  # "F", "M" or None
    notes: str | None
    created_at: datetime

    def age_on(self, on: date) -> float | None:
        return age_years(self.date_of_birth, on)

    def details(self, on: date | None = None, age_y: float | None = None) -> dict:
        """The child's details as the report takes them (the keys of the GUI's child form):
        id, name, date_of_birth (ISO), age_years, sex, notes. ``age_y`` wins over the age
        computed from the date of birth on ``on``."""
        if age_y is None and on is not None:
            age_y = self.age_on(on)
        return {
            "id": self.external_id,
            "name": self.name,
            "date_of_birth": self.date_of_birth.isoformat() if self.date_of_birth else None,
            "age_years": age_y,
            "sex": self.sex,
            "notes": self.notes,
        }


@dataclass(frozen=True)
class ClassSession:
    id: int
    school: str | None
    class_name: str | None
    date: date
    operator: str | None
    created_at: datetime


@dataclass(frozen=True)
class Member:
    """A child on a class session's roster, with where the child stands in it."""

    session_id: int
    child: Child
    position: int
    status: str  # one of MEMBER_STATUSES
    screening_id: int | None  # the latest screening of this child in this session


@dataclass(frozen=True)
class ScreeningRecord:
    """One stored screening: the summary columns (the full result is ``Database.load_result``)."""

    id: int
    child_id: int
    child_external_id: str
    child_name: str | None
    session_id: int | None
    screened_at: datetime
    age_years: float | None
    screenable: bool
    category: str
    recommendation: str | None
    risk: float | None
    risk_interval: tuple[float, float] | None
    knee_angle_deg: float | None
    knee_angle_interval: tuple[float, float] | None
    model_id: str
    model_version: str
    device: str | None
    operator: str | None
    video_path: str | None
    video_sha256: str | None
    report_path: str | None  # as stored: relative to the data folder when inside it
    overlay_path: str | None
    heatmaps_path: str | None


@dataclass(frozen=True)
class ClassSummaryRow:
    child: Child
    position: int
    status: str
    age_years: float | None  # at the screening (or on the session day when not screened)
    screening: ScreeningRecord | None  # the latest screening in the session


@dataclass(frozen=True)
class ClassSummary:
    """A class session and every child on its roster, in roster order."""

    session: ClassSession
    rows: list[ClassSummaryRow] = field(default_factory=list)
