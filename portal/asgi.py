"""ASGI entry point for production servers (e.g. `uvicorn portal.asgi:application`)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

application = get_asgi_application()

from portal.core.startup import load_and_freeze, log_service_health  # noqa: E402 (needs the settings set up)

load_and_freeze()
log_service_health()
