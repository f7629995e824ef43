"""Cache-Control for every answer, so the micro-cache in front (deploy/nginx, decision 0027)
and browsers keep exactly the anonymous, public ones, and only as long as nginx does."""

from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control

# Editors' and graders' pages, in any language (the default one has no prefix).
LANGUAGE_PREFIX = "|".join(re.escape(code) for code, _ in settings.LANGUAGES)
PRIVATE_PATH = re.compile(rf"^/(admin/|(({LANGUAGE_PREFIX})/)?grader/)")
CACHEABLE_STATUSES = {200, 301, 302, 404}


def is_personal(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether the answer may differ from the one any anonymous reader gets, or sets a cookie
    (a session, a preference, the CSRF token of a form): such answers are never shared."""
    return bool(
        PRIVATE_PATH.match(request.path_info)
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or settings.ELDERLY_MODE_COOKIE in request.COOKIES
        or "HTTP_AUTHORIZATION" in request.META
        or response.cookies
    )


class CacheHeadersMiddleware:
    """Personal answers: `private, no-store`. Public GET/HEAD answers the view left alone:
    `public, max-age=PUBLIC_CACHE_SECONDS`, the micro-cache's validity, so a browser never
    keeps a page longer than the proxy. Django's ConditionalGetMiddleware, above this one,
    adds the ETag and answers 304 to a matching If-None-Match."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_personal(request, response):
            add_never_cache_headers(response)
        elif (
            request.method in ("GET", "HEAD")
            and response.status_code in CACHEABLE_STATUSES
            and not response.has_header("Cache-Control")
        ):
            patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
        return response
