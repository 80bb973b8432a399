"""Walker extraction: find the child in a clip from a static camera and follow it.

Two streaming passes over the file, so memory stays flat in clip length:

1. Sample frames across the clip, estimate the background (or take the empty-scene reference)
   and run the HOG people detector on the samples.
2. Per frame: foreground against the background, shadows removed, blobs grouped, tracked; the
   camera's own motion and the brightness are measured on the way.

Then the walker is chosen among the tracks (the person walking toward the camera, whole body,
nearest the centre line, longest present) and its silhouettes are height-normalised into a
canonical frame whose position in the original frame is kept.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from typing import Callable

import cv2
import numpy as np

from genuscreen.video.background import ForegroundDetector, estimate_background, moving_region
from genuscreen.video.blobs import box_iou, find_blobs
from genuscreen.video.errors import Cancelled, VideoOpenError
from genuscreen.video.sources import FileSource, VideoInfo
from genuscreen.video.tracking import LiveTrack, Tracker

ProgressCallback = Callable[[str, int, int], None]
CancelCheck = Callable[[], bool]

# Canonical silhouette frame: height-normalised (the silhouette's box fills the height), centred
# on the silhouette's horizontal centroid, square so that wide strides still fit.
CANONICAL_SIZE = 128


# Below this many pixels on the short side nobody can be seen walking (the protocol asks for 480).
MIN_FRAME_SIDE = 96


@dataclass(frozen=True)
class ExtractionParams:
    working_size: int = 560  # about the long side of the frames the segmentation runs on (pixels)
    background_samples: int = 40
    detector_samples: int = 12  # frames the HOG people detector runs on
    sheet_frames: int = 24  # thumbnails kept for a contact sheet
    min_blob_fraction: float = 0.0006  # smallest blob, as a share of the frame area
    max_gap_s: float = 0.5  # a track survives this long without a blob
    min_person_height: float = 0.08  # people smaller than this share of frame height are ignored
    min_track_s: float = 0.4


@dataclass
class WalkerFrame:
    """The walker in one frame, in full-frame pixel coordinates of the upright video."""

    index: int
    time_s: float
    box: tuple[float, float, float, float]  # tight box of the silhouette, x0, y0, x1, y1
    crop_box: tuple[float, float, float, float]  # where the canonical frame lies in the full frame
    merged: bool  # shared a blob with another person (crossing); silhouette less certain
    touches_top: bool
    touches_bottom: bool
    _bits: np.ndarray | None = field(repr=False)  # None: only the box is known (a bystander)
    landmarks: np.ndarray | None = field(default=None, repr=False)  # [33, 3] from the pose model

    @property
    def has_silhouette(self) -> bool:
        return self._bits is not None

    @property
    def silhouette(self) -> np.ndarray:
        """[CANONICAL_SIZE, CANONICAL_SIZE] uint8 0/1 height-normalised silhouette (empty when
        only the box is known)."""
        if self._bits is None:
            return np.zeros((CANONICAL_SIZE, CANONICAL_SIZE), np.uint8)
        n = CANONICAL_SIZE * CANONICAL_SIZE
        return np.unpackbits(self._bits, count=n).reshape(CANONICAL_SIZE, CANONICAL_SIZE)


@dataclass
class PersonTrack:
    """A tracked blob over time with the numbers that decide whether it is a person / the walker."""

    id: int
    frames: list[WalkerFrame]
    person_like: float  # share of frames with an upright, person-sized silhouette
    detector_hits: float  # share of detector samples in which the people detector confirmed it
    score: float  # walker score (higher = more likely the child to screen)
    role: str = ""  # for people other than the walker, what they do (people.ROLES); pose front end

    @property
    def first_index(self) -> int:
        return self.frames[0].index

    @property
    def last_index(self) -> int:
        return self.frames[-1].index

    def indices(self) -> np.ndarray:
        return np.array([f.index for f in self.frames])

    def boxes(self) -> np.ndarray:
        return np.array([f.box for f in self.frames], float)

    def times(self) -> np.ndarray:
        return np.array([f.time_s for f in self.frames], float)


@dataclass
class Extraction:
    """Everything the quality gate and the clip builder need from a clip."""

    info: VideoInfo
    frames_read: int
    fps: float  # measured from timestamps (robust to a wrong header and to variable frame rate)
    duration_s: float
    walker: PersonTrack | None
    people: list[PersonTrack]  # every person-like track, the walker included
    luma: np.ndarray  # [frames_read] mean brightness per frame (0-255)
    camera_shift: np.ndarray  # [frames_read, 2] camera drift since the first frame (full-frame px; NaN: not measured)
    foreground_share: np.ndarray  # [frames_read] share of the frame that differs from the background
    background_inpainted: float  # share of background pixels never seen uncovered
    used_empty_scene: bool
    detections: dict[int, list[tuple[float, float, float, float]]]  # sample index -> HOG boxes (full-frame)
    thumbnails: dict[int, np.ndarray]  # frame index -> BGR image at working scale
    scale: float  # working scale / full scale
    front_end: str = "background"  # what found the people: "background" (model of the scene) or "pose"
    analysed_frames: int = 0  # frames the pose model looked at (pose front end)
    timings: dict = field(default_factory=dict)  # seconds per pass (pose front end: people scan, tracking)


def _check_cancel(should_cancel: CancelCheck | None) -> None:
    if should_cancel is not None and should_cancel():
        raise Cancelled()


def load_empty_scene(reference: np.ndarray | str | os.PathLike) -> np.ndarray:
    """An empty-scene reference as a BGR image: from an array, an image file or a short clip."""
    if isinstance(reference, np.ndarray):
        return reference
    path = os.fspath(reference)
    image = cv2.imread(path, cv2.IMREAD_COLOR)
    if image is not None:
        return image
    with FileSource(path) as source:
        frames = [f.image for f in source.frames()]
    if not frames:
        raise VideoOpenError(f"The empty-scene reference {path} has no frames.")
    return np.median(np.stack(frames[:60]), axis=0).astype(np.uint8)


class _Sampler:
    """Keeps about ``n`` frames evenly spread over a stream of unknown length (stride doubling).

    Each sample is paired with the frame ``gap`` frames later, to see what moves at that moment;
    only the motion region is kept, not the second frame.
    """

    def __init__(self, n: int, expected: int, gap: int):
        self.n = n
        self.gap = gap
        self.stride = max(1, expected // n) if expected > 0 else 1
        self.items: list[tuple[int, np.ndarray]] = []
        self.moving: dict[int, np.ndarray] = {}

    def wants(self, index: int) -> bool:
        return index % self.stride == 0 or (index >= self.gap and (index - self.gap) % self.stride == 0)

    def add(self, index: int, image: np.ndarray) -> None:
        partner_of = index - self.gap
        if partner_of % self.stride == 0 and partner_of not in self.moving:
            for i, sample in reversed(self.items):
                if i == partner_of:
                    self.moving[i] = moving_region(sample, image)
                    break
                if i < partner_of:
                    break
        if index % self.stride == 0:
            self.items.append((index, image))
        if len(self.items) >= 2 * self.n:
            self.stride *= 2
            self.items = [(i, im) for i, im in self.items if i % self.stride == 0]
            self.moving = {i: m for i, m in self.moving.items() if i % self.stride == 0}

    def stacks(self) -> tuple[np.ndarray, np.ndarray]:
        images = np.stack([im for _, im in self.items])
        moving = np.stack([self.moving.get(i, np.zeros(im.shape[:2], bool)) for i, im in self.items])
        return images, moving


def _people_detector() -> cv2.HOGDescriptor:
    hog = cv2.HOGDescriptor()
    hog.setSVMDetector(cv2.HOGDescriptor_getDefaultPeopleDetector())
    return hog


def _detect_people(hog: cv2.HOGDescriptor, image: np.ndarray) -> list[tuple[int, int, int, int]]:
    # HOG's window is 64x128: small frames are enlarged so that a child far away can still match.
    factor = 2.0 if image.shape[0] < 360 else 1.0
    work = cv2.resize(image, None, fx=factor, fy=factor) if factor != 1.0 else image
    if work.shape[0] < 128 or work.shape[1] < 64:  # smaller than the window: OpenCV corrupts its heap
        return []
    rects, weights = hog.detectMultiScale(work, winStride=(8, 8), padding=(8, 8), scale=1.08)
    boxes = []
    for (x, y, w, h), weight in zip(rects, np.ravel(weights)):
        if weight < 0.5:
            continue
        # HOG boxes have generous margins around the body; shrink to the person.
        boxes.append(
            (int((x + 0.15 * w) / factor), int((y + 0.07 * h) / factor), int((x + 0.85 * w) / factor), int((y + 0.93 * h) / factor))
        )
    return boxes


def check_frame_size(src: FileSource) -> None:
    """Refuse frames too small to see a child walking."""
    info = src.info
    if min(info.width, info.height) < MIN_FRAME_SIDE:
        raise VideoOpenError(
            f"{src.path.name} is only {info.width}x{info.height} pixels: too small to see a child walking. "
            "Record at 640x480 or more.",
            "too_small", name=src.path.name, width=info.width, height=info.height,
        )


def working_scale(info: VideoInfo, working_size: int) -> float:
    """The scale frames are analysed at: the long side near ``working_size``. An integer reduction
    keeps INTER_AREA on its fast path (a 720p frame: 0.3 ms instead of 2 ms)."""
    return 1.0 / max(1, round(max(info.width, info.height) / working_size))


def resize(image: np.ndarray, scale: float) -> np.ndarray:
    if scale == 1.0:
        return image
    h, w = image.shape[:2]
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA)


def extract_walker(
    source: FileSource | str | os.PathLike,
    empty_scene: np.ndarray | str | os.PathLike | None = None,
    params: ExtractionParams | None = None,
    progress: ProgressCallback | None = None,
    should_cancel: CancelCheck | None = None,
) -> Extraction:
    """Find and follow the walker in a video file.

    Args:
        source: a :class:`FileSource` or a path.
        empty_scene: optional empty-scene reference (image array, image file or clip).
        params: tuning; defaults suit 25-60 fps clips from 480p to 4K.
        progress: called as ``progress(stage, done, total)``.
        should_cancel: polled every frame; when it returns True, :class:`Cancelled` is raised.

    Raises:
        VideoOpenError: the file cannot be read as a video.
        Cancelled: the caller asked to stop.
    """
    params = params or ExtractionParams()
    own_source = not isinstance(source, FileSource)
    src = FileSource(source) if own_source else source
    try:
        return _extract(src, empty_scene, params, progress or (lambda *_: None), should_cancel)
    finally:
        if own_source:
            src.close()


def _extract(
    src: FileSource,
    empty_scene,
    params: ExtractionParams,
    progress: ProgressCallback,
    should_cancel: CancelCheck | None,
) -> Extraction:
    info = src.info
    check_frame_size(src)
    scale = working_scale(info, params.working_size)
    expected = info.frame_count

    # Pass 1: samples for the background and the people detector.
    sampler = _Sampler(params.background_samples, expected, gap=max(1, round(0.15 * info.fps)))
    for frame in src.frames(decode=sampler.wants):
        _check_cancel(should_cancel)
        sampler.add(frame.index, resize(frame.image, scale))
        progress("background", frame.index + 1, max(expected, frame.index + 1))
    frames_read = src.frames_read
    samples, moving = sampler.stacks()
    if empty_scene is not None:
        background = resize(load_empty_scene(empty_scene), 1.0)
        background = cv2.resize(background, (samples.shape[2], samples.shape[1]), interpolation=cv2.INTER_AREA)
        inpainted = 0.0
    else:
        background, inpainted = estimate_background(samples, moving)
    hog = _people_detector()
    step = max(1, len(sampler.items) // params.detector_samples)
    detections: dict[int, list[tuple[float, float, float, float]]] = {}
    for index, image in sampler.items[::step]:
        _check_cancel(should_cancel)
        detections[index] = [tuple(v / scale for v in b) for b in _detect_people(hog, image)]
    del samples, moving, sampler

    # Pass 2: segmentation and tracking, frame by frame.
    detector = ForegroundDetector(background)
    h, w = background.shape[:2]
    min_area = max(8, int(params.min_blob_fraction * h * w))
    times: list[float] = []
    luma = np.zeros(frames_read, np.float32)
    shifts = np.zeros((frames_read, 2), np.float32)
    foreground_share = np.zeros(frames_read, np.float32)
    sheet_every = max(1, frames_read // params.sheet_frames)
    thumbnails: dict[int, np.ndarray] = {}
    motion = CameraMotion()
    fps_guess = info.fps
    tracker = Tracker(max_missed_frames=max(2, int(params.max_gap_s * fps_guess)))
    for frame in src.frames():
        _check_cancel(should_cancel)
        i = frame.index
        if i >= frames_read:  # a file that grew or lied about its length the first time
            break
        small = resize(frame.image, scale)
        gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
        luma[i] = cv2.mean(gray)[0]
        foreground = detector(small)
        foreground_share[i] = cv2.countNonZero(foreground) / foreground.size
        tracker.update(i, frame.time_s, find_blobs(foreground, min_area))
        # Every other frame is enough to see a moving camera; NaN marks the frames not measured.
        if i % 2 == 0:  # every other frame, at half size: enough to see a moving camera
            half = (gray.shape[1] // 2, gray.shape[0] // 2)
            shifts[i] = 2.0 * motion.update(
                cv2.resize(gray, half, interpolation=cv2.INTER_AREA),
                cv2.resize(foreground, half, interpolation=cv2.INTER_NEAREST),
            ) / scale
        else:
            shifts[i] = np.nan
        times.append(frame.time_s)
        if i % sheet_every == 0 and len(thumbnails) < params.sheet_frames:
            thumbnails[i] = small
        progress("tracking", i + 1, frames_read)
    frames_read = min(frames_read, len(times))
    times_arr = np.array(times[:frames_read])
    fps = measured_fps(times_arr, info.fps)
    duration = float(times_arr[-1] - times_arr[0] + 1.0 / fps) if frames_read else 0.0

    people = _person_tracks(tracker.all_tracks(), detections, scale, (info.width, info.height), fps, params)
    walker = max(people, key=lambda t: t.score) if people else None
    return Extraction(
        info=info,
        frames_read=frames_read,
        fps=fps,
        duration_s=duration,
        walker=walker,
        people=people,
        luma=luma[:frames_read],
        camera_shift=shifts[:frames_read],
        foreground_share=foreground_share[:frames_read],
        background_inpainted=inpainted,
        used_empty_scene=empty_scene is not None,
        detections=detections,
        thumbnails=thumbnails,
        scale=scale,
    )


class CameraMotion:
    """Where the camera has drifted since the first frame, from corners followed by optical flow
    between successive measured frames. Most corners sit on the static scene, so their median
    displacement is the camera's own motion; a walker's corners are outvoted. Corners that fail
    a forward-backward check (occluded, on a bare wall) do not vote; a frame where too few agree
    is not measured (NaN) and the path carries on from the last measured position."""

    def __init__(self) -> None:
        self.previous: np.ndarray | None = None
        self.previous_still: np.ndarray | None = None
        self.position = np.zeros(2, np.float32)
        self._grow = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (9, 9))

    def update(self, gray: np.ndarray, foreground: np.ndarray) -> np.ndarray:
        """Camera position after this frame; ``foreground`` marks moving things to keep off."""
        nan = np.array([np.nan, np.nan], np.float32)
        previous, still = self.previous, self.previous_still
        self.previous = gray
        # Corners only on the scene, away from people: a walker's own motion must not vote.
        self.previous_still = (cv2.dilate(foreground, self._grow) == 0).astype(np.uint8)
        if previous is None:
            return self.position.copy()
        corners = cv2.goodFeaturesToTrack(previous, maxCorners=60, qualityLevel=0.01, minDistance=5, mask=still)
        if corners is None or len(corners) < 8:
            return nan
        params = dict(winSize=(15, 15), maxLevel=3)
        moved, status, _ = cv2.calcOpticalFlowPyrLK(previous, gray, corners, None, **params)
        back, status_back, _ = cv2.calcOpticalFlowPyrLK(gray, previous, moved, None, **params)
        start, end = corners[:, 0], moved[:, 0]
        good = (status[:, 0] == 1) & (status_back[:, 0] == 1) & (np.hypot(*(back[:, 0] - start).T) < 0.5)
        if good.sum() < 8:
            return nan
        shift = np.median(end[good] - start[good], axis=0)
        agreeing = np.hypot(*(end[good] - start[good] - shift).T) < 0.5
        if agreeing.mean() < 0.5:
            return nan
        self.position += shift.astype(np.float32)
        return self.position.copy()


def measured_fps(times: np.ndarray, header_fps: float) -> float:
    if times.size < 3:
        return header_fps
    dt = np.diff(times)
    dt = dt[dt > 0]
    if dt.size == 0:
        return header_fps
    return float(1.0 / np.median(dt))


def canonical_silhouette(mask: np.ndarray, box: tuple[int, int, int, int], scale: float = 1.0) -> tuple[np.ndarray, tuple]:
    """Height-normalise a silhouette into the canonical square.

    The one normalisation used for video and for synthetic training data alike.

    Args:
        mask: [box h, box w] 0/1 silhouette cut to its tight ``box``.
        box: x0, y0, x1, y1 of the mask in (working-scale) pixels.
        scale: working scale / full scale; the crop box is returned in full-frame pixels.

    Returns:
        (bit-packed [CANONICAL_SIZE, CANONICAL_SIZE] silhouette, crop box x0, y0, x1, y1)
    """
    x0, y0, x1, y1 = box
    bh, bw = mask.shape
    s = CANONICAL_SIZE / bh
    new_w = max(1, min(int(round(bw * s)), 4 * CANONICAL_SIZE))
    resized = cv2.resize(mask * 255, (new_w, CANONICAL_SIZE), interpolation=cv2.INTER_AREA) >= 128
    cols = resized.sum(axis=0)
    cx = float((cols * np.arange(new_w)).sum() / cols.sum()) if cols.sum() > 0 else new_w / 2.0
    left = int(round(cx - CANONICAL_SIZE / 2))
    canvas = np.zeros((CANONICAL_SIZE, CANONICAL_SIZE), bool)
    src_from, src_to = max(0, left), min(new_w, left + CANONICAL_SIZE)
    if src_to > src_from:
        canvas[:, src_from - left : src_to - left] = resized[:, src_from:src_to]
    # The canonical frame spans CANONICAL_SIZE / s working pixels horizontally, from x0 + left / s.
    crop = (
        (x0 + left / s) / scale,
        y0 / scale,
        (x0 + (left + CANONICAL_SIZE) / s) / scale,
        y1 / scale,
    )
    return np.packbits(canvas, axis=None), crop


def _person_tracks(
    tracks: list[LiveTrack],
    detections: dict[int, list],
    scale: float,
    frame_size: tuple[int, int],
    fps: float,
    params: ExtractionParams,
) -> list[PersonTrack]:
    width, height = frame_size
    edge = max(2.0, 0.01 * height)
    min_len = max(3, int(params.min_track_s * fps))
    people: list[PersonTrack] = []
    for track in tracks:
        obs = track.observations
        if len(obs) < min_len:
            continue
        boxes = np.array([o.box for o in obs], float) / scale
        bw = boxes[:, 2] - boxes[:, 0]
        bh = boxes[:, 3] - boxes[:, 1]
        upright = (bh >= 1.1 * bw) & (bh >= params.min_person_height * height)
        person_like = float(upright.mean())
        if person_like < 0.5:
            continue
        hits = seen = 0
        indices = np.array([o.index for o in obs])
        for sample_index, boxes_here in detections.items():
            k = np.searchsorted(indices, sample_index)
            if k < len(indices) and indices[k] == sample_index:
                seen += 1
                if any(box_iou(boxes[k], d) > 0.3 for d in boxes_here):
                    hits += 1
        detector_hits = hits / seen if seen else 0.0
        frames = []
        for o, box in zip(obs, boxes):
            bits, crop = canonical_silhouette(o.mask, o.box, scale)
            frames.append(
                WalkerFrame(
                    index=o.index,
                    time_s=o.time_s,
                    box=tuple(float(v) for v in box),
                    crop_box=crop,
                    merged=o.merged,
                    touches_top=bool(box[1] <= edge),
                    touches_bottom=bool(box[3] >= height - edge),
                    _bits=bits,
                )
            )
        people.append(
            PersonTrack(track.id, frames, person_like, detector_hits, _walker_score(boxes, width, height, person_like, detector_hits, len(obs)))
        )
    return people


def _walker_score(boxes: np.ndarray, width: int, height: int, person_like: float, detector_hits: float, n: int) -> float:
    """Higher for the child to screen: long-present, approaching, whole-body, central, confirmed."""
    bh = boxes[:, 3] - boxes[:, 1]
    cx = (boxes[:, 0] + boxes[:, 2]) / 2.0
    k = max(1, len(bh) // 5)
    approach = math.log(max(np.median(bh[-k:]), 1.0) / max(np.median(bh[:k]), 1.0)) / math.log(3.0)
    centre = 1.0 - float(np.mean(np.abs(cx - width / 2.0))) / (width / 2.0)
    whole = float(np.mean((boxes[:, 1] > 0.01 * height) & (boxes[:, 3] < 0.99 * height)))
    size = float(np.median(bh)) / height
    return (
        2.0 * math.log1p(n) / math.log1p(1000)
        + 1.5 * person_like
        + 1.0 * detector_hits
        + 0.75 * centre
        + 0.5 * whole
        + 1.0 * float(np.clip(approach, 0.0, 1.0))
        + 1.0 * size
    )
