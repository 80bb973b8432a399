"""File and camera sources: metadata, rotation, variable frame rate, clear errors."""

from __future__ import annotations

import os
from pathlib import Path

import cv2
import numpy as np
import pytest

from genuscreen.video.errors import CameraError, VideoOpenError
from genuscreen.video.sources import CameraSource, FileSource, open_source, register_source
from tests import mp4edit
from tests.helpers import textured_background, write_frames


def numbered_frames(n: int, h: int = 120, w: int = 160) -> list[np.ndarray]:
    bg = textured_background(h, w)
    frames = []
    for i in range(n):
        frame = bg.copy()
        frame[: h // 2, : w // 2] = (i * 10) % 256  # top-left block encodes the index
        frames.append(frame)
    return frames


def test_file_metadata_and_streaming(tmp_path: Path) -> None:
    path = write_frames(tmp_path / "clip.mp4", numbered_frames(30), fps=25)
    with FileSource(path) as source:
        info = source.info
        assert (info.width, info.height, info.rotation_deg) == (160, 120, 0)
        assert info.fps == pytest.approx(25.0)
        assert info.frame_count == 30
        assert info.duration_s == pytest.approx(1.2)
        frames = list(source.frames())
    assert [f.index for f in frames] == list(range(30))
    assert np.allclose(np.diff([f.time_s for f in frames]), 0.04, atol=1e-3)
    # Decoded content is in order: the encoded block brightness follows the index.
    levels = [int(f.image[10:50, 10:70].mean()) for f in frames[:20]]
    assert all(abs(level - i * 10) <= 8 for i, level in enumerate(levels))


def test_selective_decoding_keeps_indices(tmp_path: Path) -> None:
    path = write_frames(tmp_path / "clip.mp4", numbered_frames(20), fps=25)
    with FileSource(path) as source:
        picked = [f.index for f in source.frames(decode=lambda i: i % 5 == 0)]
    assert picked == [0, 5, 10, 15]


def test_rotation_metadata_is_applied(tmp_path: Path) -> None:
    frames = numbered_frames(10)
    path = write_frames(tmp_path / "phone.mp4", frames, fps=30)
    mp4edit.set_rotation(path, 90)
    with FileSource(path) as source:
        assert source.info.rotation_deg == 90
        assert (source.info.width, source.info.height) == (120, 160)
        first = next(iter(source.frames())).image
    assert first.shape == (160, 120, 3)
    # Rotated clockwise: the original top-left block is now at the top-right.
    expected = cv2.rotate(frames[0], cv2.ROTATE_90_CLOCKWISE)
    assert np.abs(first.astype(int) - expected.astype(int)).mean() < 12


def test_variable_frame_rate_uses_timestamps(tmp_path: Path) -> None:
    path = write_frames(tmp_path / "vfr.mp4", numbered_frames(20), fps=25)
    scale = mp4edit.timescale(path)
    durations = [scale // 25 if i % 2 == 0 else scale // 10 for i in range(20)]
    mp4edit.set_frame_durations(path, durations)
    with FileSource(path) as source:
        times = [f.time_s for f in source.frames()]
    expected = np.concatenate([[0.0], np.cumsum(durations[:-1]) / scale])
    assert len(times) == 20
    assert np.allclose(times, expected, atol=2e-3)


def _with_bytes(name: str, data: bytes):
    def make(folder: Path) -> Path:
        (folder / name).write_bytes(data)
        return folder / name

    return make


def _folder(folder: Path) -> Path:
    (folder / "folder.mp4").mkdir()
    return folder / "folder.mp4"


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda p: p / "missing.mp4", "not found"),
        (_folder, "folder"),
        (_with_bytes("empty.mp4", b""), "empty"),
        (_with_bytes("noise.mp4", os.urandom(20000)), "could not be opened"),
        (_with_bytes("notes.txt", b"hello " * 100), "not a video"),
    ],
    ids=["missing", "folder", "empty", "random-bytes", "text"],
)
def test_bad_files_raise_clear_errors(tmp_path: Path, make, words: str) -> None:
    path = make(tmp_path)
    with pytest.raises(VideoOpenError) as caught:
        FileSource(path)
    assert words in str(caught.value)


@pytest.mark.parametrize("suffix", [".png", ".jpg", ".bmp", ".tiff", ".webp"])
def test_image_file_is_not_accepted_as_video(tmp_path: Path, suffix: str) -> None:
    # Named .mp4 on purpose: the content decides, not the name.
    path = tmp_path / f"photo{suffix}.mp4"
    ok, data = cv2.imencode(suffix, textured_background(64, 64))
    path.write_bytes(data.tobytes())
    with pytest.raises(VideoOpenError, match="still picture"):
        FileSource(path)


def test_truncated_file(tmp_path: Path) -> None:
    path = write_frames(tmp_path / "full.mp4", numbered_frames(30), fps=25)
    data = path.read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: len(data) // 2])  # moov (at the end) is lost: not openable
    with pytest.raises(VideoOpenError) as caught:
        FileSource(cut)
    assert "cut.mp4" in str(caught.value)


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_frames(tmp_path / "locked.mp4", numbered_frames(5), fps=25)
    path.chmod(0)
    if os.geteuid() == 0:  # root reads anything; make the permission check see what a user would
        monkeypatch.setattr(os, "access", lambda p, mode: False)
    with pytest.raises(VideoOpenError, match="permission"):
        FileSource(path)


def test_path_with_spaces_chinese_and_emoji(tmp_path: Path) -> None:
    folder = tmp_path / "班级 视频 🎥"
    folder.mkdir()
    path = write_frames(folder / "孩子 走路 😀.mp4", numbered_frames(8), fps=25)
    with FileSource(path) as source:
        assert len(list(source.frames())) == 8


class FakeCapture:
    """Stands in for cv2.VideoCapture: delivers ``good`` frames, then nothing (unplugged)."""

    def __init__(self, good: int, opened: bool = True):
        self.good = good
        self.opened = opened
        self.released = False
        self.props = {cv2.CAP_PROP_FRAME_WIDTH: 64, cv2.CAP_PROP_FRAME_HEIGHT: 48, cv2.CAP_PROP_FPS: 30}

    def isOpened(self) -> bool:
        return self.opened

    def set(self, prop, value) -> bool:
        self.props[prop] = value
        return True

    def get(self, prop) -> float:
        return float(self.props.get(prop, 0))

    def read(self):
        if self.good > 0:
            self.good -= 1
            return True, np.zeros((48, 64, 3), np.uint8)
        return False, None

    def release(self) -> None:
        self.released = True


def test_camera_absent_gives_clear_error() -> None:
    with pytest.raises(CameraError, match="No camera found"):
        CameraSource(0, capture_factory=lambda dev: FakeCapture(0, opened=False))


def test_real_absent_camera_index() -> None:
    # No machine running the tests has 90 cameras.
    with pytest.raises(CameraError, match="No camera found at 90"):
        CameraSource(90)


def test_camera_disconnect_is_reported_after_frames() -> None:
    fake = FakeCapture(good=5)
    camera = CameraSource(0, width=64, height=48, fps=30, disconnect_after_s=0.1, capture_factory=lambda dev: fake)
    got = []
    with pytest.raises(CameraError, match="stopped sending"):
        for frame in camera.frames():
            got.append(frame.index)
    assert got == [0, 1, 2, 3, 4]
    camera.close()
    assert fake.released


def test_camera_stops_cleanly() -> None:
    fake = FakeCapture(good=1000)
    camera = CameraSource(0, capture_factory=lambda dev: fake)
    count = 0
    for _ in camera.frames():
        count += 1
        if count == 3:
            camera.stop()
    assert count == 3
    camera.close()
    assert fake.released


def test_open_source_dispatch(tmp_path: Path) -> None:
    path = write_frames(tmp_path / "clip.mp4", numbered_frames(3), fps=25)
    with open_source(str(path)) as source:
        assert isinstance(source, FileSource)
    with pytest.raises(CameraError):
        open_source(91)


def test_registry_refuses_duplicates_and_incomplete_sources() -> None:
    with pytest.raises(ValueError, match="already registered"):
        register_source("file")(FileSource)
    with pytest.raises(TypeError, match="lacks"):
        register_source("broken")(type("Broken", (), {"info": None}))


def test_reading_from_a_frame_on_gives_the_frames_a_full_read_gives(tmp_path: Path) -> None:
    path = write_frames(tmp_path / "clip.mp4", numbered_frames(60), fps=25)
    with FileSource(path) as source:
        full = list(source.frames())
        times = source.timestamps
        later = list(source.frames(start=37, start_time_s=times[37]))
        # A time that does not match what is found there: read from the beginning instead.
        wrong = list(source.frames(decode=lambda i: i >= 37, start=37, start_time_s=times[37] + 0.5))
    assert times == [f.time_s for f in full]
    for frames in (later, wrong):
        assert [f.index for f in frames] == list(range(37, 60))
        assert [f.time_s for f in frames] == pytest.approx([f.time_s for f in full[37:]])
        assert all(np.array_equal(a.image, b.image) for a, b in zip(frames, full[37:]))
