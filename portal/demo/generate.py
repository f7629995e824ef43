"""Build, detect and remove the demo registry.

Everything is drawn from one `random.Random(seed)` in a fixed order, so a seed always gives
the same data; rows are written in chunks as they are drawn, so memory does not grow with
the number of results.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from portal.grading.models import Submission
from portal.inspections.models import InspectionAgency, SpotCheckBatch, SpotCheckResult
from portal.registry.catalogue import SHANGHAI_2020
from portal.registry.models import District, Enterprise, Licence, Product, ProductCategory

from .agencies import build_agencies
from .batches import plan_batches
from .categories import PROFILES
from .dates import date_records
from .firms import FirmBuilder
from .products import ProductBuilder
from .results import ResultWriter

DEFAULT_SEED = 20190415  # the day the 2019 supervision plan was issued
MAKER_SHARE = 0.8


@dataclass(frozen=True)
class DemoSize:
    """How many of each row `--scale` asks for; scale 1 is the default demo."""

    enterprises: int
    products: int
    batches: int
    results: int

    @classmethod
    def for_scale(cls, scale: float) -> DemoSize:
        results = round(30_000 * scale)
        return cls(
            enterprises=round(2_000 * scale),
            products=round(10_000 * scale),
            batches=max(1, round(200 * scale)) if results else 0,
            results=results,
        )


def registry_counts() -> dict[str, int]:
    return {
        "enterprises": Enterprise.objects.count(),
        "licences": Licence.objects.count(),
        "products": Product.objects.count(),
        "agencies": InspectionAgency.objects.count(),
        "batches": SpotCheckBatch.objects.count(),
        "results": SpotCheckResult.objects.count(),
    }


def registry_is_empty() -> bool:
    return not (Enterprise.objects.exists() or SpotCheckBatch.objects.exists())


# Children before parents, so each delete finds little left to cascade to.
RESET_ORDER: tuple[type[models.Model], ...] = (
    Submission,  # grades protect their products
    SpotCheckResult,
    SpotCheckBatch,
    InspectionAgency,
    Product,
    Licence,
    Enterprise,
)


def reset_registry(progress: Callable[[str], None], chunk: int = 5000) -> None:
    """Delete every enterprise, licence, product, agency and spot check, and the grades of
    the products.

    Nothing marks a row as demo data, so this is for development databases. Deleting by
    chunks of primary keys keeps memory flat and lets Django apply every cascade and
    SET_NULL, including those of apps that refer to these rows. Wagtail's reference index
    would otherwise be updated row by row (two queries per deleted object); it is cleared
    for the deleted models in one go instead.
    """
    with disable_reference_index_auto_update():
        for model in RESET_ORDER:
            deleted = 0
            while pks := list(model.objects.order_by().values_list("pk", flat=True)[:chunk]):
                model.objects.filter(pk__in=pks).delete()
                deleted += len(pks)
            progress(f"  deleted {deleted:,} {model._meta.verbose_name_plural}")
    types = ContentType.objects.get_for_models(*_cascaded(RESET_ORDER)).values()
    ReferenceIndex.objects.filter(
        Q(base_content_type__in=types) | Q(to_content_type__in=types)
    ).delete()


def _cascaded(roots: tuple[type[models.Model], ...]) -> set[type[models.Model]]:
    """The models whose rows deleting all rows of `roots` deletes."""
    found: set[type[models.Model]] = set()
    pending = list(roots)
    while pending:
        model = pending.pop()
        if model not in found:
            found.add(model)
            pending += [
                relation.related_model
                for relation in model._meta.related_objects
                if relation.on_delete is models.CASCADE
            ]
    return found


def build_demo(seed: int, size: DemoSize, progress: Callable[[str], None]) -> dict[str, int]:
    """Write the demo registry of `size` into an empty registry; returns what was written."""
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
    districts = list(District.objects.order_by("code"))
    categories = dict(
        ProductCategory.objects.filter(edition=SHANGHAI_2020).values_list("code", "pk")
    )
    makers = round(size.enterprises * MAKER_SHARE)
    firms = FirmBuilder(rng, districts, progress).build(makers, size.enterprises - makers, PROFILES)
    products = ProductBuilder(seed, rng, progress)
    index = products.build(size.products, firms.makers, PROFILES, categories)
    agencies = build_agencies(rng, sorted({p.lab for p in PROFILES}))
    progress(f"  agencies: {InspectionAgency.objects.count():,}")
    plans = plan_batches(rng, size.batches, size.results, districts, PROFILES, agencies, categories)
    progress(f"  batches: {len(plans):,}")
    writer = ResultWriter(
        seed, rng, firms.makers, firms.shops, index, agencies, progress, size.results
    )
    for plan in plans:
        writer.write(plan)
    writer.flush()
    SpotCheckBatch.objects.bulk_update(
        [plan.batch for plan in plans], ["declared_sampled", "declared_failed"], batch_size=500
    )
    date_records()
    return {
        "enterprises": size.enterprises,
        "licences": firms.licences,
        "credit flags": firms.flags,
        "products": products.created,
        "barcodes": products.barcodes,
        "batches": len(plans),
        "results": writer.written,
        "failed": writer.failed,
        "failed items": writer.items,
    }
