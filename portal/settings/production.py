"""Production: refuses to start unless the variables without a safe default are set."""

import os

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

# EMAIL_URL: subscription confirmations and alerts must reach people, not a console log.
# PORTAL_BASE_URL: canonical, sitemap, feed and email links must name the public address.
# PERSONAL_DATA_KEYS, PERSONAL_DATA_HASH_KEY: never keys derived from SECRET_KEY for citizens'
# contact details (docs/personal-data.md).
_REQUIRED = (
    "SECRET_KEY",
    "DATABASE_URL",
    "ALLOWED_HOSTS",
    "EMAIL_URL",
    "PORTAL_BASE_URL",
    "PERSONAL_DATA_KEYS",
    "PERSONAL_DATA_HASH_KEY",
)
for _name in _REQUIRED:
    if not os.environ.get(_name):
        raise ImproperlyConfigured(f"Missing required environment variable {_name}")

from .base import *  # noqa: E402, F403
from .base import env  # noqa: E402

DEBUG = False
# WhiteNoise serves the collected, hashed static files straight from the WSGI process.
MIDDLEWARE = [*MIDDLEWARE]  # noqa: F405
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# HTTPS everywhere; a TLS-terminating proxy in front sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Submitting the domain to browsers' preload lists is the domain owner's decision, not a default.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

try:
    [Fernet(key) for key in PERSONAL_DATA_KEYS]  # noqa: F405
except ValueError as _error:
    raise ImproperlyConfigured(
        "PERSONAL_DATA_KEYS must be a comma-separated list of Fernet keys (make one with: "
        "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key())')"
    ) from _error

# Partner-region exchange: off unless asked for; then it signs with a real key, never one
# derived from SECRET_KEY (docs/exchange.md).
EXCHANGE_ENABLED = env.bool("EXCHANGE_ENABLED", default=False)
if EXCHANGE_ENABLED and not EXCHANGE_SIGNING_KEY:  # noqa: F405
    raise ImproperlyConfigured(
        "Missing required environment variable EXCHANGE_SIGNING_KEY (EXCHANGE_ENABLED is on)"
    )
