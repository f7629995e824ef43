from django.http import JsonResponse
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
