"""The test suite: real PostgreSQL, Redis and OpenSearch, started by `make test`.

The defaults match what `scripts/services.py` starts; point the variables elsewhere to reuse
existing services.
"""

from .base import *  # noqa: F403
from .base import env, wagtail_search_backends

DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/anxin"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/0")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL)
# In-process by default so request/response tests stay deterministic; the tests marked
# `celery` switch this off and run a real worker process against Redis.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# One queue per test run (tests/conftest.py), not the production queues: tests/deploy checks those.
CELERY_TASK_ROUTES = {}
SEARCH_INDEX_PREFIX = env.str("SEARCH_INDEX_PREFIX", default="anxin-test")
# Lookups on two cores shared with PostgreSQL, workers and browsers: slower than production.
SEARCH_TIMEOUT = env.float("SEARCH_TIMEOUT", default=10.0)
WAGTAILSEARCH_BACKENDS = wagtail_search_backends(WAGTAIL_PAGE_SEARCH, SEARCH_INDEX_PREFIX)  # noqa: F405
# Uploads land here; the Celery worker process of the `celery` tests reads the same folder.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / ".cache" / "test-media")  # noqa: F405
PRIVATE_FILES_ROOT = env.path(
    "PRIVATE_FILES_ROOT",
    default=BASE_DIR / ".cache" / "test-private",  # noqa: F405
)
OPEN_DATA_ROOT = env.path("OPEN_DATA_ROOT", default=BASE_DIR / ".cache" / "test-open-data")  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A clean cache per test process: a Redis cache would carry Wagtail's cached site root paths
# from one run's database into the next. Tests that need Redis's cache say so themselves.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# A real worker process started by a test may send to a real SMTP server on loopback
# (tests/subscriptions/test_worker_loss.py); the test process itself always uses locmem.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
