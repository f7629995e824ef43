"""Every submission, decision, withdrawal, response and token change goes to Wagtail's audit log
(ModelLogEntry), so editors read it in each object's History tab and in the site-wide report.

A batch of a thousand records writes its entries in one bulk insert instead of a thousand
`log()` calls; both produce the same rows.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

ACTIONS = {
    "grading.submit": "提交分级记录 Grade submitted",
    "grading.approve": "批准分级 Grade approved",
    "grading.reject": "驳回分级 Grade rejected",
    "grading.withdraw": "撤回分级 Grade withdrawn",
    "grading.respond": "登记企业回应 Manufacturer response filed",
    "grading.token_issue": "签发接口令牌 API token issued",
    "grading.token_revoke": "吊销接口令牌 API token revoked",
}


def record(instance: models.Model, action: str, user=None, **data) -> None:
    log(instance, action, user=user, data=data)


def record_many(instances: Iterable[models.Model], action: str, user=None, **data) -> None:
    """One log entry per instance, inserted together and sharing one uuid (one user action)."""
    instances = list(instances)
    if not instances:
        return
    content_type = ContentType.objects.get_for_model(instances[0], for_concrete_model=False)
    now = timezone.now()
    shared = uuid.uuid4()
    ModelLogEntry.objects.bulk_create(
        [
            ModelLogEntry(
                content_type=content_type,
                object_id=str(instance.pk),
                label=str(instance)[:1000],
                action=action,
                data=data,
                timestamp=now,
                uuid=shared,
                user=user,
            )
            for instance in instances
        ]
    )
