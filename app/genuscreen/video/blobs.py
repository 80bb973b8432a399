"""From a raw foreground mask to person-sized blobs with clean silhouettes."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 (x1, y1 exclusive), working-scale pixels


@dataclass
class Blob:
    """A connected group of foreground: a person candidate in one frame."""

    box: Box
    area: int
    mask: np.ndarray  # [y1-y0, x1-x0] uint8 0/1, the silhouette inside ``box``

    @property
    def height(self) -> int:
        return self.box[3] - self.box[1]

    @property
    def width(self) -> int:
        return self.box[2] - self.box[0]

    @property
    def centre(self) -> tuple[float, float]:
        return (self.box[0] + self.box[2]) / 2.0, (self.box[1] + self.box[3]) / 2.0


def fill_holes(mask: np.ndarray) -> np.ndarray:
    """Fill enclosed holes of a 0/1 mask (flood the outside from a padded border)."""
    padded = np.pad(mask, 1).astype(np.uint8)
    flood = padded.copy()
    ff_mask = np.zeros((padded.shape[0] + 2, padded.shape[1] + 2), np.uint8)
    cv2.floodFill(flood, ff_mask, (0, 0), 1)
    holes = flood == 0
    padded[holes] = 1
    return padded[1:-1, 1:-1]


def find_blobs(foreground: np.ndarray, min_area: int) -> list[Blob]:
    """Clean a raw mask and group it into person candidates.

    Limbs often separate from the trunk where clothing matches the background (a belt, pale
    shins), so components are grouped by a vertically stretched dilation; each group's silhouette
    is the original foreground inside it, closed and hole-filled, with small specks dropped.
    """
    h, w = foreground.shape
    mask = cv2.morphologyEx(foreground, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_CROSS, (3, 3)))
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5)))
    grow_y = max(3, h // 40) | 1
    grow_x = max(3, w // 160) | 1
    grouped = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (grow_x, grow_y)))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(grouped, connectivity=8)
    blobs: list[Blob] = []
    for label in range(1, count):
        x, y, bw, bh, _ = stats[label]
        region = labels[y : y + bh, x : x + bw] == label
        part = (mask[y : y + bh, x : x + bw] * region).astype(np.uint8)
        area = int(part.sum())
        if area < min_area:
            continue
        part = _drop_specks(part, max(min_area // 4, int(area * 0.02)))
        part = fill_holes(part)
        ys, xs = np.nonzero(part)
        if ys.size == 0:
            continue
        y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
        blobs.append(
            Blob((int(x + x0), int(y + y0), int(x + x1), int(y + y1)), int(part.sum()), part[y0:y1, x0:x1].copy())
        )
    return _merge_stacked(blobs)


def _merge_stacked(blobs: list[Blob]) -> list[Blob]:
    """Join pieces stacked on one another (a head above a trunk whose shirt matches the wall).

    Two blobs merge when they overlap horizontally by half of the narrower one and the vertical
    gap between them is under a quarter of the taller one's height.
    """
    merged = True
    while merged and len(blobs) > 1:
        merged = False
        for a in range(len(blobs)):
            for b in range(a + 1, len(blobs)):
                p, q = blobs[a], blobs[b]
                overlap = min(p.box[2], q.box[2]) - max(p.box[0], q.box[0])
                gap = max(p.box[1], q.box[1]) - min(p.box[3], q.box[3])
                if overlap >= 0.5 * min(p.width, q.width) and gap < 0.25 * max(p.height, q.height):
                    blobs[a] = _union(p, q)
                    del blobs[b]
                    merged = True
                    break
            if merged:
                break
    return blobs


def _union(p: Blob, q: Blob) -> Blob:
    x0, y0 = min(p.box[0], q.box[0]), min(p.box[1], q.box[1])
    x1, y1 = max(p.box[2], q.box[2]), max(p.box[3], q.box[3])
    mask = np.zeros((y1 - y0, x1 - x0), np.uint8)
    for blob in (p, q):
        bx0, by0, bx1, by1 = blob.box
        mask[by0 - y0 : by1 - y0, bx0 - x0 : bx1 - x0] |= blob.mask
    return Blob((x0, y0, x1, y1), p.area + q.area, mask)


def _drop_specks(mask: np.ndarray, min_area: int) -> np.ndarray:
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    keep = stats[:, cv2.CC_STAT_AREA] >= min_area
    keep[0] = False
    return keep[labels].astype(np.uint8)


def box_iou(a: Box | np.ndarray, b: Box | np.ndarray) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return float(inter / union) if union > 0 else 0.0


def box_overlap_of(a: Box | np.ndarray, b: Box | np.ndarray) -> float:
    """Share of box ``a`` that lies inside box ``b``."""
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    area = (a[2] - a[0]) * (a[3] - a[1])
    return float(ix * iy / area) if area > 0 else 0.0
