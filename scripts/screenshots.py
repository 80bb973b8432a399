"""Screenshots of the desktop application for the README: the main window after screening the
sample clip with the attention overlay (English and Simplified Chinese), the review with the
skeleton of the child the screening followed instead, the capture page with a stand-in camera that
plays the sample clip, the records page with a few screenings, and a class session part-way
through. The other children are synthetic walkers (``genuscreen.synth``) with chosen knee
angles, screened for real.

Run under a virtual display:
    xvfb-run -s "-screen 0 1600x1000x24" .venv/bin/python scripts/screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer
from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parent.parent
WINDOW_SIZE = (1440, 900)
MAX_BYTES = 300_000


def wait_ms(ms: int) -> None:
    """Run the event loop for ``ms``. (Not QTest.qWait: PySide6 keeps the GIL in it, which
    starves the worker threads.)"""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_until(predicate, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        wait_ms(20)


def save_small(image: QImage, path: Path) -> None:
    """Save as PNG, scaled down in steps until it is under MAX_BYTES."""
    path.parent.mkdir(parents=True, exist_ok=True)
    scale = 1.0
    while True:
        scaled = image if scale == 1.0 else image.scaledToWidth(round(image.width() * scale),
                                                                 Qt.TransformationMode.SmoothTransformation)  # fmt: skip
        scaled.save(str(path), "PNG", 0)  # 0: smallest file
        size = path.stat().st_size
        if size <= MAX_BYTES or scale < 0.5:
            print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {scaled.width()}x{scaled.height()}, "
                  f"{size / 1000:.0f} KB")  # fmt: skip
            return
        scale *= 0.9


def interesting_frame(result) -> int:
    """A frame where the child is near and the attention lies on the legs."""
    heat = result.heatmaps
    heights = heat.boxes[:, 3] - heat.boxes[:, 1]
    score = [heights[k] * heat.lower_body_share(k) * float(heat.maps[k].max()) for k in range(len(heat.maps))]
    return int(heat.frame_indices[max(range(len(score)), key=score.__getitem__)])


def skeleton_frame(result) -> int:
    """A frame near the end of the walk, where the child is large and its skeleton clear."""
    walker = result.walker
    if not walker or not walker.get("landmarks"):
        raise RuntimeError("the result has no landmarks of the child (pose front end)")
    return int(walker["frames"][round(0.8 * (len(walker["frames"]) - 1))])


def synthetic_walk(path: Path, tfa_deg: float, height_m: float, seed: int) -> Path:
    """A synthetic child walking toward the camera, with a chosen knee angle (the sample clip's scene)."""
    from genuscreen.synth import render, write_video

    sys.path.insert(0, str(ROOT / "resources" / "sample"))
    from make_sample import SCENE

    walker = replace(SCENE.walkers[0], tfa_deg=tfa_deg, height_m=height_m)
    scene = replace(SCENE, walkers=(walker,), seed=seed)
    write_video(path, (frame.image for frame in render(scene)), scene.fps)
    return path


def screen_child(window, details: dict, clip: Path) -> None:
    """Fill the child panel (unless ``details`` is empty: a class session filled it), open the
    clip, analyse it and wait until it is saved in the records."""
    if details:
        window.child.set_values(details)
    window.open_clip(clip)
    wait_until(lambda: window.loading is None and window.clip_ready(), 60, "the clip")
    window.analyse()
    wait_until(lambda: window.analysis is None and window.saving is None, 300, "the analysis")
    if window.record is None:
        raise RuntimeError(f"{clip.name} was not saved in the records")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    settings = tempfile.mkdtemp(prefix="genuscreen-screenshots-")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, settings)

    from genuscreen.assets import sample_clip
    from genuscreen.gui.app import create_application, settings_store, translations
    from genuscreen.gui.live import ClipCameras
    from genuscreen.gui.main_window import MainWindow
    from genuscreen.gui.settings import Preferences, save_preferences

    app = create_application([sys.argv[0]])
    save_preferences(settings_store(), Preferences(data_folder=str(Path(settings) / "data")))
    window = MainWindow(cameras=ClipCameras(sample_clip(), label="Sample clip"))
    window.resize(*WINDOW_SIZE)
    window.show()
    window.child.child_id.setText("2B-14")
    window.child.name.setText("Li Na")
    window.child.set_age(8)
    window.child.sex.setCurrentIndex(1)
    window.open_clip(sample_clip())
    wait_until(lambda: window.loading is None and window.clip_ready(), 60, "the clip")
    window.analyse()
    wait_until(lambda: window.analysis is None, 300, "the analysis")
    if window.result is None:
        raise RuntimeError("the analysis gave no result")
    window.review.set_opacity(0.65)
    # The main pictures show the attention overlay; the skeleton over it would hide the legs.
    window.review.walker_box.setChecked(False)
    window.review.seek_frame(interesting_frame(window.result))
    wait_ms(300)
    save_small(window.grab().toImage(), args.out / "main_en.png")

    if translations().apply("zh_CN") != "zh_CN":
        raise RuntimeError("the Chinese translation is not built (scripts/build_translations.sh)")
    wait_ms(300)
    save_small(window.grab().toImage(), args.out / "main_zh.png")
    translations().apply("en")

    window.review.overlay_box.setChecked(False)
    window.review.walker_box.setChecked(True)
    window.review.seek_frame(skeleton_frame(window.result))
    wait_ms(300)
    if not window.review.video.walker.skeleton_item.isVisible():
        raise RuntimeError("no skeleton on the review picture")
    save_small(window.grab().toImage(), args.out / "skeleton.png")
    window.review.overlay_box.setChecked(True)

    window.capture_action.trigger()
    capture = window.capture
    wait_until(lambda: capture.preview.frames_shown >= 3, 30, "the camera")
    capture.capture_empty_scene()
    wait_until(lambda: capture.empty_scene is not None, 10, "the empty scene")
    # The child is about half-way (frame 90 of the sample clip, 25 fps).
    wait_until(lambda: capture.preview.frames_shown >= 90 and capture.preview.box is not None, 30, "the walker")
    save_small(window.grab().toImage(), args.out / "capture.png")
    window.review_action.trigger()

    # The records: the sample clip's child (saved above) and three more children.
    clips = Path(settings) / "clips"
    clips.mkdir()
    for external_id, name, sex, age, tfa, seed in (("2B-15", "Wang Fang", "F", 7.5, 20.0, 11),
                                                   ("2B-16", "Tom Baker", "M", 9.0, 13.0, 12),
                                                   ("3A-02", "陈晓明", "M", 8.0, 4.0, 13)):  # fmt: skip
        clip = synthetic_walk(clips / f"walk_{external_id}.mp4", tfa, 1.18 + 0.02 * (seed - 11), seed)
        screen_child(window, {"id": external_id, "name": name, "sex": sex, "age_years": age}, clip)
    window.records_action.trigger()
    window.history.table.selectRow(0)
    wait_ms(300)
    save_small(window.grab().toImage(), args.out / "history.png")

    # A class session part-way: two children screened, one absent, one skipped.
    ages = (8.1, 7.9, 8.4, 8.0, 7.7, 8.2)
    born = [(date.today() - timedelta(days=round(years * 365.25))).isoformat() for years in ages]
    roster = Path(settings) / "class_3B.csv"
    roster.write_text("Student ID,Name,Date of birth,Sex\n" + "".join(
        f"3B-{i + 1:02d},{name},{born[i]},{sex}\n" for i, (name, sex) in enumerate(
            (("Li Wei", "F"), ("Sam Carter", "M"), ("张雨桐", "F"), ("Noah Patel", "M"), ("Emma Li", "F"),
             ("王浩然", "M")))), encoding="utf-8")  # fmt: skip
    page = window.class_session
    window.session_action.trigger()
    dialog = page.open_roster(roster)
    dialog.school.setText("Riverside Primary")
    dialog.class_name.setText("3B")
    dialog.accept()
    screen_child(window, {}, synthetic_walk(clips / "walk_3B-01.mp4", 6.0, 1.24, 21))
    window.session_action.trigger()
    page.next_child()
    page.mark_absent()
    screen_child(window, {}, synthetic_walk(clips / "walk_3B-03.mp4", 17.0, 1.26, 23))
    window.session_action.trigger()
    page.next_child()
    page.skip_child()
    wait_ms(300)
    save_small(window.grab().toImage(), args.out / "session.png")
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
