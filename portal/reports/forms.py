"""The citizen's report form and the editors' triage form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from portal.core.forms import ErrorSummaryMixin
from portal.core.text import plain_text
from portal.registry.models import District
from portal.registry.scoping import DistrictScopedForm
from portal.registry.validators import compact, validate_gtin

from . import challenge, images
from .models import ConsumerReport
from .permissions import policy

MAX_PHOTOS = 3
PHOTO_TYPES = "image/jpeg,image/png,image/webp"


class MultiplePhotoInput(forms.FileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several files in one input; each goes through `images.clean_photo`, and the cleaned
    value is the list of re-encoded photos."""

    def __init__(self, **kwargs):
        super().__init__(widget=MultiplePhotoInput(attrs={"accept": PHOTO_TYPES}), **kwargs)

    def clean(self, data, initial=None):
        uploads = [upload for upload in data or [] if upload]
        if len(uploads) > MAX_PHOTOS:
            raise ValidationError(
                ngettext("Send at most %(max)s photo.", "Send at most %(max)s photos.", MAX_PHOTOS),
                code="too_many_photos",
                params={"max": MAX_PHOTOS},
            )
        photos, errors = [], []
        for upload in uploads:
            try:
                super().clean(upload)  # the empty-file and file-name checks
                photos.append(images.clean_photo(upload))
            except ValidationError as error:
                errors.append(error)
        if errors:
            raise ValidationError(errors)
        return photos


class DistrictChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, district: District) -> str:
        local = {"en": district.name_en, "zh-hant": district.name_zh_hant}.get(get_language())
        return local or district.name


class ReportForm(ErrorSummaryMixin, forms.ModelForm):
    """What a citizen fills in. Contact details are optional; the challenge and the honeypot
    are checked here, the rate limit and duplicates in the view and `intake`."""

    TEXT_FIELDS = (
        "product_text",
        "enterprise_text",
        "description",
        "purchase_place",
        "contact_name",
    )

    gtin = forms.CharField(
        label=gettext_lazy("Barcode (optional)"),
        max_length=30,  # room for spaces between the digit groups; compacted to 14 at most
        required=False,
        help_text=ConsumerReport._meta.get_field("gtin").help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    district = DistrictChoiceField(
        District.objects.all(),
        label=gettext_lazy("District where you bought it (optional)"),
        required=False,
        empty_label="—",
    )
    photos = PhotosField(label=gettext_lazy("Photos (optional)"), required=False)
    answer = forms.CharField(
        max_length=10,
        help_text=gettext_lazy("Answer in digits, for example 12. This keeps out automatic spam."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    website = forms.CharField(
        label=gettext_lazy("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = ConsumerReport
        fields = [
            "product_text",
            "gtin",
            "enterprise_text",
            "problem",
            "description",
            "purchased_on",
            "purchase_place",
            "district",
            "contact_name",
            "contact_phone",
            "contact_email",
        ]
        labels = {
            "product_text": gettext_lazy("Product"),
            "enterprise_text": gettext_lazy("Manufacturer or seller (optional)"),
            "problem": gettext_lazy("Kind of problem"),
            "description": gettext_lazy("What happened"),
            "purchased_on": gettext_lazy("Date of purchase (optional)"),
            "purchase_place": gettext_lazy("Where you bought it (optional)"),
            "contact_name": gettext_lazy("Name (optional)"),
            "contact_phone": gettext_lazy("Telephone (optional)"),
            "contact_email": gettext_lazy("E-mail (optional)"),
        }
        widgets = {
            "problem": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 8}),
            "purchased_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "contact_phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")  # labels are phrases or questions, not "Name:"
        super().__init__(*args, **kwargs)
        self.fields["problem"].choices = ConsumerReport.Problem.choices  # no empty radio
        self.fields["photos"].help_text = _(
            "Up to %(count)s photos: JPEG, PNG or WebP, at most %(size)s MB each. "
            "Location and camera data are removed from them."
        ) % {"count": MAX_PHOTOS, "size": images.max_megabytes()}
        # The question comes back with the form; a missing, forged or expired one is replaced
        # by a new question, and the reason is shown on the answer field.
        self.challenge_error = None
        try:
            self.challenge = challenge.read(self.data.get("challenge", ""))
        except ValidationError as error:
            self.challenge = challenge.issue()
            self.challenge_error = error if self.is_bound else None
        self.fields["answer"].label = self.challenge.question

    def replace_challenge(self, error: ValidationError) -> None:
        """After the form was valid but its question was already spent (a replay)."""
        self.challenge = challenge.issue()
        self.fields["answer"].label = self.challenge.question
        self.add_error("answer", error)

    def clean_gtin(self) -> str:
        code = compact(self.cleaned_data["gtin"])
        if code:
            validate_gtin(code)
        return code

    def clean_purchased_on(self):
        day = self.cleaned_data["purchased_on"]
        if day and day > timezone.localdate():
            raise ValidationError(_("The date of purchase cannot be in the future."))
        return day

    def clean_answer(self) -> str:
        if self.challenge_error:
            raise self.challenge_error
        challenge.check(self.challenge, self.cleaned_data["answer"])
        return self.cleaned_data["answer"]

    def clean_website(self) -> str:
        if self.cleaned_data["website"]:
            raise ValidationError(_("This field must stay empty."), code="honeypot")
        return ""

    def clean(self):
        cleaned = super().clean()
        for name in self.TEXT_FIELDS:
            if name in cleaned:
                cleaned[name] = plain_text(cleaned[name])
        if "product_text" in cleaned and not cleaned["product_text"]:
            self.add_error("product_text", _("Name the product."))
        if "description" in cleaned and not cleaned["description"]:
            self.add_error("description", _("Describe what happened."))
        return cleaned


class TriageForm(DistrictScopedForm):
    """The admin form: every change of status becomes a step in the history the reporter
    reads; "answered" needs an answer to read."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "assigned_to" in self.fields:
            self.fields["assigned_to"].queryset = policy.users_with_permission("change").order_by(
                "username"
            )

    def clean_public_answer(self) -> str:
        return plain_text(self.cleaned_data["public_answer"])

    def clean_internal_notes(self) -> str:
        return plain_text(self.cleaned_data["internal_notes"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == ConsumerReport.Status.ANSWERED and not cleaned.get(
            "public_answer"
        ):
            self.add_error(
                "public_answer",
                _("Write the answer the reporter will read before marking the report answered."),
            )
        return cleaned

    def save(self, commit=True):
        report = super().save(commit)
        if commit and "status" in self.changed_data:
            report.status_changes.create(status=report.status, changed_by=self.for_user)
        return report
