"""A committed draw's scope and pool cannot change, whichever side of the relation is edited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from .models import LOCKED, Draw


def _draw_ids(sender, instance, reverse: bool, pk_set):
    if not reverse:
        return [instance.pk]
    if pk_set is not None:
        return pk_set
    # clear() from the other side: every draw linked to the instance.
    return sender.objects.filter(**{instance._meta.model_name: instance}).values("draw")


@receiver(m2m_changed, sender=Draw.categories.through)
@receiver(m2m_changed, sender=Draw.districts.through)
@receiver(m2m_changed, sender=Draw.inspectors.through)
def refuse_changes_after_commit(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("pre_"):
        return
    draw_ids = _draw_ids(sender, instance, reverse, pk_set)
    if Draw.objects.filter(pk__in=draw_ids).exclude(state=Draw.State.DRAFT).exists():
        raise ValidationError(LOCKED, code="locked")
