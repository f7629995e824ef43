"""Sending the alerts that matching recorded: one email per address and language, gathering
every unsent alert of its subscriptions of one frequency.

An email is a `Delivery` row, claimed and committed before the mail server is called and
marked sent (with its alerts) after. A worker killed while sending leaves a claim; once it is
older than `SUBSCRIPTIONS_CLAIM_SECONDS` another run sends that email again, with the same
Message-ID, and never the ones already marked sent. When the server refuses, the claim is
released for the next run. An item that is no longer public (a warning withdrawn or
unpublished, a batch withdrawn) is dropped, not sent.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Prefetch, Q, Value, When
from django.utils import timezone, translation
from wagtail.models import Locale

from content.feeds import result_summary, result_title, result_url
from content.models import RiskWarningPage, SpotCheckNoticePage, live_in
from portal.inspections.models import FailedItem, SpotCheckResult
from portal.opendata.links import absolute

from . import emails, tokens
from .models import Alert, Delivery, Subscription

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AlertItem:
    title: str
    url: str
    summary: str


def send_due(frequency: str, created_before: datetime.datetime | None = None) -> int:
    """Send the unsent alerts of confirmed subscriptions of `frequency` (those matched before
    `created_before`, when given), and any email of that kind whose claim went stale; returns
    the number of emails sent."""
    digest = frequency == Subscription.Frequency.DAILY
    _prepare(frequency, created_before)
    sent = 0
    refused: set[int] = set()
    while (delivery := _claim(digest, refused)) is not None:
        try:
            sent += _send(delivery)
        except (smtplib.SMTPException, OSError):
            logger.warning("Alerts to one address not sent; they stay queued", exc_info=True)
            Delivery.objects.filter(pk=delivery.pk).update(claimed_at=None)
            refused.add(delivery.pk)
    return sent


def last_digest_time(now: datetime.datetime | None = None) -> datetime.datetime:
    """When the latest daily digest was due (`SUBSCRIPTIONS_DIGEST_HOUR`, local time)."""
    now = timezone.localtime(now)
    due = now.replace(hour=settings.SUBSCRIPTIONS_DIGEST_HOUR, minute=0, second=0, microsecond=0)
    return due if due <= now else due - datetime.timedelta(days=1)


def _prepare(frequency: str, created_before: datetime.datetime | None) -> None:
    """Gather the alerts not in any email yet into one `Delivery` per address and language."""
    pending = Alert.objects.filter(
        sent_at=None,
        delivery=None,
        subscription__confirmed_at__isnull=False,
        subscription__frequency=frequency,
    )
    if created_before is not None:
        pending = pending.filter(created_at__lt=created_before)
    with transaction.atomic():
        rows = pending.select_for_update(skip_locked=True, of=("self",)).values_list(
            "pk", "subscription__email_digest", "subscription__language"
        )
        # Addresses are encrypted: one recipient is one address digest.
        groups: dict[tuple[str, str], list[int]] = defaultdict(list)
        for pk, address, language in rows:
            groups[address, language].append(pk)
        if not groups:
            return
        digest = frequency == Subscription.Frequency.DAILY
        deliveries = Delivery.objects.bulk_create(Delivery(digest=digest) for _ in groups)
        Alert.objects.filter(pk__in=[pk for pks in groups.values() for pk in pks]).update(
            delivery_id=Case(
                *(
                    When(pk__in=pks, then=Value(delivery.pk))
                    for delivery, pks in zip(deliveries, groups.values(), strict=True)
                )
            )
        )


def _claim(digest: bool, skip: set[int]) -> Delivery | None:
    """Take one unsent email nobody holds (never claimed, released, or claimed longer than
    `SUBSCRIPTIONS_CLAIM_SECONDS` ago by a worker that died), committing the claim."""
    now = timezone.now()
    stale = now - datetime.timedelta(seconds=settings.SUBSCRIPTIONS_CLAIM_SECONDS)
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(Q(claimed_at=None) | Q(claimed_at__lt=stale), digest=digest, sent_at=None)
            .exclude(pk__in=skip)
            .order_by("pk")
            .first()
        )
        if delivery is not None:
            delivery.claimed_at, delivery.attempts = now, delivery.attempts + 1
            delivery.save(update_fields=["claimed_at", "attempts"])
    return delivery


def _message_id(delivery: Delivery) -> str:
    """The same on every attempt, so a mail client shows a resent copy as one message."""
    host = urlsplit(absolute("/")).hostname or "localhost"
    return f"<alerts-{delivery.pk}-{delivery.created_at:%Y%m%d%H%M%S}@{host}>"


def _send(delivery: Delivery) -> int:
    alerts = list(
        delivery.alerts.filter(sent_at=None)
        .select_related("subscription__category", "subscription__district")
        .select_related("subscription__enterprise")
        .order_by("subscription_id", "created_at", "pk")
    )
    # No alerts left: every subscription of this email was cancelled meanwhile.
    items = _items(alerts, alerts[0].subscription.language) if alerts else {}
    Alert.objects.filter(pk__in=[a.pk for a in alerts if a.pk not in items]).delete()
    if not items:
        delivery.delete()
        return 0
    by_subscription: dict[int, list] = defaultdict(list)
    subscriptions = {}
    for alert in alerts:
        if alert.pk in items:
            by_subscription[alert.subscription_id].append(items[alert.pk])
            subscriptions[alert.subscription_id] = alert.subscription
    sections = [
        (
            subscriptions[pk],
            emails.link("unsubscribe", tokens.unsubscribe_token(subscription=subscriptions[pk])),
            found,
        )
        for pk, found in by_subscription.items()
    ]
    subscriber = alerts[0].subscription
    message = emails.alerts(subscriber.email, subscriber.language, sections, digest=delivery.digest)
    message.extra_headers["Message-ID"] = _message_id(delivery)
    message.send()
    now = timezone.now()
    with transaction.atomic():
        Alert.objects.filter(pk__in=list(items)).update(sent_at=now)
        Delivery.objects.filter(pk=delivery.pk).update(sent_at=now)
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
