"""Double-random draws (双随机、一公开, plan item 2) and third-party capability assessments of
key enterprises (plan item 4).

A draw is edited while it is a draft. Committing it freezes its inputs and publishes the
commitment to a secret seed; running it publishes the seed and the result. After the commit
nothing about it changes except through those two steps (`portal.supervision.draws`).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.registry.models import District, Enterprise, ProductCategory
from portal.registry.scoping import DistrictScopedForm

from .forms import DrawForm
from .validators import validate_inspector_code, validate_plain_text

PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]
LOCKED = _("A committed draw cannot be changed or deleted.")


class Inspector(models.Model):
    """执法检查人员: a member of the pool draws take inspectors from (执法检查人员名录库)."""

    name = models.CharField(_("name"), max_length=50, validators=[validate_plain_text])
    code = models.CharField(
        _("enforcement ID number"),
        max_length=32,
        unique=True,
        validators=[validate_inspector_code],
        help_text=_("Published with the draw; identifies the inspector in its inputs."),
    )
    district = models.ForeignKey(
        District,
        models.PROTECT,
        related_name="inspectors",
        verbose_name=_("district of work"),
        help_text=_("An inspector is never drawn for a firm in this district."),
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Only active inspectors take part in draws.")
    )

    district_lookup = "district"
    base_form_class = DistrictScopedForm

    class Meta:
        ordering = ["code"]
        verbose_name = _("inspector")
        verbose_name_plural = _("inspectors")

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class Draw(models.Model):
    """One double-random draw: which firms are inspected, and by whom."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        COMMITTED = "committed", _("committed: commitment published")
        DRAWN = "drawn", _("drawn: seed and result published")

    #: The field holding each supervision class's ratio; "U" is unclassified.
    RATIO_FIELDS = {
        "A": "ratio_a",
        "B": "ratio_b",
        "C": "ratio_c",
        "D": "ratio_d",
        "U": "ratio_unclassified",
    }

    reference = models.CharField(
        _("reference number"),
        max_length=100,
        unique=True,
        validators=[validate_plain_text],
        help_text=_("e.g. 沪市监双随机〔2019〕1号"),
    )
    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    description = models.TextField(
        _("description"), max_length=2000, blank=True, validators=[validate_plain_text]
    )
    categories = models.ManyToManyField(
        ProductCategory,
        related_name="draws",
        verbose_name=_("product categories"),
        help_text=_("Enterprises making products of these categories or their sub-categories."),
    )
    districts = models.ManyToManyField(
        District,
        blank=True,
        related_name="draws",
        verbose_name=_("districts"),
        help_text=_("Leave empty for the whole city."),
    )
    ratio_a = models.DecimalField(
        _("class A ratio (%)"), max_digits=5, decimal_places=2, default=5, validators=PERCENT
    )
    ratio_b = models.DecimalField(
        _("class B ratio (%)"), max_digits=5, decimal_places=2, default=10, validators=PERCENT
    )
    ratio_c = models.DecimalField(
        _("class C ratio (%)"), max_digits=5, decimal_places=2, default=20, validators=PERCENT
    )
    ratio_d = models.DecimalField(
        _("class D ratio (%)"), max_digits=5, decimal_places=2, default=50, validators=PERCENT
    )
    ratio_unclassified = models.DecimalField(
        _("unclassified ratio (%)"), max_digits=5, decimal_places=2, default=10, validators=PERCENT
    )
    inspectors = models.ManyToManyField(
        Inspector,
        related_name="draws",
        limit_choices_to={"active": True},
        verbose_name=_("inspector pool"),
    )
    inspectors_per_firm = models.PositiveSmallIntegerField(
        _("inspectors per firm"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    previous_draw = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"state": "drawn"},
        verbose_name=_("previous draw"),
        help_text=_("Inspectors are not sent again to the firms they had in this draw."),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, editable=False
    )
    seed = models.CharField(_("seed"), max_length=64, blank=True, editable=False)
    commitment = models.CharField(_("commitment"), max_length=64, blank=True, editable=False)
    inputs = models.JSONField(_("inputs"), default=dict, editable=False)
    inputs_sha256 = models.CharField(_("inputs SHA-256"), max_length=64, blank=True, editable=False)
    result = models.JSONField(_("result"), default=dict, editable=False)
    committed_at = models.DateTimeField(_("committed at"), null=True, editable=False)
    drawn_at = models.DateTimeField(_("drawn at"), null=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    base_form_class = DrawForm

    class Meta:
        ordering = ["-created_at"]
        permissions = [("run_draw", "Can commit and run draws")]
        verbose_name = _("double-random draw")
        verbose_name_plural = _("double-random draws")

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def save(self, *args, **kwargs):
        """Only the transitions, which name the fields they write, may save a committed draw."""
        if kwargs.get("update_fields") is None and self.is_locked():
            raise ValidationError(LOCKED, code="locked")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("supervision:draw", args=[self.pk])

    def delete(self, *args, **kwargs):
        if self.is_locked():
            raise ValidationError(LOCKED, code="locked")
        return super().delete(*args, **kwargs)

    def ratio(self, supervision_class: str) -> Decimal:
        return getattr(self, self.RATIO_FIELDS[supervision_class])

    def is_locked(self) -> bool:
        """Committed in the database (not merely in this copy)."""
        return (
            bool(self.pk)
            and Draw.objects.filter(pk=self.pk).exclude(state=self.State.DRAFT).exists()
        )


class CapabilityAssessment(models.Model):
    """第三方质量安全能力评估: a third-party body's assessment of a key enterprise."""

    enterprise = models.ForeignKey(
        Enterprise,
        models.CASCADE,
        related_name="capability_assessments",
        verbose_name=_("enterprise"),
    )
    body = models.CharField(_("assessment body"), max_length=200, validators=[validate_plain_text])
    assessed_on = models.DateField(_("assessed on"))
    scope = models.TextField(
        _("scope"),
        max_length=500,
        validators=[validate_plain_text],
        help_text=_("What was assessed, e.g. 儿童服装生产全过程质量安全管理"),
    )
    score = models.DecimalField(
        _("score"), max_digits=4, decimal_places=1, null=True, blank=True, validators=PERCENT
    )
    level = models.CharField(
        _("level"),
        max_length=20,
        blank=True,
        validators=[validate_plain_text],
        help_text=_("As the body states it, e.g. A级 or 优秀"),
    )
    summary = models.TextField(
        _("summary"), max_length=2000, blank=True, validators=[validate_plain_text]
    )
    report = models.ForeignKey(
        "wagtaildocs.Document",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("report"),
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    district_lookup = "enterprise__district"

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        verbose_name = _("capability assessment")
        verbose_name_plural = _("capability assessments")

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.body}（{self.assessed_on}）"

    def clean(self) -> None:
        errors = {}
        if self.score is None and not self.level:
            errors["level"] = _("Give a score, a level or both.")
        if self.assessed_on and self.assessed_on > timezone.localdate():
            errors["assessed_on"] = _("An assessment cannot be dated in the future.")
        if self.assessed_on and self.valid_until and self.valid_until < self.assessed_on:
            errors["valid_until"] = _("The validity cannot end before the assessment.")
        if errors:
            raise ValidationError(errors)

    @property
    def expired(self) -> bool:
        return self.valid_until is not None and self.valid_until < timezone.localdate()
