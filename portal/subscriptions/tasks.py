"""Celery tasks: `deliver` after each publication and every few minutes (beat), the daily
digest, and the purge of requests nobody confirmed."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import delivery, matching
from .models import Subscription


@shared_task
def deliver() -> dict[str, int]:
    """Match what was published, send immediate alerts, and send a digest that was due but
    could not go out (mail server or worker down at digest time)."""
    matched = matching.match_pending()
    sent = delivery.send_due(Subscription.Frequency.IMMEDIATE)
    late = delivery.send_due(
        Subscription.Frequency.DAILY, created_before=delivery.last_digest_time()
    )
    return {"matched": matched, "sent": sent + late}


@shared_task
def send_daily_digest() -> int:
    matching.match_pending()
    return delivery.send_due(Subscription.Frequency.DAILY, created_before=timezone.now())


@shared_task
def purge_unconfirmed() -> int:
    """Addresses that never confirmed are not kept beyond the life of their link."""
    expired = timezone.now() - datetime.timedelta(days=settings.SUBSCRIPTIONS_CONFIRM_DAYS)
    deleted, _ = Subscription.objects.filter(confirmed_at=None, created_at__lt=expired).delete()
    return deleted
