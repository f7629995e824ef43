"""Template tags for the public pages."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.db.models import Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import translate_url
from django.utils.formats import date_format
from django.utils.translation import get_language
from wagtail.models import Page, Site

from content.sanitize import sanitize_html

register = template.Library()


@register.filter(name="sanitize")
def sanitize(value):
    """Untrusted HTML (imported remarks, grader or consumer text) cleaned for the page."""
    return sanitize_html(value)


@register.filter
def date_or_lot(result) -> str:
    """A spot-check result's production date in the page's date style (and its lot number),
    else the text as printed: spreadsheets write dates every way (2020年02月03日, 2019.08.18,
    2019/10/7), and one table must not show four styles."""
    if result.production_date is None:
        return result.lot_raw
    day = date_format(result.production_date)
    return f"{day} · {result.lot_number}" if result.lot_number else day


@register.simple_tag(takes_context=True)
def site_sections(context):
    """The sections shown in menus of the home page in this language's tree, for the main
    navigation, in one query."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    root = site.root_page
    home_path = Page.objects.filter(
        translation_key=root.translation_key, locale__language_code=get_language()
    ).values("path")[:1]
    sections = Page.objects.filter(
        path__startswith=Coalesce(Subquery(home_path), Value(root.path)), depth=root.depth + 1
    )
    return list(sections.live().in_menu().order_by("path"))


@dataclass(frozen=True)
class LanguageVersion:
    code: str
    name: str
    url: str
    current: bool


@register.simple_tag(takes_context=True)
def language_versions(context) -> list[LanguageVersion]:
    """This page in every language, for the language links and `hreflang` alternates.

    A Wagtail page links to its own translations (their slugs may differ); any other view to
    the same address under the other language prefix.
    """
    request = context["request"]
    page = context.get("page")
    urls = {}
    if page is not None and hasattr(page, "get_translations"):
        for translation in page.get_translations(inclusive=True).live().select_related("locale"):
            urls[translation.locale.language_code] = translation.get_url(request)
    here = request.get_full_path()
    active = get_language()
    return [
        LanguageVersion(code, name, urls.get(code) or translate_url(here, code), code == active)
        for code, name in settings.LANGUAGES
    ]


@register.simple_tag
def original_language(page) -> str:
    """The language code of an untranslated page's text (it stands in, as an alias, for a
    translation nobody has published yet), or "" for a page in its own language."""
    if page is None or not getattr(page, "alias_of_id", None):
        return ""
    original = page.alias_of.locale
    return "" if original.pk == page.locale_id else original.language_code
