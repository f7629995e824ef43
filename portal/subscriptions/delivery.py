"""Sending the alerts that matching recorded: one email per address and language, gathering
every unsent alert of its subscriptions of one frequency.

Each email is sent inside a transaction that locks its alerts (`SKIP LOCKED`: two workers
never send the same ones) and marks them sent only after the mail server took the message;
when it refuses, the alerts stay unsent for the next run. An item that is no longer public
(a warning withdrawn or unpublished, a batch withdrawn) is dropped, not sent.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone, translation
from wagtail.models import Locale

from content.feeds import result_summary, result_title, result_url
from content.models import RiskWarningPage, SpotCheckNoticePage, live_in
from portal.inspections.models import FailedItem, SpotCheckResult
from portal.opendata.links import absolute

from . import emails, tokens
from .models import Alert, Subscription

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AlertItem:
    title: str
    url: str
    summary: str


def send_due(frequency: str, created_before: datetime.datetime | None = None) -> int:
    """Send the unsent alerts of confirmed subscriptions of `frequency` (those matched before
    `created_before`, when given); returns the number of emails sent."""
    pending = Alert.objects.filter(
        sent_at=None,
        subscription__confirmed_at__isnull=False,
        subscription__frequency=frequency,
    )
    if created_before is not None:
        pending = pending.filter(created_at__lt=created_before)
    # Addresses are encrypted: one recipient is one address digest.
    recipients = (
        pending.values_list("subscription__email_digest", "subscription__language")
        .distinct()
        .order_by()
    )
    sent = 0
    for address, language in list(recipients):
        try:
            with transaction.atomic():
                sent += _send_to(
                    language,
                    pending.filter(
                        subscription__email_digest=address, subscription__language=language
                    ),
                    digest=frequency == Subscription.Frequency.DAILY,
                )
        except (smtplib.SMTPException, OSError):
            logger.warning("Alerts to one address not sent; they stay queued", exc_info=True)
    return sent


def last_digest_time(now: datetime.datetime | None = None) -> datetime.datetime:
    """When the latest daily digest was due (`SUBSCRIPTIONS_DIGEST_HOUR`, local time)."""
    now = timezone.localtime(now)
    due = now.replace(hour=settings.SUBSCRIPTIONS_DIGEST_HOUR, minute=0, second=0, microsecond=0)
    return due if due <= now else due - datetime.timedelta(days=1)


def _send_to(language: str, pending, *, digest: bool) -> int:
    alerts = list(
        pending.select_for_update(skip_locked=True, of=("self",))
        .select_related("subscription__category", "subscription__district")
        .select_related("subscription__enterprise")
        .order_by("subscription_id", "created_at", "pk")
    )
    if not alerts:
        return 0
    items = _items(alerts, language)
    gone = [alert.pk for alert in alerts if alert.pk not in items]
    Alert.objects.filter(pk__in=gone).delete()
    by_subscription: dict[int, list] = defaultdict(list)
    subscriptions = {}
    for alert in alerts:
        if alert.pk in items:
            by_subscription[alert.subscription_id].append(items[alert.pk])
            subscriptions[alert.subscription_id] = alert.subscription
    if not by_subscription:
        return 0
    sections = [
        (
            subscriptions[pk],
            emails.link("unsubscribe", tokens.unsubscribe_token(subscription=subscriptions[pk])),
            found,
        )
        for pk, found in by_subscription.items()
    ]
    email = alerts[0].subscription.email
    emails.alerts(email, language, sections, digest=digest).send()
    Alert.objects.filter(pk__in=[a.pk for a in alerts if a.pk in items]).update(
        sent_at=timezone.now()
    )
    return 1


def _items(alerts: list[Alert], language: str) -> dict[int, AlertItem]:
    """What each alert shows, in the subscriber's language, for the items still public; a
    fixed number of queries whatever the number of alerts."""
    default = Locale.get_default()
    locale = Locale.objects.filter(language_code=language).first() or default
    keys = {a.warning_key for a in alerts if a.warning_key}
    warnings = {}
    # The page in the subscriber's tree; the original until the tree has it (trees are
    # synchronised in the background, so a fresh warning may not be there yet).
    for page in (
        RiskWarningPage.objects.live()
        .public()
        .filter(locale__in={locale, default}, translation_key__in=keys, withdrawn_on=None)
        .order_by("translation_key", "locale_id")
    ):
        if page.translation_key not in warnings or page.locale_id == locale.pk:
            warnings[page.translation_key] = page
    results = {
        result.pk: result
        for result in SpotCheckResult.public.filter(
            pk__in={a.result_id for a in alerts if a.result_id}
        )
        .select_related("batch", "producer", "product")
        .prefetch_related(
            Prefetch("failed_items", queryset=FailedItem.objects.order_by("position"))
        )
    }
    notices = {
        page.batch_id: page
        for page in live_in(SpotCheckNoticePage, locale.pk).filter(
            batch_id__in={r.batch_id for r in results.values()}
        )
    }
    found = {}
    with translation.override(language):
        for alert in alerts:
            if alert.warning_key in warnings:
                page = warnings[alert.warning_key]
                found[alert.pk] = AlertItem(page.title, absolute(page.get_url()), page.summary)
            elif alert.result_id in results:
                result = results[alert.result_id]
                url = result_url(result, notices.get(result.batch_id))
                found[alert.pk] = AlertItem(
                    result_title(result), absolute(url), result_summary(result)
                )
    return found
