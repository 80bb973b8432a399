"""A real screening of the bundled sample clip, shared by the report tests; PDF text helpers."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from genuscreen.assets import sample_clip


@pytest.fixture(scope="session")
def sample_result():
    """The sample clip screened once (an 8-year-old boy): a real result with real heatmaps."""
    from genuscreen.inference import run_screen

    return run_screen(sample_clip(), age_y=8.0, sex="M", device="cpu")


def pdf_text(path: Path) -> str:
    """The PDF's text as pdftotext extracts it (what a reader copies or searches)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.decode("utf-8")


def pdf_info(path: Path) -> dict[str, str]:
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    done = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in done.stdout.splitlines())}


def pdf_fonts(path: Path) -> str:
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (poppler-utils) is not installed")
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, timeout=60).stdout
