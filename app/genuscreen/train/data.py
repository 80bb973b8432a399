"""Training data: silhouette windows with their labels, cached on disk, split by child.

Two sources:

- synthetic: the generator's children through its silhouette fast path
  (``synth.silhouette_clips``: exact masks -> the product's canonical silhouette and clip
  builder), described by ``{"synthetic": {"n": ..., "seed": ..., "borderline": ...,
  "mask_noise_px": ...}}``;
- a folder of videos (a clinic's own, or ``genuscreen synth`` output), each read by the
  product's video pipeline (``video.inspect_video``: walker, quality gate, clips). Layout, either:
    - ``labels.csv`` with columns ``file`` and ``label`` (normal | genu_valgum | borderline |
      varus, or 0/1), optional ``tfa_deg``, ``age``, ``sex``, ``legwear``, ``child_id`` (clips
      of one child share it; by default each file is its own child);
    - or one sub-folder per class, ``normal/`` and ``genu_valgum/``, holding the videos.

A cache folder holds ``windows.npy`` (uint8 [N, T, H, W], silhouettes x 255) and
``index.json`` (one record per clip, the windows it owns, the source description), named by a
hash of the source and the clip spec, so a second epoch or run does not decode again.
"""

from __future__ import annotations

import csv
import hashlib
import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from genuscreen import clinical
from genuscreen.video.clips import ClipSpec

VIDEO_SUFFIXES = {".mp4", ".avi", ".mov", ".mkv", ".m4v", ".webm"}
CACHE_FORMAT = 1
CLASS_FOLDERS = {"normal": clinical.LABEL_NORMAL, "genu_valgum": clinical.LABEL_VALGUM}
ProgressCallback = Callable[[str, int, int], None]


class DataError(ValueError):
    """The training data cannot be read; the message says what to fix."""


def target_of(label: str) -> int:
    """Class index for training: 1 genu valgum, 0 normal or varus, -1 borderline (no class)."""
    if label == clinical.LABEL_VALGUM:
        return 1
    if label in (clinical.LABEL_NORMAL, clinical.LABEL_VARUS):
        return 0
    if label == clinical.LABEL_BORDERLINE:
        return -1
    raise DataError(f"unknown label {label!r}")


@dataclass
class WindowSet:
    """Windows of many clips. ``clips[i]`` holds the clip's record plus ``first`` and ``count``:
    its windows are ``windows[first : first + count]``."""

    windows: np.ndarray  # uint8 [N, T, H, W]
    clips: list[dict]
    source: dict

    def __len__(self) -> int:
        return len(self.clips)

    def subset(self, clip_indices) -> "WindowSet":
        """The same windows array (no copy), fewer clips."""
        return WindowSet(self.windows, [self.clips[i] for i in clip_indices], self.source)

    def window_indices(self) -> np.ndarray:
        return np.concatenate([np.arange(c["first"], c["first"] + c["count"]) for c in self.clips]) if self.clips else np.zeros(0, int)

    def targets(self) -> np.ndarray:
        return np.array([target_of(c["label"]) for c in self.clips], dtype=np.int64)

    def angles(self) -> np.ndarray:
        return np.array([np.nan if c.get("tfa_deg") is None else float(c["tfa_deg"]) for c in self.clips])


def split_by_child(clips: list[dict], fractions: tuple[float, float, float], seed: int) -> tuple[list[int], list[int], list[int]]:
    """Clip indices of train, validation and test: every child's clips in one split only,
    children shuffled by ``seed``."""
    if abs(sum(fractions) - 1.0) > 1e-6 or any(f < 0 for f in fractions):
        raise DataError(f"split fractions must be non-negative and sum to 1, got {fractions}")
    children = sorted({str(c["child"]) for c in clips})
    order = np.random.default_rng(seed).permutation(len(children))
    n_val = int(round(fractions[1] * len(children)))
    n_test = int(round(fractions[2] * len(children)))
    which = {}
    for rank, k in enumerate(order):
        which[children[k]] = 1 if rank < n_val else (2 if rank < n_val + n_test else 0)
    splits: tuple[list[int], list[int], list[int]] = ([], [], [])
    for i, c in enumerate(clips):
        splits[which[str(c["child"])]].append(i)
    return splits


# --------------------------------------------------------------------------------------------
# Cache
# --------------------------------------------------------------------------------------------


def _cache_key(source: dict, spec: ClipSpec) -> str:
    key = {"format": CACHE_FORMAT, "source": source, "spec": asdict(spec)}
    if "videos" in source:  # windows read from video depend on the video stage's version
        from genuscreen.video import PIPELINE_VERSION

        key["video_pipeline"] = PIPELINE_VERSION
    text = json.dumps(key, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _load_cached(folder: Path) -> WindowSet | None:
    index, array = folder / "index.json", folder / "windows.npy"
    if not (index.is_file() and array.is_file()):
        return None
    try:
        meta = json.loads(index.read_text())
        windows = np.load(array, mmap_mode="r", allow_pickle=False)
    except (OSError, ValueError):
        return None  # a broken cache is rebuilt, not trusted
    if meta.get("format") != CACHE_FORMAT or sum(c["count"] for c in meta["clips"]) != windows.shape[0]:
        return None
    return WindowSet(windows, meta["clips"], meta["source"])


def _save(folder: Path, windows: np.ndarray, clips: list[dict], source: dict) -> WindowSet:
    folder.mkdir(parents=True, exist_ok=True)
    tmp_array = folder / ".windows.tmp.npy"
    np.save(tmp_array, windows, allow_pickle=False)
    tmp_index = folder / ".index.tmp.json"
    tmp_index.write_text(json.dumps({"format": CACHE_FORMAT, "source": source, "clips": clips}, indent=0))
    tmp_array.replace(folder / "windows.npy")
    tmp_index.replace(folder / "index.json")  # written last: its presence marks a complete cache
    return _load_cached(folder)


def load_windows(source: dict, cache_root: str | os.PathLike, spec: ClipSpec = ClipSpec(),
                 progress: ProgressCallback | None = None, workers: int | None = None) -> WindowSet:  # fmt: skip
    """The windows of ``source`` (``{"synthetic": {...}}`` or ``{"videos": DIR}``), from the cache
    when it has them, else made and cached."""
    if "synthetic" in source:
        source = {"synthetic": _synthetic_settings(source["synthetic"])}
    elif "videos" in source:
        front_end = source.get("front_end", "pose")
        if front_end not in ("pose", "background"):
            raise DataError(f"front_end must be pose or background, got {front_end!r}")
        source = {"videos": str(Path(source["videos"]).resolve()), "front_end": front_end}
    else:
        raise DataError(f"a data source is {{'synthetic': {{...}}}} or {{'videos': DIR}}, got {source}")
    folder = Path(cache_root) / _cache_key(source, spec)
    cached = _load_cached(folder)
    if cached is not None:
        return cached
    if "synthetic" in source:
        windows, clips = _make_synthetic(source["synthetic"], spec, progress, workers)
    else:
        windows, clips = _read_videos(Path(source["videos"]), spec, progress, workers, source["front_end"])
    return _save(folder, windows, clips, source)


# --------------------------------------------------------------------------------------------
# Synthetic children
# --------------------------------------------------------------------------------------------

_SYNTH_DEFAULTS = {"n": 200, "seed": 0, "borderline": 0, "varus": True, "mask_noise_px": 1.0}


def _synthetic_settings(values: dict) -> dict:
    from genuscreen.synth import GENERATOR_VERSION

    values = dict(values)
    version = values.pop("generator_version", GENERATOR_VERSION)  # present in model cards
    if version != GENERATOR_VERSION:
        raise DataError(
            f"these synthetic data were made by generator version {version}; this GenuScreen has version "
            f"{GENERATOR_VERSION}, which draws other children from the same seed. Retrain, or evaluate on --data."
        )
    unknown = set(values) - set(_SYNTH_DEFAULTS)
    if unknown:
        raise DataError(f"unknown synthetic data settings {sorted(unknown)} (known: {sorted(_SYNTH_DEFAULTS)})")
    return {**_SYNTH_DEFAULTS, **values, "generator_version": GENERATOR_VERSION}


_KEEP = ("id", "label", "tfa_deg", "imd_cm", "age", "sex", "legwear", "background", "fps", "size", "seed")


def _synthetic_chunk(args) -> tuple[list[np.ndarray], list[dict]]:
    """Children start..stop-1 of the data set: hard labels below ``n``, borderline from it."""
    from genuscreen.synth.dataset import silhouette_clips

    settings, spec, n, start, stop = args
    hard, borderline = (stop, 0) if stop <= n else (n, stop - n)
    windows, clips = [], []
    for wins, record in silhouette_clips(
        hard, settings["seed"], spec, start=start, borderline=borderline, varus=settings["varus"],
        mask_noise_px=settings["mask_noise_px"],
    ):  # fmt: skip
        clip = {k: record[k] for k in _KEEP}
        clip["child"] = f"synth-{settings['seed']}-{record['id']}"
        clip["count"] = len(wins)
        windows += [np.round(w * 255).astype(np.uint8) for w in wins]
        clips.append(clip)
    return windows, clips


def _make_synthetic(settings: dict, spec: ClipSpec, progress, workers):
    n, extra = int(settings["n"]), int(settings["borderline"])
    if n < 1:
        raise DataError("a synthetic data set needs n >= 1 children")
    workers = workers or min(4, os.cpu_count() or 1)
    chunk = 25
    tasks = [(settings, spec, n, a, min(n, a + chunk)) for a in range(0, n, chunk)]
    tasks += [(settings, spec, n, a, min(n + extra, a + chunk)) for a in range(n, n + extra, chunk)]
    windows: list[np.ndarray] = []
    clips: list[dict] = []
    done = 0
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = [pool.submit(_synthetic_chunk, t) for t in tasks]
        for future in results:
            wins, recs = future.result()
            windows += wins
            clips += recs
            done += len(recs)
            if progress:
                progress("synthetic children", done, n + extra)
    clips = [c for c in clips if c["count"] > 0]
    return _stack(windows, spec), _renumber(clips)


def _renumber(clips: list[dict]) -> list[dict]:
    first = 0
    for c in clips:
        c["first"] = first
        first += c["count"]
    return clips


def _stack(windows: list[np.ndarray], spec: ClipSpec) -> np.ndarray:
    if not windows:
        return np.zeros((0, spec.frames, spec.height, spec.width), np.uint8)
    return np.stack(windows)


# --------------------------------------------------------------------------------------------
# Folders of videos
# --------------------------------------------------------------------------------------------


def _label_from(text: str, where: str) -> str:
    text = text.strip().lower()
    aliases = {"0": clinical.LABEL_NORMAL, "1": clinical.LABEL_VALGUM, "valgum": clinical.LABEL_VALGUM}
    label = aliases.get(text, text)
    if label not in (clinical.LABEL_NORMAL, clinical.LABEL_VALGUM, clinical.LABEL_BORDERLINE, clinical.LABEL_VARUS):
        raise DataError(f"{where}: unknown label {text!r} (use normal, genu_valgum, borderline, varus, 0 or 1)")
    return label


def _optional_float(value: str | None, name: str, where: str) -> float | None:
    if value is None or value.strip() == "":
        return None
    try:
        return float(value)
    except ValueError:
        raise DataError(f"{where}: {name} must be a number, got {value!r}") from None


def list_videos(folder: Path) -> list[dict]:
    """The labelled videos of a folder (see the module docstring for the layouts)."""
    if not folder.is_dir():
        raise DataError(f"data folder {folder} does not exist")
    table = folder / "labels.csv"
    items = []
    if table.is_file():
        try:
            with open(table, newline="", encoding="utf-8-sig") as fh:
                rows = list(csv.DictReader(fh))
        except UnicodeDecodeError:
            raise DataError(f"{table} is not UTF-8 text; save it as UTF-8 CSV") from None
        if not rows or not {"file", "label"} <= set(rows[0]):
            raise DataError(f"{table} needs the columns 'file' and 'label'")
        for line, row in enumerate(rows, start=2):
            where = f"{table.name} line {line}"
            if not row["file"]:  # synth writes rows without files for children it could not render
                continue
            path = folder / row["file"]
            if not path.is_file():
                raise DataError(f"{where}: video {row['file']} not found in {folder}")
            items.append({
                "file": row["file"], "label": _label_from(row["label"], where),
                "tfa_deg": _optional_float(row.get("tfa_deg"), "tfa_deg", where),
                "age": _optional_float(row.get("age"), "age", where),
                "sex": (row.get("sex") or "").strip() or None, "legwear": (row.get("legwear") or "").strip() or None,
                "child": (row.get("child_id") or "").strip() or row["file"],
            })  # fmt: skip
    else:
        for name, label in CLASS_FOLDERS.items():
            for path in sorted((folder / name).glob("*")) if (folder / name).is_dir() else []:
                if path.suffix.lower() in VIDEO_SUFFIXES:
                    rel = f"{name}/{path.name}"
                    items.append({"file": rel, "label": label, "tfa_deg": None, "age": None, "sex": None,
                                  "legwear": None, "child": rel})  # fmt: skip
    if not items:
        raise DataError(
            f"no labelled videos in {folder}: add labels.csv (columns file, label) or the sub-folders "
            f"{' and '.join(CLASS_FOLDERS)}/ with videos"
        )
    return items


def _read_one(args) -> tuple[dict, list[np.ndarray]]:
    from genuscreen.video import inspect_video
    from genuscreen.video.errors import VideoError

    folder, item, spec, front_end = args
    clip = dict(item, id=item["file"])
    try:
        inspection = inspect_video(folder / item["file"], spec=spec, front_end=front_end)
        clip["quality_ok"] = inspection.quality.ok
        clip["problems"] = [p.code for p in inspection.quality.problems]
        wins = [np.round(c.silhouettes * 255).astype(np.uint8) for c in inspection.clips]
    except VideoError as exc:
        clip["quality_ok"], clip["problems"], wins = False, [f"unreadable: {exc}"], []
    clip["count"] = len(wins)
    return clip, wins


def _read_videos(folder: Path, spec: ClipSpec, progress, workers: int | None = None, front_end: str = "pose"):
    items = list_videos(folder)
    windows: list[np.ndarray] = []
    clips: list[dict] = []
    workers = workers or min(4, os.cpu_count() or 1)
    # Fresh processes, not forks: the pose model's threads, once started in this process, do not
    # survive a fork.
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        for k, (clip, wins) in enumerate(pool.map(_read_one, [(folder, item, spec, front_end) for item in items])):
            windows += wins
            clips.append(clip)
            if progress:
                progress("videos", k + 1, len(items))
    return _stack(windows, spec), _renumber(clips)
