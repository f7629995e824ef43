"""The citizen's pages: subscribe, confirm (double opt-in), unsubscribe, manage.

Privacy: the answer to a subscription request is the same whether the address was new,
waiting for confirmation or subscribed already, so the form never tells who follows what.
Pages reached by a signed link are not cached, not indexed and send no referrer.
"""

from __future__ import annotations

import logging
import math
import smtplib

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from portal.core import ratelimit
from portal.core.http import private

from . import emails, tokens
from .forms import SubscribeForm
from .models import Subscription, email_digest

logger = logging.getLogger(__name__)
FORM_TEMPLATE = "subscriptions/subscribe.html"
RELATED = ("category", "district", "enterprise")  # what a subscription's name shows
#: What a link from a profile or a listing may choose in advance: ?enterprise=…, ?brand=….
PREFILL = tuple(Subscription.Target.values)


def _initial(request: HttpRequest) -> dict:
    for target in PREFILL:
        value = request.GET.get(target, "").strip()[:100]
        if value:
            return {"target": target, target: value}
    return {}


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, FORM_TEMPLATE, {"form": SubscribeForm(initial=_initial(request))})
    verdict = ratelimit.hit(
        "subscriptions-rate", ratelimit.address_of(request), settings.SUBSCRIPTIONS_RATE_LIMIT
    )
    if not verdict.allowed:
        message = _(
            "Too many subscription requests have come from your network address. "
            "Please try again in %(minutes)s minutes."
        ) % {"minutes": math.ceil(verdict.retry_after / 60)}
        form = SubscribeForm(initial={k: v for k, v in request.POST.items() if k != "website"})
        response = render(request, FORM_TEMPLATE, {"form": form, "refusal": message}, status=429)
        response["Retry-After"] = str(verdict.retry_after)
        return response
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return render(request, FORM_TEMPLATE, {"form": form})
    email = form.cleaned_data["email"]
    with transaction.atomic():
        subscription, created = Subscription.objects.select_for_update().get_or_create(
            email_digest=email_digest(email),
            key=form.cleaned_data["key"],
            defaults={**form.subscription_fields(), "email": email, "language": get_language()},
        )
        if not created and subscription.confirmed_at is None:
            # Still unconfirmed: the latest request's choices count.
            subscription.frequency = form.cleaned_data["frequency"]
            subscription.language = get_language()
            subscription.save(update_fields=["frequency", "language"])
    if subscription.confirmed_at is None and _may_write_to(email):
        try:
            emails.confirmation(subscription).send()
        except (smtplib.SMTPException, OSError):
            logger.warning("Confirmation email not sent", exc_info=True)
            message = _("The email could not be sent just now. Please try again later.")
            return render(request, FORM_TEMPLATE, {"form": form, "refusal": message}, status=503)
        Subscription.objects.filter(pk=subscription.pk).update(confirmation_sent_at=timezone.now())
    response = HttpResponseRedirect(reverse("subscriptions:sent"))
    response.status_code = 303
    return response


def _may_write_to(email: str) -> bool:
    """At most `SUBSCRIPTIONS_EMAIL_RATE_LIMIT` confirmation emails to one address, however
    many network addresses ask: the form cannot be used to flood someone's inbox."""
    ident = salted_hmac("portal.subscriptions.email", email).hexdigest()[:32]
    return ratelimit.hit(
        "subscriptions-email", ident, settings.SUBSCRIPTIONS_EMAIL_RATE_LIMIT
    ).allowed


@require_GET
def sent(request: HttpRequest) -> HttpResponse:
    return render(request, "subscriptions/sent.html", {"days": settings.SUBSCRIPTIONS_CONFIRM_DAYS})


def _bad_link(request: HttpRequest) -> HttpResponse:
    return private(render(request, "subscriptions/bad_link.html", status=400))


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button, POST confirms: mail scanners that open links do not confirm."""
    try:
        pk = tokens.read_confirm_token(token)
    except tokens.BadToken:
        return _bad_link(request)
    subscription = Subscription.objects.filter(pk=pk).first()
    if subscription is None:
        return _bad_link(request)
    confirmed = subscription.confirmed_at is not None
    if request.method == "POST" and not confirmed:
        Subscription.objects.filter(pk=pk, confirmed_at=None).update(confirmed_at=timezone.now())
        confirmed = True
    context = {
        "subscription": subscription,
        "confirmed": confirmed,
        "manage_url": reverse(
            "subscriptions:manage", args=[tokens.manage_token(subscription.email)]
        ),
    }
    return private(render(request, "subscriptions/confirm.html", context))


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" without a token
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (link scanners open every link), POST unsubscribes: one subscription, or every
    subscription of the address, as the signed link says. Unsubscribing twice is fine."""
    try:
        payload = tokens.read_unsubscribe_token(token)
    except tokens.BadToken:
        return _bad_link(request)
    if "s" in payload:
        subscriptions = Subscription.objects.filter(pk=payload["s"])
    else:
        subscriptions = Subscription.objects.for_email(payload.get("a", ""))
    if request.method == "POST":
        subscriptions.delete()
        return private(render(request, "subscriptions/unsubscribed.html"))
    context = {
        "subscriptions": list(subscriptions.select_related(*RELATED)),
        "whole": "a" in payload,
    }
    return private(render(request, "subscriptions/unsubscribe.html", context))


@require_GET
def manage(request: HttpRequest, token: str) -> HttpResponse:
    """Every subscription of one address, each with its own unsubscribe button."""
    try:
        email = tokens.read_manage_token(token)
    except tokens.BadToken:
        return _bad_link(request)
    subscriptions = Subscription.objects.for_email(email).select_related(*RELATED)
    rows = [
        (s, reverse("subscriptions:unsubscribe", args=[tokens.unsubscribe_token(subscription=s)]))
        for s in subscriptions.order_by("created_at")
    ]
    context = {
        "rows": rows,
        "all_url": reverse(
            "subscriptions:unsubscribe", args=[tokens.unsubscribe_token(email=email)]
        ),
    }
    return private(render(request, "subscriptions/manage.html", context))
