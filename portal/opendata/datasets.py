"""The open datasets: what the API under /api/v1/<name>/ and the bulk exports publish.

Each dataset names its serializer and the query of its published rows. Published means what a
citizen can already read on the portal: the registry (enterprises, licences, the catalogue,
products) whole; spot-check batches that are published or corrected and the current results
of those batches; risk warnings that are live pages of the simplified-Chinese tree; approved
grades. Drafts, withdrawn batches, unpublished pages and pending or rejected grades are in no
query here, so they exist neither in lists nor by id.

Every query is ordered by id (a stable key for cursors and exports) and loads what its
serializer shows in a fixed number of queries; it works with `.iterator(chunk_size=…)`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from content.models import RiskWarningPage, SpotCheckNoticePage, WarningRelatedResult, live_in
from portal.grading.selectors import approved_submissions
from portal.inspections.models import FailedItem, SpotCheckBatch, SpotCheckResult
from portal.registry.models import (
    CreditFlag,
    Enterprise,
    Licence,
    LicenceStatusChange,
    Product,
    ProductCategory,
)

from . import columns, serializers


@dataclass(frozen=True)
class Dataset:
    name: str  # the /api/v1/<name>/ segment and the export file stem
    title: str
    description: str
    serializer_class: type
    queryset: Callable[[], QuerySet]  # published rows only, ordered by id
    #: Timestamps (ORM paths) whose newest value is when the data last changed; the API's
    #: Last-Modified. Empty when the rows carry none.
    modified: tuple[str, ...] = field(default=())

    def records(self, chunk_size: int = 2000) -> Iterator[dict]:
        """Every published row as the API serialises it, read in chunks (for exports)."""
        rows = self.queryset().iterator(chunk_size=chunk_size)
        context: dict = {}  # shared, so Wagtail's site root paths are read once
        while chunk := list(islice(rows, chunk_size)):
            yield from self.serializer_class(chunk, many=True, context=context).data


def _live_notices(lookup: str = "notice_pages") -> Prefetch:
    """A batch's live notice page in the default language's tree, as `live_notices`."""
    notices = live_in(SpotCheckNoticePage, Locale.get_default().pk).only(
        "id", "url_path", "batch_id"
    )
    return Prefetch(lookup, queryset=notices, to_attr="live_notices")


def enterprises() -> QuerySet[Enterprise]:
    return (
        Enterprise.objects.select_related("district")
        .prefetch_related(
            Prefetch("credit_flags", queryset=CreditFlag.objects.order_by("-since", "-id"))
        )
        .order_by("id")
    )


def licences() -> QuerySet[Licence]:
    return (
        Licence.objects.select_related("enterprise")
        .prefetch_related(
            Prefetch(
                "status_history",
                queryset=LicenceStatusChange.objects.order_by("-changed_on", "-id"),
            )
        )
        .order_by("id")
    )


def categories() -> QuerySet[ProductCategory]:
    return ProductCategory.objects.select_related("parent").order_by("id")


def products() -> QuerySet[Product]:
    return (
        Product.objects.select_related("category", "manufacturer__district")
        .prefetch_related("barcodes")
        .order_by("id")
    )


def batches() -> QuerySet[SpotCheckBatch]:
    return (
        SpotCheckBatch.objects.filter(status__in=SpotCheckBatch.PUBLIC_STATUSES)
        .select_related("district", "category")
        .prefetch_related(_live_notices())
        .order_by("id")
    )


def results() -> QuerySet[SpotCheckResult]:
    return (
        SpotCheckResult.public.select_related(
            "batch", "producer__district", "initial_agency", "retest_agency", "category"
        )
        .prefetch_related(
            Prefetch("failed_items", queryset=FailedItem.objects.order_by("position", "id")),
            _live_notices("batch__notice_pages"),
        )
        .order_by("id")
    )


def warnings() -> QuerySet[RiskWarningPage]:
    """Live warnings of the default language's tree (the originals), each annotated with the
    tree path of its translation in every other language, when one is published."""
    translations = {
        columns.translation_path_attribute(language): Subquery(
            RiskWarningPage.objects.live()
            .public()
            .filter(
                translation_key=OuterRef("translation_key"),
                locale__language_code=language,
                alias_of__isnull=True,
            )
            .values("url_path")[:1]
        )
        for language in columns.TRANSLATED_LANGUAGES
    }
    related = WarningRelatedResult.objects.filter(
        result__in=SpotCheckResult.public.values("pk")
    ).order_by("sort_order", "id")
    return (
        live_in(RiskWarningPage, Locale.get_default().pk)
        .select_related("category")
        .prefetch_related(
            "hazards",
            "affected_products",
            "measures",
            "updates",
            Prefetch("related_results", queryset=related, to_attr="public_related_results"),
        )
        .annotate(**translations)
        .order_by("id")
    )


def grades():
    return approved_submissions().select_related("product__manufacturer").order_by("id")


#: In documentation order.
DATASETS: dict[str, Dataset] = {
    dataset.name: dataset
    for dataset in (
        Dataset(
            name="enterprises",
            title=_("Enterprises"),
            description=_(
                "Producers and sellers in the supervision registry: credit code, district, "
                "supervision class and credit record."
            ),
            serializer_class=serializers.EnterpriseSerializer,
            queryset=enterprises,
            modified=("updated_at",),
        ),
        Dataset(
            name="licences",
            title=_("Production licences"),
            description=_("Production licences, their holders, validity and status history."),
            serializer_class=serializers.LicenceSerializer,
            queryset=licences,
        ),
        Dataset(
            name="categories",
            title=_("Product categories"),
            description=_(
                "The key-supervision catalogue of product categories, per edition, as a tree."
            ),
            serializer_class=serializers.CategorySerializer,
            queryset=categories,
        ),
        Dataset(
            name="products",
            title=_("Products"),
            description=_("Products with their brand, model, category, manufacturer and barcodes."),
            serializer_class=serializers.ProductSerializer,
            queryset=products,
            modified=("updated_at",),
        ),
        Dataset(
            name="batches",
            title=_("Spot-check batches"),
            description=_(
                "Published spot checks: notice, authority, level, category and declared counts."
            ),
            serializer_class=serializers.SpotCheckBatchSerializer,
            queryset=batches,
            modified=("updated_at",),
        ),
        Dataset(
            name="results",
            title=_("Spot-check results"),
            description=_(
                "Every sample of the published spot checks, with its outcome and failed items."
            ),
            serializer_class=serializers.SpotCheckResultSerializer,
            queryset=results,
            modified=("batch__updated_at",),
        ),
        Dataset(
            name="warnings",
            title=_("Risk warnings"),
            description=_(
                "Published risk warnings, consumer advice and recalls, with the products concerned "
                "and the measures taken."
            ),
            serializer_class=serializers.WarningSerializer,
            queryset=warnings,
            modified=("last_published_at",),
        ),
        Dataset(
            name="grades",
            title=_("Quality grades"),
            description=_(
                "Approved third-party quality grades of products, with the scheme they follow."
            ),
            serializer_class=serializers.GradeSerializer,
            queryset=grades,
            modified=("decided_at", "response_filed_at"),
        ),
    )
}
