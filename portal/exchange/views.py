"""The machine-facing endpoints partners pull: our keys and our signed feed.

What they carry is public already (published warnings, failed results of published
batches), so they need no credentials; the signature proves to a partner that the bytes are
ours and unaltered. Responses are never cached: `issued_at` must be fresh.
"""

from __future__ import annotations

import base64
import json
import logging

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.core import ratelimit

from . import feed, signing
from .models import Algorithm, Partner

logger = logging.getLogger(__name__)


def _enabled() -> None:
    if not settings.EXCHANGE_ENABLED:
        raise Http404


@never_cache
@require_GET
def keys(request):
    """Our Ed25519 public keys, current first: partners copy one into their configuration
    after confirming its id with us by another channel."""
    _enabled()
    return JsonResponse(
        {
            "format": "anxin-exchange-keys/1",
            "issuer": {
                "code": settings.EXCHANGE_REGION_CODE,
                "name": settings.EXCHANGE_REGION_NAME,
            },
            "keys": [
                {
                    "kid": kid,
                    "alg": signing.ED25519,
                    "public_key": base64.b64encode(signing.raw_public(key)).decode(),
                    "current": n == 0,
                }
                for n, (kid, key) in enumerate(signing.our_public_keys())
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@never_cache
@require_GET
def feed_ed25519(request):
    _enabled()
    return _feed(request, audience=None, sign=signing.sign_ed25519)


@never_cache
@require_GET
def feed_hmac(request, code: str):
    """The same feed for one partner that verifies with a shared secret, made for it alone
    (`audience`), so it cannot be replayed to another partner."""
    _enabled()
    partner = get_object_or_404(
        Partner, region_code=code, is_active=True, algorithm=Algorithm.HMAC_SHA256
    )
    try:
        secret = partner.secret()
    except signing.SignatureError:
        logger.exception("exchange: no usable shared secret for %s", code)
        return _error("unavailable", "This feed cannot be signed at the moment.", status=503)
    ours = settings.EXCHANGE_REGION_CODE
    return _feed(request, audience=code, sign=lambda body: signing.sign_hmac(body, secret, ours))


def _feed(request, audience: str | None, sign) -> HttpResponse:
    """One signed page. Counted per client address: a page is a query and a signature, and a
    partner pulls a few pages every quarter of an hour."""
    verdict = ratelimit.hit(
        "exchange-feed", ratelimit.address_of(request), settings.EXCHANGE_FEED_RATE_LIMIT
    )
    if not verdict.allowed:
        response = _error(
            "rate_limited", "Too many requests; wait Retry-After seconds.", status=429
        )
        response["Retry-After"] = str(verdict.retry_after)
        return response
    size = settings.EXCHANGE_FEED_PAGE_SIZE
    try:
        since = feed.Cursor.decode(request.GET["since"]) if request.GET.get("since") else None
        size = min(max(int(request.GET.get("limit", size)), 1), size)
    except ValueError:
        return _error("invalid_parameter", "since must be a cursor from next; limit a number.")
    body = feed.document(request, since, size, audience)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response[signing.HEADER] = sign(body)
    return response


def _error(code: str, message: str, status: int = 400) -> HttpResponse:
    body = json.dumps({"error": {"code": code, "message": message}})
    return HttpResponse(body, status=status, content_type="application/json")
