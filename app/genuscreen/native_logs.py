"""Native libraries' log lines kept off the user's terminal.

The pose library (TensorFlow Lite, glog) writes its start-up chatter from C++ straight to file
descriptor 2, past Python's ``sys.stderr``, so no logging setting reaches it.
"""

from __future__ import annotations

import os
import sys
import threading

_SILENCED = threading.Lock()
_silenced = False


def silence_native_logs() -> None:
    """Python's stderr moves to a copy of the terminal, and descriptor 2 to the null device.

    Called once by the ``genuscreen`` and ``genuscreen-gui`` processes at start, never by library
    code (tests capture the descriptors themselves). ``GENUSCREEN_DEBUG=1`` leaves everything as
    it is.
    """
    global _silenced
    if os.environ.get("GENUSCREEN_DEBUG"):
        return
    with _SILENCED:
        if _silenced:
            return
        try:
            sys.stderr.flush()
            terminal = os.dup(2)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 2)
            os.close(devnull)
            sys.stderr = os.fdopen(terminal, "w", buffering=1, encoding=sys.stderr.encoding, errors="backslashreplace")
        except (OSError, AttributeError, ValueError):
            return
        _silenced = True
