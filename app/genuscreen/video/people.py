"""Everybody in view, from the pose model: who is the walker, and who else is there.

The pose model follows one person. To choose that person well in a corridor with other people,
a few frames spread over the clip are scanned for everybody in view: the model finds the most
prominent person, that person is greyed out, and it looks again. Sightings in successive scanned
frames are linked into tracks; the walker is the track that walks (toward the camera above all)
with its whole body in view; every other track gets a role, so that the report can name a seated
bystander or a child crossing behind, and the gate can refuse a second person walking with the
child.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from genuscreen.video.skeleton import (
    FEET,
    HEAD,
    LEFT_ANKLE,
    LEFT_HIP,
    LEFT_SHOULDER,
    LEGS,
    MIN_VISIBILITY,
    RIGHT_ANKLE,
    RIGHT_HIP,
    RIGHT_SHOULDER,
)

# Roles of the people who are not the walker.
COMPANION = "companion"  # walks with the child, at the child's distance: the clip is refused
CROSSING = "crossing"  # walks across the picture
SEATED = "seated"
STANDING = "standing"
PASSING = "passing"  # walks, but elsewhere in the picture
ROLES = (COMPANION, CROSSING, SEATED, STANDING, PASSING)

_GREY = (128, 128, 128)
# Sightings in successive scans are the same person when their cost (position and size change in
# body heights) is below this plus this much a second between them: a child walking moves about a
# body height a second; a jump of one in 0.4 s is somebody else.
MAX_LINK_COST = 0.3
MAX_LINK_COST_PER_S = 1.0


def linkable(a: "Sighting", b: "Sighting") -> bool:
    """Whether ``b`` can be the person of ``a``, seen again later."""
    return link_cost(a, b) <= MAX_LINK_COST + MAX_LINK_COST_PER_S * abs(b.time_s - a.time_s)
# Sightings of two people this close in time are compared as one moment (half a frame at 15/s).
_SAME_MOMENT_S = 0.034
# A person's box (arms down or swinging, sitting included) is at most this wide for its height.
_MAX_WIDTH_TO_HEIGHT = 1.2
# Legs this short against the torso (vertical extent) mean the person sits.
_SEATED_LEG_TO_TORSO = 0.9


@dataclass
class Sighting:
    """A person found in one scanned frame."""

    index: int
    time_s: float
    landmarks: np.ndarray  # [33, 3] x, y (full-frame pixels), visibility

    @property
    def box(self) -> tuple[float, float, float, float]:
        return person_box(self.landmarks)

    @property
    def height(self) -> float:
        x0, y0, x1, y1 = self.box
        return max(y1 - y0, 1.0)

    @property
    def centre(self) -> tuple[float, float]:
        x0, y0, x1, y1 = self.box
        return (x0 + x1) / 2.0, (y0 + y1) / 2.0


@dataclass
class ScanTrack:
    """One person over the scanned frames."""

    id: int
    sightings: list[Sighting] = field(default_factory=list)
    role: str = ""

    def times(self) -> np.ndarray:
        return np.array([s.time_s for s in self.sightings])

    def boxes(self) -> np.ndarray:
        return np.array([s.box for s in self.sightings], float)

    def heights(self) -> np.ndarray:
        boxes = self.boxes()
        return np.maximum(boxes[:, 3] - boxes[:, 1], 1.0)

    def box_at(self, time_s: float, interval_s: float, widen: bool = True) -> np.ndarray | None:
        """Where the person probably is at ``time_s``: interpolated between sightings, held (and,
        with ``widen``, widened) up to ``interval_s`` beyond the first and last; None further."""
        times, boxes = self.times(), self.boxes()
        if time_s < times[0] - interval_s or time_s > times[-1] + interval_s:
            return None
        box = np.array([np.interp(time_s, times, boxes[:, k]) for k in range(4)])
        if not widen:
            return box
        outside = max(times[0] - time_s, time_s - times[-1], 0.0)
        # Between two sightings the person may have moved anywhere on the way: widen by the
        # local motion, and by a fixed share beyond the ends.
        k = int(np.clip(np.searchsorted(times, time_s), 1, len(times) - 1)) if len(times) > 1 else 0
        motion = np.abs(boxes[k] - boxes[k - 1]) / 2.0 if len(times) > 1 else np.zeros(4)
        height = box[3] - box[1]
        margin = 0.1 * height + 0.5 * height * outside / max(interval_s, 1e-6)
        return box + np.array([-1, -1, 1, 1]) * (motion + margin)


def person_box(landmarks: np.ndarray) -> tuple[float, float, float, float]:
    """The whole person around their landmarks: the landmarks stop at the eyes and the toes, so
    the box is raised by the top of the head and widened by the arms' flesh."""
    x0, y0 = landmarks[:, 0].min(), landmarks[:, 1].min()
    x1, y1 = landmarks[:, 0].max(), landmarks[:, 1].max()
    h = max(y1 - y0, 1.0)
    return (float(x0 - 0.05 * h), float(y0 - 0.1 * h), float(x1 + 0.05 * h), float(y1 + 0.02 * h))


def plausible_person(landmarks: np.ndarray, frame_height: int, min_height: float) -> bool:
    """Enough of a body seen, big enough and not too wide, to count as a person (not a poster, a
    shadow, or one skeleton laid across two people standing side by side)."""
    body = landmarks[list(LEGS) + [LEFT_SHOULDER, RIGHT_SHOULDER], 2]
    x0, y0, x1, y1 = person_box(landmarks)
    seen = float(np.mean(body >= MIN_VISIBILITY)) >= 0.5
    return seen and (y1 - y0) >= min_height * frame_height and (x1 - x0) <= _MAX_WIDTH_TO_HEIGHT * (y1 - y0)


def seated(landmarks: np.ndarray) -> bool:
    """Legs folded: hip to ankle spans less height than shoulder to hip."""
    shoulder_y = (landmarks[LEFT_SHOULDER, 1] + landmarks[RIGHT_SHOULDER, 1]) / 2.0
    hip_y = (landmarks[LEFT_HIP, 1] + landmarks[RIGHT_HIP, 1]) / 2.0
    ankle_y = (landmarks[LEFT_ANKLE, 1] + landmarks[RIGHT_ANKLE, 1]) / 2.0
    torso = max(hip_y - shoulder_y, 1.0)
    return bool((ankle_y - hip_y) < _SEATED_LEG_TO_TORSO * torso)


def whole_body(landmarks: np.ndarray, width: int, height: int) -> bool:
    """Head and feet inside the picture and visible."""
    parts = list(HEAD[:1]) + list(FEET)
    points = landmarks[parts]
    inside = (points[:, 0] >= 0) & (points[:, 0] < width) & (points[:, 1] >= 0) & (points[:, 1] < height)
    return bool(np.all(inside & (points[:, 2] >= MIN_VISIBILITY)))


def grey_out(image: np.ndarray, box, keep=None) -> None:
    """Paint ``box`` grey in place, except where it overlaps ``keep`` (the walker)."""
    h, w = image.shape[:2]
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    x0, y0, x1, y1 = max(0, x0), max(0, y0), min(w, x1), min(h, y1)
    if x1 <= x0 or y1 <= y0:
        return
    if keep is None:
        image[y0:y1, x0:x1] = _GREY
        return
    region = np.ones((y1 - y0, x1 - x0), bool)
    kx0, ky0, kx1, ky1 = (int(round(v)) for v in keep)
    region[max(0, ky0 - y0) : max(0, ky1 - y0), max(0, kx0 - x0) : max(0, kx1 - x0)] = False
    image[y0:y1, x0:x1][region] = _GREY


def find_people(estimator, image: np.ndarray, max_people: int, min_height: float) -> list[np.ndarray]:
    """Landmarks of everybody the pose model finds, most prominent first: it finds one person, who
    is greyed out before it looks again (from its detector each time)."""
    work = image.copy()
    found: list[np.ndarray] = []
    for _ in range(max_people):
        estimator.forget()
        estimate = estimator.estimate(work)
        if estimate is None:
            break
        landmarks = estimate.landmarks
        box = person_box(landmarks)
        grey_out(work, box)
        if plausible_person(landmarks, image.shape[0], min_height):
            found.append(landmarks)
    return found


def link_cost(a: Sighting, b: Sighting) -> float:
    """How unlike two sightings are: position and size change, in body heights."""
    h = math.sqrt(a.height * b.height)
    (ax, ay), (bx, by) = a.centre, b.centre
    return abs(ax - bx) / h + abs(ay - by) / h + abs(math.log(a.height / b.height))


def link_sightings(scans: list[list[Sighting]], max_gap: int = 2) -> list[ScanTrack]:
    """Tracks from the sightings of successive scans (greedy, cheapest link first). A track
    survives ``max_gap`` scans without a sighting."""
    tracks: list[ScanTrack] = []
    last_scan: dict[int, int] = {}
    for scan_number, sightings in enumerate(scans):
        alive = [t for t in tracks if scan_number - last_scan[t.id] <= max_gap]
        pairs = sorted(
            (link_cost(t.sightings[-1], s), ti, si) for ti, t in enumerate(alive) for si, s in enumerate(sightings)
            if linkable(t.sightings[-1], s)
        )
        used_tracks: set[int] = set()
        used_sightings: set[int] = set()
        for _, ti, si in pairs:
            if ti in used_tracks or si in used_sightings:
                continue
            alive[ti].sightings.append(sightings[si])
            last_scan[alive[ti].id] = scan_number
            used_tracks.add(ti)
            used_sightings.add(si)
        for si, sighting in enumerate(sightings):
            if si not in used_sightings:
                track = ScanTrack(len(tracks), [sighting])
                tracks.append(track)
                last_scan[track.id] = scan_number
    return tracks


def _approach(track: ScanTrack) -> float:
    """Log growth of the person's image height from the first to the last third of sightings."""
    heights = track.heights()
    k = max(1, len(heights) // 3)
    return math.log(float(np.median(heights[-k:])) / float(np.median(heights[:k])))


def _travel(track: ScanTrack, width: int) -> float:
    """Sideways travel in body heights: the range of the offset from the picture's centre line
    over the height (X / H of the person, whatever the distance)."""
    boxes = track.boxes()
    x_over_h = ((boxes[:, 0] + boxes[:, 2]) / 2.0 - width / 2.0) / track.heights()
    return float(x_over_h.max() - x_over_h.min()) if len(x_over_h) > 1 else 0.0


def walker_score(track: ScanTrack, scans: int, width: int, height: int) -> float:
    """Higher for the child to screen: walks (toward the camera above all), whole body, upright,
    present in many scans, near the middle, large."""
    sightings = track.sightings
    toward = float(np.clip(_approach(track) / math.log(2.0), 0.0, 1.0))
    walking = float(np.clip(max(toward, _travel(track, width)), 0.0, 1.0))
    whole = float(np.mean([whole_body(s.landmarks, width, height) for s in sightings]))
    upright = float(np.mean([not seated(s.landmarks) for s in sightings]))
    centres = np.array([s.centre[0] for s in sightings])
    centre = 1.0 - float(np.mean(np.abs(centres - width / 2.0))) / (width / 2.0)
    size = float(np.median(track.heights())) / height
    present = len(sightings) / max(scans, 1)
    return 2.0 * toward + 1.0 * walking + 1.0 * present + 0.5 * whole + 1.0 * upright + 0.5 * centre + 0.5 * size


def assign_roles(walker: ScanTrack, others: list[ScanTrack], width: int) -> None:
    """Say who each other person is, against the walker (sets ``role``)."""
    walker_times = walker.times()
    for other in others:
        if np.mean([seated(s.landmarks) for s in other.sightings]) > 0.5:
            other.role = SEATED
            continue
        approaching = _approach(other) > 0.15
        if not approaching and _travel(other, width) > 0.4:
            other.role = CROSSING
            continue
        if not approaching:
            other.role = STANDING if abs(_approach(other)) <= 0.15 else PASSING
            continue
        # Walking with the child: coming closer too, beside the child, at the child's distance
        # (feet at about the same height in the picture), in most frames where both are seen.
        both = together = 0
        for s in other.sightings:
            k = int(np.argmin(np.abs(walker_times - s.time_s)))
            w = walker.sightings[k]
            if abs(w.time_s - s.time_s) > _SAME_MOMENT_S:
                continue
            both += 1
            near = abs(s.centre[0] - w.centre[0]) < 1.2 * w.height
            same_depth = abs(s.box[3] - w.box[3]) < 0.15 * w.height
            together += near and same_depth
        other.role = COMPANION if together >= 2 and together >= 0.5 * both else PASSING
