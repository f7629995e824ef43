from django import forms

from portal.core.params import EchoedCharField

from . import matching


class TraceForm(forms.Form):
    """One box for a barcode or a batch number; `matching.parse` says what it can be."""

    code = EchoedCharField(required=False, strip=False)  # too long: an error, shown cut

    def clean_code(self) -> matching.Query:
        return matching.parse(self.cleaned_data["code"])
