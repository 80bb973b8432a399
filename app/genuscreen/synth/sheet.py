"""Contact sheets of the synthetic generator, to check it by eye.

Clean tier (``contact_sheet``). Rows: normal, borderline and genu valgum knee angles. Columns:
children of about 4, 8 and 11 years, each shown mid-walk (at a heel strike near the middle of
the walk) and standing at the end of the walk, cropped around the child and labelled with age,
knee angle (TFA) and intermalleolar distance. A valgum child should stand with the knees
together and the ankles apart; mid-walk frames should show one foot ahead of the other.

School tier (``school_sheet``). One row per clip, chosen so that every bystander kind, a pan,
strong blur, flicker, low light and strong compression appear; four whole frames per clip
(early, middle, late, end of the walk) with the walker's ground-truth box drawn in, which must
follow the walker however the camera moves, and the clip's conditions as the caption.

Run: ``python -m genuscreen.synth.sheet [PNG]`` (default ``docs/synth_contact_sheet.png``) or
``python -m genuscreen.synth.sheet --tier school [PNG]`` (default
``docs/synth_school_sheet.png``).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import cv2
import numpy as np

from genuscreen import clinical
from genuscreen.synth.dataset import stature_median_m
from genuscreen.synth.walk import Scene, Walker, heel_strike_times, intermalleolar_distance_cm, render

ROWS = (
    (clinical.LABEL_NORMAL, 5.0),
    (clinical.LABEL_BORDERLINE, 12.5),
    (clinical.LABEL_VALGUM, 20.0),
)
AGES = ((4.0, "female"), (8.0, "male"), (11.0, "female"))
TILE_H = 230  # pixels of each child tile (without its caption)
TILE_W = 130
CAPTION_H = 48
ROW_LABEL_W = 104


def _scene(age: float, sex: str, tfa: float) -> Scene:
    """One child in shorts (knees and shanks bare) walking 6 m -> 2.5 m before a plain wall.

    The plain background keeps the figure's outline clear (and the PNG small); 4:3 frames keep
    the tallest child's head in view at the end of the walk.
    """
    child = Walker(
        height_m=round(stature_median_m(age, sex), 3),
        age_y=age,
        sex=sex,
        bmi=16.0,
        tfa_deg=tfa,
        legwear="shorts",
        start_distance_m=6.0,
        end_distance_m=2.5,
        speed_m_s=1.0,
        cadence_steps_per_min=150.0,
        start_time_s=0.2,
        shirt_bgr=(170, 110, 40),
        legwear_bgr=(60, 50, 45),
        skin_bgr=(140, 172, 215),
        shoe_bgr=(225, 225, 230),
    )
    return Scene(width=1024, height=768, fps=25.0, duration_s=0.2 + 3.5 + 0.9, camera_height_m=0.8,
                 hfov_deg=60.0, tilt_deg=2.0, walkers=(child,), background="plain", noise_sigma=0.0,
                 seed=5)  # fmt: skip


def _crop(frame, height: int, width: int) -> np.ndarray:
    """The child's box with a margin, scaled to ``height`` and centred on a ``width`` tile."""
    x0, y0, x1, y1 = frame.boxes[0]
    pad = int(0.06 * (y1 - y0)) + 2
    H, W = frame.image.shape[:2]
    y0, y1 = max(0, y0 - pad), min(H, y1 + pad)
    cx = (x0 + x1) // 2
    half = int(round((y1 - y0) * width / height / 2))
    x0, x1 = max(0, cx - half), min(W, cx + half)
    crop = frame.image[y0:y1, x0:x1]
    scale = height / crop.shape[0]
    crop = cv2.resize(crop, (max(1, int(round(crop.shape[1] * scale))), height), interpolation=cv2.INTER_AREA)
    tile = np.full((height, width, 3), 235, np.uint8)
    cw = min(width, crop.shape[1])
    left = (width - cw) // 2
    src = (crop.shape[1] - cw) // 2
    tile[:, left : left + cw] = crop[:, src : src + cw]
    return tile


def _text(image: np.ndarray, text: str, org: tuple[int, int], scale: float = 0.42, bold: int = 1) -> None:
    cv2.putText(image, text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, (30, 30, 30), bold, cv2.LINE_AA)


def _write_png(sheet: np.ndarray, path: Path) -> Path:
    """Write a PNG through a temporary file, so a failed write leaves nothing half-made."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.tmp.png")
    try:
        if not cv2.imwrite(str(tmp), sheet, [cv2.IMWRITE_PNG_COMPRESSION, 9]):
            raise OSError(f"cannot write {path}")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def contact_sheet(path: str | os.PathLike = "docs/synth_contact_sheet.png") -> Path:
    """Render the sheet and write it as a PNG.

    Returns:
        The path written.
    """
    path = Path(path)
    rows = []
    for label, tfa in ROWS:
        tiles = []
        for age, sex in AGES:
            scene = _scene(age, sex, tfa)
            walker = scene.walkers[0]
            strikes = heel_strike_times(walker, scene.duration_s, scene_seed=scene.seed)
            middle = walker.start_time_s + 0.5 * (walker.start_distance_m - walker.end_distance_m) / walker.speed_m_s
            mid_t = min(strikes, key=lambda t: abs(t - middle))
            wanted = {int(round(mid_t * scene.fps)): "mid-walk", scene.n_frames - 1: "standing"}
            imd = intermalleolar_distance_cm(walker)
            for frame in render(scene):
                if frame.index in wanted:
                    tile = np.full((TILE_H + CAPTION_H, TILE_W, 3), 255, np.uint8)
                    tile[:TILE_H] = _crop(frame, TILE_H, TILE_W)
                    _text(tile, f"{age:.0f} y, {wanted[frame.index]}", (4, TILE_H + 14))
                    _text(tile, f"TFA {tfa:.1f} deg", (4, TILE_H + 29), 0.38)
                    _text(tile, f"IMD {imd:.1f} cm", (4, TILE_H + 43), 0.38)
                    tiles.append(tile)
        row = np.concatenate([np.full((TILE_H + CAPTION_H, 4, 3), 255, np.uint8)] + [
            np.concatenate([t, np.full((t.shape[0], 4, 3), 255, np.uint8)], axis=1) for t in tiles
        ], axis=1)  # fmt: skip
        head = np.full((row.shape[0], ROW_LABEL_W, 3), 255, np.uint8)
        words = {"genu_valgum": ("genu", "valgum")}.get(label, (label,))
        for k, word in enumerate(words):
            _text(head, word, (6, TILE_H // 2 + 18 * k), 0.55, 1)
        rows.append(np.concatenate([head, row], axis=1))
    sheet = np.concatenate(rows, axis=0)
    title = np.full((30, sheet.shape[1], 3), 255, np.uint8)
    _text(title, "Synthetic children: knee angle (rows) by age (columns); TFA in degrees, + = valgus",
          (6, 20), 0.5)  # fmt: skip
    sheet = np.concatenate([title, sheet], axis=0)
    return _write_png(sheet, path)


# The school sheet's clips: a data set seed, the frame size and what each row must show (the
# first clip of the seed's data set that shows it and no row so far). Small frames keep the PNG
# under a megabyte.
SCHOOL_SEED = 7
SCHOOL_SIZE = (480, 270)
SCHOOL_TILE_W = 300
SCHOOL_ROWS = (
    ("standing bystander", lambda r: "standing" in r["bystander_kinds"]),
    ("sitting bystander", lambda r: "sitting" in r["bystander_kinds"]),
    ("crossing bystander", lambda r: "crossing" in r["bystander_kinds"]),
    ("panning camera", lambda r: r["pan"] != 0.0),
    ("strong blur and flicker", lambda r: r["blur"] >= 0.5 and r["flicker"] > 0),
    ("low light", lambda r: r["low_light"]),
)


def _school_clips(n_rows: int) -> list:
    """(what the row shows, clip, record) for each of ``SCHOOL_ROWS``."""
    from genuscreen.synth.dataset import clip_seed, label_plan
    from genuscreen.synth.school import condition_record, sample_school_clip

    plan = label_plan(200, SCHOOL_SEED)
    picked, used = [], set()
    for title, wanted in SCHOOL_ROWS[:n_rows]:
        for i, label in enumerate(plan):
            if i in used:
                continue
            clip = sample_school_clip(clip_seed(SCHOOL_SEED, i), label, SCHOOL_SIZE, 25.0)
            record = condition_record(clip)
            if wanted(record):
                picked.append((title, clip, record))
                used.add(i)
                break
    return picked


def _school_caption(title: str, record: dict) -> str:
    people = ", ".join(record["bystander_kinds"]) or "none"
    quality = record["jpeg_quality"] if record["jpeg_quality"] is not None else "-"
    return (f"{title}: shake {100 * record['shake']:.1f}% of width, pan {100 * record['pan']:+.1f}%/s, "
            f"bystanders {people}, blur {record['blur']:.2f}, flicker {record['flicker']:.2f}, "
            f"{'low light, ' if record['low_light'] else ''}JPEG {quality}")  # fmt: skip


def school_sheet(path: str | os.PathLike = "docs/synth_school_sheet.png", rows: int = len(SCHOOL_ROWS)) -> Path:
    """Render the school-tier sheet and write it as a PNG (``rows`` of ``SCHOOL_ROWS``).

    Returns:
        The path written.
    """
    from genuscreen.synth.school import render_school

    lines = []
    for title, clip, record in _school_clips(rows):
        n = clip.scene.n_frames
        picks = [int(round(q * (n - 1))) for q in (0.2, 0.5, 0.8, 1.0)]
        tiles = []
        for frame in render_school(clip):
            if frame.index not in picks:
                continue
            image = frame.image.copy()
            if frame.boxes[0] is not None:
                x0, y0, x1, y1 = frame.boxes[0]
                cv2.rectangle(image, (x0, y0), (x1 - 1, y1 - 1), (0, 230, 255), 1, cv2.LINE_AA)
            h = int(round(image.shape[0] * SCHOOL_TILE_W / image.shape[1]))
            tiles.append(cv2.resize(image, (SCHOOL_TILE_W, h), interpolation=cv2.INTER_AREA))
        gap = np.full((tiles[0].shape[0], 4, 3), 255, np.uint8)
        row = np.concatenate([gap] + [np.concatenate([t, gap], axis=1) for t in tiles], axis=1)
        caption = np.full((20, row.shape[1], 3), 255, np.uint8)
        _text(caption, _school_caption(title, record), (6, 14), 0.4)
        lines += [caption, row, np.full((4, row.shape[1], 3), 255, np.uint8)]
    sheet = np.concatenate(lines, axis=0)
    title = np.full((28, sheet.shape[1], 3), 255, np.uint8)
    _text(title, "School tier: hand-held camera, bystanders, blur, flicker, low light, compression "
          "(yellow: the walker's ground-truth box)", (6, 19), 0.45)  # fmt: skip
    return _write_png(np.concatenate([title, sheet], axis=0), Path(path))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Contact sheets of the synthetic generator.")
    parser.add_argument("png", nargs="?", help="output PNG (default: docs/synth_contact_sheet.png, or "
                        "docs/synth_school_sheet.png with --tier school)")  # fmt: skip
    parser.add_argument("--tier", choices=("clean", "school"), default="clean",
                        help="clean: children by knee angle and age (default); school: clips of the school tier")
    args = parser.parse_args(argv)
    if args.tier == "school":
        out = school_sheet(args.png or "docs/synth_school_sheet.png")
    else:
        out = contact_sheet(args.png or "docs/synth_contact_sheet.png")
    print(f"wrote {out} ({out.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
