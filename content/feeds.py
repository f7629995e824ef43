"""Atom feeds of risk warnings and spot-check notices, overall and per product category.

Partner regions (长三角) and news readers pull these; an entry's `updated` is the page's
last publication, so a corrected notice or an updated warning shows up again.
"""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from portal.registry.models import ProductCategory

from .models import RiskWarningPage, SpotCheckNoticePage, live_in

FEED_SIZE = 30


class PageFeed(Feed):
    feed_type = Atom1Feed
    model: type = None
    title_text = ""

    def get_object(self, request, category_id: int | None = None):
        self.request = request
        if category_id is None:
            return None
        return get_object_or_404(ProductCategory, pk=category_id)

    def title(self, category):
        return f"{self.title_text} · {category.name}" if category else str(self.title_text)

    def link(self, category):
        return self.request.path

    def subtitle(self, category):
        return _("Published by the market regulation administration")

    def items(self, category):
        pages = live_in(self.model, Locale.get_active().pk).order_by("-first_published_at")
        if category is not None:
            pages = pages.filter(category=category)
        return pages[:FEED_SIZE]

    def item_title(self, page):
        return page.title

    def item_description(self, page):
        return page.summary

    def item_link(self, page):
        return page.get_url(self.request)

    def item_pubdate(self, page):
        return page.first_published_at

    def item_updateddate(self, page):
        return page.last_published_at


class WarningFeed(PageFeed):
    model = RiskWarningPage
    title_text = _("Risk warnings")


class NoticeFeed(PageFeed):
    model = SpotCheckNoticePage
    title_text = _("Spot-check notices")
