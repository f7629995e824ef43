"""Risk warnings and consumer advice (风险警示/消费提示), their inline rows (hazards, affected
products, measures, related results, updates) and their listing."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from portal.inspections.models import SpotCheckResult
from portal.registry.validators import validate_gtin

from .base import CategorisedPage, ListingPage, TranslatableChild


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
