"""The main navigation: the sections of the home page in the visitor's language, cached.

Every public page shows it, and it changes only when an editor publishes, unpublishes, moves
or deletes a page or changes a site: the sections are read once per site and language and
kept in the cache until one of those happens (and at most `TIMEOUT` seconds, in case a change
bypassed the signals, such as a raw SQL edit).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Subquery, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

TIMEOUT = 3600


@dataclass(frozen=True)
class Section:
    title: str
    url: str
    path: str


def _key(site_id: int, language: str) -> str:
    return f"navigation:{site_id}:{language}"


def site_sections(request) -> list[Section]:
    """The sections shown in menus of the home page in this language's tree."""
    site = Site.find_for_request(request)
    if site is None:
        return []
    key = _key(site.pk, get_language())
    sections = cache.get(key)
    if sections is None:
        sections = [Section(p.title, p.get_url(request), p.path) for p in _section_pages(site)]
        cache.set(key, sections, timeout=TIMEOUT)
    return sections


def _section_pages(site: Site) -> list[Page]:
    """The live in-menu children of the home page's translation in this language (the site's
    root page where it has none), in one query."""
    root = site.root_page
    home_path = Page.objects.filter(
        translation_key=root.translation_key, locale__language_code=get_language()
    ).values("path")[:1]
    sections = Page.objects.filter(
        path__startswith=Coalesce(Subquery(home_path), Value(root.path)), depth=root.depth + 1
    )
    return list(sections.live().in_menu().order_by("path"))


def _forget(**kwargs) -> None:
    """Now, for the rest of this transaction, and again after the commit: a request served
    by another process meanwhile may have cached the tree as it was before."""
    keys = [
        _key(site, code)
        for site in Site.objects.values_list("pk", flat=True)
        for code, _ in settings.LANGUAGES
    ]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def connect_signals() -> None:
    """Called from `ContentConfig.ready`."""
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_forget, dispatch_uid="navigation")
    post_delete.connect(_forget, sender=Page, dispatch_uid="navigation-page")
    post_save.connect(_forget, sender=Site, dispatch_uid="navigation-site")
    post_delete.connect(_forget, sender=Site, dispatch_uid="navigation-site")
