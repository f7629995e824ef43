"""Registering security keys and passkeys, and signing in with them (WebAuthn, py_webauthn).

The browser script (static/js/security-keys.js) asks for options, lets the authenticator
answer them and posts the answer back as JSON. Each challenge is kept in the session and
used once: it is taken out before the answer is checked, so a replayed answer finds none. The
relying party is the portal's own address (`PORTAL_BASE_URL` in production, decision 0022).

Adding a key needs a session already verified by a second factor, never a password alone.
Bad answers get a clear JSON error (status 400) and change nothing.
"""

from __future__ import annotations

import json
import time
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import (
    base64url_to_bytes,
    bytes_to_base64url,
    parse_registration_credential_json,
)
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from .. import signin
from ..http import safe_next
from ..site import root_url
from .models import SecurityKey

CHALLENGE_SESSION_KEY = "security_keys_challenge"
# A challenge older than this is refused: browsers give up on a ceremony after about a minute.
CHALLENGE_SECONDS = 300
NAME_MAX_LENGTH = 64  # django-otp's Device.name


class Refused(Exception):
    """An answer from the browser that is not accepted; its message is shown to the person."""


def relying_party(request) -> tuple[str, str]:
    """The RP ID (a host name) and the origin the browser must report: the portal's address."""
    origin = root_url(request)
    return urlsplit(origin).hostname, origin


def json_endpoint(view):
    """POST only, for a signed-in user; a refusal is answered as JSON the script shows."""

    @wraps(view)
    @require_POST
    def endpoint(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse({"error": _("Sign in with your password first.")}, status=403)
        try:
            return view(request, *args, **kwargs)
        except Refused as refusal:
            return JsonResponse({"error": str(refusal)}, status=400)

    return endpoint


def _keys(user) -> list[SecurityKey]:
    return list(SecurityKey.objects.filter(user=user, confirmed=True).order_by("created_at"))


def _descriptor(key: SecurityKey) -> PublicKeyCredentialDescriptor:
    return PublicKeyCredentialDescriptor(
        id=base64url_to_bytes(key.credential_id),
        transports=[AuthenticatorTransport(name) for name in key.transports],
    )


def _options_response(request, purpose: str, options) -> HttpResponse:
    """Keep the options' challenge in the session for `purpose`, and send the options."""
    request.session[CHALLENGE_SESSION_KEY] = {
        "purpose": purpose,
        "challenge": bytes_to_base64url(options.challenge),
        "issued": time.time(),
    }
    return HttpResponse(options_to_json(options), content_type="application/json")


def _take_challenge(request, purpose: str) -> bytes:
    """The challenge issued for `purpose`, taken out of the session so it serves only once."""
    issued = request.session.pop(CHALLENGE_SESSION_KEY, None)
    if (
        not isinstance(issued, dict)
        or issued.get("purpose") != purpose
        or time.time() - issued.get("issued", 0) > CHALLENGE_SECONDS
    ):
        raise Refused(_("This request has expired or was already used. Try again."))
    return base64url_to_bytes(issued["challenge"])


def _answer(request) -> dict:
    """The JSON the script posted: the credential, and for a new key its name."""
    try:
        answer = json.loads(request.body)
    except ValueError:
        answer = None
    if not isinstance(answer, dict) or not isinstance(answer.get("credential"), dict):
        raise Refused(_("The security key's answer could not be read."))
    return answer


@json_endpoint
def register_options(request):
    """Options for `navigator.credentials.create()`: this account, its keys excluded."""
    user = request.user
    rp_id, _origin = relying_party(request)
    options = generate_registration_options(
        rp_id=rp_id,
        rp_name=settings.WAGTAIL_SITE_NAME,
        user_name=user.get_username(),
        user_display_name=user.get_full_name() or user.get_username(),
        # Stable per account (a passkey saved again replaces the old one), and no personal data.
        user_id=salted_hmac("security_keys.user_handle", str(user.pk)).digest(),
        exclude_credentials=[_descriptor(key) for key in _keys(user)],
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
    )
    return _options_response(request, "register", options)


@json_endpoint
def register(request):
    """Check the new key's answer against the session's challenge and store the key."""
    answer = _answer(request)
    name = str(answer.get("name") or "").strip() or _("Security key")
    if len(name) > NAME_MAX_LENGTH:
        raise Refused(
            _("The name is too long (at most %(max)d characters).") % {"max": NAME_MAX_LENGTH}
        )
    challenge = _take_challenge(request, "register")
    rp_id, origin = relying_party(request)
    try:
        credential = parse_registration_credential_json(answer["credential"])
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp_id,
            expected_origin=origin,
        )
    except (WebAuthnException, ValueError, TypeError) as error:
        raise Refused(_("The security key's answer was not accepted.")) from error
    credential_id = bytes_to_base64url(verified.credential_id)
    if SecurityKey.objects.filter(credential_id=credential_id).exists():
        raise Refused(_("This security key is already registered."))
    SecurityKey.objects.create(
        user=request.user,
        name=name,
        confirmed=True,
        credential_id=credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=[transport.value for transport in credential.response.transports or []],
    )
    signin.record_security_key_change(request, "signin.security_key_added", name)
    messages.success(request, _("Security key “%(name)s” added.") % {"name": name})
    return JsonResponse({"next": _list_url(request)})


@json_endpoint
def sign_in_options(request):
    """Options for `navigator.credentials.get()`, limited to this account's keys."""
    keys = _keys(request.user)
    if not keys:
        raise Refused(_("No security key is registered to your account."))
    rp_id, _origin = relying_party(request)
    options = generate_authentication_options(
        rp_id=rp_id,
        allow_credentials=[_descriptor(key) for key in keys],
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    return _options_response(request, "sign_in", options)


@json_endpoint
def sign_in(request):
    """The second step of sign-in with a key: verifies the session as a code would."""
    try:
        key = _checked_key(request)
    except Refused:
        signin.record_second_factor_failure(request)
        raise
    otp_login(request, key)
    return JsonResponse({"next": safe_next(request)})


def _checked_key(request) -> SecurityKey:
    """The account's key that signed the session's challenge, its counter moved on."""
    answer = _answer(request)
    challenge = _take_challenge(request, "sign_in")
    rp_id, origin = relying_party(request)
    credential = answer["credential"]
    with transaction.atomic():
        # Locked, so two answers of one key cannot both pass the signature counter check.
        key = (
            SecurityKey.objects.select_for_update()
            .filter(user=request.user, confirmed=True, credential_id=str(credential.get("id")))
            .first()
        )
        if key is None:
            raise Refused(_("This security key is not registered to your account."))
        try:
            verified = verify_authentication_response(
                credential=credential,
                expected_challenge=challenge,
                expected_rp_id=rp_id,
                expected_origin=origin,
                credential_public_key=bytes(key.public_key),
                credential_current_sign_count=key.sign_count,
            )
        except (WebAuthnException, ValueError, TypeError) as error:
            raise Refused(_("The security key's answer was not accepted.")) from error
        key.sign_count = verified.new_sign_count
        key.set_last_used_timestamp(commit=False)
        key.save(update_fields=["sign_count", "last_used_at"])
    return key


@login_required
def keys(request):
    """The account's keys, with the button that adds one. SecondFactorMiddleware lets only a
    verified session in, so a password alone cannot add a key."""
    next_url = safe_next(request)
    return render(
        request,
        "security_keys/keys.html",
        {
            "keys": _keys(request.user),
            "next": next_url,
            "add_url": f"{reverse('security_keys:register')}?{urlencode({'next': next_url})}",
        },
    )


@require_POST
@login_required
def remove(request, pk: int):
    key = get_object_or_404(SecurityKey, pk=pk, user=request.user)
    key.delete()
    signin.record_security_key_change(request, "signin.security_key_removed", key.name)
    messages.success(request, _("Security key “%(name)s” removed.") % {"name": key.name})
    return redirect(_list_url(request))


def _list_url(request) -> str:
    """The keys page, still leading on to where the person was going (the admin, or the
    grader portal)."""
    return f"{reverse('security_keys:list')}?{urlencode({'next': safe_next(request)})}"
