"""Every public address of the portal, built from the URL resolver and the demo page tree, so
that a route added tomorrow is fuzzed without anyone listing it here.

Routes without converters are taken as they are; a route with converters needs a sample
(`SAMPLES`) built from the demo data, and `unsampled()` names the ones that have none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

from portal.exchange.models import Partner, PartnerItem
from portal.grading.comparison import published_comparisons
from portal.grading.models import GradingScheme
from portal.registry.models import Enterprise, Product, ProductCategory
from portal.reports.models import ConsumerReport
from portal.subscriptions import tokens
from portal.subscriptions.models import Subscription
from portal.supervision.models import Draw
from portal.surveys.models import Survey
from tests.factories import GradingSchemeFactory

#: Addresses not fuzzed here, and why. Anything else the resolver knows is fuzzed.
NOT_PUBLIC_HTML = {
    "admin/": "the editors' admin, behind a login",
    "documents/": "Wagtail's document downloads, served by Wagtail",
    "api/": "the JSON APIs, fuzzed from their schema (tests/opendata/test_api_contract.py)",
}
WAGTAIL_PAGES = "((?:[\\w\\-]+/)*)$"  # Wagtail's catch-all: the page tree, sampled below
LANGUAGE_PREFIXES = [
    "" if code == settings.LANGUAGE_CODE else f"{code}/" for code, _ in settings.LANGUAGES
]
REPORT_TOKEN = "fuzz-report-status-token"


@dataclass(frozen=True)
class Route:
    pattern: str  # the route as declared, e.g. "enterprises/<int:pk>/"
    translated: bool  # under the language prefix


def declared_routes() -> Iterator[Route]:
    """Every route of the URL configuration, with the prefix of the includes it sits in."""

    def walk(patterns, prefix: str, translated: bool):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inside = translated or isinstance(entry.pattern, LocalePrefixPattern)
                own = "" if isinstance(entry.pattern, LocalePrefixPattern) else str(entry.pattern)
                yield from walk(entry.url_patterns, prefix + own, inside)
            elif isinstance(entry, URLPattern):
                yield Route(prefix + str(entry.pattern).lstrip("^"), translated)

    for route in walk(get_resolver().url_patterns, "", False):
        if not route.pattern.startswith(tuple(NOT_PUBLIC_HTML)):
            yield route


def _first(queryset, attribute="pk"):
    found = queryset.first()
    return str(getattr(found, attribute)) if found is not None else None


def _report_token():
    report = ConsumerReport.objects.first()
    report.token_digest = ConsumerReport.digest_of(REPORT_TOKEN)
    report.save(update_fields=["token_digest"])
    return REPORT_TOKEN


def _subscription():
    return Subscription.objects.exclude(email="").first()


def _scheme():
    scheme = GradingScheme.objects.filter(status=GradingScheme.Status.ACTIVE).first()
    scheme = scheme or GradingSchemeFactory()  # the demo grades nothing yet
    return f"{scheme.code}/v{scheme.version}"


def _comparison() -> str:
    """The first published grade comparison, or a made-up pair (answered 404)."""
    found = published_comparisons(limit=1)
    return f"{found[0].scheme.pk}/{found[0].category.pk}" if found else "1/1"


#: How to fill each route's converters from the demo data (where the demo has no such row,
#: a made-up value: the address answers 404 and is fuzzed all the same).
SAMPLES: dict[str, Callable[[], str | None]] = {
    "enterprises/<int:pk>/": lambda: f"enterprises/{_first(Enterprise.objects)}/",
    "products/<int:pk>/": lambda: f"products/{_first(Product.objects)}/",
    "feeds/warnings/category/<int:category_id>/": lambda: (
        f"feeds/warnings/category/{_first(ProductCategory.objects)}/"
    ),
    "feeds/notices/category/<int:category_id>/": lambda: (
        f"feeds/notices/category/{_first(ProductCategory.objects)}/"
    ),
    "grades/<slug:code>/v<int:version>/": lambda: f"grades/{_scheme()}/",
    "grades/compare/<str:scheme_id>/<str:category_id>/": lambda: f"grades/compare/{_comparison()}/",
    "grades/compare/<str:scheme_id>/<str:category_id>/side-by-side/": lambda: (
        f"grades/compare/{_comparison()}/side-by-side/"
    ),
    "grader/tokens/<int:pk>/revoke/": lambda: "grader/tokens/1/revoke/",
    "grader/<int:pk>/withdraw/": lambda: "grader/1/withdraw/",
    "signin/security-keys/<int:pk>/remove/": lambda: "signin/security-keys/1/remove/",
    "reports/status/<str:token>/": lambda: f"reports/status/{_report_token()}/",
    "subscribe/confirm/<str:token>/": lambda: (
        f"subscribe/confirm/{tokens.confirm_token(_subscription())}/"
    ),
    "unsubscribe/<str:token>/": lambda: (
        f"unsubscribe/{tokens.unsubscribe_token(subscription=_subscription())}/"
    ),
    "subscriptions/<str:token>/": lambda: (
        f"subscriptions/{tokens.manage_token(_subscription().email)}/"
    ),
    "surveys/<slug:slug>/": lambda: f"surveys/{_first(Survey.objects.published(), 'slug')}/",
    "surveys/<slug:slug>/results/": lambda: (
        f"surveys/{_first(Survey.objects.published(), 'slug')}/results/"
    ),
    "draws/<int:pk>/": lambda: f"draws/{_first(Draw.objects.order_by('pk'))}/",
    "draws/<int:pk>/draw.json": lambda: f"draws/{_first(Draw.objects.order_by('pk'))}/draw.json",
    "partner-warnings/<int:pk>/": lambda: (
        f"partner-warnings/{_first(PartnerItem.objects.public_warnings()) or 1}/"
    ),
    "exchange/v1/feed/<slug:code>.json": lambda: (
        f"exchange/v1/feed/{_first(Partner.objects, 'code') or 'js'}.json"
    ),
    "data/files/<slug:name>.<str:extension>": lambda: "data/files/results.csv",
    "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": lambda: (
        f"_util/authenticate_with_password/1/{_first(Page.objects.filter(depth=2))}/"
    ),
}


def _has_converters(pattern: str) -> bool:
    return "<" in pattern or "(" in pattern


def unsampled() -> list[str]:
    """Routes with converters that nobody taught `SAMPLES` to fill."""
    return sorted(
        {
            route.pattern
            for route in declared_routes()
            if _has_converters(route.pattern)
            and route.pattern not in SAMPLES
            and route.pattern != WAGTAIL_PAGES
        }
    )


def page_addresses() -> list[str]:
    """One live page of every page type in every language tree, with its sub-pages
    (a notice's downloads): every kind of page the editors can publish."""
    addresses = []
    seen = set()
    for page in Page.objects.live().public().specific().order_by("path"):
        kind = (type(page), page.locale_id)
        if kind in seen or page.depth < 2:
            continue
        seen.add(kind)
        url = page.get_url()
        addresses.append(url)
        if isinstance(page, RoutablePageMixin):
            for sub in page.get_subpage_urls():
                if not _has_converters(str(sub.pattern)) and str(sub.pattern):
                    addresses.append(url + str(sub.pattern))
    return addresses


def public_addresses() -> list[str]:
    """Every public address to fuzz: each route in each language, and the page tree."""
    addresses = []
    for route in declared_routes():
        if route.pattern == WAGTAIL_PAGES:
            continue
        path = SAMPLES[route.pattern]() if _has_converters(route.pattern) else route.pattern
        if path is None:
            continue
        prefixes = LANGUAGE_PREFIXES if route.translated else [""]
        addresses += [f"/{prefix}{path}" for prefix in prefixes]
    return addresses + page_addresses()
