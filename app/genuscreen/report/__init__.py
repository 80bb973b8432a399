"""PDF reports (reportlab): one child's screening, and a class session's summary (PDF and CSV).

Qt-free; plain functions that take a ScreeningResult (or a ``storage.ClassSummary``) and a
path. Each takes well under a second plus, for a child's report, one pass over the recording
up to the last key frame; they report no progress. Every file is written to a temporary file
in the target's folder and renamed, so a failure never leaves a half report.

One child's report (:func:`write_report`), A4 or Letter, English or Simplified Chinese:
    - header with the product name and version on every page;
    - the child (ID, name, date of birth, age, sex) and the screening (date, operator, the
      device that ran the model, the model card's id and version, the recording);
    - the result: category, recommendation and its reason, risk with its 90 % interval, the
      estimated knee angle with its interval drawn against the normal band for the age and
      the genu valgum range; recording quality and notes;
    - a vector chart of the per-frame risk score and knee angle along the walk;
    - three or four key frames with the attention overlay: the frames with the largest total
      attention (sum of the heatmap), kept apart in time (``keyframes``); read from the
      recording, or the child's silhouettes instead (``silhouettes_only=True``, or when the
      recording is not available);
    - a referral section when the recommendation is refer (whom to see, what to bring, when to
      go sooner, a slip for the doctor to return: ../shared/CLINICAL.md B2, B6);
    - a plain disclaimer (screening support, not a diagnosis; demonstration weights trained on
      synthetic children unless the model card's training data names another source) and a
      signature line.

Chinese names and Chinese text are drawn with an embedded TrueType font (``fonts``).

API::

    write_report(result, path, *, child=None, operator=None, screened_at=None, video=None,
                 language="en", page="A4", silhouettes_only=False, key_frames=4, card=None) -> Path
    write_class_summary(summary, path, *, language="en", page="A4") -> Path
    write_class_summary_csv(summary, path) -> Path
    suggested_report_name(child, when=None) -> str      # GenuScreen_<date>_<ID>_<name>.pdf

``child`` is a dict with id, name, date_of_birth (ISO), age_years and sex: the GUI's child
form values, or ``storage.Child.details(on=date)``.
"""

from genuscreen.report.pdf import suggested_report_name, trained_on_synthetic_data, write_report
from genuscreen.report.strings import LANGUAGES
from genuscreen.report.summary import CLASS_CSV_COLUMNS, write_class_summary, write_class_summary_csv

__all__ = [
    "CLASS_CSV_COLUMNS", "LANGUAGES", "suggested_report_name", "trained_on_synthetic_data", "write_class_summary",
    "write_class_summary_csv", "write_report",
]  # fmt: skip
