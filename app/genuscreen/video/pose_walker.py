"""The pose front end: find the walker with a pose model trained on real people, and follow it.

It needs no static background, so hand-held cameras and busy corridors are fine. Two streaming
passes over the file, so memory stays flat in clip length:

1. People scan: a few frames spread over the clip are searched for everybody in view
   (``people``); the walker is chosen among the tracks this gives, and everybody else gets a
   role (seated at the side, crossing behind, walking with the child...).
2. Tracking: the pose model follows the walker at the model's frame rate, in a square of the
   picture around the walker (magnified while the child is far away), with the other people
   greyed out so that it cannot drift onto them; each frame gives the walker's landmarks and
   mask (height-normalised into the canonical silhouette), and the camera's own motion is
   measured on the scene around the people. Where the model jumped to somebody else the track
   is cut, and only the pieces the scan confirms as the walker are kept.

The clip is tracked in a fixed number of parts at once (one pose model each, on their own
threads: the pose library runs one core per model), so the result does not depend on the
machine.
"""

from __future__ import annotations

import math
import os
import threading
import time
from dataclasses import dataclass, field

import cv2
import numpy as np

from genuscreen.video import people as people_mod
from genuscreen.video.blobs import box_iou
from genuscreen.video.errors import Cancelled
from genuscreen.video.people import ScanTrack, Sighting
from genuscreen.video.pose import PoseEstimator, leased_estimator
from genuscreen.video.skeleton import FEET, LEFT_ANKLE, NOSE, RIGHT_ANKLE
from genuscreen.video.sources import FileSource, VideoInfo
from genuscreen.video.walker import (
    CameraMotion,
    CancelCheck,
    Extraction,
    PersonTrack,
    ProgressCallback,
    WalkerFrame,
    canonical_silhouette,
    check_frame_size,
    measured_fps,
    resize,
    working_scale,
)


@dataclass(frozen=True)
class PoseParams:
    rate_hz: float = 15.0  # frames a second the pose model follows the walker at (the model's window rate)
    working_size: int = 1100  # about the long side of the frames the pose model sees (1080p is halved)
    scan_interval_s: float = 0.5  # time between the frames scanned for everybody in view
    max_scans: int = 14
    max_people: int = 4  # people looked for in one scanned frame
    min_person_height: float = 0.06  # share of the frame height; smaller people are ignored
    parts: int = 2  # parts of the clip tracked at once (fixed, so results do not depend on the machine)
    min_part_frames: int = 30  # shorter clips are tracked in one part
    mask_threshold: float = 0.5


@dataclass
class _Tracked:
    """What one analysed frame gave."""

    index: int
    time_s: float
    luma: float
    camera: np.ndarray  # camera position (full-frame px) within its part; NaN when not measured
    frame: WalkerFrame | None = None
    lost: bool = False  # the pose model was on somebody else and had to start again


@dataclass
class _Part:
    first: int  # first analysed frame index of this part
    stop: int  # one past the last frame index
    results: list[_Tracked] = field(default_factory=list)


def analysed(index: int, fps: float, rate_hz: float) -> bool:
    """Whether frame ``index`` is one of those the pose model looks at: about ``rate_hz`` a second,
    evenly spread (every frame when the video is slower)."""
    if fps <= rate_hz or index == 0:
        return True
    return int(index * rate_hz / fps) != int((index - 1) * rate_hz / fps)


def extract_walker_pose(
    source: FileSource | str | os.PathLike,
    params: PoseParams | None = None,
    progress: ProgressCallback | None = None,
    should_cancel: CancelCheck | None = None,
) -> Extraction:
    """Find and follow the walker in a video file with the pose model.

    Raises:
        VideoOpenError: the file cannot be read as a video.
        PoseModelError: the pose model cannot be loaded (the message names the file).
        Cancelled: the caller asked to stop.
    """
    params = params or PoseParams()
    own_source = not isinstance(source, FileSource)
    src = FileSource(source) if own_source else source
    try:
        return _extract(src, params, progress or (lambda *_: None), should_cancel or (lambda: False))
    finally:
        if own_source:
            src.close()


def _extract(src: FileSource, params: PoseParams, progress: ProgressCallback, cancelled: CancelCheck) -> Extraction:
    info = src.info
    check_frame_size(src)
    scale = working_scale(info, params.working_size)
    fps = info.fps
    expected = [i for i in range(info.frame_count) if analysed(i, fps, params.rate_hz)] if info.frame_count else []

    started = time.perf_counter()
    scans, thumbnails, frames_read = _scan(src, params, expected, scale, progress, cancelled)
    timings = {"people scan": time.perf_counter() - started}
    width, height = info.width, info.height
    tracks = people_mod.link_sightings(scans)
    candidates = [t for t in tracks if len(t.sightings) >= 2] or tracks
    scan_walker = None
    if candidates:
        scan_walker = max(candidates, key=lambda t: people_mod.walker_score(t, len(scans), width, height))
    others = [t for t in tracks if t is not scan_walker]

    started = time.perf_counter()
    tracked = _track(src.path, info, params, scale, scan_walker, others, frames_read, src.timestamps, progress, cancelled)
    timings["tracking"] = time.perf_counter() - started
    timestamps = np.array(src.timestamps)  # every frame's, from the scan's pass
    fps = measured_fps(timestamps, fps)
    duration = float(timestamps[-1] - timestamps[0] + 1.0 / fps) if len(timestamps) else 0.0
    segments = _segments(tracked)
    walker_segments, other_segments = _split_walker(segments, scan_walker, len(scans), width, height)
    walker = None
    if walker_segments:
        frames = sorted((f for seg in walker_segments for f in seg), key=lambda f: f.index)
        walker = PersonTrack(0, frames, 1.0, len(scan_walker.sightings) / max(1, len(scans)) if scan_walker else 0.0,
                             0.0, role="walker")  # fmt: skip
    people = _other_people(others, other_segments)
    if walker is not None:
        people_mod.assign_roles(_as_scan_track(walker.frames, -1), people, width)
    luma = np.full(frames_read, np.nan, np.float32)
    shift = np.full((frames_read, 2), np.nan, np.float32)
    for t in tracked:
        if t.index < frames_read:
            luma[t.index] = t.luma
            shift[t.index] = t.camera
    return Extraction(
        info=info,
        frames_read=frames_read,
        fps=fps,
        duration_s=duration,
        walker=walker,
        people=([walker] if walker else []) + [_as_person(t) for t in people],
        luma=luma,
        camera_shift=shift,
        foreground_share=np.zeros(0, np.float32),
        background_inpainted=0.0,
        used_empty_scene=False,
        detections={},
        thumbnails=thumbnails,
        scale=scale,
        front_end="pose",
        analysed_frames=len(tracked),
        timings=timings,
    )


def _scan_indices(expected: list[int], params: PoseParams) -> set[int]:
    if not expected:
        return set()
    step = max(1, int(round(params.scan_interval_s * params.rate_hz)))
    chosen = expected[::step]
    if len(chosen) > params.max_scans:
        picks = np.linspace(0, len(chosen) - 1, params.max_scans).round().astype(int)
        chosen = [chosen[k] for k in picks]
    return set(chosen)


def _scan(src: FileSource, params: PoseParams, expected: list[int], scale: float, progress, cancelled):
    """Everybody in view on a few frames: [per scanned frame: sightings], the frames at working
    scale (for a contact sheet), and the number of frames in the file."""
    wanted = _scan_indices(expected, params)
    images: list[tuple[int, float, np.ndarray]] = []
    for frame in src.frames(decode=lambda i: i in wanted):
        if cancelled():
            raise Cancelled()
        images.append((frame.index, frame.time_s, resize(frame.image, scale)))
    frames_read = src.frames_read
    if not images:  # a file without a frame count: scan the frames as they come
        return [], {}, frames_read
    results: list[list[Sighting]] = [[] for _ in images]
    done = [0]
    lock = threading.Lock()

    def work(ks: list[int]) -> None:
        with leased_estimator() as estimator:
            for k in ks:
                if cancelled():
                    raise Cancelled()
                index, time_s, image = images[k]
                found = _people_in(estimator, image, params)
                results[k] = [Sighting(index, time_s, _to_full(l, scale)) for l in found]
                with lock:
                    done[0] += 1
                    progress("people", done[0], len(images))

    _in_parallel(work, [list(range(len(images)))[p :: params.parts] for p in range(params.parts)])
    thumbnails = {index: image for index, _, image in images}
    return results, thumbnails, frames_read


def _people_in(estimator: PoseEstimator, image: np.ndarray, params: PoseParams) -> list[np.ndarray]:
    """Everybody the pose model finds in a frame (working scale). When nobody near is found, the
    middle of the picture is searched again magnified: a child at the far end of the walkway,
    where the walk starts, is too small for the detector in the whole picture."""
    height, width = image.shape[:2]
    found = people_mod.find_people(estimator, image, params.max_people, params.min_person_height)
    if any(people_mod.person_box(lm)[3] - people_mod.person_box(lm)[1] > _ZOOM_BELOW * height for lm in found):
        return found
    x0, y0 = int(width * (0.5 - _CENTRE_CROP[0] / 2)), int(height * (_CENTRE_CROP_MIDDLE - _CENTRE_CROP[1] / 2))
    x1, y1 = int(width * (0.5 + _CENTRE_CROP[0] / 2)), int(height * (_CENTRE_CROP_MIDDLE + _CENTRE_CROP[1] / 2))
    crop = image[y0:y1, x0:x1].copy()
    for landmarks in found:  # the people found already are not found twice
        people_mod.grey_out(crop, np.array(people_mod.person_box(landmarks)) - [x0, y0, x0, y0])
    smallest = params.min_person_height * height / max(1, y1 - y0)  # the same size in pixels as in the whole picture
    for landmarks in people_mod.find_people(estimator, crop, params.max_people, smallest):
        landmarks = landmarks.copy()
        landmarks[:, :2] += (x0, y0)
        found.append(landmarks)
    return found


def _to_full(landmarks: np.ndarray, scale: float) -> np.ndarray:
    out = landmarks.copy()
    out[:, :2] /= scale
    return out


def _in_parallel(work, chunks: list) -> None:
    """Run ``work(chunk)`` for every chunk on its own thread; the first error is raised here."""
    errors: list[BaseException] = []

    def run(chunk) -> None:
        try:
            work(chunk)
        except BaseException as error:  # raised on the caller's thread below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(c,), name="genuscreen-pose", daemon=True) for c in chunks if c]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        cancelled = [e for e in errors if isinstance(e, Cancelled)]
        raise (errors[0] if len(cancelled) == len(errors) else next(e for e in errors if not isinstance(e, Cancelled)))


def _parts(info: VideoInfo, frames_read: int, params: PoseParams) -> list[_Part]:
    indices = [i for i in range(frames_read) if analysed(i, info.fps, params.rate_hz)]
    n = params.parts if len(indices) >= params.parts * params.min_part_frames else 1
    bounds = [indices[round(k * len(indices) / n)] for k in range(n)] + [frames_read]
    return [_Part(bounds[k], bounds[k + 1]) for k in range(n)]


def _track(path, info, params, scale, walker_track, others, frames_read, times, progress, cancelled) -> list[_Tracked]:
    parts = _parts(info, frames_read, params)
    total = sum(1 for i in range(frames_read) if analysed(i, info.fps, params.rate_hz))
    done = [0]
    lock = threading.Lock()

    def tick() -> None:
        with lock:
            done[0] += 1
            progress("pose", done[0], total)

    interval = params.scan_interval_s * 1.5
    follower = _Follower(info, params, scale, walker_track, others, interval)

    def work(chunk: list[_Part]) -> None:
        for part in chunk:
            follower.track_part(path, part, tick, cancelled, times)

    _in_parallel(work, [[p] for p in parts])
    return _join_camera_paths(parts)


def _join_camera_paths(parts: list[_Part]) -> list[_Tracked]:
    """One camera path over the clip: each part's path continues from where the last one ended
    (the parts start at zero; the first step of a part is not measured)."""
    out: list[_Tracked] = []
    offset = np.zeros(2, np.float32)
    for part in parts:
        last = offset
        for t in part.results:
            if np.all(np.isfinite(t.camera)):
                t.camera = t.camera + offset
                last = t.camera
            out.append(t)
        offset = last
    return out


class _Follower:
    """Follows the walker through one part of the clip with its own pose model."""

    def __init__(self, info: VideoInfo, params: PoseParams, scale: float, walker: ScanTrack | None,
                 others: list[ScanTrack], interval_s: float):  # fmt: skip
        self.info = info
        self.params = params
        self.scale = scale
        self.walker = walker
        self.others = others
        self.interval_s = interval_s

    def track_part(self, path, part: _Part, tick, cancelled: CancelCheck, times: list[float]) -> None:
        fps, rate = self.info.fps, self.params.rate_hz
        motion = CameraMotion()
        previous_box = None
        zoom = None
        with FileSource(path) as src, leased_estimator() as estimator:
            wanted = lambda i: part.first <= i < part.stop and analysed(i, fps, rate)  # noqa: E731
            start_time = times[part.first] if 0 < part.first < len(times) else None
            for frame in src.frames(decode=wanted, start=part.first if start_time is not None else 0, start_time_s=start_time):
                if frame.index >= part.stop:
                    break
                if cancelled():
                    raise Cancelled()
                small = resize(frame.image, self.scale)
                gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
                expected = self._expected_walker(frame.time_s)
                others = self._others_at(frame.time_s)
                work = small.copy() if others else small
                keep = expected if expected is not None else previous_box
                for box in others:
                    people_mod.grey_out(work, box * self.scale, None if keep is None else keep * self.scale)
                tracked = _Tracked(frame.index, frame.time_s, float(cv2.mean(gray)[0]), np.full(2, np.nan, np.float32))
                window = self._zoom_window(frame.time_s, zoom)
                if window != zoom:
                    estimator.forget()  # the last landmarks were in another picture's coordinates
                zoom = window
                if zoom is not None:
                    x0, y0, x1, y1 = zoom
                    landmarks, crop_mask = self._estimate(estimator, work[y0:y1, x0:x1], expected, tracked, (x0, y0))
                    mask = None if crop_mask is None else np.zeros(gray.shape, np.uint8)
                    if mask is not None:
                        mask[y0:y1, x0:x1] = crop_mask
                else:
                    landmarks, mask = self._estimate(estimator, work, expected, tracked)
                people_mask = np.zeros(gray.shape, np.uint8)
                if landmarks is not None:
                    tracked.frame = self._person_frame(frame.index, frame.time_s, landmarks, mask, others)
                    if tracked.frame is not None:
                        previous_box = np.array(people_mod.person_box(landmarks))
                        people_mask |= mask
                for box in others:
                    x0, y0, x1, y1 = (int(round(v * self.scale)) for v in box)
                    people_mask[max(0, y0) : max(0, y1), max(0, x0) : max(0, x1)] = 1
                tracked.camera = self._camera(motion, gray, people_mask)
                part.results.append(tracked)
                tick()

    def _zoom_window(self, time_s: float, current) -> tuple[int, int, int, int] | None:
        """The square of the picture the pose model looks at (working-scale pixels), or None for
        the whole picture (when the scan found no walker). The model's detector sees a square
        picture: a wide frame loses a third of its resolution to the borders, and a child far
        away is then too small to be found. So it looks at a square around where the scan puts
        the walker (before the first sighting: where it was first seen, since a child walking
        toward the camera comes from there, only smaller), about twice the walker's height,
        moved only when the walker nears its edge so that tracking is not disturbed every frame."""
        if self.walker is None:
            return None
        w, h = self.info.width, self.info.height
        x0, y0, x1, y1 = np.clip(self.walker.box_at(time_s, math.inf, widen=False), 0, [w, h, w, h])
        height = y1 - y0
        side = min(w, h, max(_ZOOM_SIDE * height, _ZOOM_MIN_SIDE / self.scale))
        if current is not None:
            cx0, cy0, cx1, cy1 = (v / self.scale for v in current)
            inside = x0 >= cx0 and y0 >= cy0 and x1 <= cx1 and y1 <= cy1
            if inside and height >= 0.3 * (cy1 - cy0):
                return current
        cx, cy = (x0 + x1) / 2.0, (y0 + y1) / 2.0
        left, top = np.clip(cx - side / 2, 0, w - side), np.clip(cy - side / 2, 0, h - side)
        return tuple(int(round(v * self.scale)) for v in (left, top, left + side, top + side))

    def _estimate(self, estimator: PoseEstimator, work: np.ndarray, expected, tracked: _Tracked, offset=(0, 0)):
        """Landmarks (full-frame) and mask (of ``work``) of the person followed in ``work``, a
        working-scale image whose top-left corner is ``offset`` in the frame. When the scan says
        the walker is elsewhere, the model starts again from the detector with that person
        greyed out (once). (None, None) when nobody (or only somebody else) is found."""
        shift = np.array(offset, np.float32)
        for attempt in range(2):
            estimate = estimator.estimate(work)
            if estimate is None:
                return None, None
            landmarks = estimate.landmarks.copy()
            landmarks[:, :2] = (landmarks[:, :2] + shift) / self.scale
            box = np.array(people_mod.person_box(landmarks))
            if expected is None or _share_inside(box, expected) >= 0.5:
                return landmarks, (estimate.mask >= self.params.mask_threshold).astype(np.uint8)
            estimator.forget()
            tracked.lost = True
            if attempt == 0:
                work = work.copy()
                local = np.tile(shift, 2)
                people_mod.grey_out(work, box * self.scale - local, expected * self.scale - local)
        return None, None

    def _camera(self, motion: CameraMotion, gray: np.ndarray, people_mask: np.ndarray) -> np.ndarray:
        """The camera's position (full-frame pixels), followed on a picture about 320 pixels wide:
        enough for shake limits of a few per cent of the width."""
        factor = _MOTION_WIDTH / gray.shape[1]
        size = (_MOTION_WIDTH, max(1, round(gray.shape[0] * factor)))
        small_gray = cv2.resize(gray, size, interpolation=cv2.INTER_AREA)
        small_mask = cv2.resize(people_mask * 255, size, interpolation=cv2.INTER_NEAREST)
        return (motion.update(small_gray, small_mask) / factor / self.scale).astype(np.float32)

    def _expected_walker(self, time_s: float) -> np.ndarray | None:
        return None if self.walker is None else self.walker.box_at(time_s, self.interval_s)

    def _others_at(self, time_s: float) -> list[np.ndarray]:
        boxes = (t.box_at(time_s, self.interval_s) for t in self.others)
        return [b for b in boxes if b is not None]

    def _person_frame(self, index, time_s, landmarks, mask, others) -> WalkerFrame | None:
        """The followed person's frame from the pose model's mask (working scale) and landmarks (full)."""
        width, height = self.info.width, self.info.height
        s = self.scale
        x0, y0, x1, y1 = people_mod.person_box(landmarks)
        # The mask inside the person's region only: the model's mask can bleed onto a neighbour.
        h, w = mask.shape
        pad = 0.08 * (y1 - y0)
        rx0, ry0 = max(0, int((x0 - pad) * s)), max(0, int((y0 - pad) * s))
        rx1, ry1 = min(w, int((x1 + pad) * s) + 1), min(h, int((y1 + pad) * s) + 1)
        region = mask[ry0:ry1, rx0:rx1]
        ys, xs = np.nonzero(region)
        if len(ys) < 20:
            return None
        bx0, by0, bx1, by1 = xs.min(), ys.min(), xs.max() + 1, ys.max() + 1
        bits, crop = canonical_silhouette(region[by0:by1, bx0:bx1], (rx0 + bx0, ry0 + by0, rx0 + bx1, ry0 + by1), s)
        box = ((rx0 + bx0) / s, (ry0 + by0) / s, (rx0 + bx1) / s, (ry0 + by1) / s)
        edge = max(2.0, 0.01 * height)
        # Out of view: the nose, an ankle or a heel outside the picture (the model places
        # landmarks beyond its edge), or the nose or an ankle hardly seen at all. Its visibility
        # also drops for a leg behind the other, which is in view: hence the low bar.
        head_out = not _landmark_in_view(landmarks[NOSE], width, height, edge) or box[1] <= edge
        feet_out = (any(not _landmark_in_view(landmarks[k], width, height, edge) for k in (LEFT_ANKLE, RIGHT_ANKLE))
                    or any(not _inside(landmarks[k], width, height, edge) for k in FEET) or box[3] >= height - edge)  # fmt: skip
        merged = any(_share_inside(np.array(box), other) > 0.3 for other in others)
        return WalkerFrame(index, time_s, box, crop, merged, head_out, feet_out, bits, landmarks)


# Width of the picture the camera's own motion is followed on.
_MOTION_WIDTH = 320

# A landmark with less visibility than this is not in the picture (or hidden behind something).
_SEEN_AT_ALL = 0.2

# The part of the picture searched magnified when nobody near is found (width and height shares,
# and where its middle lies, as a share of the height): where a walkway toward the camera begins.
_CENTRE_CROP = (0.5, 0.55)
_CENTRE_CROP_MIDDLE = 0.47

# The pose model follows the walker in a square this many of the walker's heights wide (at most
# the picture's height, at least this many working-scale pixels).
_ZOOM_SIDE = 2.2
_ZOOM_MIN_SIDE = 128
# Nobody taller than this share of the picture's height found: the scan looks again, magnified.
_ZOOM_BELOW = 0.35

# Successive analysed frames show the same person when their boxes overlap this much, or the
# centre moved less than this share of the height without the size jumping.
_SAME_PERSON_IOU = 0.3
_SAME_PERSON_SHIFT = 0.35
_MAX_SEGMENT_GAP_S = 0.5


def _continues(a: WalkerFrame, b: WalkerFrame) -> bool:
    if b.time_s - a.time_s > _MAX_SEGMENT_GAP_S:
        return False
    if box_iou(a.box, b.box) >= _SAME_PERSON_IOU:
        return True
    ha, hb = max(a.box[3] - a.box[1], 1.0), max(b.box[3] - b.box[1], 1.0)
    shift = np.hypot((a.box[0] + a.box[2] - b.box[0] - b.box[2]) / 2.0, (a.box[1] + a.box[3] - b.box[1] - b.box[3]) / 2.0)
    return shift < _SAME_PERSON_SHIFT * max(ha, hb) and abs(np.log(ha / hb)) < 0.3


def _segments(tracked: list[_Tracked]) -> list[list[WalkerFrame]]:
    """The followed person's frames cut where the model lost them or jumped to somebody else."""
    segments: list[list[WalkerFrame]] = []
    current: list[WalkerFrame] = []
    for t in tracked:
        if t.lost and current:
            segments.append(current)
            current = []
        if t.frame is None:
            continue
        if current and not _continues(current[-1], t.frame):
            segments.append(current)
            current = []
        current.append(t.frame)
    if current:
        segments.append(current)
    return segments


def _matches(segment: list[WalkerFrame], track: ScanTrack) -> bool:
    """The segment is this scanned person: at a sighting inside the segment, the boxes agree."""
    by_index = {f.index: f for f in segment}
    for s in track.sightings:
        frame = by_index.get(s.index)
        if frame is not None and (_share_inside(np.array(frame.box), np.array(s.box)) >= 0.5 or box_iou(frame.box, s.box) >= 0.3):
            return True
    return False


def _split_walker(segments, scan_walker: ScanTrack | None, scans: int, width: int, height: int):
    """The walker's segments (those the scan's walker confirms, else the best one on its own),
    and the rest."""
    walker = [seg for seg in segments if scan_walker is not None and _matches(seg, scan_walker)]
    if not walker and segments:
        best = max(segments, key=lambda seg: people_mod.walker_score(_as_scan_track(seg, 0), scans, width, height)
                   + len(seg) / max(len(f) for f in segments))  # fmt: skip
        walker = [best]
    return walker, [seg for seg in segments if not any(seg is w for w in walker)]


def _other_people(scan_tracks: list[ScanTrack], segments: list[list[WalkerFrame]]) -> list[ScanTrack]:
    """Everybody else: people the scan saw twice or more, and people the model followed for a
    while that the scan did not see."""
    people = [t for t in scan_tracks if len(t.sightings) >= 2]
    for seg in segments:
        long_enough = seg[-1].time_s - seg[0].time_s >= 0.5
        if long_enough and not any(_matches(seg, t) or _adjoins(seg, t) for t in people):
            people.append(_as_scan_track(seg, 1000 + len(people)))
    return people


def _adjoins(segment: list[WalkerFrame], track: ScanTrack) -> bool:
    """The segment ends where the scanned person is next seen (or starts where they were last
    seen), within a second: the same person, followed where the scan did not see them."""
    ends = _as_scan_track(segment, -1).sightings
    if not ends:
        return False
    pairs = ((ends[-1], track.sightings[0]), (track.sightings[-1], ends[0]))
    return any(0.0 <= b.time_s - a.time_s <= 1.0 and people_mod.linkable(a, b) for a, b in pairs)


def _as_scan_track(frames: list[WalkerFrame], track_id: int) -> ScanTrack:
    return ScanTrack(track_id, [Sighting(f.index, f.time_s, f.landmarks) for f in frames if f.landmarks is not None])


def _inside(point: np.ndarray, width: int, height: int, edge: float) -> bool:
    x, y, _ = point
    return edge <= x <= width - edge and edge <= y <= height - edge


def _landmark_in_view(point: np.ndarray, width: int, height: int, edge: float) -> bool:
    return point[2] >= _SEEN_AT_ALL and _inside(point, width, height, edge)


def _share_inside(box: np.ndarray, region: np.ndarray) -> float:
    """Share of ``box``'s area inside ``region``."""
    ix = max(0.0, min(box[2], region[2]) - max(box[0], region[0]))
    iy = max(0.0, min(box[3], region[3]) - max(box[1], region[1]))
    area = max((box[2] - box[0]) * (box[3] - box[1]), 1e-6)
    return float(ix * iy / area)


def _as_person(track: ScanTrack) -> PersonTrack:
    """Another person as a track of boxes and landmarks at their sightings (no silhouette)."""
    frames = [
        WalkerFrame(s.index, s.time_s, s.box, s.box, False, False, False, None, s.landmarks) for s in track.sightings
    ]
    return PersonTrack(track.id + 1, frames, 1.0, 1.0, 0.0, role=track.role)
