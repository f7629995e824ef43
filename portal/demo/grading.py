"""Demo third-party grading: invented testing bodies, published schemes for five product types
of the key catalogue, and some 530 approved grades of the demo's own products, with one
withdrawn grade, one manufacturer's response, one rejected and two pending submissions.

Grades are drawn from `random.Random(seed)` over the products ordered by id, so a seed gives
the same grades; overall score and grade come from `portal.grading.scoring`, the code that
checks real submissions, so every demo grade is one the API would accept. Rows are written
with `bulk_create`. Nothing is written when there are grade submissions already, or no products;
schemes kept from before a `load_demo --reset` (which deletes the grades) are reused.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction

from portal.grading import scoring
from portal.grading.models import (
    Criterion,
    DowngradeRule,
    GradeBand,
    GraderOrganisation,
    GradingScheme,
    PriceBand,
    Submission,
)
from portal.registry.catalogue import SHANGHAI_2020
from portal.registry.models import Product

from .data import load

SHANGHAI = ZoneInfo("Asia/Shanghai")
Status = Submission.Status
SPARE = 3  # ungraded products kept per scheme for the withdrawn, rejected and pending ones


@transaction.atomic
def build_grading(seed: int, log: Callable[[str], None]) -> None:
    data = load("grading.json")
    if Submission.objects.exists():
        return
    if not Product.objects.filter(category__edition=SHANGHAI_2020).exists():
        return
    rng = random.Random(f"{seed}:grading")  # noqa: S311 - reproducible demo data, not secrets
    graders = {o["prefix"]: _organisation(o) for o in data["organisations"]}
    first, last = (date.fromisoformat(d) for d in data["tested"])
    rows: list[Submission] = []
    spare: list[tuple[GradingScheme, int]] = []  # ungraded products, for the other statuses
    for fields in data["schemes"]:
        scheme = _scheme(fields)
        products = list(
            Product.objects.filter(
                category__edition=SHANGHAI_2020, category__code=fields["category"]
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        chosen = rng.sample(products, min(fields["grades"] + SPARE, len(products)))
        split = max(0, len(chosen) - SPARE)  # a small --scale grades fewer, keeps the spares
        graded, left = chosen[:split], chosen[split:]
        spare += [(scheme, pk) for pk in left]
        for pk in graded:
            grader = rng.choice(fields["graders"])
            tested_on = first + timedelta(days=rng.randrange((last - first).days))
            rows.append(
                _grade(rng, scheme, fields, graders[grader], grader, pk, tested_on, len(rows))
            )
    _other_statuses(rng, rows, spare, graders, data)
    Submission.objects.bulk_create(rows, batch_size=1000)
    approved = sum(1 for row in rows if row.status == Status.APPROVED)
    log(
        f"Demo grading: {len(graders)} graders, {len(data['schemes'])} schemes, "
        f"{approved} approved grades, {len(rows) - approved} other submissions."
    )


def _organisation(fields: dict) -> GraderOrganisation:
    details = {k: v for k, v in fields.items() if k not in ("name", "prefix")}
    return GraderOrganisation.objects.get_or_create(name=fields["name"], defaults=details)[0]


def _scheme(fields: dict) -> GradingScheme:
    """The scheme, created with its parts unless kept from before a `--reset`."""
    scheme, created = GradingScheme.objects.get_or_create(
        code=fields["code"],
        version=1,
        defaults={
            "name": fields["name"],
            "status": GradingScheme.Status.ACTIVE,
            "method": fields["method"],
        },
    )
    if created:
        _parts(scheme, fields)
    # What `scoring.compute` reads, fetched once instead of once per grade.
    return GradingScheme.objects.prefetch_related("criteria", "bands", "downgrade_rules").get(
        pk=scheme.pk
    )


def _parts(scheme: GradingScheme, fields: dict) -> None:
    Criterion.objects.bulk_create(
        Criterion(scheme=scheme, code=code, name=name, weight=weight, is_safety_item=safety)
        for code, name, weight, safety in fields["criteria"]
    )
    GradeBand.objects.bulk_create(
        GradeBand(scheme=scheme, label=label, min_score=low) for label, low in fields["bands"]
    )
    DowngradeRule.objects.bulk_create(
        DowngradeRule(scheme=scheme, criterion_code=code, below=below, cap=cap)
        for code, below, cap in fields["rules"]
    )
    PriceBand.objects.bulk_create(
        PriceBand(scheme=scheme, min_price=low) for low in fields["price_bands"]
    )


def _grade(rng, scheme, fields, grader, prefix, product_id, tested_on, number) -> Submission:
    """An approved grade: a product's quality drawn once, each criterion scattered around it
    (to the half point, as graders report), then scored by the scheme itself."""
    mean, spread = fields["quality"]
    quality = rng.gauss(mean, spread)
    scores = {
        code: min(100.0, max(20.0, round(rng.gauss(quality, 6) * 2) / 2))
        for code, *_ in fields["criteria"]
    }
    result = scoring.compute(scheme, {k: Decimal(str(v)) for k, v in scores.items()})
    low, high = fields["price"]
    price = Decimal(max(low, round(rng.uniform(low, high), -1) - 1))  # 2399, 1299: shop prices
    submitted = _moment(tested_on + timedelta(days=rng.randint(3, 14)), rng)
    return Submission(
        organisation=grader,
        scheme=scheme,
        product_id=product_id,
        reference=f"{prefix}-{tested_on.year}-{number + 1:04d}",
        report_number=f"{prefix}{tested_on:%Y%m}{number + 1:04d}",
        tested_on=tested_on,
        scores=scores,
        overall_score=result.overall_score,
        grade=result.grade,
        price=price,
        source=Submission.Source.API,
        submitted_at=submitted,
        status=Status.APPROVED,
        decided_at=submitted + timedelta(days=rng.randint(5, 20)),
    )


def _moment(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randint(9, 17), rng.randint(0, 59)), SHANGHAI)


def _other_statuses(rng, rows: list[Submission], spare, graders, data) -> None:
    """One response to a low grade, and submissions that are not (or no longer) public: a
    withdrawn grade, a rejected and two pending ones, each on a product without a grade."""
    bikes = [r for r in rows if r.scheme.code == "e-bike"]
    if bikes:
        low = min(bikes, key=lambda r: r.overall_score)
        low.manufacturer_response = data["response"]
        low.response_filed_at = low.decided_at + timedelta(days=12)
    fields = {s["code"]: s for s in data["schemes"]}
    picks = [(s, pk) for s, pk in spare if s.code == "e-bike"][:1]
    picks += [(s, pk) for s, pk in spare if s.code == "power-bank"][:3]
    statuses = [Status.WITHDRAWN, Status.REJECTED, Status.PENDING, Status.PENDING]
    for status, (scheme, product_id) in zip(statuses, picks, strict=False):
        prefix = fields[scheme.code]["graders"][0]
        tested_on = date(2020, 11, 20) if status == Status.PENDING else date(2020, 6, 15)
        row = _grade(
            rng,
            scheme,
            fields[scheme.code],
            graders[prefix],
            prefix,
            product_id,
            tested_on,
            len(rows),
        )
        row.status = status
        if status == Status.WITHDRAWN:
            row.withdrawn_at = row.decided_at + timedelta(days=40)
            row.comment = data["withdrawal"]
        elif status == Status.REJECTED:
            row.decision_reason = data["rejection"]
        else:
            row.decided_at = None
            row.comment = data["pending_comment"]
        rows.append(row)
