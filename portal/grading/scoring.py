"""The server's own computation of a grade from sub-scores: the only one that is published.

Overall score = weighted mean of the sub-scores, rounded half-up to one decimal. The grade is
the band with the highest lowest-score the overall reaches, then capped by every downgrade
rule whose sub-score is below its threshold (a cap never raises a grade).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .models import GradingScheme

ONE_DECIMAL = Decimal("0.1")


@dataclass(frozen=True)
class Result:
    overall_score: Decimal
    grade: str
    capped_by: tuple[str, ...] = ()


def compute(scheme: GradingScheme, scores: dict[str, Decimal]) -> Result:
    """Grade `scores` (one per criterion of the scheme, already validated 0–100)."""
    criteria = list(scheme.criteria.all())
    total_weight = sum(c.weight for c in criteria)
    weighted = sum(c.weight * scores[c.code] for c in criteria)
    overall = (weighted / total_weight).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)

    bands = sorted(scheme.bands.all(), key=lambda b: b.min_score, reverse=True)
    rank = {band.label: i for i, band in enumerate(bands)}  # 0 is the best grade
    position = next((i for i, b in enumerate(bands) if overall >= b.min_score), len(bands) - 1)

    safety_codes = [c.code for c in criteria if c.is_safety_item]
    capped_by = []
    for rule in scheme.downgrade_rules.all():
        codes = [rule.criterion_code] if rule.criterion_code else safety_codes
        broken = any(scores[code] < rule.below for code in codes if code in scores)
        if broken and rule.cap in rank and rank[rule.cap] > position:
            position = rank[rule.cap]
            capped_by.append(str(rule))
    return Result(overall, bands[position].label, tuple(capped_by))
