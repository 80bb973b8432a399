"""``genuscreen --self-test``: does this installation work, end to end?

Checks what an installed copy (a wheel, or the PyInstaller bundle in installer/) needs and a
source checkout takes for granted: the shipped weights load and match their model card's
sha256, the pose model's files match theirs and it starts, the bundled sample clip is screened
with it, a PDF report is written, the desktop application's
code and Qt load, and its compiled translations are where it looks for them. The verdict is one
line; a failure says what failed and what to do.

Qt-free itself: the desktop check imports ``genuscreen.gui`` (the only package that imports Qt)
inside a function, so the CLI still starts where Qt cannot load and reports that as the failure.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from genuscreen import __version__

REINSTALL = "Reinstall GenuScreen."
# Every .qm file starts with these 16 bytes (Qt's QTranslator magic number).
QM_MAGIC = bytes.fromhex("3cb86418caef9c95cd211cbf60a1bddd")
# A report of one screening is tens of kilobytes; less than this is not a whole PDF.
MIN_REPORT_BYTES = 2_000


@dataclass
class SelfTestOutcome:
    """What the self-test found: the passed checks in words, the failures with what to do."""

    passed: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failures

    def line(self) -> str:
        head = f"GenuScreen {__version__} self-test:"
        if self.ok:
            return f"{head} OK ({', '.join(self.passed)}) in {self.seconds:.1f} s"
        return f"{head} FAILED: {'; '.join(self.failures)}"


def shipped_weights() -> Path:
    """The weights the application screens with (tests point this at a damaged copy)."""
    from genuscreen.inference.pipeline import default_weights

    return default_weights()


def _described(error: BaseException) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def check_weights(outcome: SelfTestOutcome, weights: Path) -> bool:
    """Load the weights after the hash check (genuscreen.model.weights does it)."""
    from genuscreen.model.weights import WeightsError, load_weights

    try:
        card = load_weights(weights).card
    except WeightsError as error:
        outcome.failures.append(f"weights: {error}")
        return False
    except Exception as error:  # torch or the file system failing under the loader
        outcome.failures.append(f"weights: {weights} could not be loaded ({_described(error)}). {REINSTALL}")
        return False
    outcome.passed.append(f"weights {card['id']} {card['version']} verified")
    return True


def check_pose_model(outcome: SelfTestOutcome) -> bool:
    """The pose model's files are there, match their checksums, and the library loads."""
    from genuscreen.video.pose import PoseEstimator, pose_model_problem

    problem = pose_model_problem()
    if problem is None:
        try:
            PoseEstimator(tracking=False, segmentation=True).close()
        except Exception as error:  # the library's native code refusing to start
            problem = error
    if problem is not None:
        outcome.failures.append(f"pose model: {problem}")
        return False
    outcome.passed.append("pose model verified")
    return True


def check_screening(outcome: SelfTestOutcome, weights: Path, device: str, folder: Path, front_end: str = "pose") -> None:
    """Screen the bundled sample clip and write its PDF report into ``folder``."""
    from genuscreen.assets import sample_clip
    from genuscreen.inference import run_screen

    try:
        clip = sample_clip()
        result = run_screen(clip, age_y=8.0, device=device, weights=weights, front_end=front_end)
    except Exception as error:  # any failure here is the verdict; the line names it
        outcome.failures.append(f"screening the sample clip failed ({_described(error)}). {REINSTALL}")
        return
    if not result.screenable:
        outcome.failures.append(f"the sample clip was not screenable ({result.reason}); video decoding is "
                                f"broken in this installation. {REINSTALL}")  # fmt: skip
        return
    if device == "cuda" and not result.device.startswith("cuda"):
        # The screening falls back to the CPU; asked to check the GPU, that is a failure.
        outcome.failures.append(f"the GPU was not used: {' '.join(result.notes)} Install or update the NVIDIA "
                                "driver, and use a CUDA build of GenuScreen (installer/README.md)")  # fmt: skip
    outcome.passed.append(f"sample screened on {result.device} ({result.front_end} front end): "
                          f"{result.category.replace('_', ' ')}, risk {result.risk:.2f}")  # fmt: skip
    check_report(outcome, result, clip, folder / "self-test-report.pdf")


def check_report(outcome: SelfTestOutcome, result, video: Path, path: Path) -> None:
    from genuscreen.report import write_report

    try:
        write_report(result, path, video=video, child={"id": "SELF-TEST", "age_years": 8.0})
        size = path.stat().st_size
        with open(path, "rb") as handle:
            head = handle.read(5)
            handle.seek(max(0, size - 1024))
            tail = handle.read()
    except Exception as error:  # reportlab, fonts or the temporary folder
        outcome.failures.append(f"writing a PDF report failed ({_described(error)}). {REINSTALL}")
        return
    if head != b"%PDF-" or b"%%EOF" not in tail or size < MIN_REPORT_BYTES:
        outcome.failures.append(f"the PDF report written is not a whole PDF ({size} bytes). {REINSTALL}")
        return
    outcome.passed.append("report written")


def check_desktop(outcome: SelfTestOutcome) -> None:
    """Qt and the desktop application's code load; the compiled translations are present."""
    try:
        # The main window's module pulls in every GUI module and pyqtgraph; it shows nothing.
        import genuscreen.gui.main_window  # noqa: F401
        from genuscreen.gui.app import ENGLISH, LANGUAGES, translation_file
    except Exception as error:  # ImportError, or OSError from a missing Qt library
        outcome.failures.append(f"the desktop application cannot load Qt ({_described(error)}). On Linux, install "
                                "the system libraries Qt needs (scripts/setup.sh lists them); otherwise, reinstall "
                                "GenuScreen.")  # fmt: skip
        return
    missing = []
    for language in sorted(set(LANGUAGES) - {ENGLISH}):
        path = translation_file(language)
        try:
            valid = path.read_bytes()[: len(QM_MAGIC)] == QM_MAGIC
        except OSError:
            valid = False
        if not valid:
            missing.append(str(path))
    if missing:
        outcome.failures.append(f"compiled translations missing or damaged: {', '.join(missing)} ({REINSTALL} "
                                "In a source checkout, run scripts/build_translations.sh.)")  # fmt: skip
        return
    outcome.passed.append(f"desktop application loaded, translations {', '.join(sorted(set(LANGUAGES) - {ENGLISH}))}")


def run_self_test(device: str = "cpu") -> SelfTestOutcome:
    """Run every check (the later ones also after a failure, so that one run names all that is
    wrong) and time the whole, imports included: that is what a user waits for."""
    started = time.perf_counter()
    outcome = SelfTestOutcome()
    weights = None
    try:
        weights = shipped_weights()  # imports the screening stack: torch, OpenCV, numpy
    except FileNotFoundError as error:  # the resolver names where it looked
        outcome.failures.append(f"weights: {error}")
    except Exception as error:  # a library of the installation does not load
        outcome.failures.append(f"the screening libraries do not load ({_described(error)}). {REINSTALL}")
    # Without the pose model the rest is still checked, with the background model.
    front_end = "pose" if check_pose_model(outcome) else "background"
    if weights is not None and check_weights(outcome, weights):
        with tempfile.TemporaryDirectory(prefix="genuscreen-self-test-") as folder:
            check_screening(outcome, weights, device, Path(folder), front_end)
    else:
        outcome.failures.append("the sample clip was not screened (no usable weights)")
    check_desktop(outcome)
    outcome.seconds = time.perf_counter() - started
    return outcome
