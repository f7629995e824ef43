"""Health checks for `/healthz`: each reports its state and never raises.

The database is the only hard dependency: the site degrades (search falls back to the
database, tasks wait) when the engine or the broker is down.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection
from kombu import Connection

from search import engine

logger = logging.getLogger(__name__)

OK = "ok"
DEGRADED = "degraded"
DOWN = "down"


def check_database() -> dict[str, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # any failure here means "no database"
        logger.warning("health: database unreachable: %s", error)
        return {"status": DOWN, "error": type(error).__name__}
    return {"status": OK, "vendor": connection.vendor}


def check_search() -> dict[str, str]:
    try:
        info = engine.engine_info()
    except Exception as error:  # unreachable, refused, wrong product: all mean degraded
        logger.warning("health: search engine unavailable: %s", error)
        return {"status": DEGRADED, "engine": settings.SEARCH_ENGINE, "error": type(error).__name__}
    return {"status": OK, "engine": settings.SEARCH_ENGINE, **info}


def check_broker() -> dict[str, str]:
    if not settings.CELERY_BROKER_URL:
        return {"status": OK, "mode": "eager"}
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
    except Exception as error:  # any broker failure: tasks wait, the site goes on
        logger.warning("health: broker unavailable: %s", error)
        return {"status": DEGRADED, "error": type(error).__name__}
    return {"status": OK, "mode": "broker"}


def overall(checks: dict[str, dict[str, str]]) -> str:
    if checks["database"]["status"] != OK:
        return DOWN
    return OK if all(check["status"] == OK for check in checks.values()) else DEGRADED
