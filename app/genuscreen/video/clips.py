"""Model-ready clips: height-normalised, centred silhouette windows at a fixed frame rate.

Every clip frame keeps the rectangle of the original frame it was cut from (``crop_boxes``), so
anything computed on a clip (an attention map, a joint) can be drawn back onto the video.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from genuscreen.video.walker import CANONICAL_SIZE, PersonTrack, WalkerFrame


@dataclass(frozen=True)
class ClipSpec:
    """Shape and rate of the model's input windows."""

    frames: int = 16  # T
    height: int = 64  # H
    width: int = 44  # W (the silhouette is centred; width/height below 1 keeps the arms in view)
    fps: float = 15.0  # frames are resampled to this rate by their timestamps
    stride: int = 8  # frames between the starts of consecutive windows

    def __post_init__(self):
        if self.frames < 1 or self.height < 8 or self.width < 8 or self.fps <= 0 or self.stride < 1:
            raise ValueError(f"invalid clip spec {self}")
        if self.width > self.height:
            raise ValueError("clip width must not exceed its height (silhouettes are height-normalised)")

    @property
    def duration_s(self) -> float:
        return self.frames / self.fps


@dataclass
class Clip:
    silhouettes: np.ndarray  # [T, H, W] float32 in [0, 1]
    crop_boxes: np.ndarray  # [T, 4] float32: x0, y0, x1, y1 in full-frame pixels of each clip frame
    frame_indices: np.ndarray  # [T] int: the video frame each clip frame came from
    times_s: np.ndarray  # [T] float: the resampled times


def usable(frame: WalkerFrame) -> bool:
    """A frame can feed the model: whole body in view and not merged with another person."""
    return not (frame.touches_top or frame.touches_bottom or frame.merged)


def usable_runs(track: PersonTrack, max_gap_s: float = 0.25) -> list[list[WalkerFrame]]:
    """Consecutive usable frames of a track, split where the walker was lost or unusable."""
    runs: list[list[WalkerFrame]] = []
    current: list[WalkerFrame] = []
    for frame in track.frames:
        if not usable(frame) or (current and frame.time_s - current[-1].time_s > max_gap_s):
            if current:
                runs.append(current)
            current = [frame] if usable(frame) else []
        else:
            current.append(frame)
    if current:
        runs.append(current)
    return runs


def model_frame(frame: WalkerFrame, spec: ClipSpec) -> tuple[np.ndarray, np.ndarray]:
    """The silhouette at the model's size and the full-frame rectangle it covers."""
    keep = int(round(CANONICAL_SIZE * spec.width / spec.height))
    left = (CANONICAL_SIZE - keep) // 2
    canonical = frame.silhouette[:, left : left + keep].astype(np.float32)
    image = cv2.resize(canonical, (spec.width, spec.height), interpolation=cv2.INTER_AREA)
    x0, y0, x1, y1 = frame.crop_box
    span = x1 - x0
    box = np.array([x0 + span * left / CANONICAL_SIZE, y0, x0 + span * (left + keep) / CANONICAL_SIZE, y1], np.float32)
    return np.clip(image, 0.0, 1.0), box


def build_clips(track: PersonTrack, spec: ClipSpec = ClipSpec()) -> list[Clip]:
    """Cut a walker's usable frames into overlapping windows of ``spec.frames`` at ``spec.fps``."""
    clips: list[Clip] = []
    for run in usable_runs(track, max_gap_s=max(0.25, 2.5 / spec.fps)):
        times = np.array([f.time_s for f in run])
        grid = np.arange(times[0], times[-1] + 0.5 / spec.fps, 1.0 / spec.fps)
        if grid.size < spec.frames:
            continue
        nearest = np.clip(np.searchsorted(times, grid), 0, len(run) - 1)
        before = np.clip(nearest - 1, 0, len(run) - 1)
        pick = np.where(np.abs(times[before] - grid) <= np.abs(times[nearest] - grid), before, nearest)
        cache: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for start in range(0, grid.size - spec.frames + 1, spec.stride):
            window = pick[start : start + spec.frames]
            frames = [cache.setdefault(int(k), model_frame(run[int(k)], spec)) for k in window]
            clips.append(
                Clip(
                    silhouettes=np.stack([f[0] for f in frames]),
                    crop_boxes=np.stack([f[1] for f in frames]),
                    frame_indices=np.array([run[int(k)].index for k in window]),
                    times_s=grid[start : start + spec.frames].copy(),
                )
            )
    return clips
