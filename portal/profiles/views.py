"""Public enterprise and product profiles: what the registry and the spot checks say."""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from portal.core.site import absolute_url
from portal.grading.selectors import approved_grades_for
from portal.inspections.models import FailedItem, Outcome, SpotCheckResult
from portal.registry.models import Enterprise, Licence, Product
from portal.supervision.models import CapabilityAssessment


def _public_results():
    return (
        SpotCheckResult.public.select_related("batch", "product", "initial_agency", "retest_agency")
        .prefetch_related(
            Prefetch("failed_items", queryset=FailedItem.objects.order_by("position"))
        )
        .order_by("-batch__published_on", "-batch__year", "-pk")
    )


def _rate(results) -> dict[str, object]:
    failed = sum(1 for r in results if r.outcome == Outcome.FAIL)
    return {
        "tested": len(results),
        "failed": failed,
        "rate": round(100 * failed / len(results), 1) if results else None,
    }


def enterprise(request, pk: int):
    enterprise = get_object_or_404(
        Enterprise.objects.select_related("district").prefetch_related(
            Prefetch("licences", queryset=Licence.objects.prefetch_related("status_history")),
            "credit_flags",
            Prefetch(
                "capability_assessments",
                queryset=CapabilityAssessment.objects.select_related("report"),
            ),
        ),
        pk=pk,
    )
    results = list(_public_results().filter(producer=enterprise))
    context = {
        "enterprise": enterprise,
        "results": results,
        "figures": _rate(results),
        "canonical_url": absolute_url(request, enterprise.get_absolute_url()),
    }
    return render(request, "profiles/enterprise.html", context)


def product(request, pk: int):
    product = get_object_or_404(
        Product.objects.select_related("manufacturer__district", "category").prefetch_related(
            "barcodes"
        ),
        pk=pk,
    )
    results = list(_public_results().filter(product=product))
    context = {
        "product": product,
        "grades": approved_grades_for([product])[product.pk],
        "results": results,
        "figures": _rate(results),
        "canonical_url": absolute_url(request, product.get_absolute_url()),
    }
    return render(request, "profiles/product.html", context)
