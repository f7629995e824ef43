"""Fixed-window rate limits counted in Django's cache, and the client address they count by.

The count lives in the cache so every web process shares it when the cache is Redis (the
default in production); with local memory each process counts on its own. Used by the
grading API (per token) and the consumer report form (per address).
"""

from __future__ import annotations

import ipaddress
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

PERIODS = {"sec": 1, "min": 60, "hour": 3600}


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int  # seconds until the current window ends


def parse_rate(rate: str) -> tuple[int, int]:
    """`"60/min"` → (60, 60): requests allowed, and the window in seconds."""
    number, unit = rate.split("/")
    return int(number), PERIODS[unit]


def hit(scope: str, ident: str, rate: str) -> Verdict:
    """Count one request of `ident` in `scope` and say whether it stays within `rate`.

    `add` then `incr` is atomic on Redis, so concurrent requests never lose a count.
    """
    limit, period = parse_rate(rate)
    now = time.time()
    window = int(now // period)
    key = f"{scope}:{ident}:{window}"
    cache.add(key, 0, timeout=period + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period + 1)
        count = 1
    return Verdict(count <= limit, math.ceil((window + 1) * period - now))


def client_ip(request) -> str:
    """The client's address. Behind `TRUSTED_PROXY_COUNT` proxies it is the address the
    outermost of them saw, read from the right of X-Forwarded-For, so a client cannot pick
    its own address by sending the header."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def address_key(address: str) -> str:
    """A cache-key-safe, non-reversible name for an address; IPv6 counts per /64, the block
    one subscriber usually holds, so rotating within it does not reset the count."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        network = address
    else:
        network = str(ipaddress.ip_network(f"{ip}/64", strict=False) if ip.version == 6 else ip)
    return salted_hmac("portal.core.ratelimit", network).hexdigest()[:32]


def address_of(request) -> str:
    """The name a request's client address is counted by (`client_ip`, then `address_key`)."""
    return address_key(client_ip(request))
