"""The second factor for staff and graders: a code from an authenticator app (TOTP), one of
the recovery codes given at enrolment (django-otp's static device), or a security key or
passkey added later (WebAuthn, portal/core/security_keys/), after the password.

SecondFactorMiddleware guards the Wagtail admin and the grader portal: a signed-in user there
without a verified device goes to `verify`, or to `enrol` when they have none yet (the first
sign-in, the dev admin's too). django-otp refuses a replayed TOTP code, deletes a recovery code
once used and slows down repeated wrong codes; each wrong code is in the audit log.
"""

from __future__ import annotations

from base64 import b32encode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import signin
from .http import safe_next
from .security_keys.models import SecurityKey

RECOVERY_CODES = 10
# Pages that stay open to a signed-in user who has not given the second factor yet.
OPEN_URL_NAMES = {"login", "logout", "wagtailadmin_login", "wagtailadmin_logout"}
# Outside /admin/, the namespaces that need it too: the grader portal, and managing one's
# security keys (so a password alone cannot add one).
GUARDED_NAMESPACES = {"grader", "security_keys"}


def _guarded(request) -> bool:
    match = request.resolver_match
    if match.url_name in OPEN_URL_NAMES or "password_reset" in (match.url_name or ""):
        return False
    return request.path_info.startswith("/admin/") or not GUARDED_NAMESPACES.isdisjoint(
        match.namespaces
    )


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified() or not _guarded(request):
            return None
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('second_factor:verify')}?{query}")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


def _wrong_code(request, form: CodeForm) -> None:
    signin.record_second_factor_failure(request)
    form.add_error("code", _("That code is wrong, expired or already used."))


@login_required
def verify(request):
    """Asks for a code from the authenticator app or a recovery code; offers the security key
    to an account that has one (its script posts to the security_keys views)."""
    if not user_has_device(request.user):
        return redirect(
            f"{reverse('second_factor:enrol')}?{urlencode({'next': safe_next(request)})}"
        )
    form = CodeForm(request.POST or None)
    if form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"].replace(" ", ""))
        if device is None:
            _wrong_code(request, form)
        else:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    ngettext(
                        "You used a recovery code: %(left)d is left.",
                        "You used a recovery code: %(left)d are left.",
                        left,
                    )
                    % {"left": left},
                )
            return redirect(safe_next(request))
    next_url = safe_next(request)
    return render(
        request,
        "registration/second_factor.html",
        {
            "form": form,
            "next": next_url,
            "has_security_key": SecurityKey.objects.filter(
                user=request.user, confirmed=True
            ).exists(),
            "security_key_url": f"{reverse('second_factor:key')}?{urlencode({'next': next_url})}",
        },
    )


@login_required
def enrol(request):
    """First sign-in: pair an authenticator app, then show the recovery codes once.

    Only for an account with no device yet, so a stolen password cannot add another one.
    """
    if user_has_device(request.user):
        return redirect(
            f"{reverse('second_factor:verify')}?{urlencode({'next': safe_next(request)})}"
        )
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=request.user, name=_("Authenticator app"), confirmed=False
        )
    form = CodeForm(request.POST or None)
    if form.is_valid():
        if not device.verify_token(form.cleaned_data["code"].replace(" ", "")):
            _wrong_code(request, form)
        else:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            codes = issue_recovery_codes(request.user)
            return render(
                request,
                "registration/recovery_codes.html",
                {"codes": codes, "next": safe_next(request)},
            )
    return render(
        request,
        "registration/second_factor_enrol.html",
        {
            "form": form,
            "next": safe_next(request),
            "key": b32encode(device.bin_key).decode(),
            "config_url": device.config_url,
        },
    )


def issue_recovery_codes(user) -> list[str]:
    """New single-use recovery codes for `user`, replacing any earlier ones."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _count in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes
