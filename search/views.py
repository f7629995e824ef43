"""/search/ and its autocomplete: the engine when it answers, the database when it does not."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

from django.http import JsonResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from portal.core.params import MAX_ECHO, ParamsNote, echo_query
from search import engine
from search.analysis import MAX_QUERY_LENGTH, VERDICT_WORDS
from search.documents import product_label
from search.fallback import database_lookup
from search.highlighting import restore
from search.indexing import shown_lines
from search.pages import related_pages
from search.queries import FACETS, Hit, LookupQuery, LookupResults, autocomplete

logger = logging.getLogger(__name__)

#: Threads for lookups sent to the engine while the request's own thread reads the database.
_ENGINE_REQUESTS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="lookup")

FACET_LABELS = {
    "kind": _("Type"),
    "category": _("Category"),
    "latest_outcome": _("Latest outcome"),
    "year": _("Year"),
    "district": _("District"),
    "supervision_class": _("Supervision class"),
    "grade": _("Grade"),
}
#: Fields of a results line that the engine highlights, as they are named in `Hit.shown`.
MARKED = ("name", "brand")
VALUE_LABELS = {
    "kind": {"enterprise": _("Enterprise"), "product": _("Product")},
    "latest_outcome": {
        "pass": _("passed"),
        "fail": _("failed"),
        "referred": _("referred as unlicensed"),
        "none": _("not checked"),
    },
}


def _facets(results: LookupResults, selected: dict[str, list[str]]) -> list[dict]:
    """Facets ready for the template: label, and each value with its count and state."""
    return [
        {
            "name": name,
            "label": FACET_LABELS[name],
            "options": [
                {
                    "value": key,
                    "label": VALUE_LABELS.get(name, {}).get(key, key),
                    "count": count,
                    "checked": str(key) in selected.get(name, []),
                }
                for key, count in buckets
            ],
        }
        for name, buckets in results.facets.items()
        if buckets
    ]


def _page_number(request) -> int:
    try:
        return int(request.GET.get("page", 1))
    except ValueError:
        return 1


def _marked(hit: Hit) -> dict[str, str]:
    """The hit's line as published, with the engine's marks carried over (see `restore`)."""
    return {
        field: restore(value, hit.highlights[field][0])
        if field in MARKED and hit.highlights.get(field)
        else value
        for field, value in hit.shown.items()
    }


def _rows(results: LookupResults) -> list[dict]:
    """The hits as lines of the results: what the index (or the fallback) says each shows,
    and its address; the database is asked only for hits of an index built before documents
    carried their lines (until `search_rebuild`)."""
    if missing := [(hit.kind, hit.object_id) for hit in results.hits if hit.shown is None]:
        lines = shown_lines(missing)
        for hit in results.hits:
            hit.shown = hit.shown or lines.get((hit.kind, hit.object_id))
    return [
        {
            "kind": hit.kind,
            "url": reverse(f"registry:{hit.kind}", args=[hit.object_id]),
            "shown": _marked(hit),
        }
        for hit in results.hits
        if hit.shown is not None  # deleted since it was indexed
    ]


def _chips(query: LookupQuery, request) -> list[dict]:
    """Every filter in force, each with the address that removes it: the words of the query
    that became filters (不合格, 2019年), then the facet values ticked."""
    chips = []
    for word in query.parsed.filter_words:
        if outcome := VERDICT_WORDS.get(word):
            label = _("Outcome: %s") % VALUE_LABELS["latest_outcome"][outcome]
        else:
            label = _("Year: %s") % query.parsed.year
        chips.append({"label": label, "url": _address(request, q=[query.parsed.without(word)])})
    for name, values in query.filters.items():
        for value in dict.fromkeys(values):
            shown = VALUE_LABELS.get(name, {}).get(value, value)
            label = _("%(facet)s: %(value)s") % {"facet": FACET_LABELS[name], "value": shown}
            rest = [other for other in request.GET.getlist(name) if other != value]
            chips.append({"label": label, "url": _address(request, **{name: rest})})
    return chips


def _address(request, **changes: list[str]) -> str:
    """This page's query string, bounded (`echo_query`), with some parameters replaced, back
    on the first page."""
    params = QueryDict(echo_query(request.GET, drop=("page", *changes)), mutable=True)
    for name, values in changes.items():
        params.setlist(name, [value[:MAX_ECHO] for value in values])
    return f"?{params.urlencode()}"


def _clear_filters_url(query: LookupQuery) -> str:
    """The query without its filter words and facets, in the same order."""
    params = {"q": query.text, **({"sort": query.sort} if query.sort != "relevance" else {})}
    return f"?{urlencode(params)}"


@require_GET
def search(request):
    text = request.GET.get("q", "")
    filters = {name: request.GET.getlist(name) for name in FACETS}
    sort = request.GET.get("sort", "relevance")
    query = LookupQuery(text, filters, sort, _page_number(request))
    degraded = False
    suggestions: list[str] = []
    # The request is built here (synonyms come from the database) and sent on a worker thread
    # while this thread, which owns the database connection, finds the related pages: the
    # page waits for the slower of the two, not for both.
    lookup = _ENGINE_REQUESTS.submit(query.search().execute) if query else None
    pages = related_pages(query.text) if query.text and query.page == 1 else []
    try:
        results = query.results(lookup.result()) if lookup else None
        if results is not None and not results.total and query.text:
            suggestions = query.suggestions()
    except engine.ENGINE_ERRORS as error:
        logger.warning("search: engine unavailable, answering from the database: %s", error)
        degraded = True
        results = database_lookup(text, query.page)
    context = {
        "query": query,
        "results": results,
        "rows": _rows(results) if results else [],
        "facets": _facets(results, query.filters) if results else [],
        "pages": pages,
        "degraded": degraded,
        "suggestions": suggestions,
        "page_query": echo_query(request.GET, drop=("page",)),
        "chips": (chips := _chips(query, request)),
        "clear_filters_url": _clear_filters_url(query) if len(chips) > 1 else "",
        "params_note": _cut_note(text),
    }
    return render(request, "search/search.html", context)


def _cut_note(text: str) -> ParamsNote:
    """Say so when the query was longer than the lookup reads (it reads the first part)."""
    if len(text.strip()) > MAX_QUERY_LENGTH:
        return ParamsNote(cut=((_("Your search"), MAX_QUERY_LENGTH),))
    return ParamsNote()


def _label(hit: Hit) -> str:
    shown = hit.shown
    if hit.kind == "enterprise":
        return shown["name"]
    return product_label(shown["brand"], shown["name"], shown["model_spec"])


@require_GET
def autocomplete_view(request):
    text = request.GET.get("q", "")
    try:
        items = autocomplete(text)
        degraded = False
    except engine.ENGINE_ERRORS:
        hits = database_lookup(text).hits[:8]
        items = [{"kind": h.kind, "id": h.object_id, "label": _label(h)} for h in hits]
        degraded = True
    for item in items:
        item["url"] = (
            f"{reverse('search')}?{urlencode({'q': item['label']})}"
            if item["kind"] == "brand"
            else reverse(f"registry:{item['kind']}", args=[item["id"]])
        )
    return JsonResponse({"query": text[:MAX_ECHO], "results": items, "degraded": degraded})
