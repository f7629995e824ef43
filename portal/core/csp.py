"""Content-Security-Policy: the policy's admin relaxation, the nonce for the inline scripts
Wagtail's admin writes, and the violation-report endpoint.

The policy itself is `CONTENT_SECURITY_POLICY` in settings (django-csp); see docs/security.md
and docs/decisions/0024-csp-nonce-for-wagtail-admin-scripts.md.
"""

from __future__ import annotations

import json
from contextvars import ContextVar

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
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


#: The request being answered, so that widgets (which never see it) can take its nonce.
_current_request: ContextVar = ContextVar("csp_request", default=None)


def current_nonce() -> str:
    """The nonce of the response being rendered ('' outside a request); using it puts it in
    the response's policy."""
    request = _current_request.get()
    return str(request.csp_nonce) if hasattr(request, "csp_nonce") else ""


class PortalCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with `CSP_ADMIN_RELAXATIONS` in place of those directives under
    the Wagtail admin: the admin's own code sets inline styles, which the public pages never
    need. Scripts stay strict everywhere."""

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return super().__call__(request)
        finally:
            _current_request.reset(token)

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path.startswith("/admin/") and not parts.replace:
            parts.replace = settings.CSP_ADMIN_RELAXATIONS
        return parts


def _last_script_with_nonce(render):
    """Wrap a widget's `render`, whose HTML ends with the inline `<script>` Wagtail appends to
    start the widget, so that this one script carries the response's nonce. Only that tag:
    the markup before it (a chosen item's title, say) gets no nonce."""

    def render_with_nonce(self, *args, **kwargs):
        html = str(render(self, *args, **kwargs))
        head, tag, tail = html.rpartition("<script>")
        if not tag:
            return mark_safe(html)  # noqa: S308 - the widget's own escaped output
        opening = format_html('<script nonce="{}">', current_nonce())
        return mark_safe(head + opening + tail)  # noqa: S308 - as above, one attribute added

    return render_with_nonce


def give_wagtail_chooser_scripts_the_nonce() -> None:
    """Wagtail's choosers start themselves with an inline script written in Python (Wagtail
    issue #1288); with the nonce they run under a policy without 'unsafe-inline'. (The date
    pickers' and inline panels' scripts get it in our copies of their templates, in
    portal/core/templates/wagtailadmin/.)"""
    from wagtail.admin.widgets.chooser import BaseChooser

    BaseChooser.render = _last_script_with_nonce(BaseChooser.render)


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
