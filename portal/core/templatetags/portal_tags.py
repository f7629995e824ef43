"""Template tags of the site's furniture: absolute links on the portal's own address."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from portal.core.site import absolute_url

register = template.Library()


@register.simple_tag(takes_context=True)
def canonical_url(context, page=None) -> str:
    """The page's canonical URL on the portal's address: an untranslated stand-in (an alias)
    names its original; without a page, the address of this view."""
    request = context["request"]
    if page is None:
        return absolute_url(request, request.path)
    parts = (page.alias_of or page).get_url_parts(request)
    return absolute_url(request, parts[2]) if parts else ""


@register.simple_tag(takes_context=True)
def absolute(context, path: str) -> str:
    """`path` on the portal's address (hreflang alternates must be absolute)."""
    return absolute_url(context["request"], path)


#: Longer addresses come back without their query: the switch must not echo a huge query.
MAX_RETURN_PATH = 300


@register.simple_tag(takes_context=True)
def elderly_mode_url(context, on_now: bool) -> str:
    """The link that switches the elderly-friendly mode and comes back to this page."""
    request = context["request"]
    here = request.get_full_path()
    if len(here) > MAX_RETURN_PATH:
        here = request.path[:MAX_RETURN_PATH]
    query = urlencode({"on": "0" if on_now else "1", "next": here})
    return f"{reverse('elderly-mode')}?{query}"
