"""Scheduled pulls (beat entry `exchange-pull`): one task per active partner, so a slow or
failing partner neither delays nor stops the others."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from . import importer
from .models import Partner


@shared_task(ignore_result=True)
def pull_partners() -> int:
    """Queue a pull of every active partner; nothing while the exchange is switched off."""
    if not settings.EXCHANGE_ENABLED:
        return 0
    partners = list(Partner.objects.filter(is_active=True).values_list("pk", flat=True))
    for pk in partners:
        pull_partner.delay(pk)
    return len(partners)


@shared_task
def pull_partner(partner_id: int) -> str:
    """ "ok", or the reason the feed was refused (also kept on the partner row)."""
    partner = Partner.objects.filter(pk=partner_id, is_active=True).first()
    if partner is None:
        return "inactive"
    return importer.pull(partner) or "ok"
