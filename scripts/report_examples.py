"""Render the example report pages in docs/report/ (make report-examples).

Synthetic children walk toward the camera (the project's renderer; no real child), are screened
by the shipped model and recorded in a class session in a temporary data folder. Then one
child's report (English and Simplified Chinese) and the class summary are written and their
first pages drawn to PNG with pdftoppm. The PDFs are kept beside the PNGs.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

from genuscreen.inference import run_screen
from genuscreen.report import write_class_summary, write_report
from genuscreen.storage import Database, read_roster
from genuscreen.synth import Scene, Walker, render, write_video

OUT = Path(__file__).resolve().parent.parent / "docs" / "report"
DAY = date(2025, 5, 12)
# ID, name, date of birth, sex, knee angle (deg), height (m), shirt colour (BGR); None: not screened.
CLASS = [
    ("3B-01", "Ann Lee", "2016-03-08", "F", 6.0, 1.30, (60, 60, 170)),
    ("3B-02", "王小明", "2016-09-21", "M", 23.0, 1.28, (170, 110, 40)),
    ("3B-03", "Cai Lun", "2016-05-30", "M", None, None, None),
    ("3B-04", "Dee Ho", "2016-11-02", "F", 13.0, 1.26, (40, 140, 60)),
    ("3B-05", "李娜", "2016-07-15", "F", 4.0, 1.31, (130, 60, 120)),
    ("3B-06", "Eve Wu", "2016-12-24", "F", None, None, None),
]
REPORT_CHILD = "3B-02"


def render_child(path: Path, tfa: float, height: float, shirt, sex: str, seed: int) -> None:
    scene = Scene(width=640, height=480, fps=25.0, duration_s=5.5, camera_height_m=0.8, hfov_deg=62.0, seed=seed,
                  walkers=(Walker(height_m=height, start_time_s=0.7, speed_m_s=1.05, cadence_steps_per_min=140,
                                  tfa_deg=tfa, shirt_bgr=shirt, sex="female" if sex == "F" else "male"),))  # fmt: skip
    write_video(path, (frame.image for frame in render(scene)), scene.fps)


def to_png(pdf: Path, png: Path, resolution: int = 80) -> None:
    pdf.chmod(0o644)  # examples for the documentation, not a child's private record
    stem = png.with_suffix("")
    subprocess.run(["pdftoppm", "-r", str(resolution), "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
                   check=True)  # fmt: skip
    print(f"{png} ({png.stat().st_size // 1024} KB)")


def main() -> int:
    if shutil.which("pdftoppm") is None:
        print("pdftoppm (poppler-utils) is needed", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        roster = tmp / "roster.csv"
        roster.write_text("ID,Name,Date of birth,Sex\n" + "".join(f"{c[0]},{c[1]},{c[2]},{c[3]}\n" for c in CLASS),
                          encoding="utf-8")  # fmt: skip
        with Database(tmp / "data") as db:
            session = db.import_roster(read_roster(roster, on=DAY), school="Sunrise Primary School", class_name="3B",
                                       day=DAY, operator="Nurse Li")  # fmt: skip
            members = {m.child.external_id: m.child for m in db.members(session.id)}
            for seed, (child_id, _name, _dob, sex, tfa, height, shirt) in enumerate(CLASS, start=1):
                child = members[child_id]
                if tfa is None:
                    db.set_member_status(session.id, child.id, "absent" if child_id == "3B-03" else "skipped")
                    continue
                video = tmp / f"{child_id}.mp4"
                render_child(video, tfa, height, shirt, sex, seed=100 + seed)
                age = child.age_on(DAY)
                result = run_screen(video, age_y=age, sex=sex, device="cpu")
                when = datetime(2025, 5, 12, 9, 0).astimezone()
                print(f"{child_id}: knee angle {tfa} deg -> {result.category}, {result.recommendation}, "
                      f"estimated {result.knee_angle_deg:.1f}")  # fmt: skip
                db.record_screening(result, child.id, session_id=session.id, video_path=video, operator="Nurse Li",
                                    screened_at=when)  # fmt: skip
                if child_id == REPORT_CHILD:
                    details = child.details(age_y=age)
                    for language, name in (("en", "report"), ("zh", "report_zh")):
                        pdf = write_report(result, OUT / f"{name}.pdf", child=details, operator="Nurse Li" if language == "en" else "李护士",
                                           screened_at=when, video=video, language=language)  # fmt: skip
                        to_png(pdf, OUT / f"{name}_page1.png")
            summary = db.class_summary(session.id)
        pdf = write_class_summary(summary, OUT / "class_summary.pdf")
        to_png(pdf, OUT / "class_summary.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
