"""Content-Security-Policy: the policy's admin relaxation and the violation-report endpoint.

The policy itself is `CONTENT_SECURITY_POLICY` in settings (django-csp); see docs/security.md.
"""

from __future__ import annotations

import json

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import ratelimit

# Fields of a violation worth keeping, each cut to a length that still identifies the source.
KEPT_FIELDS = {
    "document-uri": 500,
    "violated-directive": 200,
    "effective-directive": 200,
    "blocked-uri": 500,
    "source-file": 500,
    "line-number": 20,
    "disposition": 20,
}


class PortalCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with `CSP_ADMIN_RELAXATIONS` added under the Wagtail admin:
    the admin's own code sets inline styles, which the public pages never need."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path.startswith("/admin/") and not parts.update:
            parts.update = settings.CSP_ADMIN_RELAXATIONS
        return parts


@csrf_exempt
@require_POST
def csp_report(request):
    """Record a browser's CSP violation report; 413 past `CSP_REPORT_MAX_BYTES`, 429 past
    `CSP_REPORT_RATE_LIMIT` per address, 400 for what is not a report. Nothing else is stored."""
    from .models import CspViolation

    verdict = ratelimit.hit(
        "csp-report", ratelimit.address_of(request), settings.CSP_REPORT_RATE_LIMIT
    )
    if not verdict.allowed:
        response = HttpResponse("Too many reports.", status=429, content_type="text/plain")
        response["Retry-After"] = str(verdict.retry_after)
        return response
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > settings.CSP_REPORT_MAX_BYTES:
        return HttpResponse("Report too large.", status=413, content_type="text/plain")
    body = request.read(settings.CSP_REPORT_MAX_BYTES + 1)
    if len(body) > settings.CSP_REPORT_MAX_BYTES:
        return HttpResponse("Report too large.", status=413, content_type="text/plain")
    try:
        report = json.loads(body)["csp-report"]
        fields = {key: str(report.get(key, ""))[:limit] for key, limit in KEPT_FIELDS.items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        return JsonResponse({"error": "not a CSP report"}, status=400)
    CspViolation.objects.create(
        document_uri=fields["document-uri"],
        directive=fields["effective-directive"] or fields["violated-directive"],
        blocked_uri=fields["blocked-uri"],
        source_file=fields["source-file"],
        line_number=fields["line-number"],
        disposition=fields["disposition"],
    )
    return HttpResponse(status=204)
