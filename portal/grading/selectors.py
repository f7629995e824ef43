"""What the rest of the portal reads about grades: only approved ones, without N+1 queries.

Product pages call `approved_grades_for(products)` once for a page of products; search indexes
`grade_facets()`; a single product page may use `current_grade(product)`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Concat

from portal.registry.models import Product

from .models import GradingScheme, Submission

#: Scheme versions whose report and comparisons are public: drafts are not.
PUBLIC_SCHEME_STATUSES = [GradingScheme.Status.ACTIVE, GradingScheme.Status.RETIRED]


def approved_submissions() -> QuerySet[Submission]:
    """Approved grades, newest decision first, with what a page shows beside them."""
    return (
        Submission.objects.filter(status=Submission.Status.APPROVED)
        .select_related("organisation", "scheme")
        .order_by("-decided_at", "-id")
    )


def approved_grades_for(products: Iterable[Product | int]) -> dict[int, list[Submission]]:
    """Product id → its approved grades (newest first); one query for any number of products."""
    ids = [p if isinstance(p, int) else p.pk for p in products]
    grades: dict[int, list[Submission]] = defaultdict(list)
    for submission in approved_submissions().filter(product_id__in=ids):
        grades[submission.product_id].append(submission)
    return {pk: grades.get(pk, []) for pk in ids}


def current_grades() -> QuerySet[Submission]:
    """Each product's latest approved grade under each public scheme: a product graded again
    under one scheme appears once, with its newest grade (what comparisons list)."""
    newer = Submission.objects.filter(
        Q(decided_at__gt=OuterRef("decided_at"))
        | Q(decided_at=OuterRef("decided_at"), pk__gt=OuterRef("pk")),
        status=Submission.Status.APPROVED,
        product=OuterRef("product"),
        scheme=OuterRef("scheme"),
    )
    return Submission.objects.filter(
        status=Submission.Status.APPROVED, scheme__status__in=PUBLIC_SCHEME_STATUSES
    ).exclude(Exists(newer))


def current_grade(product: Product | int) -> Submission | None:
    """The most recently approved grade of a product, or None."""
    pk = product if isinstance(product, int) else product.pk
    return approved_submissions().filter(product_id=pk).first()


def grade_facets(**filters) -> QuerySet:
    """(product id, "<scheme code>:<grade>", grade) of approved grades, by product and newest
    decision first: the grade facet of the search index and the badge of a results line,
    streamed beside the products."""
    facet = Concat("scheme__code", Value(":"), "grade", output_field=CharField())
    return (
        Submission.objects.filter(status=Submission.Status.APPROVED, **filters)
        .exclude(product_id=None)
        .annotate(facet=facet)
        .values_list("product_id", "facet", "grade")
        .order_by("product_id", "-decided_at", "-id")
    )
