"""The video stage on real footage made by others (../shared/videos, see its SOURCES.md).

None of these is a screening recording; the pipeline must still find and follow the walkers,
say precisely why each clip cannot be screened, and never crash. Person boxes were labelled by
hand in tests/fixtures/real_clip_boxes.json.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from genuscreen.video import inspect_video
from genuscreen.video.blobs import box_iou
from genuscreen.video.sheet import write_contact_sheet

pytestmark = pytest.mark.realclips

LABELS = json.loads((Path(__file__).parent.parent / "fixtures" / "real_clip_boxes.json").read_text())["clips"]

_cache: dict[str, object] = {}


@pytest.fixture
def inspected(shared_videos: Path, tmp_path_factory):
    def run(name: str):
        if name not in _cache:
            path = shared_videos / name
            if not path.exists():
                pytest.skip(f"{path} is absent")
            inspection = inspect_video(path)
            write_contact_sheet(inspection.extraction, tmp_path_factory.mktemp("sheets") / f"{name}.png")
            _cache[name] = inspection
        return _cache[name]

    return run


def walker_box_at(inspection, index: int):
    walker = inspection.extraction.walker
    for frame in walker.frames:
        if frame.index == index:
            return frame.box
    return None


@pytest.mark.parametrize(
    "name", ["sagittal_woman_white_wall.mp4", "sagittal_man_outdoor_1080p60.mp4", "sagittal_two_adults_park.mp4"]
)
def test_sagittal_walker_is_followed_and_judged_side_view(inspected, name: str) -> None:
    inspection = inspected(name)
    assert inspection.extraction.walker is not None
    labelled = {int(i): [p["box"] for p in people if p["main"]] for i, people in LABELS[name]["frames"].items()}
    labelled = {i: boxes[0] for i, boxes in labelled.items() if boxes}
    hits = []
    for index, truth in labelled.items():
        box = walker_box_at(inspection, index)
        if box is not None:
            hits.append(box_iou(box, truth))
    assert len(hits) >= 0.6 * len(labelled), f"walker present in {len(hits)} of {len(labelled)} labelled frames"
    assert min(hits) > 0.5, hits
    assert "side_view" in inspection.quality.codes()
    assert not inspection.quality.ok


@pytest.mark.parametrize(
    "name, expected",
    [
        ("frontal_two_adults_corridor.mp4", {"multiple_people", "body_cut_off"}),
        ("oblique_pedestrians.avi", {"multiple_people"}),
    ],
)
def test_crowded_clips(inspected, name: str, expected: set[str]) -> None:
    inspection = inspected(name)
    codes = set(inspection.quality.codes())
    assert codes & expected, codes
    assert not inspection.quality.ok
    # The chosen walker overlaps one of the labelled people wherever both exist. People in
    # these clips never leave the scene, so the estimated background is rough and boxes loose.
    overlaps = []
    for index, people in LABELS[name]["frames"].items():
        box = walker_box_at(inspection, int(index))
        if box is not None:
            overlaps.append(max(box_iou(box, p["box"]) for p in people))
    assert overlaps, "the walker was not present in any labelled frame"
    assert min(overlaps) > 0.2, overlaps


def test_back_view_room_is_not_screenable(inspected) -> None:
    inspection = inspected("backview_adults_room.mp4")
    assert not inspection.quality.ok
    assert inspection.quality.problems
    for problem in inspection.quality.problems:
        assert problem.message.endswith(".")
        assert problem.code


def test_every_real_clip_gets_a_complete_report(inspected, shared_videos: Path) -> None:
    for name in LABELS:
        report = inspected(name).to_dict()
        assert set(report) >= {"ok", "problems", "frames", "fps", "walker_frames", "steps"}
        assert report["frames"] > 0 and 0 <= report["walker_frames"] <= report["frames"]
        assert all(set(p) == {"code", "message", "value"} for p in report["problems"])
