from django.conf import settings
from django.http import HttpResponseRedirect, JsonResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import health


@never_cache
@require_GET
def healthz(request):
    """200 while the database answers; search and broker outages show as "degraded"."""
    checks = health.run_checks()
    status = health.overall(checks)
    return JsonResponse(
        {"status": status, "checks": checks}, status=503 if status == health.DOWN else 200
    )


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
