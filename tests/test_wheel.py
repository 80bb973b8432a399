"""A built wheel carries resources/ and weights/ and works from outside the source tree."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow  # builds a wheel (fetches the build backend): make test-slow


def test_wheel_carries_assets_and_runs_outside_the_tree(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(tmp_path / "dist")],
        check=True,
        timeout=600,
    )
    wheel = next((tmp_path / "dist").glob("genuscreen-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "genuscreen/resources/sample/sample_walk.mp4" in names
    assert "genuscreen/weights/README.md" in names
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)], check=True)
    env = dict(os.environ, PYTHONPATH=str(target))
    script = (
        "import genuscreen.assets as a, sys; "
        "assert str(a.resources_dir()).startswith(sys.argv[1]), a.resources_dir(); "
        "from genuscreen.cli import main; "
        "raise SystemExit(main(['inspect', str(a.sample_clip()), '--json', sys.argv[2]]))"
    )
    report = tmp_path / "report.json"
    done = subprocess.run([sys.executable, "-c", script, str(target), str(report)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(report.read_text())["ok"] is True
