"""State changes of a submission after it arrives: decisions, withdrawal, manufacturer response.

Each change locks the row, checks the state it starts from, writes the audit entry in the same
transaction and, when the public grades of a product change, sends `grade_changed` inside it: the
re-index is recorded in the outbox with the decision, so a process that dies after the commit
cannot lose it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.text import plain_text

from . import audit
from .models import Submission
from .signals import grade_changed

Status = Submission.Status


def _locked(submission: Submission, allowed: set[str]) -> Submission:
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.status not in allowed:
        raise ValidationError(
            _("This record is %(status)s; that is no longer possible.")
            % {"status": locked.get_status_display()},
            code="wrong_status",
        )
    return locked


def _announce(product_id: int) -> None:
    grade_changed.send(sender=Submission, product_ids=[product_id])


@transaction.atomic
def approve(submission: Submission, user) -> Submission:
    locked = _locked(submission, {Status.PENDING})
    locked.status, locked.decided_by, locked.decided_at = Status.APPROVED, user, timezone.now()
    locked.decision_reason = ""
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    audit.record(locked, "grading.approve", user=user)
    _announce(locked.product_id)
    return locked


@transaction.atomic
def reject(submission: Submission, user, reason: str) -> Submission:
    reason = plain_text(reason)
    if not reason:
        raise ValidationError(_("Give the grader a reason."), code="reason_required")
    locked = _locked(submission, {Status.PENDING})
    locked.status, locked.decided_by, locked.decided_at = Status.REJECTED, user, timezone.now()
    locked.decision_reason = reason
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    audit.record(locked, "grading.reject", user=user, reason=reason)
    return locked


@transaction.atomic
def withdraw(submission: Submission, *, user=None, token_prefix: str | None = None) -> Submission:
    """The grader takes back its own pending or approved record; an approved grade disappears."""
    locked = _locked(submission, {Status.PENDING, Status.APPROVED})
    was_public = locked.status == Status.APPROVED
    locked.status, locked.withdrawn_at = Status.WITHDRAWN, timezone.now()
    locked.save(update_fields=["status", "withdrawn_at"])
    audit.record(locked, "grading.withdraw", user=user, token=token_prefix)
    if was_public:
        _announce(locked.product_id)
    return locked


@transaction.atomic
def file_response(submission: Submission, user, text: str) -> Submission:
    """An editor files the manufacturer's response to an approved grade; it is shown beside it."""
    locked = _locked(submission, {Status.APPROVED})
    locked.manufacturer_response = plain_text(text)
    locked.response_filed_at = timezone.now() if locked.manufacturer_response else None
    locked.save(update_fields=["manufacturer_response", "response_filed_at"])
    audit.record(locked, "grading.respond", user=user)
    _announce(locked.product_id)
    return locked
