"""Shared test set-up: Qt offscreen before anything imports it; the cache folder in a temporary
folder; paths to the real clips."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from genuscreen.cache import CACHE_DIR_ENV

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SHARED_VIDEOS = ROOT.parent / "shared" / "videos"


@pytest.fixture(scope="session", autouse=True)
def isolated_cache_dir(tmp_path_factory):
    """Every test (and every process a test starts) keeps cached model graphs in one temporary
    folder for the session, never in the user's ~/.cache."""
    folder = tmp_path_factory.mktemp("genuscreen-cache")
    previous = os.environ.get(CACHE_DIR_ENV)
    os.environ[CACHE_DIR_ENV] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop(CACHE_DIR_ENV, None)
    else:
        os.environ[CACHE_DIR_ENV] = previous


@pytest.fixture(scope="session")
def shared_videos() -> Path:
    """The real walking clips beside the project (../shared/videos); skipped when absent."""
    if not SHARED_VIDEOS.is_dir():
        pytest.skip(f"real clips not found at {SHARED_VIDEOS} (they live beside the project, not in it)")
    return SHARED_VIDEOS


@pytest.fixture
def broken_pose_models(tmp_path: Path, monkeypatch):
    """A copy of the pose library's model files, for a test to damage; the checks see the copy."""
    import shutil

    from genuscreen.video import pose

    real = pose.check_models()
    copy = tmp_path / "mediapipe"
    for relative in pose.MODEL_FILES:
        (copy / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(real / relative, copy / relative)
    monkeypatch.setattr(pose, "_package_dir", lambda: copy)
    pose.check_models.cache_clear()
    pose._pose_solution.cache_clear()
    yield copy
    pose.check_models.cache_clear()
    pose._pose_solution.cache_clear()
