"""/trace/: from a barcode or a batch number to the warnings, spot-check results and products
that concern it. A plain GET form, so it works without JavaScript; the camera scanner
(static/js/trace-scanner.js) only fills the box and submits it."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from wagtail.models import Locale

from content.models import SpotCheckNoticePage, live_in
from portal.core.site import absolute_url

from . import matching
from .forms import TraceForm


@require_GET
def trace(request):
    form = TraceForm(request.GET if "code" in request.GET else None)
    context = {
        "form": form,
        "max_length": matching.MAX_LENGTH,
        "scores": [(kind, matching.SCORES[kind]) for kind in matching.Kind],
        "canonical_url": absolute_url(request, reverse("traceability:trace")),
    }
    if form.is_bound and form.is_valid():
        locale_id = Locale.get_active().pk
        findings = matching.find(form.cleaned_data["code"], locale_id)
        context["findings"] = findings
        context["results"] = _with_notices(findings.results, locale_id)
    return render(request, "traceability/trace.html", context)


def _with_notices(results: list[matching.Match], locale_id: int) -> list[tuple]:
    """Each result with the notice page that published its batch (or None), in one query."""
    batch_ids = {match.item.batch_id for match in results}
    notices = {}
    if batch_ids:
        pages = live_in(SpotCheckNoticePage, locale_id).filter(batch_id__in=batch_ids)
        notices = {page.batch_id: page for page in pages}
    return [(match, notices.get(match.item.batch_id)) for match in results]
