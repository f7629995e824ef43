"""Grader organisations and their tokens, versioned grading schemes, submitted grades.

A submission is never edited after it arrives: the grader withdraws it and submits anew, and
an editor only decides on it. That keeps the published grade equal to what the grader sent
and what the scheme computes.
"""

from __future__ import annotations

import hashlib
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel

from portal.registry.models import Product

from .forms import SchemeForm

SCORE_VALIDATORS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class GraderOrganisation(models.Model):
    """An accredited testing body or consumer organisation allowed to submit grades."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    cma_number = models.CharField(_("CMA accreditation number"), max_length=40, blank=True)
    cnas_number = models.CharField(_("CNAS accreditation number"), max_length=40, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=40, blank=True)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="grader_organisations",
        verbose_name=_("users"),
        help_text=_("People who may sign in to the grader portal for this organisation."),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive organisations' tokens are refused.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("grader organisation")
        verbose_name_plural = _("grader organisations")

    def __str__(self) -> str:
        return self.name


class ApiToken(models.Model):
    """A bearer token of one organisation; only its SHA-256 digest and a short prefix are kept.

    The secret is shown once when issued. The prefix lets people tell tokens apart in lists
    without the secret ever being stored or displayed again.
    """

    PREFIX = "axg_"

    organisation = models.ForeignKey(
        GraderOrganisation, models.CASCADE, related_name="tokens", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest_of(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    @classmethod
    def issue(cls, organisation: GraderOrganisation, name: str, user=None) -> tuple[ApiToken, str]:
        """Create a token and return it with its secret, which is not kept anywhere."""
        secret = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            organisation=organisation,
            name=name,
            prefix=secret[: len(cls.PREFIX) + 6],
            digest=cls.digest_of(secret),
            created_by=user,
        )
        return token, secret

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])


class GradingScheme(ClusterableModel):
    """One version of a grading method. A new version is a new row, so published grades keep
    pointing at the exact criteria, weights and bands they were computed with."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft: not accepted yet")
        ACTIVE = "active", _("active: submissions accepted")
        RETIRED = "retired", _("retired: grades stay, no new submissions")

    code = models.SlugField(_("code"), max_length=60)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    method = models.TextField(
        _("method"), help_text=_("How samples are bought, tested and scored; shown to the public.")
    )
    method_document = models.ForeignKey(
        "wagtaildocs.Document",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("method document"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    base_form_class = SchemeForm

    panels = [
        MultiFieldPanel(
            [FieldPanel("code"), FieldPanel("version"), FieldPanel("name"), FieldPanel("status")],
            heading=_("Scheme"),
        ),
        FieldPanel("method"),
        FieldPanel("method_document"),
        InlinePanel("criteria", heading=_("Criteria"), min_num=1),
        InlinePanel("bands", heading=_("Scale (grade bands)"), min_num=1),
        InlinePanel("downgrade_rules", heading=_("Downgrade rules")),
        InlinePanel("price_bands", heading=_("Price bands (for comparisons)")),
    ]

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="unique_scheme_version")
        ]
        verbose_name = _("grading scheme")
        verbose_name_plural = _("grading schemes")

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class Criterion(models.Model):
    scheme = ParentalKey(GradingScheme, on_delete=models.CASCADE, related_name="criteria")
    code = models.SlugField(
        _("code"), max_length=40, help_text=_("Key of the sub-score in the API.")
    )
    name = models.CharField(_("name"), max_length=100)
    weight = models.DecimalField(
        _("weight"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    is_safety_item = models.BooleanField(_("safety item"), default=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="unique_criterion_code")
        ]

    def __str__(self) -> str:
        return self.name


class GradeBand(models.Model):
    """A grade and the lowest overall score (0–100) that earns it."""

    scheme = ParentalKey(GradingScheme, on_delete=models.CASCADE, related_name="bands")
    label = models.CharField(_("grade"), max_length=20, help_text=_("e.g. A+, or ★★★★★"))
    min_score = models.DecimalField(
        _("lowest score"), max_digits=5, decimal_places=1, validators=SCORE_VALIDATORS
    )

    class Meta:
        ordering = ["-min_score"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "label"], name="unique_band_label")
        ]

    def __str__(self) -> str:
        return f"{self.label} ≥ {self.min_score}"


class DowngradeRule(models.Model):
    """Caps the grade when a sub-score is below a threshold, whatever the overall score."""

    scheme = ParentalKey(GradingScheme, on_delete=models.CASCADE, related_name="downgrade_rules")
    criterion_code = models.SlugField(
        _("criterion code"),
        max_length=40,
        blank=True,
        help_text=_("Empty: the rule applies to every safety item of the scheme."),
    )
    below = models.DecimalField(
        _("when the sub-score is below"),
        max_digits=5,
        decimal_places=1,
        validators=SCORE_VALIDATORS,
    )
    cap = models.CharField(_("grade at most"), max_length=20)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.criterion_code or '*safety*'} < {self.below} → ≤ {self.cap}"

    def clean(self) -> None:
        if self.cap and self.scheme_id and not self.scheme.bands.filter(label=self.cap).exists():
            raise ValidationError({"cap": _("Not a grade of this scheme.")})


class PriceBand(models.Model):
    """A price range the comparison page filters by: from `min_price` up to the next band's.

    Schemes of products whose prices vary widely (a 99-yuan power bank beside a 4,000-yuan
    e-bike is not a question, but a 1,500-yuan e-bike beside a 4,000-yuan one is) have bands;
    others have none and their comparisons offer no price filter.
    """

    scheme = ParentalKey(GradingScheme, on_delete=models.CASCADE, related_name="price_bands")
    min_price = models.DecimalField(
        _("from (yuan)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Lowest price of the band; it ends where the next band starts."),
    )

    class Meta:
        ordering = ["min_price"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "min_price"], name="unique_price_band")
        ]

    def __str__(self) -> str:
        return f"≥ ¥{self.min_price}"


class Submission(models.Model):
    """One grade of one product under one scheme version, from one organisation."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending review")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Source(models.TextChoices):
        API = "api", _("API")
        CSV = "csv", _("CSV upload")

    organisation = models.ForeignKey(
        GraderOrganisation, models.PROTECT, related_name="submissions", verbose_name=_("grader")
    )
    scheme = models.ForeignKey(
        GradingScheme, models.PROTECT, related_name="submissions", verbose_name=_("scheme")
    )
    product = models.ForeignKey(
        Product, models.PROTECT, related_name="grade_submissions", verbose_name=_("product")
    )
    reference = models.CharField(
        _("grader's reference"), max_length=100, help_text=_("The grader's own record number.")
    )
    report_number = models.CharField(_("test report number"), max_length=100, blank=True)
    tested_on = models.DateField(_("tested on"))
    scores = models.JSONField(_("sub-scores"), help_text=_("Criterion code → score (0–100)."))
    overall_score = models.DecimalField(_("overall score"), max_digits=4, decimal_places=1)
    grade = models.CharField(_("grade"), max_length=20)
    comment = models.TextField(_("grader's comment"), blank=True)
    price = models.DecimalField(
        _("price paid (yuan)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("What the grader paid for the sample; places the grade in a price band."),
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    token = models.ForeignKey(
        ApiToken, models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    manufacturer_response = models.TextField(_("manufacturer's response"), blank=True)
    response_filed_at = models.DateTimeField(_("response filed"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            # A reference names one live record; rejected or withdrawn ones may be resubmitted.
            models.UniqueConstraint(
                fields=["organisation", "reference"],
                condition=Q(status__in=["pending", "approved"]),
                name="unique_live_reference_per_grader",
            )
        ]
        indexes = [models.Index(fields=["product", "status"], name="grading_product_status")]
        verbose_name = _("grade submission")
        verbose_name_plural = _("grade submissions")

    def __str__(self) -> str:
        return f"{self.organisation} · {self.reference} · {self.grade}"


class IdempotencyRecord(models.Model):
    """The response first given to an `Idempotency-Key`, replayed for a retry of the same request.

    Stored per organisation, so keys of different graders never collide.
    """

    organisation = models.ForeignKey(GraderOrganisation, models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    request_digest = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    response = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="unique_idempotency_key")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}:{self.key}"
