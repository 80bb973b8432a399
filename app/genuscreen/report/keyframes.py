"""Key frames for the report: the frames the model weighed most, with the attention overlay.

Which frames: those with the largest total attention (the sum of the frame's heatmap, which
is scaled to the clip's strongest attention, so frames compare across the clip), taken
greedily from the top while keeping them at least a fraction of the walk apart, so that four
near-identical neighbours are not shown. They are read from the recording with ``FileSource``
(one pass, decoding only the chosen frames) and blended with ``inference.explain.overlay``;
with ``silhouettes_only`` the child's picture is replaced by the stored silhouette (privacy),
and the same happens when the recording is not available.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import cv2
import numpy as np

KEY_FRAME_HEIGHT = 320  # pixels of each picture in the PDF (about 150 dpi at the printed size)
_MARGIN = 0.06  # of the box height, around the child
_SILHOUETTE_INK = (70, 70, 70)  # BGR
_SILHOUETTE_PAPER = (236, 236, 236)


@dataclass(frozen=True)
class KeyFrame:
    position: int  # index into the heatmaps
    frame_index: int
    time_s: float
    score: float | None  # the per-frame risk score at this frame
    image: np.ndarray  # BGR uint8 picture for the report
    from_video: bool  # False: silhouette


def choose_key_frames(heatmaps, count: int = 4) -> list[int]:
    """Positions (into ``heatmaps``) of up to ``count`` frames with the largest total attention,
    at least ``min_gap_s(heatmaps, count)`` apart, in time order."""
    n = len(heatmaps.frame_indices)
    if n == 0 or count <= 0:
        return []
    mass = heatmaps.maps.reshape(n, -1).astype(np.int64).sum(axis=1)
    times = np.asarray(heatmaps.times_s, np.float64)
    gap = min_gap_s(heatmaps, count)
    chosen: list[int] = []
    for k in np.argsort(-mass, kind="stable"):
        if all(abs(times[k] - times[c]) >= gap for c in chosen):
            chosen.append(int(k))
        if len(chosen) == count:
            break
    return sorted(chosen, key=lambda k: times[k])


def min_gap_s(heatmaps, count: int) -> float:
    """Smallest time between two key frames: half the even spacing of ``count`` frames."""
    times = np.asarray(heatmaps.times_s, np.float64)
    if times.size < 2:
        return 0.0
    return float((times.max() - times.min()) / (2 * max(1, count)))


def _crop_box(box: np.ndarray, width: int, height: int) -> tuple[int, int, int, int]:
    x0, y0, x1, y1 = (float(v) for v in box)
    pad = _MARGIN * (y1 - y0)
    return (max(0, int(x0 - pad)), max(0, int(y0 - pad)), min(width, int(np.ceil(x1 + pad))),
            min(height, int(np.ceil(y1 + pad))))  # fmt: skip


def _resize_to_height(image: np.ndarray, height: int = KEY_FRAME_HEIGHT) -> np.ndarray:
    h, w = image.shape[:2]
    scale = height / max(1, h)
    return cv2.resize(image, (max(1, round(w * scale)), height), interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)


def silhouette_picture(heatmaps, k: int, opacity: float, colormap: int) -> np.ndarray:
    """Heatmap k over the child's silhouette in the model window (no picture of the child)."""
    from genuscreen.inference.explain import overlay  # imported here: the inference package loads torch

    heat = heatmaps.maps[k].astype(np.float32) / 255.0
    sil = heatmaps.silhouettes[k] if heatmaps.silhouettes is not None else np.zeros(heat.shape, np.uint8)
    big = (KEY_FRAME_HEIGHT, round(KEY_FRAME_HEIGHT * heat.shape[1] / heat.shape[0]))
    # Smooth the 64 x 44 mask's staircase before drawing it large; soft edges (alpha) anti-alias.
    scale = big[0] / heat.shape[0]
    soft = cv2.resize(sil.astype(np.float32), (big[1], big[0]), interpolation=cv2.INTER_LINEAR)
    soft = cv2.GaussianBlur(soft, (0, 0), sigmaX=0.6 * scale)
    alpha = np.clip((soft - 0.4) / 0.2, 0.0, 1.0)[..., None]
    paper = np.array(_SILHOUETTE_PAPER, np.float32)
    ink = np.array(_SILHOUETTE_INK, np.float32)
    canvas = (paper * (1 - alpha) + ink * alpha).astype(np.uint8)
    heat_big = cv2.resize(heat, (big[1], big[0]), interpolation=cv2.INTER_LINEAR)
    return overlay(canvas, heat_big, opacity, colormap, legend=False)


def render_key_frames(heatmaps, per_frame: list[dict], video: str | os.PathLike | None = None, count: int = 4,
                      silhouettes_only: bool = False, opacity: float = 0.45,
                      colormap: int = cv2.COLORMAP_JET) -> list[KeyFrame]:  # fmt: skip
    """The key frames as pictures. Without a readable ``video`` (or with ``silhouettes_only``)
    the pictures are silhouettes; ``KeyFrame.from_video`` tells which."""
    if heatmaps is None:
        return []
    positions = choose_key_frames(heatmaps, count)
    if not positions:
        return []
    scores = {int(p["frame"]): float(p["score"]) for p in per_frame}
    images: dict[int, np.ndarray] = {}
    if video is not None and not silhouettes_only:
        images = _read_overlays(video, heatmaps, positions, opacity, colormap)
    frames = []
    for k in positions:
        index = int(heatmaps.frame_indices[k])
        image = images.get(k)
        from_video = image is not None
        if image is None:
            image = silhouette_picture(heatmaps, k, opacity, colormap)
        frames.append(KeyFrame(k, index, float(heatmaps.times_s[k]), scores.get(index), image, from_video))
    return frames


def _read_overlays(video, heatmaps, positions: list[int], opacity: float, colormap: int) -> dict[int, np.ndarray]:
    """Overlay pictures of the chosen frames, cropped around the child; {} when the video
    cannot be read (the report then shows silhouettes)."""
    from genuscreen.inference.explain import overlay
    from genuscreen.video.errors import VideoError
    from genuscreen.video.sources import FileSource

    wanted = {int(heatmaps.frame_indices[k]): k for k in positions}
    last = max(wanted)
    out: dict[int, np.ndarray] = {}
    try:
        with FileSource(video) as source:
            for frame in source.frames(decode=lambda i: i in wanted):
                k = wanted[frame.index]
                h, w = frame.image.shape[:2]
                blended = overlay(frame.image, heatmaps.full_frame(k, w, h), opacity, colormap, legend=False)
                x0, y0, x1, y1 = _crop_box(heatmaps.boxes[k], w, h)
                if x1 - x0 >= 4 and y1 - y0 >= 4:
                    out[k] = _resize_to_height(blended[y0:y1, x0:x1])
                if frame.index >= last:
                    break
    except (VideoError, OSError, cv2.error):
        return {}
    return out
