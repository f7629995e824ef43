"""Benchmarks: the test settings with what a production site has in their place — the shared
Redis cache (CACHE_URL, set by `scripts/services.py bench`) and production's lookup timeout."""

from . import base
from .test import *  # noqa: F403

CACHES = base.CACHES
SEARCH_TIMEOUT = base.SEARCH_TIMEOUT
