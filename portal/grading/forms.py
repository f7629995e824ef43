"""Admin form of a grading scheme (a version graded against is frozen except for its status);
the public comparison table's filters."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from wagtail.admin.forms import WagtailAdminModelForm

from portal.core.forms import ErrorSummaryMixin


class SchemeForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.instance.submissions.exists():
            changed = set(self.changed_data) - {"status"}
            formsets_changed = any(f.has_changed() for f in self.formsets.values())
            if changed or formsets_changed:
                raise ValidationError(
                    _(
                        "Grades were submitted under this version: only its status may change. "
                        "Create a new version for other changes."
                    ),
                    code="scheme_frozen",
                )
        return cleaned


def price_band_label(low: Decimal, high: Decimal | None) -> str:
    def yuan(amount: Decimal) -> str:
        return f"{amount:,.0f}" if amount == amount.to_integral() else f"{amount:,}"

    if high is None:
        return _("¥%(low)s and above") % {"low": yuan(low)}
    if not low:
        return _("under ¥%(high)s") % {"high": yuan(high)}
    return _("¥%(low)s to under ¥%(high)s") % {"low": yuan(low), "high": yuan(high)}


NOT_OFFERED = {"invalid_choice": _lazy("Not one of the values offered here.")}


class ComparisonFilterForm(ErrorSummaryMixin, forms.Form):
    """The comparison table's filters and order, sent by GET: links to a filtered table can be
    shared, and it works without JavaScript. A value not on offer is an error shown above
    the table, which is then not filtered by it."""

    # The error names the field, not the value: a 5,000-character value is not echoed.
    brand = forms.ChoiceField(label=_lazy("Brand"), required=False, error_messages=NOT_OFFERED)
    grade = forms.ChoiceField(label=_lazy("Grade"), required=False, error_messages=NOT_OFFERED)
    price = forms.TypedChoiceField(
        label=_lazy("Price band"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages=NOT_OFFERED,
    )
    sort = forms.ChoiceField(label=_lazy("Sort by"), required=False, error_messages=NOT_OFFERED)

    def __init__(self, data, *, brands: list[str], grades: list[str], price_bands, sorts):
        super().__init__(data)
        self.fields["brand"].choices = [("", _("all brands")), *((b, b) for b in brands)]
        self.fields["grade"].choices = [("", _("all grades")), *((g, g) for g in grades)]
        if price_bands:
            self.fields["price"].choices = [("", _("all prices")), *price_bands]
        else:
            del self.fields["price"]
        self.fields["sort"].choices = sorts
