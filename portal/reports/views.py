"""The citizen's pages (report form, thank-you page, private status page) and the editors'
permission-checked photo view."""

from __future__ import annotations

import math

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from portal.core import ratelimit
from portal.core.http import private
from portal.registry.scoping import scope_to_user

from . import forms, images, intake
from .forms import ReportForm
from .models import ConsumerReport, ReportPhoto
from .permissions import policy

SESSION_KEY = "reports:received"
FORM_TEMPLATE = "reports/new.html"
#: Room for the text fields and multipart framing beside the photos.
FORM_OVERHEAD_BYTES = 1024 * 1024


def refuse(request: HttpRequest, message: str, status: int, initial=None) -> HttpResponse:
    """The form again, with what the citizen typed (when it could be read) and the reason."""
    form = ReportForm(initial=initial)
    return render(request, FORM_TEMPLATE, {"form": form, "refusal": message}, status=status)


@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    """The cheapest checks first (size, then the rate limit, before the body is parsed), so a
    flood costs little; duplicates and replays last, when the report is known to be valid."""
    if request.method == "GET":
        return render(request, FORM_TEMPLATE, {"form": ReportForm()})
    max_bytes = forms.MAX_PHOTOS * settings.REPORTS_PHOTO_MAX_BYTES + FORM_OVERHEAD_BYTES
    too_large = _("The report is too large: at most %(count)s photos of %(size)s MB each.") % {
        "count": forms.MAX_PHOTOS,
        "size": images.max_megabytes(),
    }
    if int(request.META.get("CONTENT_LENGTH") or 0) > max_bytes:
        return refuse(request, too_large, 413)  # before a byte of the body is read
    address = ratelimit.address_of(request)
    verdict = ratelimit.hit("reports-rate", address, settings.REPORTS_RATE_LIMIT)
    try:
        if not verdict.allowed:
            message = _(
                "Too many reports have been sent from your network address. "
                "Please try again in %(minutes)s minutes."
            ) % {"minutes": math.ceil(verdict.retry_after / 60)}
            kept = {k: v for k, v in request.POST.items() if k in ReportForm.Meta.fields}
            response = refuse(request, message, 429, initial=kept)
            response["Retry-After"] = str(verdict.retry_after)
            return response
        form = ReportForm(request.POST, request.FILES)
        valid = form.is_valid()
    except RequestDataTooBig:
        return refuse(request, too_large, 413)
    if not valid:
        return render(request, FORM_TEMPLATE, {"form": form})
    received = intake.receive(form, address)
    if received.outcome is intake.Outcome.REPLAYED:
        form.replace_challenge(
            ValidationError(_("This question was answered before. Please answer the new one."))
        )
        return render(request, FORM_TEMPLATE, {"form": form})
    if received.outcome is intake.Outcome.DUPLICATE:
        # A double click: the first request's link may still wait in the session; keep it.
        request.session[SESSION_KEY] = {**request.session.get(SESSION_KEY, {}), "duplicate": True}
    else:
        request.session[SESSION_KEY] = {
            "token": received.token,
            "reference": received.report.reference,
        }
    response = HttpResponseRedirect(reverse("reports:thanks"))
    response.status_code = 303  # POST, redirect, GET: a reload does not send it again
    return response


@require_GET
def thanks(request: HttpRequest) -> HttpResponse:
    """Shows the private link once: it is taken out of the session as it is shown."""
    received = request.session.pop(SESSION_KEY, None) or {}
    token = received.get("token")
    context = {
        "duplicate": received.get("duplicate", False),
        "reference": received.get("reference"),
        "status_url": status_link(request, token) if token else None,
    }
    return private(render(request, "reports/thanks.html", context))


def status_link(request: HttpRequest | None, token: str) -> str:
    """The private link: the token rides in the fragment, which browsers never send, and
    static/js/report-status.js posts it; so it never reaches a URL in a log."""
    path = f"{reverse('reports:status')}#{token}"
    return request.build_absolute_uri(path) if request else path


@csrf_exempt  # a read-only lookup whose token is the credential; with no-referrer the browser
# posts `Origin: null`, which Django's CSRF check refuses
@require_http_methods(["GET", "POST"])
def status(request: HttpRequest) -> HttpResponse:
    """GET: the form (the link's script fills it in and sends it). POST: what the holder of
    the token may see: status history, answer, linked warning; never contact details,
    internal notes or who handled it."""
    token = request.POST.get("token", "").strip()[:100] if request.method == "POST" else ""
    report = (
        ConsumerReport.objects.select_related("warning")
        .filter(token_digest=ConsumerReport.digest_of(token))
        .first()
        if token
        else None
    )
    if report is None:
        unknown = request.method == "POST"
        response = render(
            request,
            "reports/status_form.html",
            {"unknown": unknown},
            status=404 if unknown else 200,
        )
        return private(response)
    warning = report.warning.localized if report.warning and report.warning.live else None
    context = {
        "report": report,
        "history": list(report.status_changes.all()),
        "warning_url": warning.get_url(request) if warning else None,
        "warning": warning,
    }
    return private(render(request, "reports/status.html", context))


@require_GET
def legacy_status(request: HttpRequest, token: str) -> HttpResponse:
    """Links sent before the token moved out of the path: the same link with the token in
    the fragment. (The request line itself is redacted by the access loggers: deploy/.)"""
    return private(HttpResponseRedirect(status_link(None, token)))


def photo(request: HttpRequest, pk: int) -> FileResponse:
    """A photo for an editor who may see its report (district editors: in their district)."""
    item = get_object_or_404(ReportPhoto.objects.select_related("report"), pk=pk)
    visible = scope_to_user(ConsumerReport.objects.filter(pk=item.report_id), request.user)
    if not policy.user_has_any_permission(request.user, ["view", "change"]) or not (
        visible.exists()
    ):
        raise PermissionDenied
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type=item.content_type)
    extension = item.file.name.rsplit(".", 1)[-1]
    response["Content-Disposition"] = f'inline; filename="{item.report.reference}-{pk}.{extension}"'
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
