"""Property-based tests (hypothesis) over the quality gate, the clip builder and the roster parser,
and a bounded fuzz run over the video reader with mutated real clips: whatever comes in, the
answer is a verdict, clips of the right shape, or a clear error of the documented kind; never
an unexpected exception or a crash."""

from __future__ import annotations

import dataclasses
import random
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from genuscreen.storage.roster import RosterError, read_roster
from genuscreen.synth import Scene, Walker, render, write_video
from genuscreen.video import ClipSpec, inspect_video
from genuscreen.video.clips import build_clips
from genuscreen.video.errors import VideoError
from genuscreen.video.quality import check_quality
from genuscreen.video.sources import FileSource
from genuscreen.video.steps import StepCount

KNOWN_CODES = {"too_few_frames", "too_dark", "camera_moving", "no_person", "multiple_people", "side_view",
               "walking_away", "body_cut_off", "too_few_steps"}  # fmt: skip


@pytest.fixture(scope="module")
def inspection(tmp_path_factory):
    """A real walk through the video stage: the starting point the properties perturb."""
    path = tmp_path_factory.mktemp("fuzz") / "walk.mp4"
    scene = Scene(width=320, height=240, fps=25, duration_s=5.0, walkers=(Walker(start_time_s=0.8),), seed=5)
    write_video(path, (f.image for f in render(scene)), scene.fps)
    result = inspect_video(path)
    assert result.extraction.walker is not None
    return result


frame_edits = st.lists(
    st.tuples(st.floats(-0.5, 0.5), st.floats(0.2, 3.0), st.booleans(), st.booleans(), st.booleans()),
    min_size=0, max_size=40,
)  # fmt: skip


def perturbed(extraction, keep: list[int], edits, luma_scale: float, shift: float):
    """The extraction with frames dropped, boxes moved and scaled, flags flipped, light and
    camera drift changed."""
    walker = extraction.walker
    frames = [walker.frames[i] for i in keep]
    for k, (dx, s, top, bottom, merged) in zip(range(len(frames)), edits):
        f = frames[k]
        x0, y0, x1, y1 = f.box
        w, h = (x1 - x0) * s, (y1 - y0) * s
        cx = (x0 + x1) / 2 + dx * extraction.info.width
        box = (cx - w / 2, y1 - h, cx + w / 2, y1)
        frames[k] = dataclasses.replace(f, box=box, crop_box=box, touches_top=top, touches_bottom=bottom, merged=merged)
    track = dataclasses.replace(walker, frames=frames) if frames else None
    shifts = extraction.camera_shift.copy()
    shifts[np.isfinite(shifts)] *= shift
    return dataclasses.replace(extraction, walker=track, people=[track] if track else [],
                               luma=np.clip(extraction.luma * luma_scale, 0, 255), camera_shift=shifts)  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), edits=frame_edits, luma_scale=st.floats(0.0, 4.0), shift=st.floats(0.0, 50.0),
       steps=st.integers(0, 30))  # fmt: skip
def test_quality_gate_and_clip_builder_take_anything(inspection, data, edits, luma_scale, shift, steps) -> None:
    extraction = inspection.extraction
    n = len(extraction.walker.frames)
    keep = sorted(data.draw(st.sets(st.integers(0, n - 1), max_size=n)))
    changed = perturbed(extraction, keep, edits, luma_scale, shift)
    report = check_quality(changed, StepCount(steps, 1.0, 0.5, "fuzz"), ClipSpec())
    assert isinstance(report.ok, bool)
    assert report.ok == (not report.problems)
    for problem in report.problems:
        assert problem.code in KNOWN_CODES and problem.message.strip()
    if changed.walker is None:
        assert not report.ok
        return
    spec = ClipSpec()
    for clip in build_clips(changed.walker, spec):
        assert clip.silhouettes.shape == (spec.frames, spec.height, spec.width)
        assert np.all((clip.silhouettes >= 0) & (clip.silhouettes <= 1))
        assert np.all(np.diff(clip.times_s) > 0)
        assert set(clip.frame_indices.tolist()) <= {f.index for f in changed.walker.frames}


cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
rows = st.lists(st.lists(cells, min_size=0, max_size=6), max_size=8)
headers = st.sampled_from(["ID,Name,Date of birth,Sex", "id;name;dob;sex", "学号,姓名,出生日期,性别", "Name,Sex", ""])


@settings(max_examples=150, deadline=None)
@given(header=headers, body=rows, encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "latin-1", "utf-16"]))
def test_roster_parser_takes_anything(tmp_path_factory, header: str, body, encoding: str) -> None:
    folder = tmp_path_factory.mktemp("roster")
    text = "\n".join([header] + [",".join(r) for r in body])
    path = folder / "roster.csv"
    try:
        path.write_bytes(text.encode(encoding))
    except UnicodeEncodeError:
        path.write_bytes(text.encode("utf-8", "replace"))
    try:
        roster = read_roster(path, on=date(2025, 5, 12))
    except RosterError as error:
        assert str(error).strip()
        return
    lines = len(text.splitlines()) or 1
    for error in roster.errors:
        assert 1 <= error.line <= lines + 1 and error.message.strip()
    for row in roster.rows:
        assert row.external_id.strip() and row.sex in ("F", "M", None)
        assert row.date_of_birth < date(2025, 5, 12)
    ids = [r.external_id for r in roster.rows]
    assert len(ids) == len(set(ids)), "duplicate IDs never both pass"


def mutate(data: bytes, rng: random.Random) -> bytes:
    data = bytearray(data)
    kind = rng.choice(["flip", "zero", "cut", "splice", "duplicate"])
    if kind == "flip":
        for _ in range(rng.randint(1, 64)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    elif kind == "zero":
        start = rng.randrange(len(data))
        data[start : start + rng.randint(16, 4096)] = bytes(min(len(data) - start, 4096))[: len(data[start : start + 4096])]
    elif kind == "cut":
        data = data[: rng.randrange(1, len(data))]
    elif kind == "splice":
        start = rng.randrange(len(data))
        data[start:start] = bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 512)))
    else:
        start = rng.randrange(len(data))
        data += data[start : start + rng.randint(1, 4096)]
    return bytes(data)


def test_video_reader_survives_mutated_real_clips(shared_videos: Path, tmp_path: Path) -> None:
    """40 mutations of the real clips (bit flips, zeroed runs, cuts, splices, repeats of the file's
    head): the reader yields upright BGR frames or raises VideoError with a message; bounded to
    the first 60 frames of each."""
    sources = sorted(p for p in shared_videos.iterdir() if p.suffix.lower() in (".mp4", ".mov", ".avi", ".webm", ".mkv"))
    sources = [p for p in sources if p.stat().st_size < 40_000_000][:4]
    assert sources, "no real clips to mutate"
    rng = random.Random(2026)
    outcomes = {"read": 0, "refused": 0}
    for i in range(40):
        original = sources[i % len(sources)]
        # The head of the file holds the container's tables: most mutations land there.
        head = original.read_bytes()[:600_000]
        mutated = tmp_path / f"mutated_{i}{original.suffix}"
        mutated.write_bytes(mutate(head, rng))
        try:
            with FileSource(mutated) as source:
                for frame in source.frames():
                    assert frame.image.ndim == 3 and frame.image.shape[2] == 3
                    if frame.index >= 60:
                        break
            outcomes["read"] += 1
        except VideoError as error:
            assert str(error).strip()
            outcomes["refused"] += 1
    assert sum(outcomes.values()) == 40
