"""The site root and the districts' own sections of the tree under it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Locale, Page

from portal.core.hooks import HOME_PAGE_SECTIONS
from portal.inspections import statistics

from .articles import CampaignPage
from .base import live_in
from .notices import SpotCheckNoticePage
from .risk_warnings import RiskWarningPage

LATEST_ON_HOME = 5


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
            # Blocks of apps on content's floor or above (grading: latest comparisons),
            # which content does not import (docs/decisions/0016).
            home_blocks=[block(request) for block in hooks.get_hooks(HOME_PAGE_SECTIONS)],
        )
        return context
