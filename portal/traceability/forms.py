from django import forms

from . import matching


class TraceForm(forms.Form):
    """One box for a barcode or a batch number; `matching.parse` says what it can be."""

    code = forms.CharField(required=False, strip=False)

    def clean_code(self) -> matching.Query:
        return matching.parse(self.cleaned_data["code"])
