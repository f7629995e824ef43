"""A Celery worker killed (SIGKILL) in the middle of an alert delivery: once a worker runs again,
every subscriber has exactly one email on a real SMTP server (aiosmtpd on loopback)."""

from __future__ import annotations

import asyncio
import signal
import threading
import time
import uuid
from collections import Counter
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.utils import timezone

from portal.inspections.models import Outcome
from portal.subscriptions import delivery, tasks
from portal.subscriptions.models import Alert, Delivery, Subscription, email_digest
from tests.conftest import start_celery_worker, wait_for
from tests.factories import SpotCheckResultFactory

SMTP_PORT = 8131  # one of this branch's own loopback ports
RECIPIENTS = ["a@example.org", "b@example.org", "c@example.org"]


class Inbox:
    """An SMTP server's handler that keeps what it accepted, and holds the `hold`-th message
    without answering until `release()`; a client that dies meanwhile gets no 250, and the
    message is not accepted (aiosmtpd cancels the handler when the connection is lost)."""

    def __init__(self, hold: int):
        self.hold = hold
        self.received = 0
        self.accepted: list[tuple[str, str]] = []  # (recipient, Message-ID)
        self.holding = threading.Event()
        self.released = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.received += 1
        if self.received == self.hold:
            self.holding.set()
            while not self.released.is_set():
                await asyncio.sleep(0.05)
        message_id = next(
            line.split(":", 1)[1].strip()
            for line in envelope.content.decode().splitlines()
            if line.lower().startswith("message-id:")
        )
        self.accepted += [(to, message_id) for to in envelope.rcpt_tos]
        return "250 Message accepted for delivery"

    def release(self):
        self.released.set()


@pytest.fixture
def inbox():
    handler = Inbox(hold=2)
    server = Controller(handler, hostname="127.0.0.1", port=SMTP_PORT)
    server.start()
    yield handler
    handler.release()
    server.stop()


def alerts_for(emails: list[str]) -> None:
    """One unsent alert per address, on a failed result of a published batch."""
    result = SpotCheckResultFactory(outcome=Outcome.FAIL)
    for email in emails:
        subscription = Subscription.objects.create(
            email=email,
            target=Subscription.Target.BRAND,
            brand="测试",
            key=f"brand:{email}",
            language="zh-hans",
            confirmed_at=timezone.now(),
        )
        Alert.objects.create(subscription=subscription, result=result)


@pytest.mark.celery
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_delivery_whose_worker_is_killed_sends_each_email_once_after_a_restart(
    inbox, tasks_through_redis, test_database_url
):
    alerts_for(RECIPIENTS)
    queue = f"anxin-test-{uuid.uuid4().hex[:8]}"
    env = {
        "EMAIL_URL": f"smtp://127.0.0.1:{SMTP_PORT}",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "SUBSCRIPTIONS_CLAIM_SECONDS": "1",
    }
    worker = start_celery_worker(queue, test_database_url, **env)
    try:
        tasks.deliver.apply_async(queue=queue)
        wait_for(inbox.holding.is_set, "the second email to reach the mail server")
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        worker.kill()

    # The first email was accepted and marked sent; the second is claimed, not sent.
    assert [to for to, _id in inbox.accepted] == [RECIPIENTS[0]]
    held = Delivery.objects.filter(sent_at=None, claimed_at__isnull=False).get()
    assert Delivery.objects.filter(sent_at__isnull=False).count() == 1
    inbox.release()

    # The task was never acknowledged: a new worker takes it again from Redis once the
    # visibility timeout is over, and takes over the stale claim.
    time.sleep(2)
    worker = start_celery_worker(queue, test_database_url, CELERY_VISIBILITY_TIMEOUT="1", **env)
    try:
        wait_for(
            lambda: not Delivery.objects.filter(sent_at=None).exists(),
            "every email to be marked sent",
        )
    finally:
        worker.terminate()
        worker.wait(timeout=30)

    assert Counter(to for to, _id in inbox.accepted) == dict.fromkeys(RECIPIENTS, 1)
    assert Delivery.objects.get(pk=held.pk).attempts == 2
    assert not Alert.objects.filter(sent_at=None).exists()


@pytest.mark.django_db
def test_a_fresh_claim_is_left_alone_and_a_stale_one_is_sent_with_the_same_message_id(settings):
    alerts_for(["fresh@example.org", "stale@example.org"])
    delivery.send_due(Subscription.Frequency.IMMEDIATE)
    first = {message.to[0]: message.extra_headers["Message-ID"] for message in mail.outbox}
    assert set(first) == {"fresh@example.org", "stale@example.org"}
    # As if a worker had died after both sends but before marking them sent.
    now = timezone.now()
    Delivery.objects.update(sent_at=None, claimed_at=now)
    Alert.objects.update(sent_at=None)
    Delivery.objects.filter(
        alerts__subscription__email_digest=email_digest("stale@example.org")
    ).update(claimed_at=now - timedelta(seconds=settings.SUBSCRIPTIONS_CLAIM_SECONDS + 1))
    mail.outbox.clear()

    assert delivery.send_due(Subscription.Frequency.IMMEDIATE) == 1

    assert [message.to for message in mail.outbox] == [["stale@example.org"]]
    assert mail.outbox[0].extra_headers["Message-ID"] == first["stale@example.org"]
    assert Delivery.objects.filter(sent_at=None).get().alerts.get().subscription.email == (
        "fresh@example.org"
    )


class SlowToSayGoodbye(Inbox):
    """Accepts every message, then lets the client's QUIT time out."""

    async def handle_QUIT(self, server, session, envelope):
        await asyncio.sleep(3)
        return "221 Bye"


@pytest.mark.django_db
def test_a_quit_that_times_out_after_the_server_accepted_is_not_a_second_email(settings):
    """smtplib reports the timed-out QUIT as a disconnection, which Django's backend ignores
    on closing: the email counts as sent, and the claim is not released for a second copy."""
    handler = SlowToSayGoodbye(hold=0)
    server = Controller(handler, hostname="127.0.0.1", port=SMTP_PORT)
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", SMTP_PORT, 1
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    alerts_for(RECIPIENTS[:1])
    try:
        first = tasks.deliver()
        second = tasks.deliver()  # a refused email would be sent again here
    finally:
        server.stop()

    assert first["sent"] == 1 and second["sent"] == 0
    assert [to for to, _id in handler.accepted] == RECIPIENTS[:1]
    assert not Delivery.objects.filter(sent_at=None).exists()
