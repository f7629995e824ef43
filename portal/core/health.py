"""Health checks for `/healthz`: each reports its state and never raises.

The database is the only hard dependency: the site degrades (search falls back to the
database, tasks wait) when the engine or the broker is down. Core checks only what Django
itself talks to; an app that owns another service registers its check from its
`AppConfig.ready()`, so core never imports the apps above it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import connection
from kombu import Connection

logger = logging.getLogger(__name__)

OK = "ok"
DEGRADED = "degraded"
DOWN = "down"

Check = Callable[[], dict[str, str]]
_checks: dict[str, Check] = {}


def register_check(name: str, check: Check) -> None:
    """Add `check` to `/healthz` under `name`; checks answer in the order registered."""
    _checks[name] = check


def run_checks() -> dict[str, dict[str, str]]:
    return {name: check() for name, check in _checks.items()}


def check_database() -> dict[str, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # any failure here means "no database"
        logger.warning("health: database unreachable: %s", error)
        return {"status": DOWN, "error": type(error).__name__}
    return {"status": OK, "vendor": connection.vendor}


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
