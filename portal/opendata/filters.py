"""Query-string filters of the API (django-filter). A value that cannot be valid (a bad credit
code or check digit, an unknown district or category code, a malformed date) is a 400 naming
the parameter, never an empty list that looks like an answer or a 500.

Codes are normalised the way the registry stores them: credit codes and barcodes lose spaces
and full-width forms (and credit codes are upper-cased); a barcode is matched in every length
it can be stored in (GTIN-8/12/13/14). A category code selects that category in every
catalogue edition *and every category below it*.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field

from content.models import AffectedProduct, Hazard, RiskLevel, RiskWarningPage, WarningHazard
from portal.grading.models import Submission
from portal.inspections.models import Channel, Outcome, SpotCheckBatch, SpotCheckResult
from portal.opendata.serializers import PUBLIC_BATCH_STATUSES
from portal.registry.catalogue import CategoryTree
from portal.registry.models import (
    District,
    Enterprise,
    Licence,
    LicenceStatus,
    Product,
    ProductBarcode,
    ProductCategory,
    SupervisionClass,
)
from portal.registry.validators import compact, validate_uscc
from portal.traceability.matching import barcode_digits, check_digit_ok, gtin_pattern, stored_forms

MAX_ID = 2**63 - 1  # the largest bigint: larger ids would reach the database as an error
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


# --- Form fields: where values are checked and normalised -------------------------------------


class CreditCodeField(forms.CharField):
    def to_python(self, value):
        return compact(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if value:
            validate_uscc(value)


class GTINField(forms.CharField):
    """Cleans to the GTIN-14 form of an 8-, 12-, 13- or 14-digit barcode."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        digits = barcode_digits(value)
        if len(digits) not in (8, 12, 13, 14) or not check_digit_ok(digits.zfill(14)):
            raise ValidationError(
                _(
                    "%(value)s is not a valid GTIN: 8, 12, 13 or 14 digits whose last digit is "
                    "the check digit."
                ),
                code="invalid_gtin",
                params={"value": value},
            )
        return digits.zfill(14)


class DistrictField(forms.CharField):
    def clean(self, value):
        code = super().clean(value)  # the database sees only values that passed the validators
        if code and not District.objects.filter(code=code).exists():
            codes = ", ".join(District.objects.values_list("code", flat=True))
            raise ValidationError(
                _("There is no district with the code %(value)s. The codes are: %(codes)s."),
                code="unknown_district",
                params={"value": code, "codes": codes},
            )
        return code


class CategoryField(forms.CharField):
    """Cleans to the ids of the categories with the code and of every category below them."""

    def clean(self, value):
        code = super().clean(value)
        if not code:
            return code
        ids = CategoryTree().subtree_of_code(code)
        if not ids:
            raise ValidationError(
                _("There is no product category with the code %(value)s."),
                code="unknown_category",
                params={"value": code},
            )
        return sorted(ids)


class StrictBooleanField(forms.Field):
    """Only "true" or "false", as the schema says; Django's reads any other text as unset."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if value not in ("true", "false"):
            raise ValidationError(_("Use true or false."), code="invalid_boolean")
        return value == "true"


# --- Filters -----------------------------------------------------------------------------------


class BooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args, **kwargs):
        # DRF's BooleanWidget would turn any other text into "unset" before the field sees it.
        super().__init__(*args, widget=forms.TextInput, **kwargs)


class IntegerFilter(filters.NumberFilter):
    """A whole number between bounds, which the schema states too (so no out-of-range value
    reaches the database)."""

    field_class = forms.IntegerField

    def __init__(self, *args, minimum: int, maximum: int, help_text, **kwargs):
        super().__init__(*args, min_value=minimum, max_value=maximum, help_text=help_text, **kwargs)
        extend_schema_field(
            {"type": "integer", "minimum": minimum, "maximum": maximum, "description": help_text}
        )(self)


def id_filter(field_name: str, help_text) -> IntegerFilter:
    return IntegerFilter(field_name=field_name, minimum=1, maximum=MAX_ID, help_text=help_text)


def year_filter(field_name: str = "year") -> IntegerFilter:
    return IntegerFilter(
        field_name=field_name, minimum=1900, maximum=2999, help_text=_("Year of the spot check.")
    )


class ISODateField(forms.DateField):
    """Only YYYY-MM-DD, the form the schema promises (Django also takes "10/25/2026")."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not ISO_DATE.fullmatch(str(value)):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class ISODateFilter(filters.DateFilter):
    field_class = ISODateField


class CreditCodeFilter(filters.CharFilter):
    field_class = CreditCodeField


class GTINFilter(filters.CharFilter):
    field_class = GTINField


class DistrictFilter(filters.CharFilter):
    field_class = DistrictField


class CategoryFilter(filters.CharFilter):
    field_class = CategoryField

    def filter(self, queryset: QuerySet, value) -> QuerySet:
        return queryset.filter(**{f"{self.field_name}__in": value}) if value else queryset


def products_with_gtin(code14: str) -> QuerySet:
    """Ids of the products a barcode (as GTIN-14) is registered to."""
    return ProductBarcode.objects.filter(gtin__in=stored_forms(code14)).values("product_id")


def credit_code(field_name: str, whose) -> CreditCodeFilter:
    return CreditCodeFilter(
        field_name=field_name,
        help_text=format_lazy(
            _("Unified social credit code of {whose} (18 characters; case and spaces ignored)."),
            whose=whose,
        ),
    )


def district(field_name: str, whose) -> DistrictFilter:
    return DistrictFilter(
        field_name=field_name,
        help_text=format_lazy(_("District code of {whose}, e.g. minhang."), whose=whose),
    )


def category(field_name: str = "category") -> CategoryFilter:
    return CategoryFilter(
        field_name=field_name,
        help_text=_(
            "Product category code: that category, in every catalogue edition, and every "
            "category below it."
        ),
    )


def date_range(field_name: str, what) -> tuple[ISODateFilter, ISODateFilter]:
    """`<…>_after` and `<…>_before` filters, both inclusive."""
    return (
        ISODateFilter(
            field_name=field_name,
            lookup_expr="gte",
            help_text=format_lazy(_("{what} on or after this date (YYYY-MM-DD)."), what=what),
        ),
        ISODateFilter(
            field_name=field_name,
            lookup_expr="lte",
            help_text=format_lazy(_("{what} on or before this date (YYYY-MM-DD)."), what=what),
        ),
    )


def gtin(method: str) -> GTINFilter:
    return GTINFilter(
        method=method,
        help_text=_(
            "Barcode (GTIN-8, -12, -13 or -14, check digit verified); matches every length the "
            "same code can be written in."
        ),
    )


# --- One filter set per dataset ----------------------------------------------------------------


class OpenDataFilterSet(filters.FilterSet):
    """A parameter given empty or more than once is an error, not silently ignored (or the
    last one taken): `?outcome=fail&outcome=pass` would otherwise look like "either"."""

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for name in self.filters:
            values = self.data.getlist(name)
            if values and (len(values) > 1 or not values[0].strip()):
                self.form.add_error(name, _("Give this parameter once, with a value."))
                valid = False
        return valid


class EnterpriseFilterSet(OpenDataFilterSet):
    district = district("district__code", _("the enterprise"))
    credit_code = credit_code("uscc", _("the enterprise"))
    supervision_class = filters.ChoiceFilter(
        choices=SupervisionClass.choices, help_text=_("Supervision class.")
    )
    updated_after, updated_before = date_range("updated_at__date", _("Last changed"))

    class Meta:
        model = Enterprise
        fields = []


class LicenceFilterSet(OpenDataFilterSet):
    enterprise = id_filter("enterprise_id", _("Id of the licence holder."))
    district = district("enterprise__district__code", _("the licence holder"))
    credit_code = credit_code("enterprise__uscc", _("the licence holder"))
    status = filters.ChoiceFilter(choices=LicenceStatus.choices, help_text=_("Current status."))
    issued_after, issued_before = date_range("issued_on", _("Issued"))
    expires_after, expires_before = date_range("expires_on", _("Expiring"))

    class Meta:
        model = Licence
        fields = []


class CategoryFilterSet(OpenDataFilterSet):
    edition = filters.CharFilter(help_text=_('Catalogue edition, e.g. "shanghai-2020".'))
    parent = CategoryFilter(
        field_name="parent",
        help_text=_("A category code: the categories below it, at any depth."),
    )
    is_key = BooleanFilter(help_text=_("Only categories under key supervision (true)."))

    class Meta:
        model = ProductCategory
        fields = []


class ProductFilterSet(OpenDataFilterSet):
    category = category()
    manufacturer = id_filter("manufacturer_id", _("Id of the manufacturer."))
    district = district("manufacturer__district__code", _("the manufacturer"))
    credit_code = credit_code("manufacturer__uscc", _("the manufacturer"))
    gtin = gtin("filter_gtin")
    updated_after, updated_before = date_range("updated_at__date", _("Last changed"))

    class Meta:
        model = Product
        fields = []

    def filter_gtin(self, queryset, name, value):
        return queryset.filter(pk__in=products_with_gtin(value))


class BatchFilterSet(OpenDataFilterSet):
    district = district("district__code", _("the district-level check"))
    category = category()
    level = filters.ChoiceFilter(
        choices=SpotCheckBatch.Level.choices, help_text=_("Level of the spot check.")
    )
    status = filters.ChoiceFilter(
        choices=PUBLIC_BATCH_STATUSES,
        help_text=_("published, or corrected after publication."),
    )
    year = year_filter()
    published_after, published_before = date_range("published_on", _("Notice published"))

    class Meta:
        model = SpotCheckBatch
        fields = []


class ResultFilterSet(OpenDataFilterSet):
    batch = id_filter("batch_id", _("Id of the batch."))
    district = district("producer__district__code", _("the matched producer"))
    category = category()
    outcome = filters.ChoiceFilter(choices=Outcome.choices, help_text=_("Outcome of the test."))
    channel = filters.ChoiceFilter(
        choices=[c for c in Channel.choices if c[0]], help_text=_("Where the sample was taken.")
    )
    credit_code = credit_code("producer__uscc", _("the matched producer"))
    producer = id_filter("producer_id", _("Id of the matched producer."))
    product = id_filter("product_id", _("Id of the matched product."))
    gtin = gtin("filter_gtin")
    year = year_filter("batch__year")
    published_after, published_before = date_range("batch__published_on", _("Notice published"))

    class Meta:
        model = SpotCheckResult
        fields = []

    def filter_gtin(self, queryset, name, value):
        return queryset.filter(product_id__in=products_with_gtin(value))


class WarningFilterSet(OpenDataFilterSet):
    category = category()
    kind = filters.ChoiceFilter(
        choices=RiskWarningPage.Kind.choices, help_text=_("Kind of publication.")
    )
    risk_level = filters.ChoiceFilter(choices=RiskLevel.choices, help_text=_("Risk level."))
    hazard = filters.ChoiceFilter(
        choices=Hazard.choices, method="filter_hazard", help_text=_("A hazard the warning names.")
    )
    withdrawn = BooleanFilter(
        field_name="withdrawn_on",
        lookup_expr="isnull",
        exclude=True,
        help_text=_("true: only withdrawn warnings; false: only those in force."),
    )
    gtin = gtin("filter_gtin")
    published_after, published_before = date_range("first_published_at__date", _("First published"))

    class Meta:
        model = RiskWarningPage
        fields = []

    def filter_hazard(self, queryset, name, value):
        return queryset.filter(pk__in=WarningHazard.objects.filter(hazard=value).values("page_id"))

    def filter_gtin(self, queryset, name, value):
        listed = AffectedProduct.objects.filter(gtin__regex=gtin_pattern(value))
        return queryset.filter(pk__in=listed.values("page_id"))


class GradeFilterSet(OpenDataFilterSet):
    product = id_filter("product_id", _("Id of the graded product."))
    category = category("product__category")
    credit_code = credit_code("product__manufacturer__uscc", _("the manufacturer"))
    gtin = gtin("filter_gtin")
    scheme = filters.CharFilter(
        field_name="scheme__code", help_text=_("Code of the grading scheme.")
    )
    grade = filters.CharFilter(help_text=_("Grade on the scheme's scale, e.g. A+."))
    tested_after, tested_before = date_range("tested_on", _("Tested"))

    class Meta:
        model = Submission
        fields = []

    def filter_gtin(self, queryset, name, value):
        return queryset.filter(product_id__in=products_with_gtin(value))


FILTERSETS = {
    "enterprises": EnterpriseFilterSet,
    "licences": LicenceFilterSet,
    "categories": CategoryFilterSet,
    "products": ProductFilterSet,
    "batches": BatchFilterSet,
    "results": ResultFilterSet,
    "warnings": WarningFilterSet,
    "grades": GradeFilterSet,
}
