"""Errors of the video layer. Each message says what is wrong and what to do about it."""

from __future__ import annotations


class VideoError(Exception):
    """A video or camera problem that the user can act on; ``str()`` is the user-facing message."""


class VideoOpenError(VideoError):
    """The file is missing, unreadable, empty or not a video. ``code`` names the case (stable,
    so an interface can word it in the user's language) and ``facts`` the values in the message
    (``name``: the file)."""

    def __init__(self, message: str, code: str | None = None, **facts):
        super().__init__(message)
        self.code = code
        self.facts = facts


class CameraError(VideoError):
    """The camera is absent, busy, or stopped delivering frames."""


class Cancelled(Exception):
    """Raised inside long work when the caller's cancel check returns True."""
