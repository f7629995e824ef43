"""Publications are written where they happen, in the same transaction; matching and sending
are queued for after the commit (and retried by the periodic `deliver` task)."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from wagtail.signals import page_published

from content.models import RiskWarningPage
from portal.inspections.models import SpotCheckBatch

from .models import Publication


def _recorded(**fields) -> None:
    from .tasks import deliver

    Publication.objects.create(**fields)
    # robust: a broker that is down must not fail the publication; `deliver` runs periodically.
    transaction.on_commit(deliver.delay, robust=True)


@receiver(page_published, sender=RiskWarningPage)
def warning_published(sender, instance, alias=False, **kwargs):
    """Every publication is matched (an update may add an affected brand); alerts are unique
    per subscription and warning, so nobody hears of one warning twice. Aliases are updated
    with their original, which was recorded already; scheduled pages when they go live."""
    if instance.live and not alias:
        _recorded(warning=instance)


@receiver(pre_save, sender=SpotCheckBatch)
def remember_state(sender, instance, **kwargs):
    instance._state_before_save = (
        SpotCheckBatch.objects.filter(pk=instance.pk).values_list("status", "version").first()
        if instance.pk
        else None
    )


@receiver(post_save, sender=SpotCheckBatch)
def batch_saved(sender, instance, **kwargs):
    """A batch becoming public (an import of a published notice, or an editor publishing a
    draft) makes all its failed results news; a correction of a public batch only the results
    new or changed in that version. The import writes its results after this save, in the
    same transaction: matching runs after the commit, when they are there."""
    if instance.status not in SpotCheckBatch.PUBLIC_STATUSES:
        return
    before = getattr(instance, "_state_before_save", None)
    if before is None or before[0] not in SpotCheckBatch.PUBLIC_STATUSES:
        _recorded(batch=instance, version=instance.version, whole_batch=True)
    elif before[1] != instance.version:
        _recorded(batch=instance, version=instance.version, whole_batch=False)
