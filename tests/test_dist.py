"""The installer bundle (`make dist`) works on its own: unpacked from its archive outside the
source tree and run with no Python environment on the path.

Slow (the PyInstaller build takes minutes): `make test-slow`, or
`QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -m slow tests/test_dist.py -s` to see the
build time and sizes.
"""

from __future__ import annotations

import os
import platform
import subprocess
import tarfile
import time
from pathlib import Path

import pytest

from genuscreen import __version__

ROOT = Path(__file__).resolve().parent.parent
ARCHIVE = ROOT / "dist" / f"genuscreen-{__version__}-linux-{platform.machine()}.tar.gz"
# How long the desktop application must keep running to count as started.
GUI_START_S = 8.0

pytestmark = [
    pytest.mark.slow,
    # The first test waits for the build (minutes on two cores); the suite's 300 s is too short.
    pytest.mark.timeout(3600),
    pytest.mark.skipif(platform.system() != "Linux", reason="`make dist` builds the Linux bundle"),
]


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    """`make dist`, then the archive unpacked into a temporary folder; returns the bundle there."""
    started = time.perf_counter()
    done = subprocess.run(["make", "dist"], cwd=ROOT, capture_output=True, text=True, timeout=3600)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    build_s = time.perf_counter() - started
    unpacked = tmp_path_factory.mktemp("unpacked")
    with tarfile.open(ARCHIVE) as archive:
        archive.extractall(unpacked, filter="tar")
    mib = 2**20
    print(f"\nmake dist: {build_s:.0f} s; bundle {folder_size(ROOT / 'dist' / 'genuscreen') / mib:.0f} MiB, "
          f"archive {ARCHIVE.stat().st_size / mib:.0f} MiB")  # fmt: skip
    return unpacked / "genuscreen"


def bare_env(home: Path, **extra: str) -> dict[str, str]:
    """No PYTHONPATH, PYTHONHOME or VIRTUAL_ENV, PATH without the virtual environment, no display;
    home (settings, records) in the test's folder."""
    home.mkdir(parents=True, exist_ok=True)
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", "GENUSCREEN_DATA_DIR": str(home / "data"),
            **extra}  # fmt: skip


def test_archive_holds_both_executables_and_the_data(bundle: Path) -> None:
    for name in ("genuscreen", "genuscreen-gui", "install-desktop-entry.sh"):
        assert os.access(bundle / name, os.X_OK), name
    data = bundle / "_internal"
    for part in ("resources/sample/sample_walk.mp4", "resources/icons/genuscreen.svg",
                 "resources/i18n/genuscreen_zh_CN.ts", "resources/i18n/genuscreen_zh_CN.qm",
                 "weights/gaitnet-synthetic.pt", "weights/gaitnet-synthetic.json"):  # fmt: skip
        assert (data / part).is_file(), part
    assert not (data / "torch" / "test").exists() and not (data / "torch" / "include").exists()


def test_bundle_self_test_passes_outside_the_tree(bundle: Path, tmp_path: Path) -> None:
    started = time.perf_counter()
    done = subprocess.run([str(bundle / "genuscreen"), "--self-test"], cwd=tmp_path, env=bare_env(tmp_path / "home"),
                          capture_output=True, text=True, timeout=600)  # fmt: skip
    lines = done.stdout.strip().splitlines()
    print(f"\n{' '.join(lines)} [{time.perf_counter() - started:.1f} s with start-up]")
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(lines) == 1 and lines[0].startswith(f"GenuScreen {__version__} self-test: OK ("), done.stdout
    assert "report written" in lines[0] and "translations zh_CN" in lines[0]


def test_gui_executable_answers_version_and_starts(bundle: Path, tmp_path: Path) -> None:
    env = bare_env(tmp_path / "home", QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([str(bundle / "genuscreen-gui"), "--version"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0 and done.stdout.strip() == f"GenuScreen {__version__}", done.stdout + done.stderr

    log = tmp_path / "gui.log"
    with open(log, "w") as output:
        gui = subprocess.Popen([str(bundle / "genuscreen-gui")], cwd=tmp_path, env=env, stdout=output,
                               stderr=subprocess.STDOUT)  # fmt: skip
        try:
            exited = gui.wait(timeout=GUI_START_S)
        except subprocess.TimeoutExpired:
            exited = None
        finally:
            gui.terminate()
            gui.wait(timeout=30)
    text = log.read_text(errors="replace")
    assert exited is None, f"genuscreen-gui exited with {exited} within {GUI_START_S} s:\n{text}"
    assert "Traceback" not in text, text


def test_desktop_entry_installs_for_the_user(bundle: Path, tmp_path: Path) -> None:
    data = tmp_path / "share"
    env = bare_env(tmp_path / "home", XDG_DATA_HOME=str(data))
    subprocess.run([str(bundle / "install-desktop-entry.sh")], env=env, check=True, capture_output=True, timeout=60)
    entry = (data / "applications" / "genuscreen.desktop").read_text(encoding="utf-8")
    assert f'Exec="{bundle}/genuscreen-gui" %f' in entry and "Icon=genuscreen" in entry
    assert (data / "icons" / "hicolor" / "scalable" / "apps" / "genuscreen.svg").is_file()
    subprocess.run([str(bundle / "install-desktop-entry.sh"), "--remove"], env=env, check=True, capture_output=True)
    assert not (data / "applications" / "genuscreen.desktop").exists()
