"""Consumer reports (社会监督): what a citizen reported, its photos, and its status history.

The citizen's own text is never edited after it arrives; editors change only the triage
fields (status, assignee, answer, notes, links). The reporter follows the report with a
private link whose token is stored only as a SHA-256 digest.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib import admin
from django.core.validators import RegexValidator, validate_email
from django.db import models
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from portal.core.personal_data import (
    DigestField,
    EncryptedTextField,
    normalize_email,
    normalize_phone,
)
from portal.registry.models import District, Enterprise, Product
from portal.registry.validators import validate_gtin

from . import privacy
from .storage import private_storage

CONTACT_PERMISSION = "reports.view_contact_details"

validate_phone = RegexValidator(
    r"^\+?[0-9][0-9 ()-]{5,24}$",
    _("Enter a telephone number of digits, e.g. 021-12345678 or 13812345678."),
    code="invalid_phone",
)


class ConsumerReport(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        REVIEWING = "reviewing", _("under review")
        ANSWERED = "answered", _("answered")
        CLOSED = "closed", _("closed")
        SPAM = "spam", _("rejected as spam")

    class Problem(models.TextChoices):
        HAZARD = "hazard", _("a safety hazard or an injury")
        DEFECT = "defect", _("poor quality or a defect")
        LABELLING = "labelling", _("wrong or missing labelling")
        COUNTERFEIT = "counterfeit", _("suspected counterfeit")
        OTHER = "other", _("something else")

    # What the citizen wrote.
    product_text = models.CharField(
        _("product"),
        max_length=200,
        help_text=_("Name, brand and model as printed on the product or its packaging."),
    )
    gtin = models.CharField(
        _("barcode"),
        max_length=14,
        blank=True,
        validators=[validate_gtin],
        help_text=_("The 8, 12, 13 or 14 digits under the barcode."),
    )
    enterprise_text = models.CharField(
        _("manufacturer or seller"),
        max_length=200,
        blank=True,
        help_text=_("A name or a unified social credit code."),
    )
    problem = models.CharField(_("kind of problem"), max_length=20, choices=Problem.choices)
    description = models.TextField(
        _("what happened"),
        max_length=3000,
        help_text=_(
            "Describe the problem, when it appeared and any harm it caused. "
            "At most 3,000 characters."
        ),
    )
    purchased_on = models.DateField(_("date of purchase"), null=True, blank=True)
    purchase_place = models.CharField(
        _("where it was bought"),
        max_length=200,
        blank=True,
        help_text=_("Shop name and address, or the online platform and shop."),
    )
    district = models.ForeignKey(
        District,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
        help_text=_("Where it was bought; decides which district's editors handle it."),
    )
    # Personal data: encrypted at rest, looked up through the digests (docs/personal-data.md).
    contact_name = EncryptedTextField(_("name"), max_length=50, blank=True)
    contact_phone = EncryptedTextField(
        _("telephone"), max_length=25, blank=True, validators=[validate_phone]
    )
    contact_email = EncryptedTextField(
        _("e-mail"), max_length=254, blank=True, validators=[validate_email]
    )
    contact_phone_digest = DigestField(
        source="contact_phone", normalize=normalize_phone, db_index=True
    )
    contact_email_digest = DigestField(
        source="contact_email", normalize=normalize_email, db_index=True
    )
    #: When the contact details were erased (retention or a person's request); null: never.
    personal_data_erased_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Registry rows the report was matched to (by barcode, credit code or name); editors correct.
    product = models.ForeignKey(
        Product,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="consumer_reports",
        verbose_name=_("registry product"),
    )
    enterprise = models.ForeignKey(
        Enterprise,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="consumer_reports",
        verbose_name=_("registry enterprise"),
    )

    # Triage.
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_reports",
        verbose_name=_("assigned to"),
    )
    public_answer = models.TextField(
        _("public answer"),
        blank=True,
        help_text=_("Plain text. The reporter reads it on the private status page."),
    )
    internal_notes = models.TextField(
        _("internal notes"), blank=True, help_text=_("Only editors see these.")
    )
    warning = models.ForeignKey(
        "content.RiskWarningPage",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("risk warning"),
        help_text=_("A warning published because of this report, or one that answers it."),
    )
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("received on"), default=timezone.now, db_index=True)

    district_lookup = "district"
    # Out of Wagtail's reference index: a warning's "usage" tab would otherwise show the
    # citizen's text to page editors who may not read reports.
    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("consumer report")
        verbose_name_plural = _("consumer reports")
        permissions = [
            ("view_contact_details", _("Can see reporters' contact details")),
            # Held on reports, checked for every kind of personal data (portal.core.subject_access).
            ("manage_personal_data", _("Can find, export and erase a person's data")),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.product_text}"

    @property
    def reference(self) -> str:
        """The number a reporter quotes on the telephone."""
        return f"R{timezone.localtime(self.created_at):%Y%m%d}-{self.pk}"

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def issue_token(self) -> str:
        """A new private link token; only its digest is kept, so it is shown once."""
        token = secrets.token_urlsafe(24)
        self.token_digest = self.digest_of(token)
        return token

    @admin.display(description=_("contact"))
    def masked_contact(self) -> str:
        return privacy.masked_contact(self)


class ReportStatusChange(models.Model):
    """One step of a report's history; the reporter sees the status and date, never who."""

    #: What the reporter reads instead of the editors' label.
    PUBLIC_LABELS = {ConsumerReport.Status.SPAM: _("not accepted")}

    report = models.ForeignKey(ConsumerReport, models.CASCADE, related_name="status_changes")
    status = models.CharField(_("status"), max_length=20, choices=ConsumerReport.Status.choices)
    changed_at = models.DateTimeField(_("date"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["changed_at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({date_format(timezone.localtime(self.changed_at))})"

    @property
    def public_label(self) -> str:
        return self.PUBLIC_LABELS.get(self.status) or self.get_status_display()


class ReportPhoto(models.Model):
    """A photo as re-encoded by `images.clean_photo`: never the uploaded bytes."""

    report = models.ForeignKey(ConsumerReport, models.CASCADE, related_name="photos")
    file = models.FileField(storage=private_storage, upload_to="photos/", editable=False)
    content_type = models.CharField(max_length=20, editable=False)
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return f"{self.report.reference} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("reports_photo", args=[self.pk])


@receiver(post_delete, sender=ReportPhoto)
def delete_photo_file(sender, instance: ReportPhoto, **kwargs) -> None:
    """Deleting a report (or a photo) removes the file too: nothing private is left behind."""
    instance.file.delete(save=False)
