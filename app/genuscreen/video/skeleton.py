"""The 33 body landmarks of the pose model and how they connect, as plain data.

No pose library is imported here, so views and reports can draw a stored skeleton on any
installation. Landmarks are stored per frame as ``[33, 3]`` arrays: x and y in full-frame pixels
of the upright video, and the model's visibility (0-1). "Left" is the person's own left: on a
child facing the camera it appears on the right of the picture.
"""

from __future__ import annotations

import numpy as np

LANDMARK_NAMES = (
    "nose", "left_eye_inner", "left_eye", "left_eye_outer", "right_eye_inner", "right_eye",
    "right_eye_outer", "left_ear", "right_ear", "mouth_left", "mouth_right", "left_shoulder",
    "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_pinky",
    "right_pinky", "left_index", "right_index", "left_thumb", "right_thumb", "left_hip",
    "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle", "left_heel",
    "right_heel", "left_foot_index", "right_foot_index",
)  # fmt: skip
N_LANDMARKS = len(LANDMARK_NAMES)

NOSE = 0
LEFT_SHOULDER, RIGHT_SHOULDER = 11, 12
LEFT_HIP, RIGHT_HIP = 23, 24
LEFT_KNEE, RIGHT_KNEE = 25, 26
LEFT_ANKLE, RIGHT_ANKLE = 27, 28
LEFT_HEEL, RIGHT_HEEL = 29, 30
LEFT_FOOT, RIGHT_FOOT = 31, 32

HEAD = tuple(range(0, 11))  # nose, eyes, ears, mouth
FEET = (LEFT_ANKLE, RIGHT_ANKLE, LEFT_HEEL, RIGHT_HEEL)
LEGS = (LEFT_HIP, RIGHT_HIP, LEFT_KNEE, RIGHT_KNEE, LEFT_ANKLE, RIGHT_ANKLE)

# Bones to draw (the pose model's own connection list, face details left out).
SKELETON_EDGES = (
    (LEFT_SHOULDER, RIGHT_SHOULDER), (LEFT_SHOULDER, 13), (13, 15), (RIGHT_SHOULDER, 14), (14, 16),
    (LEFT_SHOULDER, LEFT_HIP), (RIGHT_SHOULDER, RIGHT_HIP), (LEFT_HIP, RIGHT_HIP),
    (LEFT_HIP, LEFT_KNEE), (LEFT_KNEE, LEFT_ANKLE), (LEFT_ANKLE, LEFT_HEEL), (LEFT_HEEL, LEFT_FOOT),
    (LEFT_ANKLE, LEFT_FOOT),
    (RIGHT_HIP, RIGHT_KNEE), (RIGHT_KNEE, RIGHT_ANKLE), (RIGHT_ANKLE, RIGHT_HEEL), (RIGHT_HEEL, RIGHT_FOOT),
    (RIGHT_ANKLE, RIGHT_FOOT),
    (9, 10), (NOSE, 2), (NOSE, 5), (2, 7), (5, 8),
)  # fmt: skip
# Which side each bone belongs to, for colouring: -1 the person's left, 1 the right, 0 the middle.
EDGE_SIDES = tuple(
    -1 if LANDMARK_NAMES[a].startswith("left") and LANDMARK_NAMES[b].startswith("left")
    else 1 if LANDMARK_NAMES[a].startswith("right") and LANDMARK_NAMES[b].startswith("right")
    else 0
    for a, b in SKELETON_EDGES
)  # fmt: skip

# A landmark below this visibility is not drawn and not measured.
MIN_VISIBILITY = 0.5


def visible(landmarks: np.ndarray, indices, min_visibility: float = MIN_VISIBILITY) -> np.ndarray:
    """Bool per index: the landmark is visible enough to use."""
    return landmarks[list(indices), 2] >= min_visibility


def landmark_box(landmarks: np.ndarray, min_visibility: float = 0.0) -> tuple[float, float, float, float]:
    """x0, y0, x1, y1 around the landmarks (those at least ``min_visibility``; all when none)."""
    keep = landmarks[:, 2] >= min_visibility
    points = landmarks[keep] if keep.any() else landmarks
    return (float(points[:, 0].min()), float(points[:, 1].min()), float(points[:, 0].max()), float(points[:, 1].max()))
