"""Graded kettles for the comparison tests: brands written the way shops list them."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from portal.grading import scoring
from portal.grading.models import PriceBand, Submission
from tests.factories import (
    EnterpriseFactory,
    GraderOrganisationFactory,
    GradingSchemeFactory,
    ProductCategoryFactory,
    ProductFactory,
)

BRANDS = ["苏泊尔", "美的（Midea）", "九阳", "小熊 Bear", "北鼎"]
SHANGHAI = ZoneInfo("Asia/Shanghai")


def kettle_scheme():
    """The 小家电 scheme with price bands: under ¥100, ¥100 to under ¥300, ¥300 and above."""
    scheme = GradingSchemeFactory()
    for low in (0, 100, 300):
        PriceBand.objects.get_or_create(scheme=scheme, min_price=low)
    return scheme


def kettle_category():
    return ProductCategoryFactory(code="011104", name="电热水壶", name_en="Electric kettles")


def grade(
    product,
    scheme,
    *,
    scores,
    price=None,
    tested_on=date(2020, 5, 1),
    organisation=None,
    status=Submission.Status.APPROVED,
    decided=None,
    **fields,
) -> Submission:
    """A submission whose overall score and grade the scheme itself computes."""
    result = scoring.compute(scheme, {k: Decimal(str(v)) for k, v in scores.items()})
    decided = decided or datetime.combine(
        tested_on + timedelta(days=20), datetime.min.time(), SHANGHAI
    )
    return Submission.objects.create(
        organisation=organisation or GraderOrganisationFactory(),
        scheme=scheme,
        product=product,
        reference=f"SH-CPC-{Submission.objects.count() + 1:05d}",
        tested_on=tested_on,
        scores=scores,
        overall_score=result.overall_score,
        grade=result.grade,
        price=price,
        source=Submission.Source.API,
        status=status,
        decided_at=decided if status != Submission.Status.PENDING else None,
        **fields,
    )


def graded_kettles(count: int, scheme, category) -> list[Submission]:
    """`count` kettles of one maker, each graded once, scores spread over the scale."""
    maker = EnterpriseFactory(name="浙江某某电器有限公司", district=None)
    grades = []
    for n in range(count):
        product = ProductFactory(
            name="电热水壶",
            brand=BRANDS[n % len(BRANDS)],
            model_spec=f"SWF{15 + n % 3}E-{n:03d}",
            category=category,
            manufacturer=maker,
        )
        base = 55 + (n * 7) % 45
        scores = {"safety": base + 3, "performance": base, "energy": base - 2, "labelling": base}
        scores = {k: min(100, v) for k, v in scores.items()}
        grades.append(grade(product, scheme, scores=scores, price=Decimal(59 + 40 * (n % 9))))
    return grades
