"""What the open-data API and the bulk exports publish for each dataset.

Fields are flat and scalar where possible (codes and ids beside names) because the same
serializers feed the CSV exports; only lists (barcodes, failed items, affected products …) are
nested. Every field has a help text: the data dictionary is generated from them. Nothing here
needs a request; links fall back to `PORTAL_BASE_URL` (see `links`).
"""

from __future__ import annotations

from types import SimpleNamespace

from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from content.models import Hazard, RiskLevel, RiskWarningPage, WarningMeasure
from portal.grading.models import Submission
from portal.inspections.models import Channel, Outcome, SpotCheckBatch, SpotCheckResult
from portal.registry.models import (
    CreditFlag,
    Enterprise,
    Licence,
    LicenceStatus,
    Product,
    ProductCategory,
    SupervisionClass,
)

from . import links

#: The statuses of the batches the API shows (named in SPECTACULAR_SETTINGS' enum overrides).
PUBLIC_BATCH_STATUSES = [(status.value, status.label) for status in SpotCheckBatch.PUBLIC_STATUSES]

#: Languages other than the default one, whose translated warnings are linked.
TRANSLATED_LANGUAGES = tuple(
    code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES if code != settings.LANGUAGE_CODE
)


def translation_path_attribute(language: str) -> str:
    """The queryset annotation holding a warning's translation's `url_path` in `language`."""
    return "translation_path_" + language.replace("-", "_")


class OpenDataSerializer(serializers.ModelSerializer):
    """Read-only, with the helpers that turn paths into absolute links."""

    def absolute(self, path: str | None) -> str | None:
        return links.absolute(path, self.context.get("request")) if path else None

    def page_cache(self):
        """Where Wagtail keeps the site root paths while this serializer (or list) runs."""
        request = self.context.get("request")
        if request is not None:
            return request._request
        return self.context.setdefault("wagtail_cache", SimpleNamespace())


@extend_schema_field(OpenApiTypes.URI)
class LinkField(serializers.Field):
    """An absolute link built from a path; `path_of(serializer, obj)` returns the path or None."""

    def __init__(self, path_of, **kwargs):
        self.path_of = path_of
        super().__init__(read_only=True, source="*", **kwargs)

    def to_representation(self, obj):
        return self.parent.absolute(self.path_of(self.parent, obj))


def api_link(dataset: str) -> LinkField:
    return LinkField(
        lambda serializer, obj: links.api_path(dataset, obj.pk),
        help_text=_("Permanent address of this item in the API."),
    )


def api_link_to(dataset: str, attribute: str, help_text) -> LinkField:
    """A link to another dataset's item, null when `attribute` (a foreign key id) is empty."""
    return LinkField(
        lambda serializer, obj: (
            links.api_path(dataset, getattr(obj, attribute)) if getattr(obj, attribute) else None
        ),
        allow_null=True,
        help_text=help_text,
    )


def notice_path(serializer: OpenDataSerializer, batch: SpotCheckBatch) -> str | None:
    """The live notice page of a batch (prefetched as `live_notices`), if it has one."""
    notices = batch.live_notices
    return links.page_path(notices[0], serializer.page_cache()) if notices else None


def related_text(source: str, help_text) -> serializers.CharField:
    """Text from a related row (`source` is a dotted path), null when the relation is empty."""
    return serializers.CharField(
        source=source, allow_null=True, read_only=True, help_text=help_text
    )


# --- Registry --------------------------------------------------------------------------------


class CreditFlagSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=CreditFlag.Kind.choices,
        help_text=_("Kind of mark on the credit record."),
    )
    since = serializers.DateField(help_text=_("Date the mark was made."))
    source = serializers.CharField(help_text=_("Authority or list the mark comes from."))


class EnterpriseSerializer(OpenDataSerializer):
    url = api_link("enterprises")
    html_url = LinkField(
        lambda serializer, obj: links.portal_path("registry:enterprise", obj.pk),
        help_text=_("The enterprise's profile page on the portal."),
    )
    district_code = related_text("district.code", _("Code of the district the enterprise is in."))
    district_name = related_text("district.name", _("Name of the district the enterprise is in."))
    former_names = serializers.ListField(
        child=serializers.CharField(), help_text=_("Names the enterprise was known by before.")
    )
    supervision_class = serializers.ChoiceField(
        choices=[("", ""), *SupervisionClass.choices],
        help_text=_("Supervision class: A (good) to D (poor); empty when not assessed."),
    )
    credit_flags = CreditFlagSerializer(
        many=True, help_text=_("Marks on the enterprise's credit record, newest first.")
    )

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "url",
            "html_url",
            "uscc",
            "name",
            "former_names",
            "district_code",
            "district_name",
            "address",
            "supervision_class",
            "class_assessed_on",
            "class_basis",
            "credit_flags",
            "updated_at",
        ]
        extra_kwargs = {
            "id": {"help_text": _("Stable identifier of the enterprise.")},
            "uscc": {"help_text": _("Unified social credit code (18 characters), if known.")},
            "name": {"help_text": _("Registered name.")},
            "address": {"help_text": _("Registered address.")},
            "class_assessed_on": {"help_text": _("Date the supervision class was assessed.")},
            "class_basis": {"help_text": _("What the supervision class is based on.")},
            "updated_at": {"help_text": _("When the record last changed.")},
        }


class StatusChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=LicenceStatus.choices, help_text=_("Status from this date on.")
    )
    changed_on = serializers.DateField(help_text=_("Date of the change."))
    reason = serializers.CharField(help_text=_("Reason given for the change."))


class LicenceSerializer(OpenDataSerializer):
    url = api_link("licences")
    enterprise_id = serializers.IntegerField(
        read_only=True, help_text=_("Identifier of the licence holder.")
    )
    html_url = LinkField(
        lambda serializer, obj: links.portal_path("registry:enterprise", obj.enterprise_id),
        help_text=_("The licence holder's profile page, which lists its licences."),
    )
    enterprise_url = api_link_to(
        "enterprises", "enterprise_id", _("The licence holder in the enterprises dataset.")
    )
    enterprise_uscc = related_text(
        "enterprise.uscc", _("Unified social credit code of the licence holder.")
    )
    enterprise_name = related_text("enterprise.name", _("Name of the licence holder."))
    status_history = StatusChangeSerializer(
        many=True, help_text=_("Dated status changes, newest first.")
    )

    class Meta:
        model = Licence
        fields = [
            "id",
            "url",
            "html_url",
            "number",
            "enterprise_id",
            "enterprise_url",
            "enterprise_uscc",
            "enterprise_name",
            "product_unit",
            "issuer_level",
            "issued_on",
            "expires_on",
            "status",
            "status_history",
        ]
        extra_kwargs = {
            "id": {"help_text": _("Stable identifier of the licence.")},
            "number": {"help_text": _("Production licence number, e.g. XK13-014-00001.")},
            "product_unit": {"help_text": _("Product unit the licence covers.")},
            "issuer_level": {"help_text": _("Whether a national or provincial body issued it.")},
            "issued_on": {"help_text": _("Date of issue.")},
            "expires_on": {"help_text": _("Date the licence expires.")},
            "status": {"help_text": _("Current status.")},
        }


class CategorySerializer(OpenDataSerializer):
    url = api_link("categories")
    parent_id = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("Identifier of the parent category.")
    )
    parent_code = related_text("parent.code", _("Code of the parent category."))

    class Meta:
        model = ProductCategory
        fields = [
            "id",
            "url",
            "edition",
            "code",
            "name",
            "name_zh_hant",
            "name_en",
            "parent_id",
            "parent_code",
            "is_key",
            *ProductCategory.GROUP_FLAGS,
        ]
        extra_kwargs = {
            "id": {"help_text": _("Stable identifier of the category.")},
            "edition": {"help_text": _('Catalogue edition, e.g. "shanghai-2020".')},
            "code": {"help_text": _("Code of the category within its edition.")},
            "name": {"help_text": _("Name in simplified Chinese.")},
            "name_zh_hant": {"help_text": _("Name in traditional Chinese.")},
            "name_en": {"help_text": _("Name in English.")},
            "is_key": {"help_text": _("Under key supervision.")},
            "for_children": {"help_text": _("Products for children and students.")},
            "for_elderly": {"help_text": _("Products for the elderly.")},
            "food_contact": {"help_text": _("Products in contact with food.")},
            "household_appliance": {"help_text": _("Household appliances.")},
            "furniture": {"help_text": _("Furniture.")},
            "smart_home": {"help_text": _("Smart-home products.")},
        }


def category_fields(source: str = "category") -> dict[str, serializers.Field]:
    return {
        "category_id": serializers.IntegerField(
            read_only=True, allow_null=True, help_text=_("Identifier of the product category.")
        ),
        "category_code": related_text(f"{source}.code", _("Code of the product category.")),
        "category_name": related_text(f"{source}.name", _("Name of the product category.")),
    }


class ProductSerializer(OpenDataSerializer):
    url = api_link("products")
    html_url = LinkField(
        lambda serializer, obj: links.portal_path("registry:product", obj.pk),
        help_text=_("The product's page on the portal."),
    )
    category_id, category_code, category_name = category_fields().values()
    manufacturer_id = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("Identifier of the manufacturer.")
    )
    manufacturer_url = api_link_to(
        "enterprises", "manufacturer_id", _("The manufacturer in the enterprises dataset.")
    )
    manufacturer_uscc = related_text(
        "manufacturer.uscc", _("Unified social credit code of the manufacturer.")
    )
    manufacturer_name = related_text("manufacturer.name", _("Name of the manufacturer."))
    district_code = related_text(
        "manufacturer.district.code", _("Code of the district the manufacturer is in.")
    )
    barcodes = serializers.SlugRelatedField(
        slug_field="gtin",
        many=True,
        read_only=True,
        help_text=_("GTIN barcodes printed on the product, as registered."),
    )

    class Meta:
        model = Product
        fields = [
            "id",
            "url",
            "html_url",
            "name",
            "brand",
            "model_spec",
            "category_id",
            "category_code",
            "category_name",
            "manufacturer_id",
            "manufacturer_url",
            "manufacturer_uscc",
            "manufacturer_name",
            "district_code",
            "barcodes",
            "updated_at",
        ]
        extra_kwargs = {
            "id": {"help_text": _("Stable identifier of the product.")},
            "name": {"help_text": _("Product name.")},
            "brand": {"help_text": _("Brand.")},
            "model_spec": {"help_text": _("Model or specification.")},
            "updated_at": {"help_text": _("When the record last changed.")},
        }


# --- Spot checks -----------------------------------------------------------------------------


class SpotCheckBatchSerializer(OpenDataSerializer):
    url = api_link("batches")
    html_url = LinkField(
        notice_path, allow_null=True, help_text=_("The notice page of the batch, if published.")
    )
    results_url = LinkField(
        lambda serializer, obj: f"{links.api_list_path('results')}?batch={obj.pk}",
        help_text=_("The batch's results in the results dataset."),
    )
    district_code = related_text("district.code", _("Code of the district, for district checks."))
    district_name = related_text("district.name", _("Name of the district, for district checks."))
    category_id, category_code, category_name = category_fields().values()
    status = serializers.ChoiceField(
        choices=PUBLIC_BATCH_STATUSES,
        help_text=_('"corrected" when a corrected result table replaced the first one.'),
    )

    class Meta:
        model = SpotCheckBatch
        fields = [
            "id",
            "url",
            "html_url",
            "results_url",
            "notice_number",
            "title",
            "level",
            "authority",
            "district_code",
            "district_name",
            "category_id",
            "category_code",
            "category_name",
            "year",
            "published_on",
            "standards_cited",
            "declared_sampled",
            "declared_failed",
            "refused_count",
            "follow_up",
            "status",
            "version",
            "updated_at",
        ]
        extra_kwargs = {
            "id": {"help_text": _("Stable identifier of the batch.")},
            "notice_number": {"help_text": _("Number of the notice that published the results.")},
            "title": {"help_text": _("Title of the notice.")},
            "level": {"help_text": _("Level of the spot check.")},
            "authority": {"help_text": _("Authority that organised the spot check.")},
            "year": {"help_text": _("Year of the spot check.")},
            "published_on": {"help_text": _("Date the notice was published.")},
            "standards_cited": {"help_text": _("Rules and standards the samples were tested to.")},
            "declared_sampled": {
                "help_text": _("Samples the notice declares, when it lists only some of them.")
            },
            "declared_failed": {"help_text": _("Failed samples the notice declares.")},
            "refused_count": {"help_text": _("Enterprises that refused to be sampled.")},
            "follow_up": {"help_text": _("Follow-up measures and re-checks.")},
            "version": {
                "help_text": _("Version of the result table; goes up with each correction.")
            },
            "updated_at": {"help_text": _("When the batch last changed.")},
        }


class FailedItemSerializer(serializers.Serializer):
    item = serializers.CharField(help_text=_("Test item the sample failed."))
    measured = serializers.CharField(help_text=_("Measured value, as published."))
    limit = serializers.CharField(help_text=_("Required value, as published."))
    unit = serializers.CharField(help_text=_("Unit of the values."))
    is_safety_item = serializers.BooleanField(help_text=_("A safety-related item."))


class SpotCheckResultSerializer(OpenDataSerializer):
    url = api_link("results")
    html_url = LinkField(
        lambda serializer, obj: notice_path(serializer, obj.batch),
        allow_null=True,
        help_text=_("The notice page that lists the result, if published."),
    )
    batch_id = serializers.IntegerField(read_only=True, help_text=_("Identifier of the batch."))
    batch_url = api_link_to("batches", "batch_id", _("The batch in the batches dataset."))
    notice_number = related_text("batch.notice_number", _("Number of the notice."))
    year = serializers.IntegerField(
        source="batch.year", read_only=True, help_text=_("Year of the spot check.")
    )
    published_on = serializers.DateField(
        source="batch.published_on",
        read_only=True,
        allow_null=True,
        help_text=_("Date the notice was published."),
    )
    producer_id = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text=_("Identifier of the enterprise the nominal producer was matched to."),
    )
    producer_url = api_link_to(
        "enterprises", "producer_id", _("The matched producer in the enterprises dataset.")
    )
    producer_uscc = related_text("producer.uscc", _("Unified social credit code of the producer."))
    producer_district_code = related_text(
        "producer.district.code", _("Code of the district the matched producer is in.")
    )
    channel = serializers.ChoiceField(
        choices=Channel.choices, help_text=_("Where the sample was taken; empty when unknown.")
    )
    outcome = serializers.ChoiceField(choices=Outcome.choices, help_text=_("Result of the test."))
    initial_agency = related_text("initial_agency.name", _("Testing agency."))
    retest_agency = related_text("retest_agency.name", _("Re-testing agency, if re-tested."))
    category_id, category_code, category_name = category_fields().values()
    product_id = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text=_("Identifier of the product the sample was matched to."),
    )
    product_url = api_link_to(
        "products", "product_id", _("The matched product in the products dataset.")
    )
    failed_items = FailedItemSerializer(
        many=True, help_text=_("Test items the sample failed, in published order.")
    )

    class Meta:
        model = SpotCheckResult
        fields = [
            "id",
            "url",
            "html_url",
            "batch_id",
            "batch_url",
            "notice_number",
            "year",
            "published_on",
            "sample_name",
            "nominal_brand",
            "nominal_model",
            "lot_raw",
            "production_date",
            "lot_number",
            "producer_name",
            "producer_address",
            "producer_id",
            "producer_url",
            "producer_uscc",
            "producer_district_code",
            "producer_disputed",
            "sampled_unit_name",
            "sampled_unit_address",
            "channel",
            "listing_url",
            "outcome",
            "failed_items",
            "initial_agency",
            "retest_agency",
            "remarks",
            "category_id",
            "category_code",
            "category_name",
            "product_id",
            "product_url",
            "version",
        ]
        extra_kwargs = {
            "id": {"help_text": _("Stable identifier of the result.")},
            "sample_name": {"help_text": _("Name of the sampled product.")},
            "nominal_brand": {"help_text": _("Brand as marked on the sample.")},
            "nominal_model": {"help_text": _("Model or specification as marked on the sample.")},
            "lot_raw": {"help_text": _("Production date or lot as printed.")},
            "production_date": {"help_text": _("Production date, when it could be read.")},
            "lot_number": {"help_text": _("Lot number, when it could be read.")},
            "producer_name": {"help_text": _("Producer as marked on the sample.")},
            "producer_address": {"help_text": _("Producer's address as marked on the sample.")},
            "producer_disputed": {
                "help_text": _("The notice says the named producer did not make this sample.")
            },
            "sampled_unit_name": {"help_text": _("Where the sample was taken (shop, factory).")},
            "sampled_unit_address": {"help_text": _("Address of the sampled unit.")},
            "listing_url": {"help_text": _("Web-store listing, for e-commerce samples.")},
            "remarks": {"help_text": _("Remarks in the notice, as published.")},
            "version": {"help_text": _("Version of the batch's table this row last changed in.")},
        }


# --- Risk warnings ---------------------------------------------------------------------------


class AffectedProductSerializer(serializers.Serializer):
    name = serializers.CharField(help_text=_("Product concerned."))
    brand = serializers.CharField(help_text=_("Brand."))
    model_spec = serializers.CharField(help_text=_("Model or specification."))
    batch = serializers.CharField(help_text=_("Batch or production date concerned."))
    gtin = serializers.CharField(help_text=_("GTIN barcode, as written in the warning."))


class MeasureSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=WarningMeasure.Kind.choices, help_text=_("Measure taken.")
    )
    compulsory = serializers.BooleanField(help_text=_("Ordered by an authority, not voluntary."))
    taken_by = serializers.CharField(help_text=_("Who took the measure."))
    description = serializers.CharField(help_text=_("Details."))


class UpdateSerializer(serializers.Serializer):
    date = serializers.DateField(help_text=_("Date of the update."))
    text = serializers.CharField(help_text=_("What changed."))


@extend_schema_field(
    {"type": "object", "additionalProperties": {"type": "string", "format": "uri"}}
)
class TranslationsField(serializers.Field):
    """Language code → address of the translated page; languages with no translation yet
    are left out (the page then exists only as the original)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, source="*", **kwargs)

    def to_representation(self, page):
        cache = self.parent.page_cache()
        translations = {}
        for language in TRANSLATED_LANGUAGES:
            url_path = getattr(page, translation_path_attribute(language))
            if url_path:
                translations[language] = self.parent.absolute(
                    links.path_of_url_path(url_path, cache)
                )
        return translations


class WarningSerializer(OpenDataSerializer):
    url = api_link("warnings")
    html_url = LinkField(
        lambda serializer, page: links.page_path(page, serializer.page_cache()),
        allow_null=True,
        help_text=_("The warning's page on the portal, in simplified Chinese."),
    )
    translations = TranslationsField(
        help_text=_("Language code → address of a published translation of the page.")
    )
    kind = serializers.ChoiceField(
        choices=RiskWarningPage.Kind.choices, help_text=_("Kind of publication.")
    )
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices, help_text=_("Risk level."))
    hazards = serializers.SlugRelatedField(
        slug_field="hazard",
        many=True,
        read_only=True,
        help_text=format_lazy(_("Hazards named: {codes}."), codes=", ".join(Hazard.values)),
    )
    category_id, category_code, category_name = category_fields().values()
    affected_products = AffectedProductSerializer(
        many=True, help_text=_("Products the warning concerns.")
    )
    measures = MeasureSerializer(many=True, help_text=_("Measures taken."))
    related_result_ids = serializers.SerializerMethodField(
        help_text=_("Identifiers of published spot-check results the warning cites.")
    )
    updates = UpdateSerializer(many=True, help_text=_("Later updates, oldest first."))

    class Meta:
        model = RiskWarningPage
        fields = [
            "id",
            "url",
            "html_url",
            "translations",
            "title",
            "kind",
            "risk_level",
            "hazards",
            "category_id",
            "category_code",
            "category_name",
            "summary",
            "affected_products",
            "measures",
            "related_result_ids",
            "updates",
            "withdrawn_on",
            "withdrawal_reason",
            "first_published_at",
            "last_published_at",
        ]
        extra_kwargs = {
            "id": {"help_text": _("Stable identifier: the page id of the simplified original.")},
            "title": {"help_text": _("Title.")},
            "summary": {"help_text": _("Short summary of the risk.")},
            "withdrawn_on": {"help_text": _("Date the warning was withdrawn, if it was.")},
            "withdrawal_reason": {"help_text": _("Why it was withdrawn.")},
            "first_published_at": {"help_text": _("When the warning was first published.")},
            "last_published_at": {"help_text": _("When it was last published (edited).")},
        }

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_related_result_ids(self, page) -> list[int]:
        return [related.result_id for related in page.public_related_results]


# --- Grades ----------------------------------------------------------------------------------


class GradeSerializer(OpenDataSerializer):
    url = api_link("grades")
    html_url = LinkField(
        lambda serializer, obj: links.portal_path("registry:product", obj.product_id),
        help_text=_("The graded product's page, which shows its grades."),
    )
    scheme_html_url = LinkField(
        lambda serializer, obj: links.portal_path(
            "grading:report", obj.scheme.code, obj.scheme.version
        ),
        help_text=_("The grading scheme's public report: method, criteria and scale."),
    )
    product_id = serializers.IntegerField(
        read_only=True, help_text=_("Identifier of the graded product.")
    )
    product_url = api_link_to("products", "product_id", _("The product in the products dataset."))
    product_name = related_text("product.name", _("Product name."))
    product_brand = related_text("product.brand", _("Brand."))
    product_model = related_text("product.model_spec", _("Model or specification."))
    manufacturer_uscc = related_text(
        "product.manufacturer.uscc", _("Unified social credit code of the manufacturer.")
    )
    manufacturer_name = related_text("product.manufacturer.name", _("Name of the manufacturer."))
    grader = related_text("organisation.name", _("Organisation that graded the product."))
    scheme_code = related_text("scheme.code", _("Code of the grading scheme."))
    scheme_version = serializers.IntegerField(
        source="scheme.version", read_only=True, help_text=_("Version of the grading scheme.")
    )
    scheme_name = related_text("scheme.name", _("Name of the grading scheme."))
    scores = serializers.DictField(
        child=serializers.DecimalField(max_digits=4, decimal_places=1, coerce_to_string=False),
        help_text=_("Criterion code → sub-score (0–100)."),
    )
    overall_score = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        coerce_to_string=False,
        read_only=True,
        help_text=_("Overall score (0–100), the weighted mean of the sub-scores."),
    )
    approved_at = serializers.DateTimeField(
        source="decided_at", read_only=True, help_text=_("When the grade was approved.")
    )

    class Meta:
        model = Submission
        fields = [
            "id",
            "url",
            "html_url",
            "product_id",
            "product_url",
            "product_name",
            "product_brand",
            "product_model",
            "manufacturer_uscc",
            "manufacturer_name",
            "grader",
            "scheme_code",
            "scheme_version",
            "scheme_name",
            "scheme_html_url",
            "tested_on",
            "scores",
            "overall_score",
            "grade",
            "manufacturer_response",
            "approved_at",
        ]
        extra_kwargs = {
            "id": {"help_text": _("Stable identifier of the grade.")},
            "tested_on": {"help_text": _("Date the product was tested.")},
            "grade": {"help_text": _("Grade on the scheme's scale.")},
            "manufacturer_response": {"help_text": _("The manufacturer's response, if filed.")},
        }
