"""What a web process does once, before its first request."""

from __future__ import annotations

import gc
from importlib import import_module

from django.conf import settings
from django.db import connections

from .health import run_checks


def load_and_freeze() -> None:
    """Import every view (the URLconf, and with it pypinyin's and OpenCC's dictionaries: some
    200,000 objects) and move everything that exists now out of the garbage collector's
    reach. Otherwise each full collection walks those long-lived objects: a 200+ ms pause
    every dozen or so requests of a page that builds a few hundred rows."""
    import_module(settings.ROOT_URLCONF)
    gc.freeze()


def log_service_health() -> None:
    """Run the `/healthz` checks once, so that a misconfigured service (e.g. `SEARCH_ENGINE`
    naming the wrong engine) is one line in the log when the process starts, not only when
    someone asks `/healthz`. The checks log their own problems. The database connection is
    closed again: with gunicorn's `--preload`, the forked workers must not share it."""
    run_checks()
    connections.close_all()
