"""The scheduled bulk export (`CELERY_BEAT_SCHEDULE["open-data-exports"]`)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.cache import cache

from . import exports

logger = logging.getLogger(__name__)

LOCK = "opendata:export-lock"
#: Longer than any export takes; a worker that dies mid-run frees the lock by expiry.
LOCK_SECONDS = 6 * 3600


@shared_task
def export_open_data() -> str | None:
    """Regenerate every export; one run at a time across all workers (a lock in the shared
    cache), because two runs would only race to publish the same data. The new generation."""
    if not cache.add(LOCK, "1", timeout=LOCK_SECONDS):
        logger.info("Open data export skipped: another run holds the lock")
        return None
    try:
        return exports.export_all()["generation"]
    finally:
        cache.delete(LOCK)
