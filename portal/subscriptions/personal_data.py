"""A subscriber's personal data for `portal.core.subject_access`: the address and what it
follows. Erasing a subscription deletes it (and its alerts), as unsubscribing does: an
address that follows nothing is not kept."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from portal.core import subject_access

from .models import Subscription


def find(email: str, phone: str) -> QuerySet:
    found = Subscription.objects.for_email(email) if email else Subscription.objects.none()
    return found.select_related("category", "district", "enterprise").order_by("pk")


def export(subscription: Subscription) -> dict:
    return {
        "email": subscription.email,
        "follows": f"{subscription.get_target_display()}: {subscription.target_name}",
        "frequency": subscription.get_frequency_display(),
        "language": subscription.language,
        "requested": subscription.created_at.isoformat(),
        "confirmed": subscription.confirmed_at.isoformat() if subscription.confirmed_at else "",
    }


def erase(subscriptions: QuerySet, user=None) -> int:
    with transaction.atomic():
        doomed = list(subscriptions)
        subject_access.audit(doomed, subject_access.ERASED, user=user, data={"reason": "request"})
        Subscription.objects.filter(pk__in=[s.pk for s in doomed]).delete()
    return len(doomed)


def holder() -> subject_access.Holder:
    return subject_access.Holder(
        name="subscriptions",
        label=Subscription._meta.verbose_name_plural,
        find=find,
        export=export,
        erase=erase,
    )
