"""The one place that resolves where the top-level ``resources/`` and ``weights/`` folders are.

Three layouts exist: a source checkout (``app/genuscreen`` beside ``resources/``), an installed
wheel (the folders are mapped into the package as ``genuscreen.resources`` and
``genuscreen.weights`` by pyproject.toml), and a frozen bundle (PyInstaller puts data under
``sys._MEIPASS``). Every other module asks here instead of building paths itself.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _candidates(name: str) -> list[Path]:
    found: list[Path] = []
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        found.append(Path(frozen_root) / name)
    # Installed wheel: pyproject maps the folder to the package genuscreen.<name>.
    found.append(_PACKAGE_DIR / name)
    # Source checkout (also what an editable install points at): app/genuscreen -> repo root.
    found.append(_PACKAGE_DIR.parent.parent / name)
    return found


@cache
def _folder(name: str) -> Path:
    for candidate in _candidates(name):
        if candidate.is_dir():
            return candidate
    places = ", ".join(str(p) for p in _candidates(name))
    raise FileNotFoundError(
        f"GenuScreen's {name}/ folder was not found (looked in: {places}). "
        "The installation is incomplete: reinstall GenuScreen."
    )


def resources_dir() -> Path:
    """Folder with icons, translations and the sample clip."""
    return _folder("resources")


def weights_dir() -> Path:
    """Folder with the shipped model weights and their model cards."""
    return _folder("weights")


def resource_path(*parts: str) -> Path:
    """Path of a file under ``resources/``; raises FileNotFoundError naming it when absent."""
    path = resources_dir().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"Resource file missing: {path}. Reinstall GenuScreen.")
    return path


def sample_clip() -> Path:
    """The bundled sample walking clip the main job and the self-test screen."""
    return resource_path("sample", "sample_walk.mp4")
