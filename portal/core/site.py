"""The portal's own address: the scheme and host of canonical, og:url, sitemap and feed links.

Wagtail's default `Site` holds it. In production `PORTAL_BASE_URL` sets the site's host and
scheme (`manage.py sync_site`, which also runs after every `migrate`), so links never depend
on the Host header a proxy forwards. Without a base URL (development) links take the request's
scheme and host, so `make run` on any address links to itself.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from wagtail.models import Site


def site_address(base_url: str) -> dict[str, str | int]:
    """The `hostname` and `port` of a Wagtail site serving `base_url`.

    Wagtail writes `https://` only for port 443 and `http://` for every other port, so a base
    URL it could not reproduce (https on another port, a path) is refused, not bent.
    """
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ImproperlyConfigured(f"PORTAL_BASE_URL must be http(s)://host, not {base_url!r}")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ImproperlyConfigured(
            f"PORTAL_BASE_URL must be the site's root, without a path: {base_url!r}"
        )
    default_port = 443 if parts.scheme == "https" else 80
    port = parts.port or default_port
    if parts.scheme == "https" and port != 443:
        raise ImproperlyConfigured(f"PORTAL_BASE_URL: https is served on port 443: {base_url!r}")
    return {"hostname": parts.hostname, "port": port}


def sync_default_site() -> int:
    """Point the default site at `PORTAL_BASE_URL`; the number of sites changed (0 or 1)."""
    if not settings.PORTAL_BASE_URL:
        return 0
    address = site_address(settings.PORTAL_BASE_URL)
    return Site.objects.filter(is_default_site=True).exclude(**address).update(**address)


def sync_after_migrate(**kwargs) -> None:
    sync_default_site()


def check_portal_base_url(app_configs=None, **kwargs) -> list[checks.Error]:
    """A PORTAL_BASE_URL that Wagtail's site cannot hold is named at start-up."""
    if not settings.PORTAL_BASE_URL:
        return []
    try:
        site_address(settings.PORTAL_BASE_URL)
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="core.E001")]
    return []


def root_url(request) -> str:
    """`https://host` (no slash) for links in answers to `request`."""
    if settings.PORTAL_BASE_URL:
        site = Site.find_for_request(request)
        if site is not None:
            return site.root_url
    return f"{request.scheme}://{request.get_host()}"


def absolute_url(request, path: str) -> str:
    """`path` on the portal's address; a URL that already names its host is left alone."""
    if path.startswith(("http://", "https://")):
        return path
    return root_url(request) + path
