"""Education articles (科普), special campaigns (专项整治) and laws and regulations (法律法规),
each with its listing."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from .base import CategorisedPage, ListingPage, live_in
from .notices import SpotCheckNoticePage
from .risk_warnings import RiskWarningPage


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
