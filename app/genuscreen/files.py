"""Files GenuScreen writes: safe names, private folders and atomic writes.

Every file name derived from a child (an ID or a name typed by a user or read from a roster)
goes through :func:`safe_filename`. Every report, export and record file is written through
:func:`atomic_output`: to a temporary file in the target's folder, flushed to disk, then
renamed over the target, so a failure or a crash never leaves a half-written file. The files
hold children's health data, so they are readable by the user only (0600 on POSIX), and the
folders GenuScreen creates for them are private (0700).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import unicodedata
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
# Names Windows refuses whatever the extension (CON.pdf is as bad as CON).
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_KEPT_PUNCTUATION = set("-_.()+")
# Most file systems limit a name to 255 bytes; leave room for a prefix and an extension.
DEFAULT_MAX_BYTES = 80


def safe_filename(text: str | None, fallback: str = "child", max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """A file-name fragment made from ``text`` that is safe on Windows, macOS and Linux.

    Letters and digits of any script (Chinese names stay readable) and ``- _ . ( ) +`` are kept;
    path separators, control and format characters, emoji, symbols and spaces become ``_``.
    Leading and trailing dots and underscores go, so the result is never ``.``, ``..`` or a
    hidden file; Windows device names get a leading ``_``; the result is cut to ``max_bytes``
    of UTF-8 at a character boundary. An empty result gives ``fallback``.
    """
    normalised = unicodedata.normalize("NFC", text or "")
    out = []
    for char in normalised:
        category = unicodedata.category(char)
        keep = category[0] in "LN" or category in ("Mn", "Mc") or char in _KEPT_PUNCTUATION
        out.append(char if keep else "_")
    name = "".join(out)
    while "__" in name:
        name = name.replace("__", "_")
    while ".." in name:
        name = name.replace("..", ".")
    name = name.strip("._ ")
    encoded = name.encode("utf-8")
    if len(encoded) > max_bytes:
        name = encoded[:max_bytes].decode("utf-8", errors="ignore").rstrip("._ ")
    if not name:
        return fallback
    if name.split(".")[0].upper() in _WINDOWS_RESERVED:
        name = "_" + name
    return name


def make_private_dir(path: str | os.PathLike) -> Path:
    """Create ``path`` (and missing parents) readable by the user only; returns it.

    A folder that already exists keeps its mode: it may be one the user chose and shares on
    purpose. Folders created here get 0700 whatever the umask.
    """
    path = Path(path)
    missing = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    path.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        for created in missing:
            os.chmod(created, PRIVATE_DIR_MODE)
    return path


@contextmanager
def atomic_output(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; when the block ends without an error the file
    written there is flushed to disk and renamed to ``path``. On any error (or interrupt) the
    temporary file is removed and ``path`` is left as it was.

        with atomic_output("report.pdf") as tmp:
            build_pdf(tmp)
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    # mkstemp creates the file 0600, which the rename keeps.
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if not tmp.exists() or tmp.stat().st_size == 0:
            raise OSError(f"nothing was written for {target.name}")
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def sha256_of(path: str | os.PathLike) -> str:
    """The file's sha256, read in blocks (model files are megabytes)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_json_atomic(path: str | os.PathLike, data: dict) -> None:
    """Write ``data`` as indented UTF-8 JSON through :func:`atomic_output`: a failure leaves no
    half-written file and an earlier one as it was."""
    with atomic_output(path) as tmp:
        tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def spreadsheet_cell(value) -> str:
    """A CSV cell a spreadsheet shows as written: numbers rounded for reading, and typed text
    that starts with = + - @ prefixed with ' so that it is not run as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1 else f"{value:.2f}"
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
