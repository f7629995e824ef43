"""Warnings, notices and articles for a lookup, shown above the products and enterprises.

Wagtail's page search on the engine when it is configured and answers; otherwise the
database. The database way never goes through Wagtail's database backend: neither SQLite's
nor PostgreSQL's full-text parser splits Chinese into words, so 磁性玩具 is not a token of
"关于磁性玩具的消费警示" there. It matches every word of the query (as `parse_query` reads
it) in the title, search description or summary of the live public pages of the active
language, in simplified or traditional characters: few thousand pages, one query.
"""

from __future__ import annotations

import json
import logging
from functools import lru_cache, reduce
from operator import and_, or_

from django.conf import settings
from django.db.models import Case, Q, Value, When
from wagtail.models import Locale, Page
from wagtail.search.backends import get_search_backend

from content.models.base import CategorisedPage
from portal.core.text import to_traditional
from search import engine
from search.analysis import parse_query
from search.queries import MAX_WORDS

logger = logging.getLogger(__name__)

SIZE = 5


def related_pages(text: str, size: int = SIZE) -> list[Page]:
    """Up to `size` live public pages of the active language about `text`, best first."""
    pages = Page.objects.live().public().filter(locale=Locale.get_active())
    if settings.WAGTAIL_PAGE_SEARCH == "engine":
        try:
            return list(_engine_backend(_config()).search(text, pages)[:size])
        except engine.ENGINE_ERRORS as error:
            logger.warning("search: page search on the database, the engine failed: %s", error)
    return _database_pages(pages, text, size)


def _config() -> str:
    return json.dumps(settings.WAGTAILSEARCH_BACKENDS["default"], sort_keys=True, default=str)


@engine.fork_safe
@lru_cache(maxsize=2)
def _engine_backend(config: str):
    """Wagtail makes a new backend, with a new client and connection, for every search;
    one per configuration is enough and keeps its connections open."""
    return get_search_backend("default")


def _summaries() -> list[str]:
    """The relations from `Page` to every page type with a summary (warnings, notices,
    articles …), so that one query looks in all of them."""
    found, todo = [], list(CategorisedPage.__subclasses__())
    while todo:
        model = todo.pop()
        todo += model.__subclasses__()
        if not model._meta.abstract:
            found.append(f"{model._meta.model_name}__summary")
    return sorted(found)


def _in_page(word: str, fields: list[str]) -> Q:
    spellings = {word, to_traditional(word)}
    return reduce(or_, (Q(**{f"{f}__icontains": s}) for f in fields for s in spellings))


def _database_pages(pages, text: str, size: int) -> list[Page]:
    words = parse_query(text).words[:MAX_WORDS]
    if not words:
        return []
    everywhere = ["title", "search_description", *_summaries()]
    found = pages.filter(reduce(and_, (_in_page(w, everywhere) for w in words)))
    in_title = reduce(and_, (_in_page(w, ["title"]) for w in words))
    found = found.annotate(in_title=Case(When(in_title, then=Value(1)), default=Value(0)))
    return list(found.order_by("-in_title", "-first_published_at", "pk")[:size])
