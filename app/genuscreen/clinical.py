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


# --------------------------------------------------------------------------------------------
# Age norms of the static knee angle (CLINICAL.md B1) and the screening recommendation (B2).
# --------------------------------------------------------------------------------------------

# Mean physiological valgus by age, degrees: about 10 deg near 4 y falling to the adult ~5-6 deg
# by 7-8 y (Salenius & Vankka 1975; Yoo 2008 peak 7.8 deg at 4 y, 5-6 deg by 7-8 y; Arazi 2001
# peaks 9.6-9.8 deg at 6-7 y). The table is a blend of these, rounded; ages outside it clamp.
_NORM_AGES_Y = (3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 10.0, 12.0)
_NORM_MEAN_DEG = (7.0, 8.5, 8.5, 8.0, 7.0, 6.0, 5.5, 5.5)
# Upper edge of the normal band: above 11 deg valgus is abnormal (Arazi 2001), raised to 12 deg
# before 6 y, when valgus is still physiological and bilateral valgus is reassured (B2).
_NORM_UPPER_DEG = (12.0, 12.0, 12.0, 11.0, 11.0, 11.0, 11.0, 11.0)
NORM_LOWER_DEG = 0.0  # any varus past infancy is abnormal (Arazi 2001)
STABLE_BY_AGE_Y = 7.0  # valgus is stable by about 7 y; before, it may still resolve (B2, StatPearls)
AGE_RANGE_Y = (3.0, 12.0)  # the ages the norms (and the synthetic training data) cover
# Differences smaller than about 8 deg between two 2D measurements are within error (B3, Munro
# 2012 smallest detectable difference 7.5-8.9 deg); used to word repeat-screening advice.
SMALLEST_REAL_CHANGE_DEG = 8.0
# [I] Before 7 y a valgus whose lower estimate reaches this is referred rather than watched.
SEVERE_TFA_DEG = 20.0

RECOMMEND_NO_CONCERN = "no_concern"
RECOMMEND_RESCREEN = "re_screen"
RECOMMEND_REFER = "refer"
RECOMMENDATION_WORDS = {RECOMMEND_NO_CONCERN: "no concern", RECOMMEND_RESCREEN: "re-screen", RECOMMEND_REFER: "refer"}


def age_norm(age_y: float) -> tuple[float, float, float]:
    """(lower, mean, upper) of the normal static knee angle at ``age_y``, degrees valgus."""
    import numpy as np

    age = float(np.clip(age_y, _NORM_AGES_Y[0], _NORM_AGES_Y[-1]))
    mean = float(np.interp(age, _NORM_AGES_Y, _NORM_MEAN_DEG))
    upper = float(np.interp(age, _NORM_AGES_Y, _NORM_UPPER_DEG))
    return NORM_LOWER_DEG, mean, upper


# Which rule of ``recommend`` applied; stable keys, so an interface can word the reason itself.
RULE_YOUNG_VALGUS = "young_valgus"  # re-screen: valgus range, but under 7 y and not severe
RULE_VALGUS = "valgus"  # refer
RULE_WITHIN_BAND = "within_band"  # no concern
RULE_EDGE_OF_BAND = "edge_of_band"  # no concern, at the band's edge within video error
RULE_BOW_LEGS = "bow_legs"  # re-screen: varus, which this tool does not screen for
RULE_UNCLEAR = "unclear"  # re-screen: mixed evidence


def recommendation_rule(angle_interval: tuple[float, float], risk_interval: tuple[float, float], threshold: float,
                        age_y: float | None) -> tuple[str, str]:  # fmt: skip
    """(recommendation, rule) for a screenable clip: see :func:`recommend` for the rules."""
    lo_a, hi_a = angle_interval
    lo_r, hi_r = risk_interval
    lower, _mean, upper = age_norm(age_y) if age_y is not None else (NORM_LOWER_DEG, None, TFA_NORMAL_MAX)
    confident_valgum = lo_r >= threshold
    confident_normal = hi_r < threshold
    if confident_valgum and lo_a >= TFA_VALGUM_MIN and age_y is not None and age_y < STABLE_BY_AGE_Y and lo_a < SEVERE_TFA_DEG:
        return RECOMMEND_RESCREEN, RULE_YOUNG_VALGUS
    if confident_valgum and lo_a >= TFA_VALGUM_MIN:
        return RECOMMEND_REFER, RULE_VALGUS
    if confident_normal and lower <= lo_a and hi_a <= upper:
        return RECOMMEND_NO_CONCERN, RULE_WITHIN_BAND
    if confident_normal and hi_a <= upper + SMALLEST_REAL_CHANGE_DEG / 2 and lo_a >= lower - SMALLEST_REAL_CHANGE_DEG / 2:
        return RECOMMEND_NO_CONCERN, RULE_EDGE_OF_BAND
    if hi_a < lower:
        return RECOMMEND_RESCREEN, RULE_BOW_LEGS
    return RECOMMEND_RESCREEN, RULE_UNCLEAR


def recommend(angle_deg: float, angle_interval: tuple[float, float], risk: float, risk_interval: tuple[float, float],
              threshold: float, age_y: float | None) -> tuple[str, str]:  # fmt: skip
    """(recommendation, reason in plain words) for a screenable clip.

    - refer: the model calls genu valgum with confidence (the whole risk interval above the
      threshold) and the whole angle interval lies in the genu valgum range (>= 15 deg); under
      7 y only when severe (lower end >= 20 deg), since milder valgus may still resolve (B2);
    - re-screen: the evidence is mixed (an interval straddles the threshold or the band's edge);
    - no concern: the risk interval lies below the threshold and the angle within the band.
    """
    lo_a, hi_a = angle_interval
    lo_r, hi_r = risk_interval
    if age_y is not None:
        lower, _mean, upper = age_norm(age_y)
        band = f"the normal band for {age_y:.0f} years ({lower:.0f}-{upper:.0f} degrees)"
    else:
        band = "the adult normal range (0-10 degrees; no age given, so the age norm was not applied)"
    recommendation, rule = recommendation_rule(angle_interval, risk_interval, threshold, age_y)
    if rule == RULE_YOUNG_VALGUS:
        return recommendation, (
            f"The estimated knee angle ({angle_deg:.0f} degrees, {lo_a:.0f}-{hi_a:.0f}) is above {band}, but at "
            f"{age_y:.0f} years knock-knees often still resolve. Re-screen in about 6 months; refer sooner if it is "
            "one-sided, painful or getting worse."
        )
    if rule == RULE_VALGUS:
        return recommendation, (
            f"The estimated knee angle ({angle_deg:.0f} degrees, {lo_a:.0f}-{hi_a:.0f}) is above {band} and in the "
            f"genu valgum range (15 degrees or more), and the risk is high ({risk:.0%}). Refer for a clinical examination."
        )
    if rule == RULE_WITHIN_BAND:
        return recommendation, (
            f"The estimated knee angle ({angle_deg:.0f} degrees, {lo_a:.0f}-{hi_a:.0f}) lies within {band}, "
            f"and the risk is low ({risk:.0%})."
        )
    if rule == RULE_EDGE_OF_BAND:
        return recommendation, (
            f"The risk is low ({risk:.0%}); the estimated knee angle ({angle_deg:.0f} degrees, {lo_a:.0f}-{hi_a:.0f}) "
            f"is at the edge of {band}, within the error of a video measurement."
        )
    if rule == RULE_BOW_LEGS:
        return recommendation, (
            f"The estimated knee angle ({angle_deg:.0f} degrees) points to bow legs rather than knock-knees; this tool "
            "screens for knock-knees. Re-screen, and see a clinician if the legs look bowed."
        )
    return recommendation, (
        f"The result is not clear: risk {risk:.0%} ({lo_r:.0%}-{hi_r:.0%}), estimated knee angle {angle_deg:.0f} degrees "
        f"({lo_a:.0f}-{hi_a:.0f}) against {band}. Record the child again (walking straight toward the camera, in "
        "shorts, whole body in view) and screen again."
    )
