"""The two kinds of email: the confirmation request, and alerts (at once or a daily digest).

Plain text with an HTML alternative, in the subscriber's language, every link absolute (on
`PORTAL_BASE_URL`, else `WAGTAILADMIN_BASE_URL`: emails are written by workers, without a
request). Each carries an unsubscribe link and the RFC 8058 one-click headers, so a mail
client's "unsubscribe" button works without opening a page.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from portal.opendata.links import absolute

from . import tokens


def link(name: str, token: str) -> str:
    return absolute(reverse(f"subscriptions:{name}", args=[token]))


def _message(to: str, subject: str, template: str, context: dict, unsubscribe: str):
    context = {**context, "unsubscribe_url": unsubscribe}
    message = EmailMultiAlternatives(
        subject,
        render_to_string(f"subscriptions/email/{template}.txt", context),
        to=[to],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(
        render_to_string(f"subscriptions/email/{template}.html", context), "text/html"
    )
    return message


def confirmation(subscription) -> EmailMultiAlternatives:
    """The one email an unconfirmed address gets; its unsubscribe link drops the request."""
    with translation.override(subscription.language):
        return _message(
            subscription.email,
            _("Confirm your Anxin email alerts"),
            "confirm",
            {
                "subscription": subscription,
                "confirm_url": link("confirm", tokens.confirm_token(subscription)),
                "days": settings.SUBSCRIPTIONS_CONFIRM_DAYS,
            },
            link("unsubscribe", tokens.unsubscribe_token(subscription=subscription)),
        )


def alerts(email: str, language: str, sections: list, *, digest: bool) -> EmailMultiAlternatives:
    """`sections`: (subscription, its unsubscribe URL, [AlertItem]) per subscription."""
    with translation.override(language):
        count = sum(len(items) for _s, _u, items in sections)
        subject = (
            _("Anxin daily digest: %(count)s new items") if digest else _("Anxin alert: %(title)s")
        ) % {"count": count, "title": sections[0][2][0].title}
        return _message(
            email,
            subject,
            "alerts",
            {
                "sections": sections,
                "digest": digest,
                "manage_url": link("manage", tokens.manage_token(email)),
            },
            link("unsubscribe", tokens.unsubscribe_token(email=email)),
        )
