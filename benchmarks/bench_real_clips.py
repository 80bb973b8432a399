"""Both front ends on the real clips beside the project (../shared/videos): the verdict, and the
followed person's box against the hand-labelled boxes (tests/fixtures/real_clip_boxes.json).

Run: .venv/bin/python benchmarks/bench_real_clips.py [--no-write]

None of these clips is a screening recording (adults, side views, crowds, a back view): what
matters is that the person followed is a real person and the refusal names the right reasons.
IoU is taken at every labelled frame where the walker has a box within a fifteenth of a second
(the pose front end looks at about 15 frames a second): against the person marked "main", and
against the best-overlapping labelled person. Writes benchmarks/RESULTS-real-clips.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe  # noqa: E402

from genuscreen.native_logs import silence_native_logs  # noqa: E402
from genuscreen.video import FRONT_ENDS, inspect_video  # noqa: E402
from genuscreen.video.blobs import box_iou  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
VIDEOS = ROOT.parent / "shared" / "videos"
LABELS = ROOT / "tests" / "fixtures" / "real_clip_boxes.json"
RESULTS = Path(__file__).with_name("RESULTS-real-clips.md")


def walker_box_at(extraction, index: int):
    walker = extraction.walker
    if walker is None or not walker.frames:
        return None
    nearest = min(walker.frames, key=lambda f: abs(f.index - index))
    return nearest.box if abs(nearest.index - index) / extraction.info.fps <= 1 / 15 + 1e-6 else None


def measure(name: str, labels: dict, front_end: str) -> dict:
    start = time.perf_counter()
    inspection = inspect_video(VIDEOS / name, front_end=front_end)
    seconds = time.perf_counter() - start
    with_main, with_anyone = [], []
    for index, people in labels["frames"].items():
        box = walker_box_at(inspection.extraction, int(index))
        if box is None or not people:
            continue
        with_main += [box_iou(box, p["box"]) for p in people if p.get("main")]
        with_anyone.append(max(box_iou(box, p["box"]) for p in people))
    return {"clip": name, "front_end": front_end, "seconds": seconds, "codes": inspection.quality.codes(),
            "notes": [n.code for n in inspection.quality.notes],
            "labelled": len(labels["frames"]), "with_box": len(with_anyone), "main": with_main,
            "anyone": with_anyone}  # fmt: skip


def markdown(rows: list[dict]) -> str:
    lines = [
        "# Both front ends on the real clips",
        "",
        f"Command: `.venv/bin/python benchmarks/bench_real_clips.py` ({time.strftime('%Y-%m-%d')}); {describe()}.",
        "",
        "IoU of the followed person's box with the hand-labelled boxes at the labelled frames where the followed",
        "person has a box: with the person the labels mark as the main walker, and with whichever labelled person",
        "overlaps it most (where two people walk side by side, following either is right). None of these clips is",
        "a screening recording: every verdict must be a refusal with the right reasons.",
        "",
        "| clip | front end | verdict (problems) | notes | labelled frames with a box | IoU with the main walker (mean, lowest) "
        "| IoU with the nearest labelled person (mean, lowest) | seconds |",
        "|---|---|---|---|---:|---:|---:|---:|",
    ]

    def summary(values):
        return f"{sum(values) / len(values):.2f}, {min(values):.2f}" if values else "-"

    for r in rows:
        lines.append(f"| {r['clip']} | {r['front_end']} | {', '.join(r['codes']) or 'screenable'} | "
                     f"{', '.join(sorted(set(r['notes']))) or '-'} | {r['with_box']} of {r['labelled']} | {summary(r['main'])} | "
                     f"{summary(r['anyone'])} | {r['seconds']:.1f} |")  # fmt: skip
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    if not VIDEOS.is_dir():
        print(f"The real clips are not at {VIDEOS} (they live beside the project).", file=sys.stderr)
        return 1
    silence_native_logs()
    labels = json.loads(LABELS.read_text())["clips"]
    rows = [measure(name, labels[name], front_end) for name in labels for front_end in FRONT_ENDS]
    text = markdown(rows)
    if not args.no_write:
        RESULTS.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
