"""The one place HTML from outside Wagtail's editor is cleaned before it reaches a page.

Imported remarks, grader text and consumer text are untrusted. nh3 (the Rust `ammonia`
sanitiser, html5ever parser: see docs/decisions/0002-nh3.md) keeps only the tags and
attributes below; everything else is dropped or escaped. No `style` attribute (CSS
expressions, overlays), no images or SVG (tracking, script vectors), and only http(s) and
mailto links, which open with `rel="noopener noreferrer nofollow"`.
"""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = frozenset(
    {"a", "abbr", "b", "br", "code", "em", "i", "li", "ol", "p", "strong", "sub", "sup", "ul"}
    | {"table", "thead", "tbody", "tr", "th", "td", "caption"}
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})


def sanitize_html(html: str | None) -> SafeString:
    """Untrusted HTML as markup safe to put in a page."""
    cleaned = nh3.clean(
        html or "",
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 has just removed everything not allowed
