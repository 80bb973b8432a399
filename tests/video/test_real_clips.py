"""The video stage on real footage made by others (../shared/videos, see its SOURCES.md).

None of these is a screening recording; the pipeline must still find and follow the walkers,
say precisely why each clip cannot be screened, and never crash. Person boxes were labelled by
hand in tests/fixtures/real_clip_boxes.json.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from genuscreen.video import FRONT_ENDS, inspect_video
from genuscreen.video.blobs import box_iou
from genuscreen.video.sheet import write_contact_sheet

pytestmark = pytest.mark.realclips

LABELS = json.loads((Path(__file__).parent.parent / "fixtures" / "real_clip_boxes.json").read_text())["clips"]

_cache: dict[tuple[str, str], object] = {}


@pytest.fixture(params=FRONT_ENDS)
def inspected(request, shared_videos: Path, tmp_path_factory):
    front_end = request.param

    def run(name: str):
        if (name, front_end) not in _cache:
            path = shared_videos / name
            if not path.exists():
                pytest.skip(f"{path} is absent")
            inspection = inspect_video(path, front_end=front_end)
            write_contact_sheet(inspection.extraction, tmp_path_factory.mktemp("sheets") / f"{name}.png")
            _cache[name, front_end] = inspection
        return _cache[name, front_end]

    return run


def walker_box_at(inspection, index: int):
    """The walker's box at a labelled frame, or at the nearest analysed frame within a fifteenth
    of a second (the pose front end looks at about 15 frames a second)."""
    walker = inspection.extraction.walker
    fps = inspection.extraction.info.fps
    nearest = min(walker.frames, key=lambda f: abs(f.index - index))
    return nearest.box if abs(nearest.index - index) / fps <= 1 / 15 + 1e-6 else None


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
        # People walk across and away far below the camera. The background model sees them all;
        # the pose model cannot find people this small, follows one and says it walks across.
        ("oblique_pedestrians.avi", {"multiple_people", "side_view"}),
    ],
)
def test_crowded_clips(inspected, name: str, expected: set[str]) -> None:
    inspection = inspected(name)
    codes = set(inspection.quality.codes())
    assert codes & expected, codes
    assert not inspection.quality.ok
    if inspection.extraction.front_end == "pose":
        assert inspection.quality.measurements["people"] >= 2  # the others are seen, and said
        if name == "oblique_pedestrians.avi":
            # Dozens of small people crossing for a minute and a half, seen from above: the few
            # frames scanned cannot tell one passer-by from the next, so there is no one walker
            # to compare with the labels; the clip is refused, and the others are reported.
            return
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
        assert all({"code", "message", "value"} <= set(p) <= {"code", "message", "value", "cause"} for p in report["problems"])
