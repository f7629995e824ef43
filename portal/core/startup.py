"""What a web process does once, before its first request."""

from __future__ import annotations

import gc
from importlib import import_module

from django.conf import settings


def load_and_freeze() -> None:
    """Import every view (the URLconf, and with it pypinyin's and OpenCC's dictionaries: some
    200,000 objects) and move everything that exists now out of the garbage collector's
    reach. Otherwise each full collection walks those long-lived objects: a 200+ ms pause
    every dozen or so requests of a page that builds a few hundred rows."""
    import_module(settings.ROOT_URLCONF)
    gc.freeze()
