"""What the open-data API and the bulk exports publish for each dataset.

Fields are flat and scalar where possible (codes and ids beside names) because the same
serializers feed the CSV exports; only lists (barcodes, failed items, affected products …) are
nested. Every field has a help text: the data dictionary is generated from them. Each field is
declared once, in column order: computed fields as such, the model's own as `Column`s (see
`columns`). Nothing here needs a request; links fall back to `PORTAL_BASE_URL` (see `links`).
"""

from __future__ import annotations

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
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
from .columns import (
    Column,
    LinkField,
    OpenDataSerializer,
    RelatedIdsField,
    TranslationsField,
    api_link,
    api_link_to,
    category_fields,
    portal_link,
    related_id,
    related_text,
)

#: The statuses of the batches the API shows (named in SPECTACULAR_SETTINGS' enum overrides).
PUBLIC_BATCH_STATUSES = [(status.value, status.label) for status in SpotCheckBatch.PUBLIC_STATUSES]


def notice_path(serializer: OpenDataSerializer, batch: SpotCheckBatch) -> str | None:
    """The live notice page of a batch (prefetched as `live_notices`), if it has one."""
    notices = batch.live_notices
    return links.page_path(notices[0], serializer.page_cache()) if notices else None


# --- Registry --------------------------------------------------------------------------------


class CreditFlagSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=CreditFlag.Kind.choices,
        help_text=_("Kind of mark on the credit record."),
    )
    since = serializers.DateField(help_text=_("Date the mark was made."))
    source = serializers.CharField(help_text=_("Authority or list the mark comes from."))


class EnterpriseSerializer(OpenDataSerializer):
    id = Column(_("Stable identifier of the enterprise."))
    url = api_link("enterprises")
    html_url = portal_link(
        "registry:enterprise", "pk", help_text=_("The enterprise's profile page on the portal.")
    )
    uscc = Column(_("Unified social credit code (18 characters), if known."))
    name = Column(_("Registered name."))
    former_names = serializers.ListField(
        child=serializers.CharField(), help_text=_("Names the enterprise was known by before.")
    )
    district_code = related_text("district.code", _("Code of the district the enterprise is in."))
    district_name = related_text("district.name", _("Name of the district the enterprise is in."))
    address = Column(_("Registered address."))
    supervision_class = serializers.ChoiceField(
        choices=[("", ""), *SupervisionClass.choices],
        help_text=_("Supervision class: A (good) to D (poor); empty when not assessed."),
    )
    class_assessed_on = Column(_("Date the supervision class was assessed."))
    class_basis = Column(_("What the supervision class is based on."))
    credit_flags = CreditFlagSerializer(
        many=True, help_text=_("Marks on the enterprise's credit record, newest first.")
    )
    updated_at = Column(_("When the record last changed."))

    class Meta:
        model = Enterprise


class StatusChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=LicenceStatus.choices, help_text=_("Status from this date on.")
    )
    changed_on = serializers.DateField(help_text=_("Date of the change."))
    reason = serializers.CharField(help_text=_("Reason given for the change."))


class LicenceSerializer(OpenDataSerializer):
    id = Column(_("Stable identifier of the licence."))
    url = api_link("licences")
    html_url = portal_link(
        "registry:enterprise",
        "enterprise_id",
        help_text=_("The licence holder's profile page, which lists its licences."),
    )
    number = Column(_("Production licence number, e.g. XK13-014-00001."))
    enterprise_id = related_id(_("Identifier of the licence holder."), allow_null=False)
    enterprise_url = api_link_to(
        "enterprises", "enterprise_id", _("The licence holder in the enterprises dataset.")
    )
    enterprise_uscc = related_text(
        "enterprise.uscc", _("Unified social credit code of the licence holder.")
    )
    enterprise_name = related_text("enterprise.name", _("Name of the licence holder."))
    product_unit = Column(_("Product unit the licence covers."))
    issuer_level = Column(_("Whether a national or provincial body issued it."))
    issued_on = Column(_("Date of issue."))
    expires_on = Column(_("Date the licence expires."))
    status = Column(_("Current status."))
    status_history = StatusChangeSerializer(
        many=True, help_text=_("Dated status changes, newest first.")
    )

    class Meta:
        model = Licence


class CategorySerializer(OpenDataSerializer):
    id = Column(_("Stable identifier of the category."))
    url = api_link("categories")
    edition = Column(_('Catalogue edition, e.g. "shanghai-2020".'))
    code = Column(_("Code of the category within its edition."))
    name = Column(_("Name in simplified Chinese."))
    name_zh_hant = Column(_("Name in traditional Chinese."))
    name_en = Column(_("Name in English."))
    parent_id = related_id(_("Identifier of the parent category."))
    parent_code = related_text("parent.code", _("Code of the parent category."))
    is_key = Column(_("Under key supervision."))
    # ProductCategory.GROUP_FLAGS, in its order:
    for_children = Column(_("Products for children and students."))
    for_elderly = Column(_("Products for the elderly."))
    food_contact = Column(_("Products in contact with food."))
    household_appliance = Column(_("Household appliances."))
    furniture = Column(_("Furniture."))
    smart_home = Column(_("Smart-home products."))

    class Meta:
        model = ProductCategory


class ProductSerializer(OpenDataSerializer):
    id = Column(_("Stable identifier of the product."))
    url = api_link("products")
    html_url = portal_link(
        "registry:product", "pk", help_text=_("The product's page on the portal.")
    )
    name = Column(_("Product name."))
    brand = Column(_("Brand."))
    model_spec = Column(_("Model or specification."))
    category_id, category_code, category_name = category_fields().values()
    manufacturer_id = related_id(_("Identifier of the manufacturer."))
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
    updated_at = Column(_("When the record last changed."))

    class Meta:
        model = Product


# --- Spot checks -----------------------------------------------------------------------------


class SpotCheckBatchSerializer(OpenDataSerializer):
    id = Column(_("Stable identifier of the batch."))
    url = api_link("batches")
    html_url = LinkField(
        notice_path,
        reads="notice_pages",
        allow_null=True,
        help_text=_("The notice page of the batch, if published."),
    )
    results_url = LinkField(
        lambda serializer, obj: f"{links.api_list_path('results')}?batch={obj.pk}",
        help_text=_("The batch's results in the results dataset."),
    )
    notice_number = Column(_("Number of the notice that published the results."))
    title = Column(_("Title of the notice."))
    level = Column(_("Level of the spot check."))
    authority = Column(_("Authority that organised the spot check."))
    district_code = related_text("district.code", _("Code of the district, for district checks."))
    district_name = related_text("district.name", _("Name of the district, for district checks."))
    category_id, category_code, category_name = category_fields().values()
    year = Column(_("Year of the spot check."))
    published_on = Column(_("Date the notice was published."))
    standards_cited = Column(_("Rules and standards the samples were tested to."))
    declared_sampled = Column(_("Samples the notice declares, when it lists only some of them."))
    declared_failed = Column(_("Failed samples the notice declares."))
    refused_count = Column(_("Enterprises that refused to be sampled."))
    follow_up = Column(_("Follow-up measures and re-checks."))
    status = serializers.ChoiceField(
        choices=PUBLIC_BATCH_STATUSES,
        help_text=_('"corrected" when a corrected result table replaced the first one.'),
    )
    version = Column(_("Version of the result table; goes up with each correction."))
    updated_at = Column(_("When the batch last changed."))

    class Meta:
        model = SpotCheckBatch


class FailedItemSerializer(serializers.Serializer):
    item = serializers.CharField(help_text=_("Test item the sample failed."))
    measured = serializers.CharField(help_text=_("Measured value, as published."))
    limit = serializers.CharField(help_text=_("Required value, as published."))
    unit = serializers.CharField(help_text=_("Unit of the values."))
    is_safety_item = serializers.BooleanField(help_text=_("A safety-related item."))


class SpotCheckResultSerializer(OpenDataSerializer):
    id = Column(_("Stable identifier of the result."))
    url = api_link("results")
    html_url = LinkField(
        lambda serializer, obj: notice_path(serializer, obj.batch),
        reads="batch.notice_pages",
        allow_null=True,
        help_text=_("The notice page that lists the result, if published."),
    )
    batch_id = related_id(_("Identifier of the batch."), allow_null=False)
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
    sample_name = Column(_("Name of the sampled product."))
    nominal_brand = Column(_("Brand as marked on the sample."))
    nominal_model = Column(_("Model or specification as marked on the sample."))
    lot_raw = Column(_("Production date or lot as printed."))
    production_date = Column(_("Production date, when it could be read."))
    lot_number = Column(_("Lot number, when it could be read."))
    producer_name = Column(_("Producer as marked on the sample."))
    producer_address = Column(_("Producer's address as marked on the sample."))
    producer_id = related_id(_("Identifier of the enterprise the nominal producer was matched to."))
    producer_url = api_link_to(
        "enterprises", "producer_id", _("The matched producer in the enterprises dataset.")
    )
    producer_uscc = related_text("producer.uscc", _("Unified social credit code of the producer."))
    producer_district_code = related_text(
        "producer.district.code", _("Code of the district the matched producer is in.")
    )
    producer_disputed = Column()  # the model's help text
    sampled_unit_name = Column(_("Where the sample was taken (shop, factory)."))
    sampled_unit_address = Column(_("Address of the sampled unit."))
    channel = serializers.ChoiceField(
        choices=Channel.choices, help_text=_("Where the sample was taken; empty when unknown.")
    )
    listing_url = Column(_("Web-store listing, for e-commerce samples."))
    outcome = serializers.ChoiceField(choices=Outcome.choices, help_text=_("Result of the test."))
    failed_items = FailedItemSerializer(
        many=True, help_text=_("Test items the sample failed, in published order.")
    )
    initial_agency = related_text("initial_agency.name", _("Testing agency."))
    retest_agency = related_text("retest_agency.name", _("Re-testing agency, if re-tested."))
    remarks = Column(_("Remarks in the notice, as published."))
    category_id, category_code, category_name = category_fields().values()
    product_id = related_id(_("Identifier of the product the sample was matched to."))
    product_url = api_link_to(
        "products", "product_id", _("The matched product in the products dataset.")
    )
    version = Column(_("Version of the batch's table this row last changed in."))

    class Meta:
        model = SpotCheckResult


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


class WarningSerializer(OpenDataSerializer):
    id = Column(_("Stable identifier: the page id of the simplified original."))
    url = api_link("warnings")
    html_url = LinkField(
        lambda serializer, page: links.page_path(page, serializer.page_cache()),
        allow_null=True,
        help_text=_("The warning's page on the portal, in simplified Chinese."),
    )
    translations = TranslationsField(
        help_text=_("Language code → address of a published translation of the page.")
    )
    title = Column(_("Title."))
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
    summary = Column(_("Short summary of the risk."))
    affected_products = AffectedProductSerializer(
        many=True, help_text=_("Products the warning concerns.")
    )
    measures = MeasureSerializer(many=True, help_text=_("Measures taken."))
    related_result_ids = RelatedIdsField(
        "public_related_results",
        "result_id",
        reads="related_results",
        help_text=_("Identifiers of published spot-check results the warning cites."),
    )
    updates = UpdateSerializer(many=True, help_text=_("Later updates, oldest first."))
    withdrawn_on = Column(_("Date the warning was withdrawn, if it was."))
    withdrawal_reason = Column(_("Why it was withdrawn."))
    first_published_at = Column(_("When the warning was first published."))
    last_published_at = Column(_("When it was last published (edited)."))

    class Meta:
        model = RiskWarningPage


# --- Grades ----------------------------------------------------------------------------------


class GradeSerializer(OpenDataSerializer):
    id = Column(_("Stable identifier of the grade."))
    url = api_link("grades")
    html_url = portal_link(
        "registry:product",
        "product_id",
        help_text=_("The graded product's page, which shows its grades."),
    )
    product_id = related_id(_("Identifier of the graded product."), allow_null=False)
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
    scheme_html_url = portal_link(
        "grading:report",
        "scheme.code",
        "scheme.version",
        help_text=_("The grading scheme's public report: method, criteria and scale."),
    )
    tested_on = Column(_("Date the product was tested."))
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
    grade = Column(_("Grade on the scheme's scale."))
    manufacturer_response = Column(_("The manufacturer's response, if filed."))
    approved_at = serializers.DateTimeField(
        source="decided_at", read_only=True, help_text=_("When the grade was approved.")
    )

    class Meta:
        model = Submission
