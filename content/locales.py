"""One page tree per language: the simplified-Chinese tree is the original, the traditional
and English trees are synchronised from it by wagtail-localize.

A page not yet translated appears in the other trees as an alias of the original (same text,
kept up to date by Wagtail), so every address works in every language; a translator replaces
the alias with a translation through wagtail-localize's editor.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from wagtail.models import Locale, Page
from wagtail_localize.models import (
    LocaleSynchronization,
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)
from wagtail_localize.synctree import PageIndex, synchronize_tree


def ensure_locales() -> list[Locale]:
    """A locale for every content language, each synchronised from the default one."""
    default = Locale.get_default()
    locales = [default]
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        if code == default.language_code:
            continue
        locale, _ = Locale.objects.get_or_create(language_code=code)
        LocaleSynchronization.objects.get_or_create(locale=locale, defaults={"sync_from": default})
        locales.append(locale)
    return locales


def synchronise_trees() -> None:
    """Alias every page missing from a synchronised tree. Pages made in the admin are
    aliased as they are created; pages made in code (the demo, tests) need this call."""
    index = PageIndex.from_database().sort_by_tree_position()
    for sync in LocaleSynchronization.objects.select_related("locale", "sync_from"):
        synchronize_tree(sync.sync_from, sync.locale, page_index=index)


def translate_page(
    page: Page, locale: Locale, translate: Callable[[str], str | None], *, user=None
) -> Page:
    """Translate `page` into `locale` the way wagtail-localize's editor does: each source
    string `translate` answers is stored as a translation, the others stay as in the source,
    and the translation is published (replacing the alias that stood in for it)."""
    source, _ = TranslationSource.get_or_create_from_instance(page)
    translation, _ = Translation.objects.get_or_create(source=source, target_locale=locale)
    segments = StringSegment.objects.filter(source=source).select_related("string", "context")
    for segment in segments:
        text = translate(segment.string.data)
        if text:
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=locale,
                context=segment.context,
                defaults={
                    "data": text,
                    "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                    "last_translated_by": user,
                },
            )
    translation.save_target(user=user, publish=True)
    return page.get_translation(locale)
