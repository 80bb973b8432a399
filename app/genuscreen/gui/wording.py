"""A screening result in the user's language: categories, recommendations, reasons, quality
problems, notes about other people in view, and progress stages.

In English the reason and the quality messages are the pipeline's own sentences (they carry the
measured numbers). In another language they are worded here from the same facts: the
recommendation rule comes from ``clinical.recommendation_rule`` (the one place the rules live)
and the quality problems from their stable codes.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from genuscreen import clinical
from genuscreen.gui.app import is_english
from genuscreen.inference.result import (
    CATEGORY_LIKELY,
    CATEGORY_NOT_SCREENABLE,
    CATEGORY_UNCERTAIN,
    CATEGORY_UNLIKELY,
    ScreeningResult,
)


CATEGORY_COLOURS = {
    CATEGORY_UNLIKELY: QColor(46, 125, 50),
    CATEGORY_UNCERTAIN: QColor(191, 120, 0),
    CATEGORY_LIKELY: QColor(198, 40, 40),
    CATEGORY_NOT_SCREENABLE: QColor(97, 97, 97),
}


def category_words(category: str) -> str:
    words = {
        CATEGORY_UNLIKELY: QCoreApplication.translate("Wording", "Genu valgum unlikely"),
        CATEGORY_UNCERTAIN: QCoreApplication.translate("Wording", "Uncertain"),
        CATEGORY_LIKELY: QCoreApplication.translate("Wording", "Genu valgum likely"),
        CATEGORY_NOT_SCREENABLE: QCoreApplication.translate("Wording", "Cannot be screened"),
    }
    return words.get(category, category)


def recommendation_words(recommendation: str | None) -> str:
    words = {
        clinical.RECOMMEND_NO_CONCERN: QCoreApplication.translate("Wording", "No concern"),
        clinical.RECOMMEND_RESCREEN: QCoreApplication.translate("Wording", "Re-screen"),
        clinical.RECOMMEND_REFER: QCoreApplication.translate("Wording", "Refer"),
    }
    return words.get(recommendation, "") if recommendation else ""


def stage_words(stage: str) -> str:
    words = {
        "loading model": QCoreApplication.translate("Wording", "Loading the model…"),
        "reading video": QCoreApplication.translate("Wording", "Finding the child in the video…"),
        "analysing": QCoreApplication.translate("Wording", "Analysing the walk…"),
        "explaining": QCoreApplication.translate("Wording", "Computing the attention maps…"),
        "done": QCoreApplication.translate("Wording", "Finishing…"),
        "frames": QCoreApplication.translate("Wording", "Reading the clip…"),
        "export": QCoreApplication.translate("Wording", "Exporting…"),
    }
    return words.get(stage, stage)


def _band_words(age_y: float | None) -> str:
    if age_y is None:
        return QCoreApplication.translate("Wording", "the adult normal range (0–10°; no age given, so the age norm was not applied)")
    lower, _mean, upper = clinical.age_norm(age_y)
    return QCoreApplication.translate("Wording", "the normal band for {age} years ({lower}–{upper}°)").format(age=f"{age_y:.0f}", lower=f"{lower:.0f}",
                                                                         upper=f"{upper:.0f}")  # fmt: skip


def reason_words(result: ScreeningResult) -> str:
    """Why the recommendation was given (or why the clip cannot be screened)."""
    if is_english():
        return result.reason
    if not result.screenable:
        return QCoreApplication.translate("Wording", "This recording cannot be screened: no usable walk was found in it. Record the child again, "
                                          "following the recording checklist.")
    threshold = float(result.model.get("threshold", 0.5))
    _recommendation, rule = clinical.recommendation_rule(result.knee_angle_interval, result.risk_interval, threshold,
                                                         result.age_y)  # fmt: skip
    lo_a, hi_a = result.knee_angle_interval
    lo_r, hi_r = result.risk_interval
    values = dict(angle=f"{result.knee_angle_deg:.0f}", low=f"{lo_a:.0f}", high=f"{hi_a:.0f}", band=_band_words(result.age_y),
                  risk=f"{result.risk:.0%}", risk_low=f"{lo_r:.0%}", risk_high=f"{hi_r:.0%}",
                  age=f"{result.age_y:.0f}" if result.age_y is not None else "")  # fmt: skip
    templates = {
        clinical.RULE_YOUNG_VALGUS: QCoreApplication.translate("Wording", 
            "The estimated knee angle ({angle}°, {low}–{high}) is above {band}, but at {age} years knock-knees often "
            "still resolve. Re-screen in about 6 months; refer sooner if it is one-sided, painful or getting worse."),
        clinical.RULE_VALGUS: QCoreApplication.translate("Wording", 
            "The estimated knee angle ({angle}°, {low}–{high}) is above {band} and in the genu valgum range (15° or "
            "more), and the risk is high ({risk}). Refer for a clinical examination."),
        clinical.RULE_WITHIN_BAND: QCoreApplication.translate("Wording", 
            "The estimated knee angle ({angle}°, {low}–{high}) lies within {band}, and the risk is low ({risk})."),
        clinical.RULE_EDGE_OF_BAND: QCoreApplication.translate("Wording", 
            "The risk is low ({risk}); the estimated knee angle ({angle}°, {low}–{high}) is at the edge of {band}, "
            "within the error of a video measurement."),
        clinical.RULE_BOW_LEGS: QCoreApplication.translate("Wording", 
            "The estimated knee angle ({angle}°) points to bow legs rather than knock-knees; this tool screens for "
            "knock-knees. Re-screen, and see a clinician if the legs look bowed."),
        clinical.RULE_UNCLEAR: QCoreApplication.translate("Wording", 
            "The result is not clear: risk {risk} ({risk_low}–{risk_high}), estimated knee angle {angle}° "
            "({low}–{high}) against {band}. Record the child again (walking straight toward the camera, in shorts, "
            "whole body in view) and screen again."),
    }  # fmt: skip
    return templates[rule].format(**values)


def _variant_words(problem: dict) -> str | None:
    """The problems whose code has several causes, each with its own advice (``cause``, set by
    ``video.quality``)."""
    code, cause = problem.get("code"), problem.get("cause")
    value = problem.get("value")
    if code == "camera_moving" and cause == "shake" and value is not None:
        return QCoreApplication.translate("Wording", "The camera shook too much to follow the legs ({percent}% of the picture width). Hold the "
                                          "camera steadier with both hands, or rest it on something, and record again."
                                          ).format(percent=f"{100 * float(value):.1f}")  # fmt: skip
    if code == "camera_moving" and cause == "pan" and value is not None:
        return QCoreApplication.translate("Wording", "The camera swept across the scene ({percent}% of the picture width a second). Keep the "
                                          "camera pointed at the walkway while the child walks toward it, and record again."
                                          ).format(percent=f"{100 * float(value):.0f}")  # fmt: skip
    if code == "multiple_people" and cause == "companion" and value is not None:
        return QCoreApplication.translate("Wording", "{count} people are in view and another person walks with the child. Screen one child at "
                                          "a time with nobody else in the walkway, and record again.").format(count=value)  # fmt: skip
    return None


def problem_words(problem: dict) -> str:
    """One quality problem in plain words: what is wrong and what to do."""
    if is_english():
        return problem.get("message", "")
    variant = _variant_words(problem)
    if variant is not None:
        return variant
    words = {
        "no_person": QCoreApplication.translate("Wording", "No walking person was found. Check that the child is in view and walks toward the camera, "
                        "that the camera does not move, and record again."),
        "multiple_people": QCoreApplication.translate("Wording", "More than one person is in view. Screen one child at a time with nobody else in the "
                              "picture, and record again."),
        "side_view": QCoreApplication.translate("Wording", "The child walks across the picture instead of toward the camera. Place the camera at the "
                        "end of the walkway so the child walks straight toward it."),
        "walking_away": QCoreApplication.translate("Wording", "The child walks away from the camera. The child should start far away and walk toward "
                           "the camera."),
        "body_cut_off": QCoreApplication.translate("Wording", "Head or feet are outside the picture in many frames. Move the camera back or lower it to "
                           "knee-to-waist height so the whole body stays in view."),
        "too_few_frames": QCoreApplication.translate("Wording", "The clip is too short, or the whole body is in view too briefly. Record the child "
                             "walking the whole way toward the camera (about 4–6 seconds)."),
        "too_few_steps": QCoreApplication.translate("Wording", "Too few steps were seen (at least 4 are needed). Let the child walk the whole way "
                            "(about 4–6 m) toward the camera."),
        "camera_moving": QCoreApplication.translate("Wording", "The camera moved during the recording. Put the camera on a tripod or a steady surface "
                            "and record again."),
        "too_dark": QCoreApplication.translate("Wording", "The clip is too dark. Turn on more light or move to a brighter room, avoid backlight, and "
                       "record again."),
    }  # fmt: skip
    return words.get(problem.get("code", ""), problem.get("message", ""))


def note_words(note: dict) -> str:
    """A fact about the recording that refused nothing (someone else in view), in plain words."""
    if is_english():
        return note.get("message", "")
    count = note.get("value") or 1
    words = {
        "bystander_seated": QCoreApplication.translate("Wording", "People sitting at the side were also in view ({count}); only the walking child was "
                                "screened."),
        "bystander_standing": QCoreApplication.translate("Wording", "People standing still were also in view ({count}); only the walking child was "
                                  "screened."),
        "bystander_crossing": QCoreApplication.translate("Wording", "People crossing the picture were also in view ({count}); only the walking child "
                                  "was screened."),
        "bystander_passing": QCoreApplication.translate("Wording", "People walking elsewhere in the picture were also in view ({count}); only the "
                                 "walking child was screened."),
    }  # fmt: skip
    text = words.get(note.get("code", ""))
    return text.format(count=count) if text else note.get("message", "")


def video_error_words(error) -> str:
    """A file that cannot be read, in the user's language (the video layer's English sentence
    when the case has no code, or in English)."""
    code, facts = getattr(error, "code", None), getattr(error, "facts", {}) or {}
    if is_english() or code is None:
        return str(error)
    words = {  # QCoreApplication.translate in full: the translation tools look for that call, not an alias
        "not_found": QCoreApplication.translate("Wording", "Video file not found: {name}. Check the path and try again."),
        "folder": QCoreApplication.translate("Wording", "{name} is a folder, not a video file. Choose a video file inside it."),
        "permission": QCoreApplication.translate("Wording", "Cannot read {name}: permission denied. Copy the file somewhere you can read, or fix its permissions."),
        "empty": QCoreApplication.translate("Wording", "{name} is empty (0 bytes). Record or copy the clip again."),
        "still_picture": QCoreApplication.translate("Wording", "{name} is a still picture, not a video. Choose a video of the child walking."),
        "text": QCoreApplication.translate("Wording", "{name} is not a video (it holds text). Choose a video file."),
        "not_video": QCoreApplication.translate("Wording", "{name} could not be opened as a video. It may be damaged or not a video. Re-export or record it again."),
        "one_frame": QCoreApplication.translate("Wording", "{name} holds no more than one frame: it is a still, not a walk. Record the child walking toward the camera for 4-6 seconds."),
        "no_frames": QCoreApplication.translate("Wording", "{name} contains no decodable frames. The file may be truncated or damaged; record or copy it again."),
        "too_small": QCoreApplication.translate("Wording", "{name} is only {width}x{height} pixels: too small to see a child walking. Record at 640x480 or more."),
    }  # fmt: skip
    text = words.get(code)
    if text is None:
        return str(error)
    try:
        return text.format(**facts)
    except (KeyError, IndexError):  # a translation that lost a placeholder: the original says it all
        return str(error)


def roster_line_words(error) -> str:
    """A roster line's problems in the user's language (``storage.roster.RosterLineError``)."""
    if is_english() or not getattr(error, "problems", ()):
        return error.message
    words = {  # QCoreApplication.translate in full: the translation tools look for that call, not an alias
        "field_count": QCoreApplication.translate("Wording", "has {fields} fields, the header has {header}"),
        "id_empty": QCoreApplication.translate("Wording", "the ID is empty"),
        "id_repeated": QCoreApplication.translate("Wording", "ID {id} is already used on line {first_line}"),
        "name_empty": QCoreApplication.translate("Wording", "the name is empty"),
        "birth_empty": QCoreApplication.translate("Wording", "the date of birth is empty"),
        "birth_not_a_date": QCoreApplication.translate("Wording", "date of birth {text} is not a real date (write it as YYYY-MM-DD)"),
        "birth_in_future": QCoreApplication.translate("Wording", "date of birth {date} is in the future"),
        "age_out_of_range": QCoreApplication.translate("Wording", "age {age} years (born {date}) is outside {low}-{high} years"),
        "sex_unknown": QCoreApplication.translate("Wording", "sex {text} is not F or M (also accepted: female/male, girl/boy, 女/男)"),
        "no_children": QCoreApplication.translate("Wording", "the roster has a header but no children"),
    }  # fmt: skip
    parts = []
    for code, facts in error.problems:
        text = words.get(code)
        try:
            parts.append(text.format(**facts) if text else error.message)
        except (KeyError, IndexError):
            return error.message
    return "\n".join(parts)  # one problem a line: no separator to translate
