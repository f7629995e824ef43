"""Signed links (`django.core.signing`, keyed by SECRET_KEY, one salt per purpose).

Nothing is stored for them: a confirmation link names its subscription and expires after
`SUBSCRIPTIONS_CONFIRM_DAYS`; unsubscribe and manage links name a subscription or an address
and never expire, as a link in an old email must still stop the emails.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing

CONFIRM = "portal.subscriptions.confirm"
UNSUBSCRIBE = "portal.subscriptions.unsubscribe"
MANAGE = "portal.subscriptions.manage"


class BadToken(Exception):
    """A link that was altered, cut short, or has expired."""


def confirm_token(subscription) -> str:
    return signing.dumps(subscription.pk, salt=CONFIRM)


def read_confirm_token(token: str) -> int:
    return _loads(token, CONFIRM, max_age=settings.SUBSCRIPTIONS_CONFIRM_DAYS * 86400)


def unsubscribe_token(*, subscription=None, email: str = "") -> str:
    """For one subscription, or for every subscription of an address (the List-Unsubscribe of
    an email that gathers several)."""
    payload = {"s": subscription.pk} if subscription is not None else {"a": email}
    return signing.dumps(payload, salt=UNSUBSCRIBE)


def read_unsubscribe_token(token: str) -> dict:
    return _loads(token, UNSUBSCRIBE)


def manage_token(email: str) -> str:
    return signing.dumps(email, salt=MANAGE)


def read_manage_token(token: str) -> str:
    return _loads(token, MANAGE)


def _loads(token: str, salt: str, max_age=None):
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature as error:  # SignatureExpired is a BadSignature
        raise BadToken from error
