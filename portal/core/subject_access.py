"""Subject access and erasure (PIPL arts. 45 and 47): everything held on one person, found by
email address or telephone through the lookup digests, exported as JSON or CSV, or erased.

Each app that holds personal data answers the `HOLDER_HOOK` Wagtail hook with a `Holder`, so
this module (in core) never imports the apps. Every export and erasure is in the audit log, one
entry per record concerned, sharing one uuid; the entries never contain the address or number
searched for.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from wagtail import hooks
from wagtail.models import ModelLogEntry

#: Held on consumer reports (see `portal.reports.models`), checked for every holder.
PERMISSION = "reports.manage_personal_data"
HOLDER_HOOK = "register_personal_data_holder"
EXPORTED = "portal.personal_data.export"
ERASED = "portal.personal_data.erase"
ACTIONS = {
    EXPORTED: "导出个人信息 Personal data exported",
    ERASED: "删除个人信息 Personal data erased",
}


@dataclass(frozen=True)
class Holder:
    """What one app holds: `find(email, phone)` returns the records (either may be empty),
    `export(record)` a flat dict of what is held, `erase(records, user)` removes the person's
    data from them, writes the audit entries and returns the number of records."""

    name: str  # the key in an export file
    label: str  # the heading on the admin page
    find: Callable[[str, str], models.QuerySet]
    export: Callable[[models.Model], dict]
    erase: Callable[[models.QuerySet, object], int]


def holders() -> list[Holder]:
    return [hook() for hook in hooks.get_hooks(HOLDER_HOOK)]


def find(email: str, phone: str) -> list[tuple[Holder, list[models.Model]]]:
    return [(holder, list(holder.find(email, phone))) for holder in holders()]


def audit(records: Iterable[models.Model], action: str, *, user=None, data=None) -> None:
    """One log entry per record, written in one query, sharing one uuid (one action)."""
    now, shared = timezone.now(), uuid.uuid4()
    ModelLogEntry.objects.bulk_create(
        ModelLogEntry(
            content_type=ContentType.objects.get_for_model(record, for_concrete_model=False),
            object_id=str(record.pk),
            label=str(record),
            action=action,
            data=data or {},
            timestamp=now,
            uuid=shared,
            user=user,
        )
        for record in records
    )
