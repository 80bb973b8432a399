"""Helpers for tests: small videos with known truth, made on the fly."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np


def write_frames(path: Path, frames, fps: float = 25.0, fourcc: str = "mp4v") -> Path:
    """Write BGR frames to a video file with OpenCV (test helper)."""
    frames = list(frames)
    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*fourcc), fps, (w, h))
    assert writer.isOpened(), f"cannot write {path}"
    for frame in frames:
        writer.write(np.ascontiguousarray(frame))
    writer.release()
    return path


def textured_background(height: int, width: int, seed: int = 0) -> np.ndarray:
    """A static scene with blocks of colour and mild texture (no person)."""
    rng = np.random.default_rng(seed)
    small = rng.integers(60, 200, size=(max(2, height // 40), max(2, width // 40), 3), dtype=np.uint8)
    image = cv2.resize(small, (width, height), interpolation=cv2.INTER_NEAREST)
    noise = rng.normal(0, 6, size=image.shape)
    return np.clip(image + noise, 0, 255).astype(np.uint8)


def draw_person(image: np.ndarray, mask: np.ndarray, cx: float, bottom: float, height: float, colour, phase: float) -> None:
    """A simple upright person shape: head, trunk and two legs that swing with ``phase`` (radians)."""
    h = height
    head_r = int(0.08 * h)
    top = bottom - h
    parts = []
    cv2.circle(image, (int(cx), int(top + head_r)), head_r, colour, -1)
    cv2.circle(mask, (int(cx), int(top + head_r)), head_r, 255, -1)
    trunk = np.array([[cx - 0.13 * h, top + 2 * head_r], [cx + 0.13 * h, top + 2 * head_r],
                      [cx + 0.11 * h, bottom - 0.48 * h], [cx - 0.11 * h, bottom - 0.48 * h]], np.int32)
    parts.append(trunk)
    for side in (-1, 1):
        swing = side * np.sin(phase) * 0.12 * h
        hip = (cx + side * 0.06 * h, bottom - 0.48 * h)
        foot = (cx + side * 0.06 * h + swing, bottom)
        leg = np.array([[hip[0] - 0.045 * h, hip[1]], [hip[0] + 0.045 * h, hip[1]],
                        [foot[0] + 0.035 * h, foot[1]], [foot[0] - 0.035 * h, foot[1]]], np.int32)
        parts.append(leg)
    cv2.fillPoly(image, parts, colour)
    cv2.fillPoly(mask, parts, 255)
