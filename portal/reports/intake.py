"""From a valid report form to a stored report: duplicates, replays, registry links, photos.

The rate limit has already been counted by the view; the challenge and the honeypot were
checked by the form. What is left needs the cache or the database.
"""

from __future__ import annotations

import enum
import hashlib
import secrets
from dataclasses import dataclass

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q

from portal.core.text import fold
from portal.registry.models import Enterprise, Product, ProductBarcode
from portal.registry.validators import compact

from . import challenge
from .forms import ReportForm
from .models import ConsumerReport, ReportPhoto, ReportStatusChange
from .storage import private_storage

DUPLICATE_WINDOW = 3600  # seconds in which the same report from the same address is one report


class Outcome(enum.Enum):
    STORED = "stored"
    DUPLICATE = "duplicate"  # the same report again (a double click, a reload): not stored
    REPLAYED = "replayed"  # a new report with a question that was answered before


@dataclass(frozen=True)
class Received:
    outcome: Outcome
    report: ConsumerReport | None = None
    token: str | None = None


def receive(form: ReportForm, address_key: str) -> Received:
    """Store the report of a valid form unless it is a duplicate or a replay."""
    claim = f"reports-duplicate:{fingerprint(form.cleaned_data, address_key)}"
    if not cache.add(claim, 1, timeout=DUPLICATE_WINDOW):
        return Received(Outcome.DUPLICATE)
    try:
        if not challenge.spend(form.challenge):
            cache.delete(claim)
            return Received(Outcome.REPLAYED)
        report, token = store(form)
    except BaseException:
        cache.delete(claim)  # it was not stored: sending it again must work
        raise
    return Received(Outcome.STORED, report, token)


def fingerprint(cleaned: dict, address_key: str) -> str:
    """The report's content and photos, from one address: what makes two reports the same."""
    parts = [address_key]
    parts += [str(cleaned.get(name) or "") for name in ReportForm.Meta.fields]
    parts += [photo.source_digest for photo in cleaned.get("photos", [])]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def match(gtin: str, enterprise_text: str) -> tuple[Product | None, Enterprise | None]:
    """The registry product of the barcode and its manufacturer; failing that, the one
    enterprise whose credit code or folded name is what the reporter wrote."""
    product = None
    if gtin:
        barcode = (
            ProductBarcode.objects.select_related("product__manufacturer").filter(gtin=gtin).first()
        )
        product = barcode.product if barcode else None
    enterprise = product.manufacturer if product else None
    if enterprise is None and enterprise_text:
        candidates = list(
            Enterprise.objects.filter(
                Q(uscc=compact(enterprise_text)) | Q(name_folded=fold(enterprise_text))
            )[:2]
        )
        enterprise = candidates[0] if len(candidates) == 1 else None
    return product, enterprise


def store(form: ReportForm) -> tuple[ConsumerReport, str]:
    """The report, its first status and its photos in one transaction; photo files written
    before a failure are removed again."""
    written: list[str] = []
    try:
        with transaction.atomic():
            report = form.save(commit=False)
            report.product, report.enterprise = match(report.gtin, report.enterprise_text)
            if report.district_id is None and report.enterprise is not None:
                report.district_id = report.enterprise.district_id
            token = report.issue_token()
            report.save()
            ReportStatusChange.objects.create(
                report=report, status=report.status, changed_at=report.created_at
            )
            photos = []
            for photo in form.cleaned_data["photos"]:
                name = f"photos/{secrets.token_hex(16)}.{photo.extension}"
                written.append(private_storage.save(name, ContentFile(photo.content)))
                photos.append(
                    ReportPhoto(
                        report=report,
                        file=written[-1],
                        content_type=photo.content_type,
                        width=photo.width,
                        height=photo.height,
                    )
                )
            ReportPhoto.objects.bulk_create(photos)
    except BaseException:
        for name in written:
            private_storage.delete(name)
        raise
    return report, token
