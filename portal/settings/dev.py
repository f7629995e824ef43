"""Development: `make run` on a laptop with no other service (SQLite, eager tasks)."""

from .base import *  # noqa: F403
from .base import env, wagtail_search_backends

DEBUG = env.bool("DEBUG", default=True)
SEARCH_INDEX_PREFIX = env.str("SEARCH_INDEX_PREFIX", default="anxin-dev")
WAGTAIL_PAGE_SEARCH = env.str("WAGTAIL_PAGE_SEARCH", default="database")
WAGTAILSEARCH_BACKENDS = wagtail_search_backends(WAGTAIL_PAGE_SEARCH, SEARCH_INDEX_PREFIX)
