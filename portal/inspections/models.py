"""Spot checks (监督抽查): batches as published in a notice, and every result row."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.core.storage import private_storage, random_name
from portal.core.text import fold, with_unit
from portal.registry.models import District, Enterprise, Product, ProductCategory
from portal.registry.scoping import DistrictScopedForm

from .lots import LOT_FIELDS, LOT_KEY_FIELDS, LotKeysQuerySet, lot_key


class InspectionAgency(models.Model):
    """承检机构: a testing body named in results."""

    name = models.CharField(_("name"), max_length=200)
    name_folded = models.CharField(max_length=200, unique=True, editable=False)
    cma_number = models.CharField(_("CMA number"), max_length=40, blank=True)
    cnas_number = models.CharField(_("CNAS number"), max_length=40, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("inspection agency")
        verbose_name_plural = _("inspection agencies")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)


class AgencyEvaluation(models.Model):
    """The authority's evaluation of an agency's work (plan item 8)."""

    class Result(models.TextChoices):
        EXCELLENT = "excellent", _("excellent")
        QUALIFIED = "qualified", _("qualified")
        UNQUALIFIED = "unqualified", _("unqualified")

    agency = models.ForeignKey(InspectionAgency, models.CASCADE, related_name="evaluations")
    year = models.PositiveSmallIntegerField(_("year"))
    result = models.CharField(_("result"), max_length=20, choices=Result.choices)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="one_evaluation_per_year")
        ]
        verbose_name = _("agency evaluation")
        verbose_name_plural = _("agency evaluations")

    def __str__(self) -> str:
        return f"{self.agency} {self.year}: {self.get_result_display()}"


class SpotCheckBatch(models.Model):
    """One published spot check (通告/公告) and the rows of its result table."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("national")
        CITY = "city", _("city")
        DISTRICT = "district", _("district")
        JOINT = "joint", _("joint (Yangtze River Delta)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        CORRECTED = "corrected", _("corrected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    #: Statuses whose results citizens see.
    PUBLIC_STATUSES = (Status.PUBLISHED, Status.CORRECTED)

    notice_number = models.CharField(_("notice number"), max_length=100)
    title = models.CharField(_("title"), max_length=300)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.CITY)
    authority = models.CharField(_("authority"), max_length=200)
    district = models.ForeignKey(
        District,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="batches",
        verbose_name=_("district"),
        help_text=_("For district-level checks."),
    )
    category = models.ForeignKey(
        ProductCategory,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="batches",
        verbose_name=_("product category"),
    )
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    standards_cited = models.TextField(_("rules and standards cited"), blank=True)
    declared_sampled = models.PositiveIntegerField(
        _("batches sampled (as declared)"),
        null=True,
        blank=True,
        help_text=_("When the notice lists only part of the sampled batches, e.g. only failures."),
    )
    declared_failed = models.PositiveIntegerField(
        _("batches failed (as declared)"), null=True, blank=True
    )
    refused_count = models.PositiveIntegerField(_("refusals to be sampled"), default=0)
    follow_up = models.TextField(_("follow-up and re-checks"), blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    district_lookup = "district"
    wagtail_reference_index_ignore = True  # bulk data: deletes stay cheap
    base_form_class = DistrictScopedForm

    class Meta:
        ordering = ["-published_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "notice_number"], name="unique_notice_per_authority"
            )
        ]
        verbose_name = _("spot-check batch")
        verbose_name_plural = _("spot-check batches")

    def __str__(self) -> str:
        return f"{self.notice_number} {self.title}"


def source_file_name(instance, filename: str) -> str:
    return random_name("spotchecks", filename)


def import_upload_name(instance, filename: str) -> str:
    return random_name("imports", filename)


class SourceFile(models.Model):
    """One imported version of a batch's spreadsheet; earlier versions stay downloadable."""

    batch = models.ForeignKey(SpotCheckBatch, models.CASCADE, related_name="source_files")
    version = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), storage=private_storage, upload_to=source_file_name)
    original_name = models.CharField(_("original file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    summary = models.JSONField(_("summary"), default=dict, help_text="Counts of what changed.")

    district_lookup = "batch__district"
    wagtail_reference_index_ignore = True  # bulk data: deletes stay cheap

    class Meta:
        ordering = ["batch", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "version"], name="unique_batch_version")
        ]
        verbose_name = _("source file")
        verbose_name_plural = _("source files")

    def __str__(self) -> str:
        return f"{self.batch.notice_number} v{self.version} ({self.original_name})"

    def get_absolute_url(self) -> str:
        return reverse("inspections_source_file", args=[self.pk])


class Channel(models.TextChoices):
    PRODUCTION = "production", _("production")
    RETAIL = "retail", _("retail")
    ECOMMERCE = "ecommerce", _("e-commerce")
    UNKNOWN = "", _("unknown")


class Outcome(models.TextChoices):
    PASS = "pass", _("pass")
    FAIL = "fail", _("fail")
    REFERRED = "referred", _("referred as unlicensed")


class ProducerMatch(models.TextChoices):
    USCC = "uscc", _("by credit code")
    NAME = "name", _("by name")
    CREATED = "created", _("new enterprise")
    AMBIGUOUS = "ambiguous", _("ambiguous: several enterprises")
    NONE = "none", _("not matched")


class CurrentResultManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(removed_in_version__isnull=True)


class PublicResultManager(CurrentResultManager):
    """What citizens may see: current results of published (or corrected) batches."""

    def get_queryset(self):
        return super().get_queryset().filter(batch__status__in=SpotCheckBatch.PUBLIC_STATUSES)


class SpotCheckResult(models.Model):
    """One sampled batch of one product, as a row (or several rows) of the published table."""

    batch = models.ForeignKey(SpotCheckBatch, models.CASCADE, related_name="results")
    sample_key = models.CharField(
        max_length=64, help_text="Identity of the sample within its batch, across versions."
    )
    row_numbers = models.JSONField(_("spreadsheet rows"), default=list)
    sample_name = models.CharField(_("sample name"), max_length=200)
    nominal_brand = models.CharField(_("nominal brand"), max_length=200, blank=True)
    nominal_model = models.CharField(_("nominal model / specification"), max_length=200, blank=True)
    lot_raw = models.CharField(_("date or lot as printed"), max_length=200, blank=True)
    production_date = models.DateField(_("production date"), null=True, blank=True)
    lot_number = models.CharField(_("lot number"), max_length=100, blank=True)
    # `lots.lot_key` of the two above, kept by `save()` and the bulk writes: /trace/ finds a
    # batch number however it was written with one indexed comparison, not a scan.
    lot_raw_key = models.CharField(max_length=200, blank=True, editable=False)
    lot_number_key = models.CharField(max_length=100, blank=True, editable=False)
    producer_name = models.CharField(_("nominal producer"), max_length=200, blank=True)
    producer_address = models.CharField(_("nominal producer address"), max_length=300, blank=True)
    producer = models.ForeignKey(
        Enterprise,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="produced_results",
        verbose_name=_("producer (matched)"),
    )
    producer_match = models.CharField(
        _("producer match"),
        max_length=20,
        choices=ProducerMatch.choices,
        default=ProducerMatch.NONE,
    )
    producer_candidates = models.JSONField(
        _("candidate enterprises"),
        default=list,
        blank=True,
        help_text="Ids of the enterprises an ambiguous name matched, for an editor to resolve.",
    )
    producer_disputed = models.BooleanField(
        _("producer disputed"),
        default=False,
        help_text=_("The notice says the named producer did not make this batch."),
    )
    sampled_unit_name = models.CharField(_("sampled unit"), max_length=200, blank=True)
    sampled_unit_address = models.CharField(_("sampled unit address"), max_length=300, blank=True)
    sampled_unit = models.ForeignKey(
        Enterprise,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="sampled_results",
        verbose_name=_("sampled unit (matched)"),
    )
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, blank=True, db_index=True
    )
    listing_url = models.URLField(_("listing URL"), max_length=500, blank=True)
    source_url = models.URLField(
        _("source link"),
        max_length=500,
        blank=True,
        help_text=_("The page the row was published on, e.g. the notice."),
    )
    serial_number = models.CharField(_("serial number"), max_length=100, blank=True)
    measured_text = models.TextField(
        _("measured values as published"),
        blank=True,
        help_text=_("Kept when the values could not be matched to the failed items one by one."),
    )
    limit_text = models.TextField(
        _("required values as published"),
        blank=True,
        help_text=_("Kept when the values could not be matched to the failed items one by one."),
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, db_index=True)
    initial_agency = models.ForeignKey(
        InspectionAgency,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="initial_results",
        verbose_name=_("testing agency"),
    )
    retest_agency = models.ForeignKey(
        InspectionAgency,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="retest_results",
        verbose_name=_("re-test agency"),
    )
    remarks = models.TextField(_("remarks"), blank=True)
    category = models.ForeignKey(
        ProductCategory,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="results",
        verbose_name=_("product category"),
    )
    product = models.ForeignKey(
        Product,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="results",
        verbose_name=_("product (matched)"),
    )
    extra = models.JSONField(_("other columns"), default=dict, blank=True)
    version = models.PositiveIntegerField(_("last changed in version"), default=1)
    seen_in_version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Last version whose file listed this sample; older ones were removed.",
    )
    removed_in_version = models.PositiveIntegerField(
        _("removed in version"),
        null=True,
        blank=True,
        help_text=_("Set when a corrected file no longer lists this sample."),
    )

    objects = LotKeysQuerySet.as_manager()
    current = CurrentResultManager()
    public = PublicResultManager()

    district_lookup = "batch__district"
    wagtail_reference_index_ignore = True  # bulk data: deletes stay cheap

    class Meta:
        ordering = ["batch", "id"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "sample_key"], name="unique_sample_per_batch")
        ]
        indexes = [
            models.Index(fields=["batch", "outcome"]),
            models.Index(fields=["lot_raw_key"], name="result_lot_raw_key"),
            models.Index(fields=["lot_number_key"], name="result_lot_number_key"),
        ]
        verbose_name = _("spot-check result")
        verbose_name_plural = _("spot-check results")

    def __str__(self) -> str:
        return f"{self.sample_name} ({self.get_outcome_display()})"

    def save(self, *args, **kwargs):
        self.fill_lot_keys()
        if (fields := kwargs.get("update_fields")) is not None and LOT_FIELDS & set(fields):
            kwargs["update_fields"] = {*fields, *LOT_KEY_FIELDS}
        super().save(*args, **kwargs)

    def fill_lot_keys(self) -> None:
        self.lot_raw_key = lot_key(self.lot_raw)[:200]
        self.lot_number_key = lot_key(self.lot_number)[:100]


class FailedItem(models.Model):
    """不合格项目: one test item a sample failed."""

    result = models.ForeignKey(SpotCheckResult, models.CASCADE, related_name="failed_items")
    position = models.PositiveSmallIntegerField(default=0)
    item = models.CharField(_("test item"), max_length=200)
    measured = models.CharField(_("measured"), max_length=200, blank=True)
    limit = models.CharField(_("required"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    is_safety_item = models.BooleanField(_("safety item"), default=False)

    district_lookup = "result__batch__district"
    wagtail_reference_index_ignore = True  # bulk data: deletes stay cheap

    class Meta:
        ordering = ["result", "position"]
        verbose_name = _("failed item")
        verbose_name_plural = _("failed items")

    def __str__(self) -> str:
        return self.item

    @property
    def measured_with_unit(self) -> str:
        """ "13.4 mg/g": the value as shown, never without its unit."""
        return with_unit(self.measured, self.unit)

    @property
    def limit_with_unit(self) -> str:
        return with_unit(self.limit, self.unit)


class ResultRevision(models.Model):
    """The values a result had before a corrected file changed or removed it."""

    result = models.ForeignKey(SpotCheckResult, models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField(_("version it had these values in"))
    data = models.JSONField(_("values"))

    class Meta:
        ordering = ["result", "-version"]
        verbose_name = _("result revision")
        verbose_name_plural = _("result revisions")

    def __str__(self) -> str:
        return f"{self.result_id} v{self.version}"


class ImportJob(models.Model):
    """An upload on its way in: parsed and previewed first, committed only when confirmed.

    The Celery task that works on it writes its progress here, so the admin can show
    "rows done of total" while it runs.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        PREVIEWING = "previewing", _("checking the file")
        PREVIEWED = "previewed", _("ready to confirm")
        INVALID = "invalid", _("refused: errors in the file")
        COMMITTING = "committing", _("importing")
        DONE = "done", _("imported")
        DUPLICATE = "duplicate", _("already imported")
        FAILED = "failed", _("failed")

    file = models.FileField(_("file"), storage=private_storage, upload_to=import_upload_name)
    original_name = models.CharField(_("original file name"), max_length=255)
    batch_details = models.JSONField(
        _("batch details"),
        default=dict,
        help_text="Notice number, title, level, authority, year … given at upload.",
    )
    batch = models.ForeignKey(
        SpotCheckBatch, models.SET_NULL, null=True, blank=True, related_name="import_jobs"
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.QUEUED)
    total_rows = models.PositiveIntegerField(_("rows in the file"), default=0)
    rows_done = models.PositiveIntegerField(_("rows processed"), default=0)
    preview = models.JSONField(_("preview"), default=dict, blank=True)
    message = models.TextField(_("message"), blank=True)
    task_id = models.CharField(max_length=50, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("spreadsheet import")
        verbose_name_plural = _("spreadsheet imports")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_state_display()})"

    @property
    def percent_done(self) -> int:
        return round(100 * self.rows_done / self.total_rows) if self.total_rows else 0
