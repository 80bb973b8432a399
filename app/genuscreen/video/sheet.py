"""Contact sheet: a grid of frames with the walker's box and silhouette drawn, for a person to check."""

from __future__ import annotations

import os
from pathlib import Path

import cv2
import numpy as np

from genuscreen.video.walker import Extraction, PersonTrack, WalkerFrame

_WALKER = (60, 200, 60)  # BGR green
_OTHER = (0, 150, 255)  # orange
_DETECTION = (255, 160, 0)  # blue-ish: the people detector's boxes


def paste_silhouette(image: np.ndarray, frame: WalkerFrame, scale: float, colour: tuple[int, int, int]) -> None:
    """Tint the walker's canonical silhouette back onto ``image`` (drawn at ``scale`` of full frame)."""
    x0, y0, x1, y1 = (v * scale for v in frame.crop_box)
    w, h = int(round(x1 - x0)), int(round(y1 - y0))
    if w < 2 or h < 2:
        return
    mask = cv2.resize(frame.silhouette, (w, h), interpolation=cv2.INTER_NEAREST).astype(bool)
    ix0, iy0 = int(round(x0)), int(round(y0))
    H, W = image.shape[:2]
    cx0, cy0, cx1, cy1 = max(0, ix0), max(0, iy0), min(W, ix0 + w), min(H, iy0 + h)
    if cx1 <= cx0 or cy1 <= cy0:
        return
    region = image[cy0:cy1, cx0:cx1]
    sub = mask[cy0 - iy0 : cy1 - iy0, cx0 - ix0 : cx1 - ix0]
    region[sub] = (0.5 * region[sub] + 0.5 * np.array(colour)).astype(np.uint8)


def _frame_of(track: PersonTrack, index: int) -> WalkerFrame | None:
    indices = track.indices()
    k = int(np.searchsorted(indices, index))
    if k < len(indices) and indices[k] == index:
        return track.frames[k]
    return None


def contact_sheet(extraction: Extraction, columns: int = 6, tile_width: int = 320) -> np.ndarray:
    """Render the kept thumbnails with the walker (green), other people (orange) and detector boxes."""
    tiles = []
    for index in sorted(extraction.thumbnails):
        image = extraction.thumbnails[index].copy()
        s = extraction.scale
        for person in extraction.people:
            frame = _frame_of(person, index)
            if frame is None:
                continue
            is_walker = person is extraction.walker
            colour = _WALKER if is_walker else _OTHER
            paste_silhouette(image, frame, s, colour)
            x0, y0, x1, y1 = (int(round(v * s)) for v in frame.box)
            cv2.rectangle(image, (x0, y0), (x1 - 1, y1 - 1), colour, 2 if is_walker else 1)
            label = "walker" if is_walker else f"person {person.id}"
            cv2.putText(image, label, (x0, max(10, y0 - 4)), cv2.FONT_HERSHEY_SIMPLEX, 0.4, colour, 1, cv2.LINE_AA)
        for box in extraction.detections.get(index, []):
            x0, y0, x1, y1 = (int(round(v * s)) for v in box)
            cv2.rectangle(image, (x0, y0), (x1 - 1, y1 - 1), _DETECTION, 1)
        scale = tile_width / image.shape[1]
        tile = cv2.resize(image, (tile_width, max(1, int(round(image.shape[0] * scale)))), interpolation=cv2.INTER_AREA)
        stamp = f"#{index}"
        cv2.rectangle(tile, (0, 0), (8 + 8 * len(stamp), 16), (0, 0, 0), -1)
        cv2.putText(tile, stamp, (3, 12), cv2.FONT_HERSHEY_SIMPLEX, 0.4, (255, 255, 255), 1, cv2.LINE_AA)
        tiles.append(tile)
    if not tiles:
        return np.zeros((16, tile_width, 3), np.uint8)
    tile_h = max(t.shape[0] for t in tiles)
    rows = []
    for start in range(0, len(tiles), columns):
        row = [np.pad(t, ((0, tile_h - t.shape[0]), (0, 0), (0, 0))) for t in tiles[start : start + columns]]
        row += [np.zeros((tile_h, tile_width, 3), np.uint8)] * (columns - len(row))
        rows.append(np.hstack(row))
    return np.vstack(rows)


def write_contact_sheet(extraction: Extraction, path: str | os.PathLike, columns: int = 6) -> Path:
    """Write the contact sheet as PNG via a temporary file, so a failure leaves no half image."""
    path = Path(path)
    sheet = contact_sheet(extraction, columns)
    ok, data = cv2.imencode(".png", sheet)
    if not ok:
        raise OSError(f"Could not encode the contact sheet for {path}.")
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data.tobytes())
    os.replace(tmp, path)
    return path
