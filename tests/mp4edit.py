"""Minimal MP4 box surgery for tests: set a rotation matrix, make the frame rate variable.

OpenCV writes MP4s with constant frame rate and no rotation; phone clips have both. Editing the
boxes of a small file that OpenCV wrote gives real test files without extra tools. OpenCV puts
``moov`` after ``mdat``, so resizing boxes inside ``moov`` never moves the sample data.
"""

from __future__ import annotations

import struct
from pathlib import Path

_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts"}


def _parse(data: bytes) -> list[list]:
    boxes, pos = [], 0
    while pos + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[pos : pos + 8])
        header = 8
        if size == 1:
            size = struct.unpack(">Q", data[pos + 8 : pos + 16])[0]
            header = 16
        elif size == 0:
            size = len(data) - pos
        body = data[pos + header : pos + size]
        boxes.append([kind, _parse(body) if kind in _CONTAINERS else body])
        pos += size
    return boxes


def _build(boxes: list[list]) -> bytes:
    out = b""
    for kind, body in boxes:
        payload = _build(body) if isinstance(body, list) else body
        out += struct.pack(">I4s", len(payload) + 8, kind) + payload
    return out


def _find(boxes: list[list], path: list[bytes]) -> list[list]:
    found = []
    for box in boxes:
        if box[0] == path[0]:
            if len(path) == 1:
                found.append(box)
            elif isinstance(box[1], list):
                found += _find(box[1], path[1:])
    return found


def set_rotation(path: Path, degrees: int) -> None:
    """Write a display matrix that rotates the picture by ``degrees`` (90, 180, 270) clockwise."""
    boxes = _parse(path.read_bytes())
    one = 0x00010000
    matrices = {
        90: (0, one, 0, -one, 0, 0),
        180: (-one, 0, 0, 0, -one, 0),
        270: (0, -one, 0, one, 0, 0),
    }
    a, b, u, c, d, v = matrices[degrees]
    for box in _find(boxes, [b"moov", b"trak", b"tkhd"]):
        body = bytearray(box[1])
        version = body[0]
        offset = 4 + (32 if version == 1 else 20) + 8 + 2 + 2 + 2 + 2  # to the matrix
        matrix = struct.pack(">9i", a, b, u, c, d, v, 0, 0, 0x40000000)
        body[offset : offset + 36] = matrix
        box[1] = bytes(body)
    path.write_bytes(_build(boxes))


def set_frame_durations(path: Path, durations: list[int]) -> None:
    """Replace the sample durations (in media timescale units) of the video track: variable rate."""
    boxes = _parse(path.read_bytes())
    for box in _find(boxes, [b"moov", b"trak", b"mdia", b"minf", b"stbl", b"stts"]):
        entries = b"".join(struct.pack(">II", 1, d) for d in durations)
        box[1] = b"\0\0\0\0" + struct.pack(">I", len(durations)) + entries
    # An edit list would still cut playback at the old duration: drop it (identity mapping).
    for trak in _find(boxes, [b"moov", b"trak"]):
        trak[1] = [sub for sub in trak[1] if sub[0] != b"edts"]
    for mdia in _find(boxes, [b"moov", b"trak", b"mdia"]):
        for sub in mdia[1]:
            if sub[0] == b"mdhd":  # media duration follows the new durations
                body = bytearray(sub[1])
                if body[0] == 0:
                    body[16:20] = struct.pack(">I", sum(durations))
                sub[1] = bytes(body)
    path.write_bytes(_build(boxes))


def timescale(path: Path) -> int:
    boxes = _parse(path.read_bytes())
    mdhd = _find(boxes, [b"moov", b"trak", b"mdia", b"mdhd"])[0][1]
    return struct.unpack(">I", mdhd[12:16])[0] if mdhd[0] == 0 else struct.unpack(">I", mdhd[20:24])[0]
