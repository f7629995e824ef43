"""Settings shared by every environment; every value comes from an environment variable.

The defaults are safe for development. `production.py` refuses to start without the few
variables that have no safe default. Every variable is listed in the README.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-anxin-development-only")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "portal.core",
    "portal.registry",
    "portal.inspections",
    "portal.grading",
    "portal.reports",
    "portal.supervision",
    "portal.traceability",
    "portal.profiles",
    "portal.surveys",
    "portal.opendata",
    "portal.subscriptions",
    "portal.exchange",
    "portal.demo",
    "content",
    "search",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "portal.core.security_keys",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # ETag and 304 on the headers set just below (docs/operations.md, "Cache in front").
    "django.middleware.http.ConditionalGetMiddleware",
    "portal.core.cache_headers.CacheHeadersMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After OTPMiddleware: sends a signed-in user without a verified second factor to it.
    "portal.core.second_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.core.csp.PortalCSPMiddleware",  # Content-Security-Policy (issue 19, csp-policy)
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"

# Staff sign-in (docs/staff-sign-in.md). django-axes counts failures per account and, apart,
# per address, so neither guessing one password from many addresses nor many accounts from one
# address gets more than AXES_FAILURE_LIMIT tries before AXES_COOLOFF_HOURS pass.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Where the second-factor and security-key pages send a visitor who has not signed in.
LOGIN_URL = "wagtailadmin_login"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# No start-up banner on stdout: management commands print what their callers read.
AXES_VERBOSE = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind the production proxy the client address comes from X-Forwarded-For (see production.py).
AXES_IPWARE_META_PRECEDENCE_ORDER = env.list(
    "AXES_IPWARE_META_PRECEDENCE_ORDER", default=["REMOTE_ADDR"]
)
# Sessions end after this many seconds without a request (each request renews the cookie).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "portal" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.core.context_processors.site_furniture",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Chinese first: simplified by default, traditional and English beside it.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("zh-hant", "繁體中文"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Pages are translated with wagtail-localize: one page tree per language, the traditional
# and English trees synchronised from the simplified one (untranslated pages appear there as
# aliases of the original until a translator publishes a translation). See docs/content.md.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
    "CLASS": "content.machine_translation.ChineseScriptTranslator",
    "OPTIONS": {},
}
# One date style per language: portal/formats/ (2019年3月1日, 2019-03-01 in English).
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "portal" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- The authority behind the site (footer, 《政府网站发展指引》) ------------------------------
# Blank in development: the footer shows only what is set. Names and the address in Chinese
# (converted on /zh-hant/); the *_EN variants on /en/, the Chinese when they are blank.
PORTAL_IDENTITY = {
    name: env.str(f"PORTAL_{name.upper()}", default="")
    for name in (
        "authority",  # the authority's name
        "authority_en",
        "sponsor",  # 主办单位
        "sponsor_en",
        "operator",  # 承办单位
        "operator_en",
        "address",
        "address_en",
        "hotline",
        "icp_filing",  # ICP 备案号, e.g. 沪ICP备12345678号-1 (links to beian.miit.gov.cn)
        "psb_filing",  # 公安备案号, e.g. 沪公网安备31010602000001号 (links to beian.mps.gov.cn)
        "site_code",  # 网站标识码, e.g. 3100000052
    )
}
# The cookie that remembers the elderly-friendly mode (适老化: larger type, higher contrast).
ELDERLY_MODE_COOKIE = "anxin_elderly"
# How long the proxy and browsers keep a public answer: the nginx micro-cache's validity
# (deploy/nginx/anxin.conf, decision 0027).
PUBLIC_CACHE_SECONDS = 3

# --- Search engine --------------------------------------------------------------------------
# One switch picks the engine and its client; `search.engine` is the only module that reads it.
SEARCH_ENGINE = env.str("SEARCH_ENGINE", default="opensearch")
if SEARCH_ENGINE not in {"opensearch", "elasticsearch"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"SEARCH_ENGINE must be 'opensearch' or 'elasticsearch', not {SEARCH_ENGINE!r}"
    )
# One node's URL, or several separated by commas: every node of a cluster, for failover.
SEARCH_URL = env.str("SEARCH_URL", default="http://127.0.0.1:9200")
SEARCH_INDEX_PREFIX = env.str("SEARCH_INDEX_PREFIX", default="anxin")
SEARCH_TIMEOUT = env.float("SEARCH_TIMEOUT", default=2.0)
#: Copies of the lookup index on other nodes: 0 on one node, 1 or more on a cluster.
SEARCH_REPLICAS = env.int("SEARCH_REPLICAS", default=0)
SEARCH_REBUILD_WORK_MEM = env.str("SEARCH_REBUILD_WORK_MEM", default="256MB")
# The node's `path.repo` as this machine sees it (a shared mount when the engine is elsewhere):
# `manage.py backup` puts the engine snapshot there. Empty: sets carry none, restore rebuilds.
SEARCH_SNAPSHOT_PATH = env.str("SEARCH_SNAPSHOT_PATH", default="")

# --- Celery ---------------------------------------------------------------------------------
# Without a broker, tasks run eagerly in the web process, so `make run` needs no other service.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
# A task is acknowledged when it ends, so a worker killed mid-task leaves it on the broker
# (docs/operations.md, "Workers that die"); a pool child that dies has its task requeued too.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# On Redis, a task taken by a worker that died is given again after this many seconds: it must
# be longer than the longest task (a big import), or a task still running is run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# Every task goes to a named queue, so production can give each its own workers
# (deploy/systemd/anxin-worker@.service, one instance per queue; docs/operations.md).
CELERY_TASK_ROUTES = {
    "search.tasks.*": {"queue": "indexing"},
    "portal.core.tasks.*": {"queue": "indexing"},  # ping: a round trip through a worker
    "portal.opendata.tasks.*": {"queue": "indexing"},
    "portal.inspections.tasks.*": {"queue": "imports"},
    "portal.subscriptions.tasks.*": {"queue": "email"},
    "portal.exchange.tasks.*": {"queue": "exchange"},
    "portal.reports.tasks.*": {"queue": "indexing"},  # the nightly erasure: short housekeeping
}
CELERY_BEAT_SCHEDULE = {
    # Retries index updates that waited while the engine or the broker was down.
    "search-outbox": {"task": "search.tasks.process_outbox", "schedule": 60.0},
}

# --- Cache ---------------------------------------------------------------------------------
# Shared by every process when Redis is there (the grading API's per-token rate limits count in
# it): CACHE_URL, else the Redis broker; local memory (one process only) otherwise.
CACHE_URL = env.str("CACHE_URL", default="") or (
    CELERY_BROKER_URL if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else ""
)
CACHES = {
    "default": env.cache_url_config(CACHE_URL)
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# --- APIs -----------------------------------------------------------------------------------
# Each API names its own authentication and permissions; nothing is open by default.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Anxin API",
    "DESCRIPTION": "APIs of the Anxin product quality safety portal.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The docs page's JavaScript is served from our static files, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "PREPROCESSING_HOOKS": ["portal.opendata.schema.only_api_paths"],
}

# --- Open data: public API and bulk exports (portal.opendata) ------------------------------
# Anonymous requests to /api/v1/ per client address (as REPORTS_RATE_LIMIT counts) before 429.
OPEN_API_RATE_LIMIT = env.str("OPEN_API_RATE_LIMIT", default="600/min")
# Seconds browsers and proxies may reuse an API answer before asking again (with its ETag).
OPEN_API_MAX_AGE = env.int("OPEN_API_MAX_AGE", default=300)
# Seconds the row count and newest timestamp behind a list's ETag are reused (see conditional.py).
OPEN_API_VALIDATOR_TTL = env.int("OPEN_API_VALIDATOR_TTL", default=60)
# Base of absolute links written outside a request (exports); empty: WAGTAILADMIN_BASE_URL.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="")
# Any site may read the open data from a browser: GET only, no cookies, validators readable.
CORS_URLS_REGEX = r"^/api/v1/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_HEADERS = ("accept", "accept-language", "if-none-match", "if-modified-since")
CORS_EXPOSE_HEADERS = ("ETag", "Last-Modified", "Retry-After")
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {
    "LicenceStatusEnum": "portal.registry.models.LicenceStatus",
    "BatchStatusEnum": "portal.opendata.serializers.PUBLIC_BATCH_STATUSES",
}
# Bulk exports: each run writes a new generation folder here, then swaps manifest.json. Every
# web server must see the same folder (a shared volume when there is more than one machine).
OPEN_DATA_ROOT = env.path("OPEN_DATA_ROOT", default=BASE_DIR / "open-data")
CELERY_BEAT_SCHEDULE["open-data-exports"] = {
    "task": "portal.opendata.tasks.export_open_data",
    "schedule": crontab(hour=env.int("OPEN_DATA_EXPORT_HOUR", default=3), minute=15),
}

# --- Subscriptions (portal.subscriptions) ---------------------------------------------------
# Email goes through EMAIL_URL (django-environ's email_url, e.g.
# smtp+tls://user:password@smtp.example.gov.cn:587); without it, to the console.
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)  # seconds; a hung server must not block
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="安心 Anxin <no-reply@localhost>")
# Subscription requests per client address, and confirmation emails per email address.
SUBSCRIPTIONS_RATE_LIMIT = env.str("SUBSCRIPTIONS_RATE_LIMIT", default="10/hour")
SUBSCRIPTIONS_EMAIL_RATE_LIMIT = env.str("SUBSCRIPTIONS_EMAIL_RATE_LIMIT", default="3/hour")
SUBSCRIPTIONS_CONFIRM_DAYS = env.int("SUBSCRIPTIONS_CONFIRM_DAYS", default=3)
SUBSCRIPTIONS_DIGEST_HOUR = env.int("SUBSCRIPTIONS_DIGEST_HOUR", default=8)
# An alert email claimed this long ago and not marked sent is sent again (its worker died).
# Keep it well above EMAIL_TIMEOUT, or a slow send still under way is repeated.
SUBSCRIPTIONS_CLAIM_SECONDS = env.int("SUBSCRIPTIONS_CLAIM_SECONDS", default=900)
CELERY_BEAT_SCHEDULE["subscriptions-deliver"] = {
    # Matches and sends what waited while the broker or the mail server was down.
    "task": "portal.subscriptions.tasks.deliver",
    "schedule": 300.0,
}
CELERY_BEAT_SCHEDULE["subscriptions-digest"] = {
    "task": "portal.subscriptions.tasks.send_daily_digest",
    "schedule": crontab(hour=SUBSCRIPTIONS_DIGEST_HOUR, minute=0),
}
CELERY_BEAT_SCHEDULE["subscriptions-purge"] = {
    "task": "portal.subscriptions.tasks.purge_unconfirmed",
    "schedule": crontab(hour=4, minute=40),
}

# --- Partner-region exchange (portal.exchange) ----------------------------------------------
# Signed feeds exchanged with partner authorities (docs/exchange.md). The signing key is the
# base64 of a 32-byte Ed25519 seed; empty derives one from SECRET_KEY, which production refuses.
EXCHANGE_ENABLED = env.bool("EXCHANGE_ENABLED", default=True)
EXCHANGE_SIGNING_KEY = env.str("EXCHANGE_SIGNING_KEY", default="")
EXCHANGE_PREVIOUS_PUBLIC_KEYS = env.list("EXCHANGE_PREVIOUS_PUBLIC_KEYS", default=[])
# Encrypts partners' shared HMAC secrets in the database; empty: derived from SECRET_KEY.
EXCHANGE_SECRETS_KEY = env.str("EXCHANGE_SECRETS_KEY", default="")
EXCHANGE_REGION_CODE = env.str("EXCHANGE_REGION_CODE", default="sh")
EXCHANGE_REGION_NAME = env.str("EXCHANGE_REGION_NAME", default="上海市市场监督管理局")
EXCHANGE_REGION_NAME_EN = env.str(
    "EXCHANGE_REGION_NAME_EN", default="Shanghai Municipal Administration for Market Regulation"
)
EXCHANGE_FEED_PAGE_SIZE = env.int("EXCHANGE_FEED_PAGE_SIZE", default=200)
# Pages of our feed per client address (a partner pulls a few every EXCHANGE_PULL_INTERVAL).
EXCHANGE_FEED_RATE_LIMIT = env.str("EXCHANGE_FEED_RATE_LIMIT", default="60/min")
EXCHANGE_PULL_INTERVAL = env.int("EXCHANGE_PULL_INTERVAL", default=900)  # seconds
EXCHANGE_PULL_TIMEOUT = env.float("EXCHANGE_PULL_TIMEOUT", default=20.0)  # whole response
EXCHANGE_MAX_FEED_BYTES = env.int("EXCHANGE_MAX_FEED_KB", default=4096) * 1024
EXCHANGE_MAX_PAGES = env.int("EXCHANGE_MAX_PAGES", default=20)  # per partner and pull
EXCHANGE_MAX_AGE = env.int("EXCHANGE_MAX_AGE", default=300)  # seconds a feed stays acceptable
# Partners' feeds over plain HTTP: only for local testing.
EXCHANGE_ALLOW_HTTP = env.bool("EXCHANGE_ALLOW_HTTP", default=False)
# The task does nothing while EXCHANGE_ENABLED is off.
CELERY_BEAT_SCHEDULE["exchange-pull"] = {
    "task": "portal.exchange.tasks.pull_partners",
    "schedule": float(EXCHANGE_PULL_INTERVAL),
}

# --- Third-party grading ----------------------------------------------------------------------
GRADING_RATE_LIMIT = env.str("GRADING_RATE_LIMIT", default="60/min")
GRADING_MAX_BODY_BYTES = env.int("GRADING_MAX_BODY_KB", default=2048) * 1024

# --- Consumer reports -----------------------------------------------------------------------
# Per client address; the address is the one the outermost of TRUSTED_PROXY_COUNT proxies saw.
REPORTS_RATE_LIMIT = env.str("REPORTS_RATE_LIMIT", default="10/hour")
# Survey answers per client address: high, because a class or an office shares one address.
SURVEY_RATE_LIMIT = env.str("SURVEY_RATE_LIMIT", default="100/hour")
REPORTS_PHOTO_MAX_BYTES = env.int("REPORTS_PHOTO_MAX_MB", default=5) * 1024 * 1024
# Report photos: outside MEDIA_ROOT, never served by the web server (see docs/reports.md).
REPORTS_PRIVATE_ROOT = env.path("REPORTS_PRIVATE_ROOT", default=BASE_DIR / "private-media")
# Import uploads and batch source files (unpublished previews among them): same rule, random
# names, served only by permission-checked admin views (see docs/personal-data.md).
PRIVATE_FILES_ROOT = env.path("PRIVATE_FILES_ROOT", default=BASE_DIR / "private-media")
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# --- Personal data (PIPL, docs/personal-data.md) ---------------------------------------------
# Fernet keys for contact details and subscribers' addresses, newest first: the first encrypts,
# all decrypt (`manage.py rotate_personal_data_keys`). Empty derives one from SECRET_KEY, and
# the lookup-digest key likewise; production refuses both defaults.
PERSONAL_DATA_KEYS = env.list("PERSONAL_DATA_KEYS", default=[])
PERSONAL_DATA_HASH_KEY = env.str("PERSONAL_DATA_HASH_KEY", default="")
# Days a report's contact details are kept after the report was received; then erased (the
# report itself stays, for the statistics).
REPORTS_CONTACT_RETENTION_DAYS = env.int("REPORTS_CONTACT_RETENTION_DAYS", default=730)
CELERY_BEAT_SCHEDULE["personal-data-retention"] = {
    "task": "portal.reports.tasks.erase_expired_contact_details",
    "schedule": crontab(hour=4, minute=50),
}

# --- Security (issue 19, csp) -------------------------------------------------------------
# `/healthz` shows its checks (versions, error names) only to loopback or to this bearer token.
HEALTHZ_TOKEN = env.str("HEALTHZ_TOKEN", default="")

# --- Content-Security-Policy (issue 19, csp-policy) -----------------------------------------
# Scripts only from this site or with the response's nonce: no 'unsafe-inline', no
# 'unsafe-eval'. Styles stay strict on the public pages too; only the admin relaxes them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        # The hash is 500.html's inline style (it loads no static files); a test checks it.
        "style-src": [SELF, "'sha256-mmjbvhjzU3jMyFLiMvWYRrRyVZWRT9x1O2r2CA92Cnw='"],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "media-src": [SELF, "blob:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
        "report-uri": "/csp-report",
    },
}
# In place of these directives under /admin/ only (portal.core.csp.PortalCSPMiddleware):
# Wagtail's admin sets inline styles from its own code and templates (a hash in the list would
# make browsers ignore 'unsafe-inline'); see docs/decisions/0024-*.md.
CSP_ADMIN_RELAXATIONS = {"style-src": [SELF, "'unsafe-inline'"]}
# No avatars from gravatar.com: it would learn which staff use the admin, and the policy
# allows images from this site only.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
CSP_REPORT_MAX_BYTES = env.int("CSP_REPORT_MAX_KB", default=16) * 1024
CSP_REPORT_RATE_LIMIT = env.str("CSP_REPORT_RATE_LIMIT", default="30/min")

# --- Spot-check imports ---------------------------------------------------------------------
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_MB", default=50) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # form fields only; files stream to disk
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Wagtail --------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "安心 · 产品质量安全信息公开"
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAILADMIN_USER_LOGIN_FORM = "portal.core.admin_forms.LoginForm"  # a translated password label
# An authority's intranet admin does not call wagtail.org; upgrades follow the project's plan.
WAGTAIL_ENABLE_UPDATE_CHECK = False


def wagtail_search_backends(page_search: str, prefix: str) -> dict:
    """Wagtail's own page search (warnings, notices, articles) on the same engine as the
    lookup, or the database backend for a laptop without an engine (`make run`)."""
    if page_search == "database":
        return {"default": {"BACKEND": "wagtail.search.backends.database"}}
    # opensearch3 is the backend for the opensearch-py 3 client (it talks to OpenSearch 2.x too).
    backend = "opensearch3" if SEARCH_ENGINE == "opensearch" else "elasticsearch8"
    return {
        "default": {
            "BACKEND": f"wagtail.search.backends.{backend}",
            "URLS": SEARCH_URL.split(","),  # one node, or a cluster's nodes
            "INDEX_PREFIX": f"{prefix}-wagtail-",
            "TIMEOUT": SEARCH_TIMEOUT,
            "INDEX_SETTINGS": {
                "settings": {
                    "index": {"number_of_shards": 1, "number_of_replicas": SEARCH_REPLICAS}
                }
            },
        }
    }


WAGTAIL_PAGE_SEARCH = env.str("WAGTAIL_PAGE_SEARCH", default="engine")
WAGTAILSEARCH_BACKENDS = wagtail_search_backends(WAGTAIL_PAGE_SEARCH, SEARCH_INDEX_PREFIX)
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "xls", "zip"]
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Wagtail's background tasks log every start and finish at INFO.
    # Search clients log every request at INFO and every refused connection with a traceback;
    # an unreachable engine is an expected, degraded state that `search` logs in one line.
    "loggers": {
        "django_tasks": {"level": "WARNING"},
        "opensearch": {"level": "ERROR"},
        "elastic_transport": {"level": "ERROR"},
    },
}
