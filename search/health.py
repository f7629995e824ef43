"""The search engine's `/healthz` check, registered by `SearchConfig.ready()`."""

from __future__ import annotations

import logging

from django.conf import settings

from portal.core.health import DEGRADED, OK

from . import engine

logger = logging.getLogger(__name__)


def check_search() -> dict[str, str]:
    try:
        info = engine.engine_info()
    except engine.WrongEngine as error:
        logger.error("health: %s", error)
        return {"status": DEGRADED, "engine": settings.SEARCH_ENGINE, "error": str(error)}
    except Exception as error:  # unreachable, refused, wrong product: all mean degraded
        logger.warning("health: search engine unavailable: %s", error)
        return {"status": DEGRADED, "engine": settings.SEARCH_ENGINE, "error": type(error).__name__}
    return {"status": OK, "engine": settings.SEARCH_ENGINE, **info}
