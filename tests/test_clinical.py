"""Age norms and the recommendation rules (CLINICAL.md B1-B2)."""

import pytest

from genuscreen import clinical
from genuscreen.clinical import RECOMMEND_NO_CONCERN, RECOMMEND_REFER, RECOMMEND_RESCREEN, age_norm, recommend


def test_age_norm_band() -> None:
    lower, mean, upper = age_norm(4.0)
    assert lower == 0.0 and mean == pytest.approx(8.5) and upper == pytest.approx(12.0)
    assert age_norm(9.0)[2] == pytest.approx(11.0)  # Arazi 2001: above 11 deg valgus is abnormal
    assert age_norm(1.0) == age_norm(3.0) and age_norm(16.0) == age_norm(12.0)  # clamped to the table


def test_recommendations() -> None:
    t = 0.5
    rec, why = recommend(5.0, (3.0, 7.0), 0.05, (0.02, 0.08), t, 9.0)
    assert rec == RECOMMEND_NO_CONCERN and "normal band for 9 years" in why
    rec, why = recommend(20.0, (17.0, 23.0), 0.95, (0.9, 0.99), t, 9.0)
    assert rec == RECOMMEND_REFER and "Refer" in why
    rec, why = recommend(17.0, (15.5, 19.0), 0.95, (0.9, 0.99), t, 5.0)  # under 7: watch, unless severe
    assert rec == RECOMMEND_RESCREEN and "6 months" in why
    rec, _ = recommend(24.0, (21.0, 27.0), 0.97, (0.95, 0.99), t, 5.0)
    assert rec == RECOMMEND_REFER
    rec, why = recommend(12.0, (8.0, 16.0), 0.5, (0.3, 0.7), t, 9.0)  # mixed evidence
    assert rec == RECOMMEND_RESCREEN and "not clear" in why
    rec, why = recommend(5.0, (3.0, 7.0), 0.05, (0.02, 0.08), t, None)
    assert rec == RECOMMEND_NO_CONCERN and "no age given" in why
    rec, why = recommend(-9.0, (-12.0, -6.0), 0.05, (0.02, 0.08), t, 9.0)
    assert rec == RECOMMEND_RESCREEN and "bow legs" in why
    assert set(clinical.RECOMMENDATION_WORDS) == {RECOMMEND_NO_CONCERN, RECOMMEND_RESCREEN, RECOMMEND_REFER}
