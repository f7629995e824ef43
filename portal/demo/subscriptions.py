"""Two confirmed demo subscriptions (example.org addresses, which never receive mail), so the
admin's "Email alerts" listing and the matching of the next publication have something to
show. Created only when missing, so running `load_demo` again adds nothing."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from portal.registry.catalogue import SHANGHAI_2020
from portal.registry.models import ProductCategory
from portal.subscriptions.matching import subscription_key
from portal.subscriptions.models import Subscription, email_digest


def build_subscriptions(write: Callable[[str], None]) -> None:
    now = timezone.now()
    clothing = ProductCategory.objects.filter(edition=SHANGHAI_2020, code="0101").first()
    wanted = [
        ("demo-daily@example.org", Subscription.Frequency.DAILY, "zh-hans", {"brand": "童乐"}),
    ]
    if clothing:
        wanted.append(
            (
                "demo-english@example.org",
                Subscription.Frequency.IMMEDIATE,
                "en",
                {"category": clothing},
            )
        )
    created = 0
    for email, frequency, language, target in wanted:
        ((name, value),) = target.items()
        _subscription, made = Subscription.objects.get_or_create(
            email_digest=email_digest(email),  # the address itself is encrypted
            key=subscription_key(name, value),
            defaults={
                "email": email,
                "target": name,
                name: value,
                "frequency": frequency,
                "language": language,
                "confirmed_at": now,
            },
        )
        created += made
    write(f"Subscriptions: {created} created.")
