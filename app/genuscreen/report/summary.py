"""The class summary: a PDF (referral list first, then every child) and a CSV of the same rows."""

from __future__ import annotations

import csv
import os
from datetime import datetime
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from genuscreen import clinical
from genuscreen.files import atomic_output, spreadsheet_cell
from genuscreen.report import strings
from genuscreen.report.fonts import report_fonts
from genuscreen.report.pdf import CATEGORY_COLOURS, LABEL_GREY, MARGIN, Styles, document, page_size

# Order of the rows: who needs something first, then who was seen, then who was not.
_RANK = {clinical.RECOMMEND_REFER: 0, clinical.RECOMMEND_RESCREEN: 1, None: 2, clinical.RECOMMEND_NO_CONCERN: 3}
_STATUS_RANK = {"done": 0, "skipped": 1, "pending": 2, "absent": 3}

CLASS_CSV_COLUMNS = (
    "order", "roster_no", "child_id", "name", "date_of_birth", "sex", "age_years", "status", "screened_at",
    "category", "recommendation", "risk", "risk_low", "risk_high", "knee_angle_deg", "knee_angle_low",
    "knee_angle_high", "screening_id", "session_id", "school", "class", "session_date",
)  # fmt: skip


def ordered_rows(summary) -> list:
    """The rows of a ClassSummary in report order: refer, re-screen, could not be screened,
    no concern, then skipped, not yet screened and absent; roster order within each."""

    def key(row):
        record = row.screening
        if record is not None:
            return (0, _RANK.get(record.recommendation, 2), row.position)
        return (1, _STATUS_RANK.get(row.status, 2), row.position)

    return sorted(summary.rows, key=key)


def counts(summary) -> dict[str, int]:
    screened = [r for r in summary.rows if r.screening is not None]
    return {
        "total": len(summary.rows),
        "screened": len(screened),
        "refer": sum(r.screening.recommendation == clinical.RECOMMEND_REFER for r in screened),
        "rescreen": sum(r.screening.recommendation == clinical.RECOMMEND_RESCREEN for r in screened),
        "no_concern": sum(r.screening.recommendation == clinical.RECOMMEND_NO_CONCERN for r in screened),
        "unscreenable": sum(not r.screening.screenable for r in screened),
        "absent": sum(r.status == "absent" and r.screening is None for r in summary.rows),
        "skipped": sum(r.status == "skipped" and r.screening is None for r in summary.rows),
        "pending": sum(r.status == "pending" and r.screening is None for r in summary.rows),
    }


def _age(age: float | None) -> str:
    return "" if age is None else f"{age:.1f}"


def _table(rows: list, styles: Styles, width: float, w: dict, language: str) -> Table:
    small = ParagraphStyle("cell", parent=styles.body, fontSize=7.5, leading=9.5)
    head = ParagraphStyle("head", parent=small, textColor=LABEL_GREY)
    not_seen = ParagraphStyle("not_seen", parent=small, textColor=LABEL_GREY)
    header = [w["col_no"], w["id"], w["name"], w["age"], w["sex"], w["col_status"], w["category"],
              w["recommendation"], w["col_risk"], w["col_angle"]]  # fmt: skip
    data = [[styles.p(h, head) for h in header]]
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, 0), 0.8, LABEL_GREY),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]  # fmt: skip
    for i, row in enumerate(rows, start=1):
        record = row.screening
        sex = w.get(f"sex_{row.child.sex}", "") if row.child.sex else ""
        status = w.get(f"status_{row.status}", row.status)
        if record is not None:
            category = strings.category_words(record.category, language)
            recommendation = strings.recommendation_words(record.recommendation, language)
            risk = f"{record.risk:.0%}" if record.risk is not None else ""
            angle = f"{record.knee_angle_deg:.1f}°" if record.knee_angle_deg is not None else ""
            colour = CATEGORY_COLOURS.get(record.category)
        else:
            category = recommendation = risk = angle = ""
            colour = None
        cells = [str(row.position + 1), row.child.external_id, row.child.name or "", _age(row.age_years), sex, status,
                 category, recommendation, risk, angle]  # fmt: skip
        data.append([styles.p(c, small if record is not None else not_seen) for c in cells])
        if colour is not None:
            data[-1][6] = styles.p(category, ParagraphStyle("cat", parent=small, textColor=colour))
        if record is not None and record.recommendation == clinical.RECOMMEND_REFER:
            data[-1][7] = styles.p(recommendation, ParagraphStyle("refer", parent=small, fontName=styles.fonts.bold))
        if record is None:
            style.append(("BACKGROUND", (0, i), (-1, i), colors.Color(0.96, 0.96, 0.96)))
        elif i % 2 == 0:
            style.append(("BACKGROUND", (0, i), (-1, i), colors.Color(0.985, 0.985, 0.985)))
    fractions = (0.04, 0.09, 0.18, 0.055, 0.065, 0.11, 0.17, 0.14, 0.065, 0.085)
    table = Table(data, colWidths=[f * width for f in fractions], repeatRows=1)
    table.setStyle(TableStyle(style))
    return table


def write_class_summary(summary, path: str | os.PathLike, *, language: str = "en", page: str = "A4") -> Path:
    """Write the class summary PDF of a ``storage.ClassSummary`` to ``path`` (atomically).

    The referral list comes first; then a table of every child on the roster (ID, name, age,
    sex, status, category, recommendation, risk, knee angle), ordered refer, re-screen, could
    not be screened, no concern, then skipped, not yet screened and absent (marked in grey)."""
    language = strings.normalise_language(language)
    size = page_size(page)
    w = strings.words(language)
    fonts = report_fonts(language)
    styles = Styles(fonts)
    width = size[0] - 2 * MARGIN
    session = summary.session
    rows = ordered_rows(summary)
    referred = [r for r in rows if r.screening is not None and r.screening.recommendation == clinical.RECOMMEND_REFER]

    facts = [(w["school"], session.school), (w["class"], session.class_name),
             (w["date"], session.date.isoformat()), (w["operator"], session.operator)]  # fmt: skip
    colon = "：" if language == "zh" else ": "
    line = " · ".join(f"{label}{colon}{value or w['not_given']}" for label, value in facts)
    story: list[Flowable] = [
        styles.p(w["summary_title"], styles.title),
        styles.p(line, styles.subtitle),
        Spacer(1, 6),
        styles.p(w["summary_counts"].format(**counts(summary))),
        styles.p(w["referral_list"], styles.heading),
    ]
    story.append(_table(referred, styles, width, w, language) if referred else styles.p(w["referral_none"]))
    story.append(styles.p(w["all_children"], styles.heading))
    story.append(_table(rows, styles, width, w, language))
    story.append(Spacer(1, 10))
    models = sorted({f"{r.screening.model_id} {r.screening.model_version}" for r in rows if r.screening is not None})
    if models:  # which model (card id and version) made these results
        story.append(styles.p(w["summary_models"].format(models=", ".join(models)), styles.small))
    story.append(styles.p(w["summary_disclaimer"], styles.small))
    story.append(styles.p(w["generated"].format(when=datetime.now().strftime("%Y-%m-%d %H:%M")), styles.small))
    with atomic_output(path) as tmp:
        document(tmp, size, w["summary_title"], w, fonts).build(story)
    return Path(path)


def write_class_summary_csv(summary, path: str | os.PathLike) -> Path:
    """Write the class summary's rows (in the PDF's order) to a CSV file: UTF-8 with a byte
    order mark so spreadsheets show Chinese names; written atomically."""
    session = summary.session
    with atomic_output(path) as tmp:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(CLASS_CSV_COLUMNS)
            for order, row in enumerate(ordered_rows(summary), start=1):
                r = row.screening
                child = row.child
                risk_lo, risk_hi = r.risk_interval if r is not None and r.risk_interval else (None, None)
                angle_lo, angle_hi = r.knee_angle_interval if r is not None and r.knee_angle_interval else (None, None)
                writer.writerow([spreadsheet_cell(v) for v in (
                    order, row.position + 1, child.external_id, child.name,
                    child.date_of_birth.isoformat() if child.date_of_birth else None, child.sex, row.age_years,
                    row.status, r.screened_at.isoformat() if r else None, r.category if r else None,
                    r.recommendation if r else None, r.risk if r else None, risk_lo, risk_hi,
                    r.knee_angle_deg if r else None, angle_lo, angle_hi, r.id if r else None, session.id,
                    session.school, session.class_name, session.date.isoformat(),
                )])  # fmt: skip
    return Path(path)
