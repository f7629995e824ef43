"""The partner form in the admin: the shared secret is write-only."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm

from . import signing


class PartnerForm(WagtailAdminModelForm):
    """Entering a secret replaces the stored one; an empty field keeps it. The secret is
    never rendered back, to anyone: it is stored encrypted and read only to sign and verify."""

    shared_secret = forms.CharField(
        label=gettext_lazy("shared secret (HMAC-SHA256)"),
        required=False,
        min_length=signing.MIN_SECRET_LENGTH,
        max_length=200,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy(
            "At least 32 random characters, agreed with the partner over a secure channel."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.has_secret:
            self.fields["shared_secret"].help_text = _(
                "A secret is set and is not shown. Enter a new one to replace it; leave the "
                "field empty to keep it."
            )
        if instance.pk and instance.public_keys:
            try:
                ids = ", ".join(signing.parse_public_keys(instance.public_keys))
            except ValueError:
                ids = ""
            if ids:
                self.fields["public_keys"].help_text = _(
                    "Key ids of the saved keys: %(ids)s. Confirm them with the partner."
                ) % {"ids": ids}

    def clean(self):
        cleaned = super().clean()
        needs_secret = cleaned.get("algorithm") == signing.HMAC_SHA256
        if needs_secret and not cleaned.get("shared_secret") and not self.instance.has_secret:
            self.add_error("shared_secret", _("An HMAC partner needs a shared secret."))
        return cleaned

    def save(self, commit=True):
        if self.cleaned_data.get("shared_secret"):
            self.instance.set_secret(self.cleaned_data["shared_secret"])
        return super().save(commit=commit)
