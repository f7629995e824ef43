"""The server's computation: weighted mean, half-up rounding, bands, downgrade caps."""

from decimal import Decimal

import pytest

from portal.core.text import plain_text
from portal.grading.scoring import compute

pytestmark = pytest.mark.django_db


def scores(**values):
    return {code: Decimal(str(value)) for code, value in values.items()}


def test_weighted_mean_picks_the_band(scheme):
    result = compute(scheme, scores(safety=95, performance=88, energy=90, labelling=80))
    assert (result.overall_score, result.grade, result.capped_by) == (Decimal("90.4"), "A+", ())


def test_overall_rounds_half_up_to_one_decimal(scheme):
    # 0.4*80 + 0.3*81.5 + 0.2*80 + 0.1*80 = 80.45
    result = compute(scheme, scores(safety=80, performance=81.5, energy=80, labelling=80))
    assert result.overall_score == Decimal("80.5")


def test_a_failed_safety_item_caps_the_grade(scheme):
    # 0.4*55 + 0.3*95 + 0.2*95 + 0.1*95 = 79.0 → B, but safety below 60 caps it at C.
    result = compute(scheme, scores(safety=55, performance=95, energy=95, labelling=95))
    assert (result.overall_score, result.grade) == (Decimal("79.0"), "C")
    assert len(result.capped_by) == 1


def test_a_cap_never_raises_a_grade(scheme):
    result = compute(scheme, scores(safety=10, performance=10, energy=10, labelling=10))
    assert result.grade == "D"


def test_plain_text_strips_control_and_bidi_characters():
    assert plain_text(" 样品\x00购自\u202e超市\r\n第二行\x07 ") == "样品购自超市\n第二行"
    assert plain_text("<script>alert(1)</script>") == "<script>alert(1)</script>"
