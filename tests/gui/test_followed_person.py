"""The person the screening followed, drawn on the review page: the skeleton on analysed frames
and the ones between them, the toggle (remembered), a refused clip's box, a record from before
the track was kept, a screening reopened from the records, and the notes about other people."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from genuscreen.gui.app import settings_store, translations
from genuscreen.gui.frames import SilhouetteFrames
from genuscreen.gui.main_window import MainWindow
from genuscreen.gui.result_panel import ResultPanel
from genuscreen.gui.review import ReviewPage
from genuscreen.gui.settings import load_preferences
from genuscreen.gui.walker_overlay import WalkerTrack
from genuscreen.storage import Database
from genuscreen.video.skeleton import SKELETON_EDGES
from tests.gui.people import followed_person
from tests.storage.results import make_result, small_heatmaps

pytestmark = pytest.mark.gui

ANALYSED = list(range(10, 34, 2))  # the analysed frames of the stand-in results (25 fps)


def review_of(qtbot, result) -> ReviewPage:
    """A review page showing ``result`` over stored silhouettes (no video to read)."""
    page = ReviewPage()
    qtbot.addWidget(page)
    page.resize(800, 600)
    page.show()
    video = result.video
    page.set_store(SilhouetteFrames(small_heatmaps(), video["width"], video["height"], video["fps"], video["frames"]))
    page.frames_loaded()
    page.set_result(result)
    return page


def drawn(page: ReviewPage) -> tuple[bool, bool]:
    """(box shown, skeleton shown) on the frame on screen."""
    walker = page.video.walker
    return walker.box_item.isVisible(), walker.skeleton_item.isVisible()


def test_the_skeleton_is_drawn_on_analysed_frames_and_between_them(qtbot) -> None:
    result = replace(make_result(), walker=followed_person(ANALYSED, hidden=("left_ankle",)))
    page = review_of(qtbot, result)
    page.seek_frame(12)
    assert drawn(page) == (True, True)
    skeleton = page.video.walker.skeleton_item
    assert skeleton.landmarks[0, 0] == pytest.approx(result.walker["landmarks"][1][0][0])
    page.video.grab()  # paints it
    hidden_bones = sum(27 in edge for edge in SKELETON_EDGES)  # the left ankle is below the visibility drawn
    assert skeleton.bones_drawn == len(SKELETON_EDGES) - hidden_bones

    page.seek_frame(13)  # not analysed: frame 12 or 14 is 0.04 s away and is drawn
    assert drawn(page) == (True, True)
    page.seek_frame(60)  # nobody was followed near here
    assert drawn(page) == (False, False)


def test_the_toggle_hides_the_person_and_is_remembered(qtbot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    review = window.review
    assert review.walker_box.isChecked()  # shown by default
    result = replace(make_result(), walker=followed_person(ANALYSED))
    window.frames = SilhouetteFrames.of_result(result)
    review.set_store(window.frames)
    review.frames_loaded()
    window.show_result(result)
    review.seek_frame(14)
    assert drawn(review) == (True, True)
    review.walker_box.setChecked(False)
    assert drawn(review) == (False, False)
    review.seek_frame(16)
    assert drawn(review) == (False, False)
    window.close()
    assert load_preferences(settings_store()).show_walker is False

    again = MainWindow()
    qtbot.addWidget(again)
    assert not again.review.walker_box.isChecked()
    again.review.walker_box.setChecked(True)
    again.apply_settings(replace(again.preferences, colormap="viridis"))  # the dialog's copy keeps the page's choice
    assert again.review.walker_box.isChecked() and load_preferences(settings_store()).show_walker is True
    again.close()


def test_a_refused_clip_still_shows_whom_it_followed(qtbot) -> None:
    # The background front end: a box and no landmarks.
    refused = replace(make_result("not_screenable"), walker=followed_person(ANALYSED, landmarks=False),
                      front_end="background")  # fmt: skip
    page = review_of(qtbot, refused)
    page.seek_frame(20)
    assert drawn(page) == (True, False)
    x0, y0, x1, y1 = refused.walker["boxes"][ANALYSED.index(20)]
    rect = page.video.walker.box_item.rect()
    assert (rect.left(), rect.top(), rect.right(), rect.bottom()) == pytest.approx((x0, y0, x1, y1))
    page.video.grab()


def test_a_record_from_before_the_track_was_kept_shows_no_person(qtbot) -> None:
    old = make_result()
    assert old.walker is None
    page = review_of(qtbot, old)
    page.seek_frame(12)
    assert drawn(page) == (False, False)
    assert page.video.heat_item.isVisible()  # the rest of the review is unchanged
    page.walker_box.setChecked(False)
    page.walker_box.setChecked(True)
    assert drawn(page) == (False, False)
    page.video.grab()


def test_a_damaged_track_is_drawn_as_far_as_it_can_be() -> None:
    person = followed_person(ANALYSED)
    person["landmarks"][3] = person["landmarks"][3][:20]  # a frame with too few points: no skeleton at all
    track = WalkerTrack.of(person)
    assert track is not None and track.landmarks is None and len(track.boxes) == len(ANALYSED)
    assert WalkerTrack.of({"frames": [1, 2], "times_s": [0.04, 0.08], "boxes": [[0, 0, 1, 1]]}) is None
    assert WalkerTrack.of({}) is None and WalkerTrack.of(None) is None
    track = WalkerTrack.of(followed_person(ANALYSED))
    assert track.nearest(11 / 25) in (0, 1)  # between two analysed frames: either
    assert track.nearest(10 / 25 - 0.06) == 0 and track.nearest(10 / 25 - 0.08) is None


def test_a_screening_reopened_from_the_records_shows_whom_it_followed(qtbot, isolated_settings) -> None:
    result = replace(make_result("refer"), walker=followed_person(ANALYSED))
    with Database(isolated_settings / "data") as db:
        child = db.add_child("2B-09", "Chen Jie", "2016-03-08", "F")
        screening = db.record_screening(result, child.id).id
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.reopen_screening(screening)
    qtbot.waitUntil(lambda: window.reopening is None, timeout=30_000)
    assert isinstance(window.frames, SilhouetteFrames)  # no recording: the silhouettes stand in
    window.review.seek_frame(22)
    assert drawn(window.review) == (True, True)
    landmarks = window.review.video.walker.skeleton_item.landmarks
    assert np.allclose(landmarks, np.asarray(result.walker["landmarks"][ANALYSED.index(22)]), atol=0.01)
    window.close()


BYSTANDER = {"code": "bystander_seated", "message": "A person sitting at the side was also in view; only the walking "
                                                    "child was screened.", "value": 1}  # fmt: skip
SHAKE = {"code": "camera_moving", "message": "The camera shook too much to follow the legs (3.2% of the picture "
                                            "width). Hold the camera steadier ...", "value": 0.0321, "cause": "shake"}  # fmt: skip


def with_notes(result, problems=None):
    quality = dict(result.quality, notes=[BYSTANDER])
    if problems is not None:
        quality["problems"] = problems
    return replace(result, quality=quality, notes=[BYSTANDER["message"], "The GPU failed; the model ran on the CPU."])


def test_other_people_in_view_are_noted_under_the_result_once(qtbot) -> None:
    panel = ResultPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.show_result(with_notes(make_result()))
    assert panel.people.isVisible() and BYSTANDER["message"] in panel.people.text()
    assert "Other people in view" in panel.people.text()
    assert panel.notes.text() == "The GPU failed; the model ran on the CPU."  # not said twice

    panel.show_result(with_notes(make_result("not_screenable"), [SHAKE]))
    assert panel.problems.isVisible() and "shook" in panel.problems.text()
    assert panel.people.isVisible() and "sitting at the side" in panel.people.text()


def test_the_notes_and_the_new_problems_are_worded_in_chinese(qtbot) -> None:
    panel = ResultPanel()
    qtbot.addWidget(panel)
    translations().apply("zh_CN")
    panel.show_result(with_notes(make_result("not_screenable"), [SHAKE]))
    assert "坐在一旁" in panel.people.text() and "1" in panel.people.text()
    assert "晃动" in panel.problems.text() and "3.2%" in panel.problems.text()
