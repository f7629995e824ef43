"""Response helpers shared by the public apps."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers


def private(response: HttpResponse) -> HttpResponse:
    """Pages that show a private link: not cached, not indexed, the link not sent onwards."""
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    add_never_cache_headers(response)
    return response
