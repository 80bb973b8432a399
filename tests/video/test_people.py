"""Who is who: sightings linked into tracks, the walker chosen, the others given a role."""

from __future__ import annotations

import numpy as np

from genuscreen.video import people
from genuscreen.video.people import ScanTrack, Sighting
from genuscreen.video.skeleton import LEFT_ANKLE, LEFT_HIP, LEFT_SHOULDER, N_LANDMARKS, NOSE, RIGHT_ANKLE, RIGHT_HIP, RIGHT_SHOULDER

WIDTH, HEIGHT = 1280, 720


def body(cx: float, feet_y: float, height: float, sitting: bool = False) -> np.ndarray:
    """Landmarks of an upright (or sitting) person facing the camera: every point visible."""
    lm = np.zeros((N_LANDMARKS, 3), np.float32)
    lm[:, 2] = 1.0
    top = feet_y - height
    lm[:, 0] = cx
    lm[:, 1] = top + 0.5 * height
    lm[NOSE, 1] = top + 0.06 * height
    lm[:11, 1] = top + 0.06 * height
    lm[[LEFT_SHOULDER, RIGHT_SHOULDER], 1] = top + 0.2 * height
    hip_y = top + 0.5 * height
    lm[[LEFT_HIP, RIGHT_HIP], 1] = hip_y
    lm[[LEFT_SHOULDER, LEFT_HIP], 0] = cx + 0.1 * height
    lm[[RIGHT_SHOULDER, RIGHT_HIP], 0] = cx - 0.1 * height
    lm[25:27, 1] = hip_y + (0.1 if sitting else 0.25) * height
    ankle_y = hip_y + (0.15 if sitting else 0.5) * height
    lm[[LEFT_ANKLE, RIGHT_ANKLE, 29, 30, 31, 32], 1] = ankle_y
    return lm


def track(points, track_id=0) -> ScanTrack:
    return ScanTrack(track_id, [Sighting(i * 6, i * 0.4, lm) for i, lm in enumerate(points)])


def test_sightings_link_into_one_track_per_person() -> None:
    scans = []
    for k in range(6):
        walker = body(640, 400 + 40 * k, 200 + 60 * k)  # coming closer
        crosser = body(100 + 60 * k, 300, 150)  # walking across at the back, 1.5 body heights a second
        scans.append([Sighting(k * 6, k * 0.4, walker), Sighting(k * 6, k * 0.4, crosser)][:: 1 if k % 2 else -1])
    tracks = people.link_sightings(scans)
    assert len(tracks) == 2
    assert sorted(len(t.sightings) for t in tracks) == [6, 6]


def test_the_walker_is_the_one_who_comes_closer() -> None:
    approaching = track([body(640, 400 + 40 * k, 200 + 60 * k) for k in range(6)])
    standing = track([body(1000, 600, 450) for _ in range(6)], 1)  # bigger, but still
    score = lambda t: people.walker_score(t, 6, WIDTH, HEIGHT)  # noqa: E731
    assert score(approaching) > score(standing)


def test_roles_of_the_others() -> None:
    walker = track([body(640, 400 + 40 * k, 200 + 60 * k) for k in range(6)])
    companion = track([body(640 + 150, 400 + 40 * k, 190 + 58 * k) for k in range(6)], 1)
    seated = track([body(100, 600, 250, sitting=True) for _ in range(6)], 2)
    standing = track([body(1150, 500, 300) for _ in range(6)], 3)
    crossing = track([body(100 + 80 * k, 350, 180) for k in range(6)], 4)
    others = [companion, seated, standing, crossing]
    people.assign_roles(walker, others, WIDTH)
    assert [o.role for o in others] == [people.COMPANION, people.SEATED, people.STANDING, people.CROSSING]


def test_a_box_is_box_around_the_whole_body() -> None:
    lm = body(640, 600, 400)
    x0, y0, x1, y1 = people.person_box(lm)
    assert y0 < lm[:, 1].min() and y1 >= lm[:, 1].max()  # the head's top above the eyes
    assert people.plausible_person(lm, HEIGHT, 0.06)
    assert not people.plausible_person(body(640, 600, 20), HEIGHT, 0.06)  # too small to be anyone
