"""The anonymous rate limit of the open-data API."""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import BaseThrottle

from portal.core import ratelimit


class ClientAddressThrottle(BaseThrottle):
    """`OPEN_API_RATE_LIMIT` requests per client address in a fixed window, counted in the
    default cache like the portal's forms (so every process shares it with Redis) and by the
    same address (`TRUSTED_PROXY_COUNT` proxies honoured; IPv6 per /64)."""

    def allow_request(self, request, view) -> bool:
        verdict = ratelimit.hit(
            "opendata-rate", ratelimit.address_of(request), settings.OPEN_API_RATE_LIMIT
        )
        self.retry_after = verdict.retry_after
        return verdict.allowed

    def wait(self) -> float:
        return self.retry_after
