"""The pages the authority publishes, and the listing page of each kind.

Every published page comes from an editor through the moderation workflow (see
`content/management/commands/setup_editorial.py`); registry data (batches, results,
categories) is linked, never copied, so a corrected batch corrects its notice.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Prefetch
from django.forms import CheckboxSelectMultiple
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Locale, Orderable, Page, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from portal.inspections import statistics
from portal.inspections.models import FailedItem, Outcome, SpotCheckBatch, SpotCheckResult
from portal.registry.models import ProductCategory
from portal.registry.validators import validate_gtin

from .. import downloads

PAGE_SIZE = 10
LATEST_ON_HOME = 5


def live_in(model: type[Page], locale_id: int):
    """The live, public pages of one kind in one language's tree: every page exists once per
    language (translated, or an alias of the original until it is), so lists take one tree."""
    return model.objects.live().public().filter(locale_id=locale_id)


class TranslatableChild(TranslatableMixin, Orderable):
    """An inline row of a page whose text is translated with the page (wagtail-localize
    translates child rows only when they carry a locale and a translation key)."""

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        abstract = True


class Hazard(models.TextChoices):
    """The fixed list of hazards a warning can name (风险类型)."""

    CHEMICAL = "chemical", _("chemical")
    CHOKING = "choking", _("choking")
    ELECTRIC_SHOCK = "electric_shock", _("electric shock")
    FIRE = "fire", _("fire")
    BURNS = "burns", _("burns")
    INJURY = "injury", _("injury")
    STRANGULATION = "strangulation", _("strangulation")
    SUFFOCATION = "suffocation", _("suffocation")
    MICROBIOLOGICAL = "microbiological", _("microbiological")
    ENVIRONMENT = "environment", _("environment")


class RiskLevel(models.TextChoices):
    SERIOUS = "serious", _("serious")
    HIGH = "high", _("high")
    MEDIUM = "medium", _("medium")
    LOW = "low", _("low")


class CategorisedPage(Page):
    """A page that can belong to product categories and campaigns: feeds and listings filter
    on them, and a campaign page gathers the pages that name it."""

    category = models.ForeignKey(
        "registry.ProductCategory",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("product category"),
    )
    summary = models.TextField(_("summary"), blank=True, help_text=_("Shown in listings."))
    campaigns = ParentalManyToManyField(
        "content.CampaignPage", blank=True, related_name="+", verbose_name=_("campaigns")
    )

    search_fields = [*Page.search_fields, index.SearchField("summary")]
    promote_panels = [
        *Page.promote_panels,
        FieldPanel("campaigns", widget=CheckboxSelectMultiple),
    ]

    class Meta:
        abstract = True


class ListingPage(Page):
    """A listing of every live page of one kind, with filters and pagination.

    It lists pages of its kind wherever they are in the tree: most sit under the listing,
    district editors' pages under their `DistrictPage`. Subclasses name the model and the
    filters they accept: `filters` maps a GET parameter to the ORM lookup it filters on.
    """

    intro = RichTextField(_("introduction"), blank=True)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    child_model: type[Page]
    filters: dict[str, str] = {}
    ordering = ("-first_published_at",)

    class Meta:
        abstract = True

    def get_template(self, request, *args, **kwargs):
        # Wagtail names a template per class; every listing shares one.
        return "content/listing_page.html"

    def children(self):
        return (
            live_in(self.child_model, self.locale_id)
            .select_related(*self.child_related())
            .order_by(*self.ordering)
        )

    def child_related(self) -> tuple[str, ...]:
        return ("category",)

    def filter_choices(self) -> dict[str, list[tuple[str, str]]]:
        """The choices of each filter shown as a select; a product category filter offers
        only the categories that live pages of this kind have."""
        if "category" not in self.filters:
            return {}
        used = (
            live_in(self.child_model, self.locale_id)
            .filter(category__isnull=False)
            .values("category")
        )
        categories = ProductCategory.objects.filter(pk__in=used).order_by("code")
        return {"category": [(str(c.pk), c.name) for c in categories]}

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        items = self.children()
        chosen = {}
        for parameter, lookup in self.filters.items():
            value = request.GET.get(parameter, "").strip()
            if value:
                items = items.filter(**{lookup: value}).distinct()
                chosen[parameter] = value
        page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            items=page,
            chosen=chosen,
            filter_choices=self.filter_choices(),
            query_string=query.urlencode(),
            item_template=self.child_model.listing_template,
        )
        return context


# --- Spot-check notices ----------------------------------------------------------------------


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


# --- Risk warnings ---------------------------------------------------------------------------


class RiskWarningPage(CategorisedPage):
    """A risk warning or consumer advice (风险警示/消费提示). Updates and a withdrawal are
    added, never overwritten: readers see what changed and when."""

    class Kind(models.TextChoices):
        WARNING = "warning", _("risk warning")
        ADVICE = "advice", _("consumer advice")
        RECALL = "recall", _("recall")
        PARTNER = "partner", _("shared by a partner region")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.WARNING)
    risk_level = models.CharField(
        _("risk level"), max_length=20, choices=RiskLevel.choices, default=RiskLevel.MEDIUM
    )
    body = RichTextField(_("what was found"), blank=True)
    consumer_advice = RichTextField(_("what consumers should do"), blank=True)
    legal_basis = RichTextField(_("legal basis"), blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("kind"), FieldPanel("risk_level"), FieldPanel("category")]),
        FieldPanel("summary"),
        InlinePanel("hazards", label=_("hazards"), min_num=1),
        FieldPanel("body"),
        InlinePanel("affected_products", label=_("affected products")),
        InlinePanel("measures", label=_("measures taken")),
        FieldPanel("consumer_advice"),
        FieldPanel("legal_basis"),
        InlinePanel("related_results", label=_("related spot-check results")),
        InlinePanel("updates", label=_("updates")),
        MultiFieldPanel(
            [FieldPanel("withdrawn_on"), FieldPanel("withdrawal_reason")], heading=_("withdrawal")
        ),
    ]
    search_fields = [*CategorisedPage.search_fields, index.SearchField("body")]
    parent_page_types = ["content.WarningIndexPage", "content.DistrictPage"]
    subpage_types = []
    listing_template = "content/includes/warning_item.html"

    class Meta:
        verbose_name = _("risk warning")
        verbose_name_plural = _("risk warnings")

    def clean(self):
        super().clean()
        if self.withdrawn_on and not self.withdrawal_reason.strip():
            raise ValidationError({"withdrawal_reason": _("Say why the warning is withdrawn.")})


class WarningHazard(Orderable):
    page = ParentalKey(RiskWarningPage, on_delete=models.CASCADE, related_name="hazards")
    hazard = models.CharField(_("hazard"), max_length=30, choices=Hazard.choices)


class AffectedProduct(TranslatableChild):
    page = ParentalKey(RiskWarningPage, on_delete=models.CASCADE, related_name="affected_products")
    name = models.CharField(_("product"), max_length=200)
    brand = models.CharField(_("brand"), max_length=200, blank=True)
    model_spec = models.CharField(_("model / specification"), max_length=200, blank=True)
    batch = models.CharField(_("batch or production date"), max_length=200, blank=True)
    gtin = models.CharField(
        _("barcode (GTIN)"), max_length=20, blank=True, validators=[validate_gtin]
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("photo"),
    )

    override_translatable_fields = [SynchronizedField("gtin")]


class WarningMeasure(TranslatableChild):
    """What was done about the hazard (措施): withdrawal, recall, sales ban, and by whom."""

    class Kind(models.TextChoices):
        WITHDRAWAL = "withdrawal", _("withdrawal from sale")
        RECALL = "recall", _("recall")
        SALES_BAN = "sales_ban", _("sales ban")
        WARNING = "warning", _("warning to consumers")

    page = ParentalKey(RiskWarningPage, on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField(_("measure"), max_length=20, choices=Kind.choices)
    compulsory = models.BooleanField(_("compulsory"), default=False)
    taken_by = models.CharField(_("taken by"), max_length=200)
    description = models.TextField(_("details"), blank=True)


class WarningRelatedResult(Orderable):
    page = ParentalKey(RiskWarningPage, on_delete=models.CASCADE, related_name="related_results")
    result = models.ForeignKey(
        SpotCheckResult, models.CASCADE, related_name="+", verbose_name=_("result")
    )

    panels = [FieldPanel("result")]


class WarningUpdate(TranslatableChild):
    """A dated later update; shown in date order under the warning."""

    page = ParentalKey(RiskWarningPage, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("date"), default=datetime.date.today)
    text = models.TextField(_("update"))

    class Meta(TranslatableChild.Meta):
        ordering = ["date", "sort_order"]


WARNINGS_FOOT_HOOK = "warnings_listing_foot"


class WarningIndexPage(ListingPage):
    child_model = RiskWarningPage
    filters = {
        "hazard": "hazards__hazard",
        "level": "risk_level",
        "kind": "kind",
        "category": "category_id",
    }
    subpage_types = ["content.RiskWarningPage"]
    max_count = 1

    class Meta:
        verbose_name = _("risk warning listing")

    def children(self):
        return super().children().prefetch_related("hazards")

    def get_context(self, request, *args, **kwargs):
        # Apps above content (exchange: partner warnings) add blocks at the foot through a
        # Wagtail hook, so that content imports none of them (docs/decisions/0009).
        context = super().get_context(request, *args, **kwargs)
        context["foot_blocks"] = [block(request) for block in hooks.get_hooks(WARNINGS_FOOT_HOOK)]
        return context

    def filter_choices(self):
        return {
            "hazard": list(Hazard.choices),
            "level": list(RiskLevel.choices),
            "kind": list(RiskWarningPage.Kind.choices),
            **super().filter_choices(),
        }


# --- Education, campaigns, regulations -------------------------------------------------------


class EducationArticlePage(CategorisedPage):
    """Consumer and staff education (科普): how to choose and use products safely."""

    body = RichTextField(_("text"))

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    promote_panels = [*CategorisedPage.promote_panels, FieldPanel("category")]
    search_fields = [*CategorisedPage.search_fields, index.SearchField("body")]
    parent_page_types = ["content.ArticleIndexPage", "content.DistrictPage"]
    subpage_types = []
    listing_template = "content/includes/article_item.html"

    class Meta:
        verbose_name = _("education article")
        verbose_name_plural = _("education articles")


class ArticleIndexPage(ListingPage):
    child_model = EducationArticlePage
    filters = {"category": "category_id"}
    subpage_types = ["content.EducationArticlePage"]
    max_count = 1

    class Meta:
        verbose_name = _("education article listing")


class CampaignPage(Page):
    """A special campaign (专项整治). Warnings, notices and articles join it by naming it in
    their "campaigns" field, so the campaign page never needs editing to gather them."""

    summary = models.TextField(_("summary"), blank=True)
    body = RichTextField(_("text"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    parent_page_types = ["content.CampaignIndexPage"]
    subpage_types = []
    listing_template = "content/includes/campaign_item.html"

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def clean(self):
        super().clean()
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A campaign cannot end before it starts.")})

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        for name, model in (
            ("warnings", RiskWarningPage),
            ("notices", SpotCheckNoticePage),
            ("articles", EducationArticlePage),
        ):
            # A translated or aliased page still names the original campaign: match any
            # translation of this one.
            context[name] = (
                live_in(model, self.locale_id)
                .filter(campaigns__translation_key=self.translation_key)
                .order_by("-first_published_at")[:20]
            )
        return context

    @classmethod
    def current(cls, locale_id: int):
        today = timezone.localdate()
        return (
            live_in(cls, locale_id)
            .filter(starts_on__lte=today)
            .filter(models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=today))
            .order_by("-starts_on")
        )


class CampaignIndexPage(ListingPage):
    child_model = CampaignPage
    subpage_types = ["content.CampaignPage"]
    ordering = ("-starts_on",)
    max_count = 1

    class Meta:
        verbose_name = _("campaign listing")

    def child_related(self):
        return ()


class RegulationPage(Page):
    """A law, regulation, rule or standard (法律法规) with its issuer, number and dates."""

    class Kind(models.TextChoices):
        LAW = "law", _("law")
        REGULATION = "regulation", _("administrative regulation")
        RULE = "rule", _("departmental rule")
        LOCAL = "local", _("local regulation")
        NORMATIVE = "normative", _("normative document")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    issuer = models.CharField(_("issuer"), max_length=200)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    promulgated_on = models.DateField(_("promulgated on"), null=True, blank=True)
    effective_on = models.DateField(_("effective from"))
    repealed_on = models.DateField(_("repealed on"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    body = RichTextField(_("text"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("kind"), FieldPanel("issuer"), FieldPanel("document_number")]),
        FieldRowPanel(
            [FieldPanel("promulgated_on"), FieldPanel("effective_on"), FieldPanel("repealed_on")]
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("issuer"),
        index.SearchField("document_number"),
    ]
    parent_page_types = ["content.RegulationIndexPage"]
    subpage_types = []
    listing_template = "content/includes/regulation_item.html"

    class Meta:
        verbose_name = _("law or regulation")
        verbose_name_plural = _("laws and regulations")

    def clean(self):
        super().clean()
        if self.repealed_on and self.effective_on and self.repealed_on < self.effective_on:
            raise ValidationError({"repealed_on": _("Repealed before it took effect.")})

    @property
    def in_force(self) -> bool:
        today = timezone.localdate()
        return self.effective_on <= today and (self.repealed_on is None or self.repealed_on > today)


class RegulationIndexPage(ListingPage):
    child_model = RegulationPage
    filters = {"kind": "kind"}
    subpage_types = ["content.RegulationPage"]
    ordering = ("-effective_on",)
    max_count = 1

    class Meta:
        verbose_name = _("laws and regulations listing")

    def child_related(self):
        return ()

    def filter_choices(self):
        return {"kind": list(RegulationPage.Kind.choices)}


class DistrictPage(Page):
    """A district's own section of the tree (e.g. 闵行区). District editors get page
    permissions on their section only, so Wagtail's own permission checks keep them out of
    the rest of the site (see `setup_editorial`); their pages still appear in the listings."""

    # One section per district in each language's tree, so not one-to-one.
    district = models.ForeignKey(
        "registry.District",
        models.PROTECT,
        related_name="content_sections",
        verbose_name=_("district"),
    )
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("district"), FieldPanel("intro")]
    parent_page_types = ["content.HomePage"]
    subpage_types = [
        "content.SpotCheckNoticePage",
        "content.RiskWarningPage",
        "content.EducationArticlePage",
    ]

    class Meta:
        verbose_name = _("district section")
        verbose_name_plural = _("district sections")

    def clean(self):
        super().clean()
        others = DistrictPage.objects.filter(district_id=self.district_id, locale_id=self.locale_id)
        if self.district_id and others.exclude(pk=self.pk).exists():
            raise ValidationError({"district": _("This district already has a section.")})

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["items"] = (
            self.get_children().live().public().specific().order_by("-first_published_at")
        )
        return context


# --- Home ------------------------------------------------------------------------------------


class HomePage(Page):
    """The site root: what the authority most wants a citizen to see first."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "content.NoticeIndexPage",
        "content.WarningIndexPage",
        "content.ArticleIndexPage",
        "content.CampaignIndexPage",
        "content.RegulationIndexPage",
        "content.DistrictPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    @classmethod
    def original(cls) -> HomePage | None:
        """The home page of the default language's tree; the others are its translations."""
        return cls.objects.filter(locale=Locale.get_default()).first()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(
            warnings=live_in(RiskWarningPage, self.locale_id)
            .filter(withdrawn_on__isnull=True)
            .prefetch_related("hazards")
            .order_by("-first_published_at")[:LATEST_ON_HOME],
            notices=live_in(SpotCheckNoticePage, self.locale_id)
            .select_related("batch")
            .order_by("-first_published_at")[:LATEST_ON_HOME],
            campaigns=CampaignPage.current(self.locale_id)[:3],
            # This year's figures; early in a year, before its first notice, the latest
            # year's, so the home page never shows an empty rate (the key says which year).
            figures=statistics.latest_year(),
        )
        return context
