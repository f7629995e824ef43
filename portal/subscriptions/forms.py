"""The public subscription form: an address, one thing to follow, and how often."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from content.feeds import FilterError, find_enterprise, local_name
from portal.core.forms import ErrorSummaryMixin
from portal.core.text import fold, plain_text
from portal.registry.catalogue import EDITIONS
from portal.registry.models import District, ProductCategory
from portal.registry.validators import compact, validate_gtin

from .matching import gtin14, subscription_key
from .models import Subscription

BRAND_MAX = 100


class LocalNameChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, item) -> str:
        return local_name(item)


class SubscribeForm(ErrorSummaryMixin, forms.Form):
    """Only the field of the chosen kind is read and checked; the others may stay empty.
    `website` is a honeypot, hidden from people and from assistive technology."""

    email = forms.EmailField(
        label=gettext_lazy("Your email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    target = forms.ChoiceField(
        label=gettext_lazy("What to follow"),
        choices=Subscription.Target.choices,
        widget=forms.RadioSelect,
    )
    category = LocalNameChoiceField(
        ProductCategory.objects.none(),  # one row per type: see __init__
        label=gettext_lazy("Product category (its sub-categories are included)"),
        required=False,
        empty_label="—",
    )
    district = LocalNameChoiceField(
        District.objects.all(), label=gettext_lazy("District"), required=False, empty_label="—"
    )
    enterprise = forms.CharField(
        label=gettext_lazy("Enterprise: unified social credit code"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    brand = forms.CharField(label=gettext_lazy("Brand"), max_length=BRAND_MAX, required=False)
    gtin = forms.CharField(
        label=gettext_lazy("Barcode (GTIN, 8 to 14 digits)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    frequency = forms.ChoiceField(
        label=gettext_lazy("How often"),
        choices=Subscription.Frequency.choices,
        initial=Subscription.Frequency.IMMEDIATE,
        widget=forms.RadioSelect,
    )
    website = forms.CharField(
        label=gettext_lazy("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        # A subscription follows a type by its code, in every catalogue edition: offer each
        # type once, as named in the latest edition that has it.
        latest = {}
        rank = {edition: n for n, edition in enumerate(EDITIONS)}
        for pk, code, edition in ProductCategory.objects.values_list("pk", "code", "edition"):
            if code not in latest or rank.get(edition, -1) >= latest[code][0]:
                latest[code] = (rank.get(edition, -1), pk)
        self.fields["category"].queryset = ProductCategory.objects.filter(
            pk__in=[pk for _rank, pk in latest.values()]
        ).order_by("code")

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_website(self) -> str:
        if self.cleaned_data["website"]:
            raise ValidationError(_("This field must stay empty."), code="honeypot")
        return ""

    def clean(self):
        cleaned = super().clean()
        target = cleaned.get("target")
        if target and target in self.fields and not self.has_error(target):
            try:
                cleaned[target] = self._clean_target(target, cleaned.get(target))
            except ValidationError as error:
                self.add_error(target, error)
            else:
                cleaned["key"] = subscription_key(target, cleaned[target])
        return cleaned

    def _clean_target(self, target: str, value):
        """The thing to follow: a category or district row, an enterprise found by credit
        code, a brand as plain text, a barcode as GTIN-14."""
        Target = Subscription.Target
        if target in (Target.CATEGORY, Target.DISTRICT):
            if value is None:
                raise ValidationError(_("Choose one."))
            return value
        if target == Target.ENTERPRISE:
            if not value.strip():
                raise ValidationError(_("Type the enterprise's credit code."))
            try:
                return find_enterprise(compact(value))
            except FilterError as error:
                raise ValidationError(str(error)) from error
        if target == Target.BRAND:
            brand = " ".join(plain_text(value).split())
            if not fold(brand):
                raise ValidationError(_("Type the brand."))
            if "<" in brand or ">" in brand:
                raise ValidationError(_("A brand name cannot contain < or >."))
            return brand
        code = compact(value)
        if not code:
            raise ValidationError(_("Type the barcode's digits."))
        validate_gtin(code)
        return gtin14(code)

    def subscription_fields(self) -> dict:
        """The fields of a new subscription (without email and language)."""
        data = self.cleaned_data
        target = data["target"]
        return {
            "target": target,
            "key": data["key"],
            "frequency": data["frequency"],
            target: data[target],
        }
