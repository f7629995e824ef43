"""The one place HTML from outside Wagtail's editor is cleaned before it reaches a page.

Imported remarks, grader text and consumer text are untrusted. nh3 (the Rust `ammonia`
sanitiser, html5ever parser: see docs/decisions/0002-nh3.md) keeps only the tags and
attributes below; everything else is dropped or escaped. No `style` attribute (CSS
expressions, overlays), no images or SVG (tracking, script vectors), and links only to
`https:`, `mailto:` or an absolute path on this site (`/zh-hans/...`), which open with
`rel="noopener noreferrer nofollow"`. Protocol-relative (`//evil.example`), `http:` and
relative links are dropped: the first two leave the site unencrypted or for a host the
author chose, the last depends on the page the text is shown on.
"""

from __future__ import annotations

import re

import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = frozenset(
    {"a", "abbr", "b", "br", "code", "em", "i", "li", "ol", "p", "strong", "sub", "sup", "ul"}
    | {"table", "thead", "tbody", "tr", "th", "td", "caption"}
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
ALLOWED_URL_SCHEMES = frozenset({"https", "mailto"})
# "/" then anything but a second slash or a backslash (browsers read `/\\host` as `//host`).
SAME_SITE_PATH = re.compile(r"/(?![/\\])")


def _allowed_link(tag: str, attribute: str, value: str) -> str | None:
    """Keep `href` only for https:, mailto: and same-site absolute paths."""
    if attribute != "href":
        return value
    # Browsers drop tabs and newlines anywhere in a URL: "/\t/evil.example" is "//evil.example".
    target = value.translate({ord(c): None for c in "\t\n\r"}).strip()
    if SAME_SITE_PATH.match(target) or target.lower().startswith(("https:", "mailto:")):
        return value
    return None


def sanitize_html(html: str | None) -> SafeString:
    """Untrusted HTML as markup safe to put in a page."""
    cleaned = nh3.clean(
        html or "",
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        attribute_filter=_allowed_link,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 has just removed everything not allowed
