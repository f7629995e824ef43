import hmac
import ipaddress

from django.conf import settings
from django.http import HttpResponseRedirect, JsonResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import health
from .ratelimit import client_ip


@never_cache
@require_GET
def healthz(request):
    """200 while the database answers; search and broker outages show as "degraded".

    Only the overall status is public: engine versions and error class names help an attacker
    choose an exploit, so the checks are shown to loopback or to `HEALTHZ_TOKEN` alone.
    """
    checks = health.run_checks()
    status = health.overall(checks)
    body = {"status": status, "checks": checks} if _may_see_details(request) else {"status": status}
    return JsonResponse(body, status=503 if status == health.DOWN else 200)


def _may_see_details(request) -> bool:
    token = settings.HEALTHZ_TOKEN
    scheme, _, offered = request.headers.get("Authorization", "").partition(" ")
    if token and scheme == "Bearer" and hmac.compare_digest(offered.encode(), token.encode()):
        return True
    try:
        return ipaddress.ip_address(client_ip(request)).is_loopback
    except ValueError:
        return False


@never_cache
@require_GET
def elderly_mode(request):
    """Switch the elderly-friendly mode (适老化) on (`on=1`) or off and go back to `next`.

    A plain link and a cookie: it works by keyboard and without JavaScript, and the choice is
    remembered for a year. Only a path on this site is followed back.
    """
    target = request.GET.get("next", "/")
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if request.GET.get("on") == "1":
        response.set_cookie(
            settings.ELDERLY_MODE_COOKIE,
            "1",
            max_age=365 * 24 * 3600,
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
    else:
        response.delete_cookie(settings.ELDERLY_MODE_COOKIE, samesite="Lax")
    return response
