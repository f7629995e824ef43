"""Demo consumer reports (社会监督), one in each status, so the triage listing and the status
page have something to show. Created only when there is no report at all, so a second
`load_demo` adds nothing and real reports are never mixed with demo ones."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.conf import settings
from django.utils import timezone

from content.models import RiskWarningPage
from portal.registry.models import District, ProductBarcode
from portal.reports.models import ConsumerReport, ReportStatusChange
from portal.reports.views import status_link

from .data import load

Status = ConsumerReport.Status

REPORTS = load("reports.json")


def build_reports(log: Callable[[str], None]) -> int:
    """Create the demo reports unless any report exists; returns how many were created."""
    if ConsumerReport.objects.exists():
        return 0
    barcode = ProductBarcode.objects.select_related("product__manufacturer").order_by("gtin")
    barcode = barcode.first()
    warnings = {
        page.slug: page
        for page in RiskWarningPage.objects.live().filter(
            locale__language_code=settings.LANGUAGE_CODE
        )
    }
    districts = {d.code: d for d in District.objects.all()}
    received = timezone.now() - datetime.timedelta(days=len(REPORTS) + 3)
    link = ""
    for n, spec in enumerate(REPORTS):
        fields = dict(spec)
        history = fields.pop("history")
        district = districts.get(fields.pop("district", ""))
        with_barcode = fields.pop("barcode", False)
        warning = warnings.get(fields.pop("warning", ""))
        report = ConsumerReport(
            **fields,
            district=district,
            status=history[-1],
            created_at=received + datetime.timedelta(days=n),
            warning=warning,
        )
        if with_barcode and barcode:
            report.gtin, report.product = barcode.gtin, barcode.product
            report.enterprise = barcode.product.manufacturer
        token = report.issue_token()
        report.save()
        ReportStatusChange.objects.bulk_create(
            ReportStatusChange(
                report=report,
                status=status,
                changed_at=report.created_at + datetime.timedelta(hours=6 * i),
            )
            for i, status in enumerate(history)
        )
        if report.status == Status.ANSWERED:
            link = status_link(None, token)
    log(f"Demo consumer reports: {len(REPORTS)} created; the answered one's private link: {link}")
    return len(REPORTS)
