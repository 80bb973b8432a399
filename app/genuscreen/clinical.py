"""Clinical labels and thresholds, with their sources. The one place such numbers live.

Sources are the project's ../shared/ARCHITECTURE.md ("Labels") and ../shared/CLINICAL.md
(sections B1-B2); the tags in comments are that file's section names.
"""

from __future__ import annotations

# Static tibiofemoral angle (TFA), degrees, positive = valgus (ARCHITECTURE.md, "Labels").
TFA_NORMAL_MAX = 10.0  # normal: 0-10 degrees
TFA_VALGUM_MIN = 15.0  # genu valgum: >= 15 degrees; 10-15 is borderline, never a hard label

LABEL_NORMAL = "normal"
LABEL_VALGUM = "genu_valgum"
LABEL_BORDERLINE = "borderline"
LABEL_VARUS = "varus"  # negative TFA; "not valgum" for the binary task


def tfa_label(tfa_deg: float) -> str:
    """The label of a static tibiofemoral angle (degrees, positive = valgus)."""
    if tfa_deg < 0.0:
        return LABEL_VARUS
    if tfa_deg <= TFA_NORMAL_MAX:
        return LABEL_NORMAL
    if tfa_deg < TFA_VALGUM_MIN:
        return LABEL_BORDERLINE
    return LABEL_VALGUM


def is_hard_label(label: str) -> bool:
    """Borderline children are not used as hard training labels (ARCHITECTURE.md, "Labels")."""
    return label != LABEL_BORDERLINE


# Intermalleolar distance (IMD) above 8 cm is pathological (CLINICAL.md B2, StatPearls [V]).
IMD_PATHOLOGICAL_CM = 8.0
