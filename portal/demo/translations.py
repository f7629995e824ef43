"""The demo's page translations: every page in traditional Chinese (converted by OpenCC, as
the machine translator does for editors), and the home page, the listings, the campaign and
one warning in English, so `make run` shows both a translated page and an untranslated one
(an alias that says so). Pages already translated are left alone."""

from __future__ import annotations

from collections.abc import Callable

from wagtail.models import Locale, Page

from content.locales import translate_page
from portal.core.text import to_traditional

from .data import load

ENGLISH: dict[str, str] = load("english.json")  # simplified Chinese text -> English
IN_ENGLISH = ("home", "notices", "warnings", "education", "campaigns", "laws")
IN_ENGLISH += ("children-students", "magnetic-toys")


def translate_demo(log: Callable[[str], None]) -> int:
    """Translate whatever demo page is still an alias; returns how many were translated."""
    default = Locale.get_default()
    originals = Page.objects.filter(locale=default, depth__gt=1).order_by("path").specific()
    targets = [
        (Locale.objects.get(language_code="zh-hant"), to_traditional, None),
        (Locale.objects.get(language_code="en"), ENGLISH.get, IN_ENGLISH),
    ]
    untranslated = {
        (page.translation_key, page.locale_id)
        for page in Page.objects.exclude(locale=default).filter(alias_of__isnull=False)
    }
    done = 0
    for page in originals:
        for locale, translate, slugs in targets:
            if slugs is not None and page.slug not in slugs:
                continue
            if (page.translation_key, locale.pk) in untranslated:
                translated = translate_page(page, locale, translate)
                # The translation tells of the same event: the original's dates, not today.
                Page.objects.filter(pk=translated.pk).update(
                    first_published_at=page.first_published_at,
                    last_published_at=page.last_published_at,
                    latest_revision_created_at=page.last_published_at,
                )
                done += 1
    log(f"Demo translations: {done} pages translated.")
    return done
