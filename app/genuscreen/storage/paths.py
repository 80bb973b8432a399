"""Where the records live: the data folder (configurable) and the files inside it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_FOLDER = "GenuScreen"
DATA_DIR_ENV = "GENUSCREEN_DATA_DIR"
DATABASE_NAME = "genuscreen.sqlite3"
# Sub-folders of the data folder for the files GenuScreen derives from a screening.
HEATMAPS_DIR = "heatmaps"
REPORTS_DIR = "reports"
OVERLAYS_DIR = "overlays"


def default_data_dir() -> Path:
    """The data folder when none is given: ``$GENUSCREEN_DATA_DIR`` if set, else the platform's
    user data folder (``%APPDATA%\\GenuScreen`` on Windows, ``~/Library/Application
    Support/GenuScreen`` on macOS, ``$XDG_DATA_HOME/GenuScreen`` or
    ``~/.local/share/GenuScreen`` elsewhere)."""
    configured = os.environ.get(DATA_DIR_ENV)
    if configured:
        return Path(configured).expanduser()
    home = Path.home()
    if sys.platform.startswith("win"):
        base = os.environ.get("APPDATA")
        return (Path(base) if base else home / "AppData" / "Roaming") / APP_FOLDER
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / APP_FOLDER
    xdg = os.environ.get("XDG_DATA_HOME")
    return (Path(xdg) if xdg and Path(xdg).is_absolute() else home / ".local" / "share") / APP_FOLDER
