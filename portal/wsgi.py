"""WSGI entry point for production servers (e.g. `gunicorn portal.wsgi`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

application = get_wsgi_application()

from portal.core.startup import load_and_freeze, log_service_health  # noqa: E402 (needs the settings set up)

load_and_freeze()
log_service_health()
