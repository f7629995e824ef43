"""Template tags for the public pages."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.formats import date_format
from django.utils.translation import get_language

from content import navigation
from content.navigation import Section
from content.sanitize import sanitize_html
from portal.core.params import bounded_address

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
def site_sections(context) -> list[Section]:
    """The main navigation's sections (see `content.navigation`)."""
    request = context.get("request")
    return navigation.site_sections(request) if request else []


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
    here = bounded_address(request)
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
