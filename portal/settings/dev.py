"""Development: `make run` on a laptop with no other service (SQLite, eager tasks)."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SEARCH_INDEX_PREFIX = env.str("SEARCH_INDEX_PREFIX", default="anxin-dev")
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
