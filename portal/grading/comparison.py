"""Comparisons: the products of one catalogue category graded under one scheme, side by side.

A comparison is not stored: it exists wherever approved grades of a public scheme cover
products of a category, so it appears with the first approved grade and goes with the last
withdrawn one. Every function here answers in a fixed number of queries, whatever the number
of products (the comparison page's query count is tested with 10 and 100 products).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    IntegerField,
    Max,
    QuerySet,
    Value,
    When,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from portal.inspections.models import Outcome, SpotCheckResult
from portal.registry.models import ProductCategory

from .models import GradingScheme, Submission
from .selectors import PUBLIC_SCHEME_STATUSES, current_grades

MAX_PICKED = 4
MAX_ID = 2**63 - 1  # the largest primary key: a longer number is no id, not a database error
CRITERION_SORT = "c-"  # sort key prefix of a criterion column: "c-safety"


@dataclass(frozen=True)
class Comparison:
    scheme: GradingScheme
    category: ProductCategory
    products: int
    latest: datetime


def published_comparisons(limit: int | None = None) -> list[Comparison]:
    """Every (scheme, category) pair with current grades, the most recently updated first."""
    pairs = (
        current_grades()
        .exclude(product__category=None)
        .values("scheme_id", "product__category_id")
        .annotate(products=Count("id"), latest=Max("decided_at"))
        .order_by("-latest", "scheme_id", "product__category_id")
    )
    pairs = list(pairs[:limit] if limit else pairs)
    schemes = GradingScheme.objects.in_bulk({p["scheme_id"] for p in pairs})
    categories = ProductCategory.objects.in_bulk({p["product__category_id"] for p in pairs})
    return [
        Comparison(
            schemes[p["scheme_id"]],
            categories[p["product__category_id"]],
            p["products"],
            p["latest"],
        )
        for p in pairs
    ]


def public_scheme(pk: int) -> GradingScheme | None:
    """A public scheme version with what its comparison shows (criteria, scale, price bands)."""
    return (
        GradingScheme.objects.filter(pk=pk, status__in=PUBLIC_SCHEME_STATUSES)
        .prefetch_related("criteria", "bands", "price_bands")
        .first()
    )


def graded(scheme: GradingScheme, category: ProductCategory) -> QuerySet[Submission]:
    """The current grades of the comparison, with the product and grader they show."""
    return (
        current_grades()
        .filter(scheme=scheme, product__category=category)
        .select_related("product", "organisation")
    )


def brands(grades: QuerySet[Submission]) -> list[str]:
    return list(
        grades.exclude(product__brand="")
        .order_by("product__brand")
        .values_list("product__brand", flat=True)
        .distinct()
    )


# --- Price bands ---------------------------------------------------------------------------


def price_ranges(scheme: GradingScheme) -> dict[int, tuple[Decimal, Decimal | None]]:
    """Band id → [from, to): a band ends where the next one starts; the last has no end."""
    bands = list(scheme.price_bands.all())
    ends = [b.min_price for b in bands[1:]] + [None] if bands else []
    return {band.pk: (band.min_price, end) for band, end in zip(bands, ends, strict=True)}


def in_price_range(grades: QuerySet[Submission], low: Decimal, high: Decimal | None):
    grades = grades.filter(price__gte=low)
    return grades.filter(price__lt=high) if high is not None else grades


# --- Sorting -------------------------------------------------------------------------------


def sort_keys(scheme: GradingScheme) -> list[str]:
    """Every column a comparison sorts by; each sorts best (or newest, or cheapest) first."""
    criteria = [CRITERION_SORT + c.code for c in scheme.criteria.all()]
    return ["score", "grade", *criteria, "price", "tested", "brand"]


def sorted_grades(grades: QuerySet[Submission], scheme, key: str) -> QuerySet[Submission]:
    tie = ("product__brand", "product__name", "pk")
    if key.startswith(CRITERION_SORT):
        code = key.removeprefix(CRITERION_SORT)
        score = Cast(KeyTextTransform(code, "scores"), FloatField())
        return grades.annotate(sort_score=score).order_by(
            F("sort_score").desc(nulls_last=True), *tie
        )
    if key == "grade":
        ranks = [When(grade=b.label, then=Value(i)) for i, b in enumerate(scheme.bands.all())]
        rank = Case(*ranks, default=Value(len(ranks)), output_field=IntegerField())
        return grades.annotate(rank=rank).order_by("rank", "-overall_score", *tie)
    if key == "price":
        return grades.order_by(F("price").asc(nulls_last=True), *tie)
    if key == "tested":
        return grades.order_by("-tested_on", *tie)
    if key == "brand":
        return grades.order_by(*tie)
    return grades.order_by("-overall_score", *tie)


# --- Spot checks beside the grades ---------------------------------------------------------


@dataclass
class SpotCheckRecord:
    """What the authority's spot checks found for one product, told beside its grade."""

    checks: int = 0
    failures: int = 0
    last_checked: date | None = None
    last_outcome: str = ""
    failed_after_grade: date | None = None  # the latest failed check dated after the test

    @property
    def last_outcome_label(self) -> str:
        return Outcome(self.last_outcome).label if self.last_outcome else ""


def spot_check_records(grades: Iterable[Submission]) -> dict[int, SpotCheckRecord]:
    """Product id → its public spot-check record, measured against its grade's test date; one
    query. A result is dated by its notice's publication (its year's 1 January when the
    notice gives no date)."""
    grades = list(grades)
    tested_on = {g.product_id: g.tested_on for g in grades}
    records = {pk: SpotCheckRecord() for pk in tested_on}
    results = (
        SpotCheckResult.public.filter(product_id__in=tested_on)
        .values_list("product_id", "outcome", "batch__published_on", "batch__year")
        .order_by("batch__published_on", "batch__year", "pk")
    )
    for product_id, outcome, published_on, year in results:
        record = records[product_id]
        checked_on = published_on or date(year, 1, 1)
        record.checks += 1
        record.last_checked, record.last_outcome = checked_on, outcome
        if outcome == Outcome.FAIL:
            record.failures += 1
            if checked_on > tested_on[product_id]:
                record.failed_after_grade = checked_on
    return records


# --- Picking products for the side-by-side view --------------------------------------------


class PickError(ValueError):
    """The pick list cannot be compared at all (not numbers, too few, too many)."""


@dataclass
class Picked:
    grades: list[Submission] = field(default_factory=list)
    withdrawn: list[Submission] = field(default_factory=list)  # shared links outlive grades
    ungraded: list[int] = field(default_factory=list)  # no grade here, or no such product


def as_id(value: str) -> int | None:
    """A primary key from an address or a form, or None when the text cannot be one."""
    value = value.strip()
    if value.isascii() and value.isdigit() and int(value) <= MAX_ID:
        return int(value)
    return None


def parse_pick(values: list[str]) -> list[int]:
    """Product ids from `?product=…` values, in order, each once; PickError when unusable."""
    ids: list[int] = []
    for value in values:
        if as_id(value) is None:
            raise PickError(
                _("“%(value)s” is not a product number: pick products from the table.")
                % {"value": value[:20]}
            )
        if as_id(value) not in ids:
            ids.append(as_id(value))
    if len(ids) < 2:
        raise PickError(
            _("Pick two to %(max)d products to compare side by side; you picked %(count)d.")
            % {"max": MAX_PICKED, "count": len(ids)}
        )
    if len(ids) > MAX_PICKED:
        raise PickError(
            _("At most %(max)d products can be compared side by side; you picked %(count)d.")
            % {"max": MAX_PICKED, "count": len(ids)}
        )
    return ids


def pick(scheme: GradingScheme, category: ProductCategory, ids: list[int]) -> Picked:
    """The current grades of `ids` in this comparison, in the order picked; the ids without
    one are told apart: a grade withdrawn since the link was shared, or never a grade here."""
    current = {g.product_id: g for g in graded(scheme, category).filter(product_id__in=ids)}
    missing = [pk for pk in ids if pk not in current]
    withdrawn = {}
    if missing:
        for grade in (
            Submission.objects.filter(
                scheme=scheme,
                product__category=category,
                product_id__in=missing,
                status=Submission.Status.WITHDRAWN,
            )
            .select_related("product", "organisation")
            .order_by("withdrawn_at")
        ):
            withdrawn[grade.product_id] = grade
    return Picked(
        grades=[current[pk] for pk in ids if pk in current],
        withdrawn=[withdrawn[pk] for pk in missing if pk in withdrawn],
        ungraded=[pk for pk in missing if pk not in withdrawn],
    )


# --- The side-by-side table ----------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    text: str
    best: bool = False


@dataclass(frozen=True)
class Row:
    label: str
    cells: list[Cell]
    differs: bool


def _row(label: str, values: list, best=None) -> Row:
    """A row of values; when they differ, `best(value)` (higher is better) marks the best."""
    differs = len({str(v) for v in values}) > 1
    known = [best(v) for v in values if v is not None] if best and differs else []
    top = max(known) if known else None
    cells = [
        Cell("—" if v is None else str(v), top is not None and v is not None and best(v) == top)
        for v in values
    ]
    return Row(label, cells, differs)


def _number(value) -> Decimal | None:
    """A sub-score as published: 92.5, 88 (not 88.0, nor 1E+2 for 100)."""
    return None if value is None else Decimal(f"{Decimal(str(value)).normalize():f}")


def side_by_side(scheme: GradingScheme, grades: list[Submission]) -> list[Row]:
    """One row per thing compared, one cell per product; differences marked, the best too."""
    rank = {band.label: i for i, band in enumerate(scheme.bands.all())}
    rows = [
        _row(_("Grade"), [g.grade for g in grades], best=lambda v: -rank.get(v, len(rank))),
        _row(_("Overall score"), [g.overall_score for g in grades], best=lambda v: v),
    ]
    for criterion in scheme.criteria.all():
        label = _("%(criterion)s (weight %(weight)s)") % {
            "criterion": criterion.name,
            "weight": f"{criterion.weight.normalize():f}",
        }
        values = [_number(g.scores.get(criterion.code)) for g in grades]
        rows.append(_row(label, values, best=lambda v: v))
    if scheme.price_bands.all():
        prices = [_number(g.price) for g in grades]
        rows.append(_row(_("Price paid (yuan)"), prices, best=lambda v: -v))
    rows += [
        _row(_("Tested on"), [g.tested_on.isoformat() for g in grades]),
        _row(_("Grader"), [g.organisation.name for g in grades]),
        _row(_("Test report"), [g.report_number or None for g in grades]),
    ]
    return rows
