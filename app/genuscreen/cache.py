"""Where GenuScreen keeps files it can rebuild at any time (the model's prepared graphs).

Not the data folder: that one holds children's records and is backed up and kept; anything in
the cache folder may be deleted at any time by the user or the system, and GenuScreen just
rebuilds it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_FOLDER = "GenuScreen"
CACHE_DIR_ENV = "GENUSCREEN_CACHE_DIR"


def cache_dir() -> Path:
    """``$GENUSCREEN_CACHE_DIR`` if set, else the platform's per-user cache folder:
    ``%LOCALAPPDATA%\\GenuScreen\\Cache`` on Windows, ``~/Library/Caches/GenuScreen`` on macOS,
    ``$XDG_CACHE_HOME/GenuScreen`` or ``~/.cache/GenuScreen`` elsewhere. Not created here."""
    configured = os.environ.get(CACHE_DIR_ENV)
    if configured:
        return Path(configured).expanduser()
    home = Path.home()
    if sys.platform.startswith("win"):
        # Local, not roaming: the files are big, per machine and cheap to rebuild.
        base = os.environ.get("LOCALAPPDATA")
        return (Path(base) if base else home / "AppData" / "Local") / APP_FOLDER / "Cache"
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / APP_FOLDER
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg and Path(xdg).is_absolute() else home / ".cache") / APP_FOLDER
