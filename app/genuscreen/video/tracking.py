"""Frame-to-frame tracking of person blobs, robust to two people crossing.

Greedy association on box overlap with a constant-velocity prediction. When two tracks fall into
one merged blob (a crossing), each keeps its predicted box and takes the part of the merged
silhouette inside it, and its velocity is frozen until the blobs separate again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from genuscreen.video.blobs import Blob, box_iou, box_overlap_of

_MATCH_IOU = 0.15
_MERGE_COVER = 0.5  # share of a predicted box inside another track's blob that means "merged"
_VELOCITY_SMOOTHING = 0.5
_FRAGMENT_HEIGHT = 0.7  # a track shorter than this share of the blob that covers it is a body part


class TrackObservation:
    """What the tracker saw of one track in one frame (working-scale pixels).

    The silhouette is kept bit-packed: long clips hold thousands of these.
    """

    __slots__ = ("index", "time_s", "box", "merged", "_bits", "_shape")

    def __init__(self, index: int, time_s: float, box: tuple[int, int, int, int], mask: np.ndarray, merged: bool = False):
        self.index = index
        self.time_s = time_s
        self.box = box
        self.merged = merged  # True while the blob was shared with another track
        self._shape = mask.shape
        self._bits = np.packbits(mask.astype(bool), axis=None)

    @property
    def mask(self) -> np.ndarray:
        """[box h, box w] uint8 0/1 silhouette inside ``box``."""
        n = self._shape[0] * self._shape[1]
        return np.unpackbits(self._bits, count=n).reshape(self._shape)


@dataclass
class LiveTrack:
    id: int
    box: np.ndarray  # float x0, y0, x1, y1 of the last observation
    last_index: int
    velocity: np.ndarray = field(default_factory=lambda: np.zeros(4))
    observations: list[TrackObservation] = field(default_factory=list)

    def predict(self, index: int) -> np.ndarray:
        return self.box + self.velocity * (index - self.last_index)


class Tracker:
    """Keeps tracks alive across frames; call :meth:`update` once per frame with its blobs."""

    def __init__(self, max_missed_frames: int):
        self.max_missed_frames = max_missed_frames
        self.active: list[LiveTrack] = []
        self.finished: list[LiveTrack] = []
        self._next_id = 1

    def update(self, index: int, time_s: float, blobs: list[Blob]) -> None:
        predictions = [t.predict(index) for t in self.active]
        pairs = sorted(
            (
                (box_iou(p, b.box), ti, bi)
                for ti, p in enumerate(predictions)
                for bi, b in enumerate(blobs)
            ),
            reverse=True,
        )
        track_of_blob: dict[int, int] = {}
        blob_of_track: dict[int, int] = {}
        for iou, ti, bi in pairs:
            if iou < _MATCH_IOU:
                break
            if ti in blob_of_track or bi in track_of_blob:
                continue
            blob_of_track[ti] = bi
            track_of_blob[bi] = ti
        # Tracks left without a blob but covered by another track's blob: a crossing of two
        # people, or a fragment (legs, a head) of one person that is whole again. A fragment is
        # much shorter than the blob that swallowed it, and ends; crossing people keep sharing.
        sharing: dict[int, list[int]] = {}
        fragments: set[int] = set()
        for ti, p in enumerate(predictions):
            if ti in blob_of_track:
                continue
            for bi, b in enumerate(blobs):
                if bi in track_of_blob and box_overlap_of(p, b.box) >= _MERGE_COVER:
                    if (p[3] - p[1]) < _FRAGMENT_HEIGHT * b.height:
                        fragments.add(ti)
                    else:
                        sharing.setdefault(bi, []).append(ti)
                    break
        for ti, track in enumerate(self.active):
            if ti in blob_of_track:
                bi = blob_of_track[ti]
                merged = bi in sharing
                self._observe(track, index, time_s, blobs[bi], predictions[ti] if merged else None)
            else:
                for bi, sharers in sharing.items():
                    if ti in sharers:
                        self._observe(track, index, time_s, blobs[bi], predictions[ti])
                        break
        for bi, blob in enumerate(blobs):
            if bi not in track_of_blob:
                track = LiveTrack(self._next_id, np.array(blob.box, float), index)
                self._next_id += 1
                track.observations.append(TrackObservation(index, time_s, blob.box, blob.mask))
                self.active.append(track)
        still_active = []
        for ti, track in enumerate(list(self.active)):
            if ti in fragments or index - track.last_index > self.max_missed_frames:
                self.finished.append(track)
            else:
                still_active.append(track)
        self.active = still_active

    @staticmethod
    def _observe(
        track: LiveTrack, index: int, time_s: float, blob: Blob, predicted: np.ndarray | None
    ) -> None:
        if predicted is None:
            box = np.array(blob.box, float)
            step = max(1, index - track.last_index)
            delta = (box - track.box) / step
            track.velocity = _VELOCITY_SMOOTHING * track.velocity + (1 - _VELOCITY_SMOOTHING) * delta
            track.box = box
            track.last_index = index
            track.observations.append(TrackObservation(index, time_s, blob.box, blob.mask))
            return
        # Merged: take the part of the shared silhouette inside this track's predicted box.
        x0 = int(max(predicted[0], blob.box[0]))
        y0 = int(max(predicted[1], blob.box[1]))
        x1 = int(min(predicted[2], blob.box[2]))
        y1 = int(min(predicted[3], blob.box[3]))
        if x1 - x0 < 2 or y1 - y0 < 2:
            return
        mask = blob.mask[y0 - blob.box[1] : y1 - blob.box[1], x0 - blob.box[0] : x1 - blob.box[0]]
        track.box = predicted.copy()
        track.last_index = index
        track.observations.append(TrackObservation(index, time_s, (x0, y0, x1, y1), mask.copy(), merged=True))

    def all_tracks(self) -> list[LiveTrack]:
        return self.finished + self.active
