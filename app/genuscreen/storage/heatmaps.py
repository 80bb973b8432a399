"""The compact heatmaps of a screening in an ``.npz`` file beside the database.

They are what a review needs besides the numbers in the result JSON: uint8 attention maps in
the model's window (64 x 44 per analysed frame), the window's box in the video frame, frame
indices and times, and the child's 0/1 silhouette in the same window. A 5 s clip takes about
30 KB compressed, a 60 s clip well under 1 MB. Written through a temporary file and renamed.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from genuscreen.files import atomic_output

FORMAT_VERSION = 1


def save_heatmaps(heatmaps, path: str | os.PathLike) -> Path:
    """Write ``heatmaps`` (inference.explain.FrameHeatmaps) to ``path`` atomically."""
    path = Path(path)
    arrays = {
        "format_version": np.array(FORMAT_VERSION),
        "maps": np.asarray(heatmaps.maps, np.uint8),
        "boxes": np.asarray(heatmaps.boxes, np.float32),
        "frame_indices": np.asarray(heatmaps.frame_indices, np.int64),
        "times_s": np.asarray(heatmaps.times_s, np.float64),
    }
    if getattr(heatmaps, "silhouettes", None) is not None:
        arrays["silhouettes"] = np.asarray(heatmaps.silhouettes, np.uint8)
    with atomic_output(path) as tmp:
        # A handle, not a name: numpy would append ".npz" to the temporary name.
        with open(tmp, "wb") as handle:
            np.savez_compressed(handle, **arrays)
    return path


def load_heatmaps(path: str | os.PathLike):
    """Read a file written by :func:`save_heatmaps` back into a FrameHeatmaps."""
    from genuscreen.inference.explain import FrameHeatmaps

    with np.load(Path(path), allow_pickle=False) as data:
        version = int(data["format_version"]) if "format_version" in data.files else 0
        if version > FORMAT_VERSION:
            raise ValueError(f"{Path(path).name} was written by a newer GenuScreen; update GenuScreen to read it")
        silhouettes = data["silhouettes"] if "silhouettes" in data.files else None
        return FrameHeatmaps(data["maps"], data["boxes"], data["frame_indices"], data["times_s"], silhouettes)
