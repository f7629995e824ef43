"""Spot-check notices (抽查通告) and their listing: the public face of imported batches."""

from django.db import models
from django.db.models import Prefetch
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from portal.inspections import statistics
from portal.inspections.models import FailedItem, Outcome, SpotCheckBatch, SpotCheckResult

from .. import downloads
from .base import CategorisedPage, ListingPage, live_in


class SpotCheckNoticePage(RoutablePageMixin, CategorisedPage):
    """A spot-check notice (抽查通告): the public face of one imported batch, with its tables
    and downloads. The numbers come from the batch, so a corrected import corrects the page."""

    batch = models.ForeignKey(
        SpotCheckBatch,
        models.PROTECT,
        related_name="notice_pages",
        verbose_name=_("spot-check batch"),
    )
    body = RichTextField(_("text"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("batch"),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("category"),
    ]
    parent_page_types = ["content.NoticeIndexPage", "content.DistrictPage"]
    subpage_types = []
    listing_template = "content/includes/notice_item.html"

    class Meta:
        verbose_name = _("spot-check notice")
        verbose_name_plural = _("spot-check notices")

    def results(self):
        """The batch's current rows with what the tables show, in two queries."""
        return (
            SpotCheckResult.current.filter(batch_id=self.batch_id)
            .select_related("initial_agency", "retest_agency")
            .prefetch_related(
                Prefetch("failed_items", queryset=FailedItem.objects.order_by("position"))
            )
            .order_by("outcome", "id")
        )

    @cached_property
    def result_rows(self) -> list[SpotCheckResult]:
        return list(self.results())

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        rows = self.result_rows
        failed = [r for r in rows if r.outcome != Outcome.PASS]
        passed = [r for r in rows if r.outcome == Outcome.PASS]
        batch = self.batch
        sampled = batch.declared_sampled if batch.declared_sampled is not None else len(rows)
        failures = batch.declared_failed if batch.declared_failed is not None else len(failed)
        context.update(
            failed=failed,
            passed=passed,
            figure=statistics.Figure(batch.pk, 1, sampled, failures),
        )
        return context

    @path("results/csv/", name="csv")
    def results_csv(self, request):
        return downloads.csv_response(self, self.result_rows)

    @path("results/xlsx/", name="xlsx")
    def results_xlsx(self, request):
        return downloads.xlsx_response(self, self.result_rows)


class NoticeIndexPage(ListingPage):
    child_model = SpotCheckNoticePage
    filters = {"year": "batch__year", "level": "batch__level", "category": "category_id"}
    subpage_types = ["content.SpotCheckNoticePage"]
    max_count = 1

    class Meta:
        verbose_name = _("spot-check notice listing")

    def child_related(self):
        return ("category", "batch")

    def filter_choices(self):
        years = (
            live_in(SpotCheckNoticePage, self.locale_id)
            .values_list("batch__year", flat=True)
            .distinct()
            .order_by("-batch__year")
        )
        return {
            "year": [(str(y), str(y)) for y in years],
            "level": list(SpotCheckBatch.Level.choices),
            **super().filter_choices(),
        }
