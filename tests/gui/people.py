"""Stand-in people for the GUI tests: a standing skeleton in a box, a followed person as a
screening result keeps it (``ScreeningResult.walker``), and a pose model that needs no library."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import numpy as np

from genuscreen.video.skeleton import LANDMARK_NAMES

# Where each landmark sits in the box of a person facing the camera (x, y as shares of the box).
# The person's left is on the right of the picture.
_MIDDLE = {"nose": (0.5, 0.07), "mouth_left": (0.53, 0.11), "mouth_right": (0.47, 0.11)}
_SIDE = {  # the person's right side; the left is mirrored
    "eye_inner": (0.48, 0.05), "eye": (0.46, 0.05), "eye_outer": (0.44, 0.05), "ear": (0.42, 0.07),
    "shoulder": (0.35, 0.2), "elbow": (0.3, 0.35), "wrist": (0.28, 0.48), "pinky": (0.27, 0.51),
    "index": (0.28, 0.52), "thumb": (0.3, 0.5), "hip": (0.4, 0.5), "knee": (0.42, 0.7),
    "ankle": (0.42, 0.9), "heel": (0.43, 0.93), "foot_index": (0.41, 0.97),
}  # fmt: skip


def standing_landmarks(box, visibility: float = 0.95, hidden: tuple[str, ...] = ()) -> np.ndarray:
    """[33, 3] landmarks of a person standing in ``box`` (x0, y0, x1, y1); ``hidden`` landmarks
    get visibility 0.1 (below what is drawn)."""
    x0, y0, x1, y1 = box
    out = np.zeros((len(LANDMARK_NAMES), 3), np.float32)
    for i, name in enumerate(LANDMARK_NAMES):
        side, _, part = name.partition("_")
        if name in _MIDDLE:
            fx, fy = _MIDDLE[name]
        elif side == "right":
            fx, fy = _SIDE[part]
        else:
            fx, fy = _SIDE[part]
            fx = 1.0 - fx
        out[i] = (x0 + fx * (x1 - x0), y0 + fy * (y1 - y0), 0.1 if name in hidden else visibility)
    return out


def followed_person(frames, fps: float = 25.0, landmarks: bool = True, hidden: tuple[str, ...] = ()) -> dict:
    """A walker track as a result keeps it: a person growing as they come closer."""
    boxes, marks = [], []
    for k, _frame in enumerate(frames):
        box = [140.0 - k, 60.0 - 2 * k, 180.0 + k, 150.0 + 2 * k]
        boxes.append(box)
        marks.append(standing_landmarks(box, hidden=hidden).round(1).tolist())
    return {"frames": [int(f) for f in frames], "times_s": [round(f / fps, 4) for f in frames], "boxes": boxes,
            "landmarks": marks if landmarks else None}  # fmt: skip


@dataclass
class Estimate:
    landmarks: np.ndarray


class FakePoseModel:
    """Finds a person standing in the middle of every frame, taking ``seconds`` a frame (the
    real model takes about 0.02 s). Records the threads it ran on."""

    def __init__(self, seconds: float = 0.02):
        self.seconds = seconds
        self.calls = 0
        self.threads: set[str] = set()
        self.closed = False

    def __call__(self) -> "FakePoseModel":  # the follower's factory
        self.threads.add(threading.current_thread().name)
        return self

    def estimate(self, image: np.ndarray) -> Estimate:
        self.threads.add(threading.current_thread().name)
        self.calls += 1
        time.sleep(self.seconds)
        h, w = image.shape[:2]
        return Estimate(standing_landmarks((0.4 * w, 0.2 * h, 0.6 * w, 0.9 * h)))

    def close(self) -> None:
        self.closed = True
