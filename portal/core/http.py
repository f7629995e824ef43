"""Request and response helpers shared by the apps."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme


def private(response: HttpResponse) -> HttpResponse:
    """Pages that show a private link: not cached, not indexed, the link not sent onwards."""
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    add_never_cache_headers(response)
    return response


def safe_next(request, default: str = "/admin/") -> str:
    """Where a sign-in step goes on to: its `next` parameter when that stays on this site."""
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default
