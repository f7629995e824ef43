"""Wagtail's admin login form with a translated password label: Wagtail's own form gives the
field no label, so Django shows the English field name "Password" in every language."""

from django import forms
from django.utils.translation import gettext_lazy
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class LoginForm(WagtailLoginForm):
    password = forms.CharField(
        label=gettext_lazy("Password"),
        widget=forms.PasswordInput(attrs={"placeholder": gettext_lazy("Enter password")}),
        strip=False,
    )
