"""Non-conformity statistics (不合格发现率) for the public pages.

Counted over the current results of published (or corrected) batches. A sample (批次) is
one result; the rate is failed samples over tested samples. By year the notices' declared
totals are used where a notice lists only part of its samples (often only the failures);
by category, district and channel only listed results can be attributed, so those count
the rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q

from .models import Outcome, SpotCheckBatch, SpotCheckResult

LATEST_YEAR_KEY = "inspections:statistics:latest-year"

#: Grouping → the result field it groups on.
DIMENSIONS = {
    "category": "category__name",
    "district": "producer__district__name",
    "channel": "channel",
}


@dataclass(frozen=True)
class Figure:
    key: object
    batches: int
    samples: int
    failures: int

    @property
    def rate(self) -> Decimal | None:
        """Failed over tested, as a percentage with one decimal; None when nothing was tested."""
        if not self.samples:
            return None
        return (Decimal(100 * self.failures) / self.samples).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


def by_year(**filters) -> list[Figure]:
    """Per year: declared totals of a batch when given, otherwise its listed results."""
    batches = (
        SpotCheckBatch.objects.filter(status__in=SpotCheckBatch.PUBLIC_STATUSES, **filters)
        .annotate(
            listed=Count("results", filter=Q(results__removed_in_version__isnull=True)),
            listed_failed=Count(
                "results",
                filter=Q(results__removed_in_version__isnull=True, results__outcome=Outcome.FAIL),
            ),
        )
        .values_list("year", "declared_sampled", "declared_failed", "listed", "listed_failed")
    )
    totals: dict[int, list[int]] = {}
    for year, declared_sampled, declared_failed, listed, listed_failed in batches:
        row = totals.setdefault(year, [0, 0, 0])
        row[0] += 1
        row[1] += listed if declared_sampled is None else declared_sampled
        row[2] += listed_failed if declared_failed is None else declared_failed
    return [Figure(year, *row) for year, row in sorted(totals.items())]


def latest_year() -> Figure | None:
    """The latest year's figure, which the home page shows on every request: cached until a
    batch or a result changes (`forget`), so the home page does not count all results."""

    def compute():
        years = by_year()
        return years[-1] if years else None

    return cache.get_or_set(LATEST_YEAR_KEY, compute)


def forget(**kwargs) -> None:
    """Drop the cached figures once the change that makes them stale is committed (a reader
    between the change and the commit would cache the old figures again)."""
    transaction.on_commit(lambda: cache.delete(LATEST_YEAR_KEY))


def by(dimension: str, **filters) -> list[Figure]:
    """Per category, district or channel, counted over listed results."""
    field = DIMENSIONS[dimension]
    rows = (
        SpotCheckResult.public.filter(**filters)
        .values(field)
        .annotate(
            batches=Count("batch", distinct=True),
            samples=Count("pk"),
            failures=Count("pk", filter=Q(outcome=Outcome.FAIL)),
        )
        .order_by(field)
    )
    return [Figure(row[field], row["batches"], row["samples"], row["failures"]) for row in rows]


def overall(**filters) -> Figure:
    """All public results together (e.g. "this year" on the home page)."""
    figures = by_year(**filters)
    return Figure(
        None,
        sum(f.batches for f in figures),
        sum(f.samples for f in figures),
        sum(f.failures for f in figures),
    )
