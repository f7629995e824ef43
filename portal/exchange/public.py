"""Public pages of the warnings partner authorities shared and an editor accepted."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from content.models import PAGE_SIZE
from portal.core.params import QueryForm
from portal.core.site import absolute_url

from .models import Partner, PartnerItem


class PartnerWarningParams(QueryForm):
    region = forms.SlugField(label=_("Source"), max_length=20, required=False)  # a region_code


@require_GET
def warning_list(request):
    items = PartnerItem.objects.public_warnings()
    partners = Partner.objects.filter(
        items__kind=PartnerItem.Kind.WARNING, items__published__isnull=False
    ).distinct()
    params = PartnerWarningParams(request.GET)
    region = params.chosen.get("region", "")
    if region:
        items = items.filter(partner__region_code=region)
    return render(
        request,
        "exchange/partner_warnings.html",
        {
            "items": Paginator(items, PAGE_SIZE).get_page(params.chosen.get("page")),
            "partners": partners,
            "region": region,
            "params_note": params.note,
            "canonical_url": absolute_url(request, request.path),
        },
    )


@require_GET
def warning_detail(request, pk: int):
    item = get_object_or_404(PartnerItem.objects.public_warnings(), pk=pk)
    return render(
        request,
        "exchange/partner_warning.html",
        {
            "item": item,
            "warning": item.shown,
            "canonical_url": absolute_url(request, request.path),
        },
    )
