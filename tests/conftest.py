"""Shared test set-up: Qt offscreen before anything imports it; paths to the real clips."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SHARED_VIDEOS = ROOT.parent / "shared" / "videos"


@pytest.fixture(scope="session")
def shared_videos() -> Path:
    """The real walking clips beside the project (../shared/videos); skipped when absent."""
    if not SHARED_VIDEOS.is_dir():
        pytest.skip(f"real clips not found at {SHARED_VIDEOS} (they live beside the project, not in it)")
    return SHARED_VIDEOS
