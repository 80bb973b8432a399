"""Screening: from a video to a ScreeningResult (``screen()``), with explanations and age norms."""

from genuscreen.inference.pipeline import run_screen, screen
from genuscreen.inference.result import Progress, ScreeningResult

__all__ = ["Progress", "ScreeningResult", "run_screen", "screen"]
