"""Atom feeds (RFC 4287) of risk warnings, spot-check notices and spot-check results.

Partner regions (长三角) and news readers pull these. Every feed takes the same filters as
query parameters — `category` (a product category's id; its sub-categories, and the same
types in the other catalogue editions, are included), `district` (`District.code`) and
`enterprise` (credit code or id) — and the results feed
also `outcome` (`failed` by default: failed or referred; `fail`, `pass`, `referred`, `all`).
A malformed value answers 400 and an unknown one 404, each with a one-line reason. An
entry's `updated` is the page's last publication (a notice's: or its batch's last
correction), so a corrected notice or an updated warning shows up again.

Identifiers are `urn:uuid:` names derived from what never changes — a page's translation
key and language, a result's id, a feed's kind, language and filters — so they survive a
renamed slug, a moved page or a new host name.
"""

from __future__ import annotations

import copy
import datetime
import re
import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import HttpResponseBadRequest, HttpResponseNotFound
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.utils.xmlutils import SimplerXMLGenerator
from wagtail.models import Locale

from portal.core.params import IdField
from portal.core.site import absolute_url
from portal.inspections.models import FailedItem, Outcome, SpotCheckResult
from portal.registry.catalogue import CategoryTree
from portal.registry.models import District, Enterprise, ProductCategory
from portal.registry.validators import compact, validate_uscc

from .models import (
    DistrictPage,
    NoticeIndexPage,
    RiskWarningPage,
    SpotCheckNoticePage,
    WarningIndexPage,
    live_in,
)

FEED_SIZE = 30
RESULTS_FEED_SIZE = 50
#: The namespace of every feed and entry identifier. Never change it: ids would change.
ID_NAMESPACE = uuid.UUID("5d0f3a8e-6c1b-4f0e-9b7a-2f6c1e0d4a90")

#: Where a spot-check result touches a district or an enterprise. The results feed filters on
#: these and subscriptions (`portal.subscriptions.matching`) match on them, so both agree.
RESULT_DISTRICT_FIELDS = ("batch__district", "producer__district", "sampled_unit__district")
RESULT_ENTERPRISE_FIELDS = ("producer", "sampled_unit")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def plain(text) -> str:
    """Text without the control characters XML 1.0 cannot carry (they come in with imports)."""
    return _CONTROL.sub("", str(text or ""))


def entry_id(*parts) -> str:
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, '|'.join(map(str, parts)))}"


def local_name(item) -> str:
    """A registry name (district, category) in the active language, simplified as fallback."""
    local = {"en": item.name_en, "zh-hant": item.name_zh_hant}.get(get_language())
    return local or item.name


# --- Product category tree -------------------------------------------------------------------


# --- Filters -------------------------------------------------------------------------------


class FilterError(Exception):
    """A filter value that cannot be used; `status` 400 (malformed) or 404 (unknown)."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


@dataclass
class Filters:
    category: ProductCategory | None = None
    categories: frozenset[int] = frozenset()  # the category and its sub-categories
    district: District | None = None
    enterprise: Enterprise | None = None
    outcome: str = ""

    def query(self) -> dict[str, str]:
        """The filters in canonical form: in the self link and the feed's identity."""
        values = {
            "category": self.category.pk if self.category else "",
            "district": self.district.code if self.district else "",
            "enterprise": self.enterprise.pk if self.enterprise else "",
            "outcome": self.outcome,
        }
        return {key: str(value) for key, value in values.items() if value}

    def names(self) -> list[str]:
        return [
            local_name(self.category) if self.category else "",
            local_name(self.district) if self.district else "",
            self.enterprise.name if self.enterprise else "",
        ]


def parse_filters(params, *, category_id=None, outcomes: tuple[str, ...] = ()) -> Filters:
    filters = Filters()
    category = str(category_id) if category_id is not None else params.get("category", "")
    if category.strip():
        try:
            category_pk = IdField().clean(category)
        except ValidationError as error:
            message = _("category must be the number of a product category.")
            raise FilterError(message, 400) from error
        filters.category = ProductCategory.objects.filter(pk=category_pk).first()
        if filters.category is None:
            raise FilterError(_("There is no product category %(id)s.") % {"id": category}, 404)
        filters.categories = frozenset(CategoryTree().subtree(filters.category.pk))
    district = params.get("district", "").strip()
    if district:
        if not re.fullmatch(r"[-a-zA-Z0-9_]{1,40}", district):
            raise FilterError(_("district must be a district code such as minhang."), 400)
        filters.district = District.objects.filter(code=district).first()
        if filters.district is None:
            raise FilterError(_("There is no district %(code)s.") % {"code": district}, 404)
    enterprise = compact(params.get("enterprise", ""))
    if enterprise:
        filters.enterprise = find_enterprise(enterprise)
    if outcomes:  # "" for the feed's default, so the canonical address leaves it out
        filters.outcome = params.get("outcome", "").strip()
        if filters.outcome and filters.outcome not in outcomes:
            raise FilterError(
                _("outcome must be one of: %(choices)s.") % {"choices": ", ".join(outcomes)}, 400
            )
    return filters


def find_enterprise(value: str) -> Enterprise:
    """An enterprise by credit code (18 characters) or id, from compacted input."""
    if len(value) == 18:
        try:
            validate_uscc(value)
        except Exception as error:
            raise FilterError(
                _("%(value)s is not a valid credit code.") % {"value": value}, 400
            ) from error
        found = Enterprise.objects.filter(uscc=value).first()
    elif value.isdecimal() and len(value) < 18:  # not isdigit(): "²" is a digit, no number
        found = Enterprise.objects.filter(pk=int(value)).first()
    else:
        raise FilterError(
            _("enterprise must be an 18-character credit code or an enterprise number."), 400
        )
    if found is None:
        raise FilterError(_("There is no enterprise %(value)s.") % {"value": value}, 404)
    return found


# --- The Atom document ---------------------------------------------------------------------


class _XMLGenerator(SimplerXMLGenerator):
    """Drops control characters instead of failing the whole feed on one imported title."""

    def characters(self, content):
        super().characters(plain(content))

    def startElement(self, name, attrs):
        super().startElement(name, {key: plain(value) for key, value in (attrs or {}).items()})


class AtomFeed(Atom1Feed):
    """Django's Atom writer, with plain-text summaries (ours are text, not HTML), labelled
    categories and control characters removed."""

    def write(self, outfile, encoding):
        handler = _XMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")

    def add_item_elements(self, handler, item):
        summary = item["description"]
        super().add_item_elements(handler, {**item, "description": None})
        if summary:
            handler.addQuickElement("summary", summary, {"type": "text"})
        if item["category"]:
            term, label = item["category"]
            handler.addQuickElement("category", "", {"term": term, "label": label})


class FilteredFeed(Feed):
    """One kind of item, in the active language, narrowed by the filters in the query."""

    feed_type = AtomFeed
    kind = ""
    title_text = ""
    outcomes: tuple[str, ...] = ()

    def __call__(self, request, *args, **kwargs):
        feed = copy.copy(self)  # one instance serves every request: keep their state apart
        try:
            return super(FilteredFeed, feed).__call__(request, *args, **kwargs)
        except FilterError as error:
            response = HttpResponseBadRequest if error.status == 400 else HttpResponseNotFound
            return response(str(error), content_type="text/plain; charset=utf-8")

    def get_object(self, request, category_id: int | None = None) -> Filters:
        self.request, self.category_in_path = request, category_id is not None
        self.locale_id = Locale.get_active().pk
        return parse_filters(request.GET, category_id=category_id, outcomes=self.outcomes)

    def title(self, filters: Filters) -> str:
        return " · ".join(filter(None, [str(self.title_text), *filters.names()]))

    def subtitle(self, filters):
        return _("Published by the market regulation administration")

    def author_name(self, filters):
        return _("Market Regulation Administration")

    def feed_url(self, filters: Filters) -> str:
        query = filters.query()
        if self.category_in_path:  # the older /feeds/…/category/<id>/ addresses
            del query["category"]
        return self.absolute(self.request.path + (f"?{urlencode(query)}" if query else ""))

    def absolute(self, path: str) -> str:
        """Links on the portal's address, not the Host header Django's feeds would use."""
        return absolute_url(self.request, path)

    def feed_guid(self, filters: Filters) -> str:
        return entry_id(
            "feed", self.kind, get_language(), urlencode(sorted(filters.query().items()))
        )

    def item_title(self, item) -> str:
        return item.title

    def item_description(self, item) -> str:
        return item.summary

    def item_link(self, item) -> str:
        return self.absolute(item.get_url(self.request))

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_extra_kwargs(self, item):
        category = item.category
        return {"category": (str(category.pk), local_name(category)) if category else None}

    def listing_link(self, index_model, filters: Filters) -> str:
        index = live_in(index_model, self.locale_id).first()
        url = index.get_url(self.request) if index else reverse("wagtail_serve", args=[""])
        return self.absolute(url + (f"?category={filters.category.pk}" if filters.category else ""))


class WarningFeed(FilteredFeed):
    """Live risk warnings; a district's are those written in its section or citing its
    results, an enterprise's those citing its results."""

    kind = "warnings"
    title_text = gettext_lazy("Risk warnings")

    def link(self, filters):
        return self.listing_link(WarningIndexPage, filters)

    def items(self, filters: Filters):
        pages = live_in(RiskWarningPage, self.locale_id).select_related("category")
        if filters.category:
            pages = pages.filter(category__in=filters.categories)
        if filters.district:
            sections = DistrictPage.objects.filter(
                district=filters.district, locale_id=self.locale_id
            )
            in_section = Q()
            for section in sections:
                in_section |= Q(path__startswith=section.path)
            cited = Q()
            for field in RESULT_DISTRICT_FIELDS:
                cited |= Q(**{f"related_results__result__{field}": filters.district})
            pages = pages.filter(in_section | cited if in_section else cited)
        if filters.enterprise:
            cited = Q()
            for field in RESULT_ENTERPRISE_FIELDS:
                cited |= Q(**{f"related_results__result__{field}": filters.enterprise})
            pages = pages.filter(cited)
        if filters.district or filters.enterprise:
            pages = pages.distinct()
        return pages.order_by("-first_published_at")[:FEED_SIZE]

    def item_guid(self, page) -> str:
        return entry_id("warning", page.translation_key, get_language())


class NoticeFeed(FilteredFeed):
    kind = "notices"
    title_text = gettext_lazy("Spot-check notices")

    def link(self, filters):
        return self.listing_link(NoticeIndexPage, filters)

    def items(self, filters: Filters):
        pages = live_in(SpotCheckNoticePage, self.locale_id).select_related("category", "batch")
        if filters.category:
            pages = pages.filter(
                Q(category__in=filters.categories) | Q(batch__category__in=filters.categories)
            )
        if filters.district:
            pages = pages.filter(batch__district=filters.district)
        if filters.enterprise:
            results = SpotCheckResult.current.filter(_touches(filters.enterprise))
            pages = pages.filter(batch__in=results.values("batch"))
        return pages.order_by("-first_published_at")[:FEED_SIZE]

    def item_updateddate(self, page):
        return max(page.last_published_at, page.batch.updated_at)

    def item_guid(self, page) -> str:
        return entry_id("notice", page.translation_key, get_language())


def _touches(enterprise: Enterprise) -> Q:
    condition = Q()
    for field in RESULT_ENTERPRISE_FIELDS:
        condition |= Q(**{field: enterprise})
    return condition


def result_title(result: SpotCheckResult) -> str:
    """A result in one line, for the feed and the subscription emails."""
    parts = [result.nominal_brand, result.sample_name, result.nominal_model]
    name = " ".join(part for part in parts if part)
    return _("%(product)s: %(outcome)s") % {
        "product": name,
        "outcome": result.get_outcome_display(),
    }


def result_summary(result: SpotCheckResult) -> str:
    """Producer, notice and failed items (from a prefetch of `failed_items`)."""
    lines = [
        _("Producer: %(name)s") % {"name": result.producer_name or "—"},
        _("Notice: %(notice)s") % {"notice": result.batch},
    ]
    items = [item.item for item in result.failed_items.all()]
    if items:
        lines.append(_("Failed items: %(items)s") % {"items": "、".join(items)})
    return "\n".join(lines)


def result_url(result: SpotCheckResult, notice: SpotCheckNoticePage | None, request=None) -> str:
    """The notice of the result's batch in the reader's language, else the producer's or the
    product's profile, else a search for the sample: a path (or a URL on another site)."""
    if notice:
        return notice.get_url(request)
    if result.producer_id:
        return result.producer.get_absolute_url()
    if result.product_id:
        return result.product.get_absolute_url()
    return f"{reverse('search')}?{urlencode({'q': result.sample_name})}"


class ResultFeed(FilteredFeed):
    """Public spot-check results — failed ones unless `outcome` says otherwise — newest
    batch first. An entry links the notice of its batch, else the producer's profile."""

    kind = "results"
    title_text = gettext_lazy("Spot-check results")
    #: Without `outcome`: "failed", not passed (failed or referred), as the notices' table.
    outcomes = ("failed", *Outcome.values, "all")

    def link(self, filters):
        if filters.enterprise:
            return self.absolute(filters.enterprise.get_absolute_url())
        return self.listing_link(NoticeIndexPage, filters)

    def title(self, filters: Filters) -> str:
        outcome = {"failed": _("not passed"), "all": ""}.get(filters.outcome or "failed")
        if outcome is None:
            outcome = Outcome(filters.outcome).label
        return " · ".join(filter(None, [super().title(filters), str(outcome)]))

    def items(self, filters: Filters):
        results = SpotCheckResult.public.select_related(
            "batch", "category", "producer", "product"
        ).prefetch_related(
            Prefetch("failed_items", queryset=FailedItem.objects.order_by("position"))
        )
        if filters.outcome in ("", "failed"):
            results = results.exclude(outcome=Outcome.PASS)
        elif filters.outcome != "all":
            results = results.filter(outcome=filters.outcome)
        if filters.category:
            results = results.filter(
                Q(category__in=filters.categories)
                | Q(category__isnull=True, batch__category__in=filters.categories)
            )
        if filters.district:
            near = Q()
            for field in RESULT_DISTRICT_FIELDS:
                near |= Q(**{field: filters.district})
            results = results.filter(near)
        if filters.enterprise:
            results = results.filter(_touches(filters.enterprise))
        rows = list(
            results.order_by("-batch__published_on", "-batch_id", "-pk")[:RESULTS_FEED_SIZE]
        )
        notices = live_in(SpotCheckNoticePage, self.locale_id).filter(
            batch_id__in={row.batch_id for row in rows}
        )
        self.notices = {page.batch_id: page for page in notices}
        return rows

    def item_title(self, result: SpotCheckResult) -> str:
        return result_title(result)

    def item_description(self, result: SpotCheckResult) -> str:
        return result_summary(result)

    def item_link(self, result: SpotCheckResult) -> str:
        return self.absolute(result_url(result, self.notices.get(result.batch_id), self.request))

    def item_pubdate(self, result: SpotCheckResult):
        day = result.batch.published_on
        return datetime.datetime.combine(day, datetime.time()) if day else None  # local midnight

    def item_updateddate(self, result: SpotCheckResult):
        return result.batch.updated_at

    def item_guid(self, result: SpotCheckResult) -> str:
        return entry_id("result", result.pk, get_language())
