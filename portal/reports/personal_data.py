"""A reporter's personal data: erased when its retention period ends or on the person's request,
exported on request (`portal.core.subject_access`).

Erasing blanks the contact details and their lookup digests and keeps the report (product,
problem, district, status, dates): the statistics and the history of a warning stay true.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from portal.core import subject_access
from portal.core.personal_data import digest, normalize_email, normalize_phone

from .models import ConsumerReport

CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email")
#: Reports whose contact details are still there (blank is stored as blank, not encrypted).
HOLDS_CONTACT = ~Q(contact_name="", contact_phone="", contact_email="")


def erase(reports: QuerySet, *, reason: str, user=None) -> int:
    """Blank the contact details of `reports` that still have some; one audit entry per report
    (with `reason`, never the data). Returns the number of reports erased."""
    with transaction.atomic():
        erased = list(
            reports.select_related(None)
            .filter(HOLDS_CONTACT)
            .select_for_update()
            .only("pk", "created_at", "product_text")  # what the audit entry's label shows
        )
        ConsumerReport.objects.filter(pk__in=[r.pk for r in erased]).update(
            **dict.fromkeys(CONTACT_FIELDS, ""),
            contact_phone_digest="",
            contact_email_digest="",
            personal_data_erased_at=timezone.now(),
        )
        subject_access.audit(erased, subject_access.ERASED, user=user, data={"reason": reason})
    return len(erased)


def erase_expired() -> int:
    """Contact details of reports received more than `REPORTS_CONTACT_RETENTION_DAYS` ago."""
    cutoff = timezone.now() - datetime.timedelta(days=settings.REPORTS_CONTACT_RETENTION_DAYS)
    return erase(ConsumerReport.objects.filter(created_at__lt=cutoff), reason="retention")


def find(email: str, phone: str) -> QuerySet:
    wanted = Q(pk__in=[])
    if email:
        wanted |= Q(contact_email_digest=digest(normalize_email(email)))
    if phone:
        wanted |= Q(contact_phone_digest=digest(normalize_phone(phone)))
    return ConsumerReport.objects.filter(wanted).select_related("district").order_by("pk")


def export(report: ConsumerReport) -> dict:
    """What the person wrote and what became of it; not the editors' notes or names."""
    return {
        "reference": report.reference,
        "received_on": report.created_at.isoformat(),
        "product": report.product_text,
        "barcode": report.gtin,
        "manufacturer_or_seller": report.enterprise_text,
        "problem": report.get_problem_display(),
        "description": report.description,
        "purchased_on": report.purchased_on.isoformat() if report.purchased_on else "",
        "purchase_place": report.purchase_place,
        "district": str(report.district or ""),
        "name": report.contact_name,
        "telephone": report.contact_phone,
        "email": report.contact_email,
        "status": report.get_status_display(),
        "public_answer": report.public_answer,
    }


def holder() -> subject_access.Holder:
    return subject_access.Holder(
        name="consumer reports",
        label=ConsumerReport._meta.verbose_name_plural,
        find=find,
        export=export,
        erase=lambda reports, user: erase(reports, reason="request", user=user),
    )
