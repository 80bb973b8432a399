"""Bad recordings through the user's path (`genuscreen screen`): each gets a specific message
that says what to do, an exit code (1: cannot be read, 2: cannot be screened), no traceback,
and an output file written by an earlier run is left as it was."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest

from genuscreen.assets import sample_clip
from genuscreen.cli import EXIT_OK, SCREEN_ERROR, SCREEN_NOT_SCREENABLE, main
from genuscreen.synth import Scene, Walker, render, write_video
from tests import mp4edit
from tests.helpers import textured_background, write_frames

SIZE = dict(width=320, height=240)
EARLIER = '{"kept": "an earlier result"}'


def screen(tmp_path: Path, video: Path, capsys, *extra: str) -> tuple[int, str]:
    """Run `genuscreen screen VIDEO --json OUT` where OUT holds an earlier result."""
    out = tmp_path / "result.json"
    if not out.exists():
        out.write_text(EARLIER)
    code = main(["screen", str(video), "--json", str(out), *extra])
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert "Traceback" not in text
    if code != EXIT_OK and code != SCREEN_NOT_SCREENABLE:
        assert out.read_text() == EARLIER, "a failed screening must not touch an earlier result"
        assert len(captured.err.strip().splitlines()) == 1, "one line says what is wrong"
    return code, text


def frames(n: int, h: int, w: int) -> list[np.ndarray]:
    background = textured_background(h, w)
    return [np.roll(background, i, axis=1) for i in range(n)]


def raw_writer(path: Path, size: tuple[int, int], fourcc: str = "mp4v", fps: float = 25.0) -> cv2.VideoWriter:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*fourcc), fps, size)
    assert writer.isOpened()
    return writer


def walk(path: Path, fps: float = 25.0, duration_s: float = 5.0, walkers=None, seed: int = 1) -> Path:
    walkers = walkers if walkers is not None else (Walker(start_time_s=0.8),)
    scene = Scene(**SIZE, fps=fps, duration_s=duration_s, walkers=walkers, seed=seed)
    write_video(path, (f.image for f in render(scene)), fps)
    return path


# -- files that cannot be read ------------------------------------------------------------------

def _empty(folder: Path) -> Path:
    (folder / "empty.mp4").write_bytes(b"")
    return folder / "empty.mp4"


def _truncated(folder: Path) -> Path:
    full = write_frames(folder / "full.mp4", frames(30, 120, 160), fps=25)
    cut = folder / "cut.mp4"
    cut.write_bytes(full.read_bytes()[: full.stat().st_size // 2])
    return cut


def _random_bytes(folder: Path) -> Path:
    (folder / "noise.mp4").write_bytes(np.random.default_rng(0).integers(0, 256, 50_000, np.uint8).tobytes())
    return folder / "noise.mp4"


def _image(folder: Path) -> Path:
    ok, data = cv2.imencode(".jpg", textured_background(240, 320))
    (folder / "photo.mp4").write_bytes(data.tobytes())
    return folder / "photo.mp4"


def _directory(folder: Path) -> Path:
    (folder / "clips.mp4").mkdir()
    return folder / "clips.mp4"


def _zero_frames(folder: Path) -> Path:
    raw_writer(folder / "zero.mp4", (320, 240)).release()
    return folder / "zero.mp4"


def _one_frame(folder: Path) -> Path:
    return write_frames(folder / "one.mp4", frames(1, 240, 320), fps=25)


def _one_pixel(folder: Path) -> Path:
    writer = raw_writer(folder / "dot.avi", (1, 1), fourcc="MJPG")  # mp4v refuses 1x1
    for i in range(30):
        writer.write(np.full((1, 1, 3), i * 8, np.uint8))
    writer.release()
    return folder / "dot.avi"


@pytest.mark.parametrize(
    "make, words",
    [
        (_empty, "empty (0 bytes)"),
        (_truncated, "cut.mp4"),
        (_random_bytes, "could not be opened as a video"),
        (_image, "still picture"),
        (_directory, "is a folder"),
        (_zero_frames, "zero.mp4"),
        (_one_frame, "no more than one frame"),
        (_one_pixel, "only 1x1 pixels"),
        (lambda folder: folder / "missing.mp4", "not found"),
    ],
    ids=["empty", "truncated", "random-bytes", "image", "directory", "zero-frames", "one-frame", "1x1", "missing"],
)
def test_unreadable_recordings_get_one_clear_line(tmp_path: Path, capsys, make, words: str) -> None:
    code, text = screen(tmp_path, make(tmp_path), capsys)
    assert code == SCREEN_ERROR
    assert words in text


def test_file_without_read_permission(tmp_path: Path, capsys, monkeypatch) -> None:
    video = tmp_path / "locked.mp4"
    shutil.copy(sample_clip(), video)
    video.chmod(0)
    if os.geteuid() == 0:  # root reads anything; show the check what a user would see
        real_access = os.access
        monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == video else real_access(p, mode))
    code, text = screen(tmp_path, video, capsys)
    assert code == SCREEN_ERROR and "permission denied" in text


def test_path_with_spaces_chinese_and_emoji_is_screened(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "三年级 2 班 🎥"
    folder.mkdir()
    video = folder / "王 小明 走路 😀.mp4"
    shutil.copy(sample_clip(), video)
    report = folder / "报告 😀.pdf"
    code, text = screen(tmp_path, video, capsys, "--age", "8", "--report", str(report))
    assert code == EXIT_OK, text
    assert report.stat().st_size > 10_000


# -- readable, but not a screenable walk --------------------------------------------------------

def test_8k_resolution_is_read_and_judged(tmp_path: Path, capsys) -> None:
    video = write_frames(tmp_path / "8k.mp4", frames(4, 4320, 7680), fps=25)
    code, text = screen(tmp_path, video, capsys)
    assert code == SCREEN_NOT_SCREENABLE
    assert "7680x4320" in text and "[too_few_frames]" in text


@pytest.mark.parametrize(
    "walkers, code_word",
    [
        ((), "[no_person]"),
        ((Walker(start_time_s=0.8, lateral_offset_m=-0.5),
          Walker(start_time_s=0.8, lateral_offset_m=0.6, start_distance_m=5.5, shirt_bgr=(40, 40, 200),
                 cadence_steps_per_min=150)), "[multiple_people]"),
        ((Walker(path="away", start_distance_m=2.0, end_distance_m=5.5),), "[walking_away]"),
        ((Walker(path="across", start_distance_m=4.0, lateral_offset_m=-2.2, speed_m_s=1.1),), "[side_view]"),
    ],
    ids=["nobody", "two-children", "walking-away", "walking-across"],
)
def test_walks_the_gate_refuses_say_why(tmp_path: Path, capsys, walkers, code_word: str) -> None:
    video = walk(tmp_path / "walk.mp4", walkers=walkers, duration_s=4.5, seed=3)
    code, text = screen(tmp_path, video, capsys)
    assert code == SCREEN_NOT_SCREENABLE
    assert code_word in text and "NOT SCREENABLE" in text


def test_240_fps_clip(tmp_path: Path, capsys) -> None:
    video = walk(tmp_path / "fast.mp4", fps=240, duration_s=4.5)
    json_path = tmp_path / "result.json"
    code, text = screen(tmp_path, video, capsys)
    assert code in (EXIT_OK, SCREEN_NOT_SCREENABLE), text
    import json

    result = json.loads(json_path.read_text())
    assert result["video"]["fps"] == pytest.approx(240, rel=0.01)
    if code == EXIT_OK:  # windows are resampled to the model's 15 fps: the angle is plausible
        assert 0 <= result["knee_angle_deg"] <= 25


def test_variable_frame_rate_clip(tmp_path: Path, capsys) -> None:
    video = walk(tmp_path / "vfr.mp4", fps=30, duration_s=5.0)
    scale = mp4edit.timescale(video)
    count = cv2.VideoCapture(str(video)).get(cv2.CAP_PROP_FRAME_COUNT)
    # Phones drop to a lower rate now and then: every fourth frame lasts twice as long.
    mp4edit.set_frame_durations(video, [scale // 15 if i % 4 == 3 else scale // 30 for i in range(int(count))])
    code, text = screen(tmp_path, video, capsys)
    assert code in (EXIT_OK, SCREEN_NOT_SCREENABLE), text


def test_rotated_phone_clip_is_screened_upright(tmp_path: Path, capsys) -> None:
    upright = [f.image for f in render(Scene(**SIZE, fps=25, duration_s=5.0, walkers=(Walker(start_time_s=0.8),), seed=1))]
    # Stored as a phone does: landscape pixels, with a 90 degree rotation in the metadata.
    video = write_frames(tmp_path / "phone.mp4", [cv2.rotate(f, cv2.ROTATE_90_COUNTERCLOCKWISE) for f in upright], fps=25)
    mp4edit.set_rotation(video, 90)
    code, text = screen(tmp_path, video, capsys)
    assert "phone.mp4: 320x240" in text  # upright, as recorded
    assert code == EXIT_OK, text
    import json

    assert json.loads((tmp_path / "result.json").read_text())["video"]["rotation_deg"] == 90
