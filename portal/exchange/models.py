"""Partner authorities whose signed feeds we pull, and the items they sent.

Nothing a partner sends is public until an editor accepts it. An item keeps the version an
editor accepted (`published`) apart from the latest one received (`data`), so a changed item
goes back for review without vanishing from the site or showing unreviewed text.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from content.models import Hazard, RiskLevel, RiskWarningPage
from portal.core.text import to_traditional
from portal.registry.models import TranslatedName

from . import signing
from .forms import PartnerForm


class Algorithm(models.TextChoices):
    ED25519 = signing.ED25519, "Ed25519"
    HMAC_SHA256 = signing.HMAC_SHA256, "HMAC-SHA256"


class Partner(TranslatedName):
    """A partner authority (e.g. 江苏省市场监督管理局): its feed and the key that signs it.

    The shared HMAC secret is kept encrypted (`signing.encrypt_secret`) and never shown again
    after it was entered; Ed25519 partners need only their public keys, which are not secret.
    """

    region_code = models.SlugField(
        _("region code"),
        max_length=20,
        unique=True,
        help_text=_(
            "The partner's code in the exchange, e.g. js or zj; its items' ids start with it."
        ),
    )
    feed_url = models.URLField(
        _("feed URL"), max_length=500, help_text=_("The partner's anxin-exchange/1 feed.")
    )
    algorithm = models.CharField(
        _("signature algorithm"),
        max_length=20,
        choices=Algorithm.choices,
        default=Algorithm.ED25519,
    )
    public_keys = models.TextField(
        _("public keys (Ed25519)"),
        blank=True,
        help_text=_(
            "The partner's Ed25519 public keys, base64, one per line (two while they rotate). "
            "Confirm each key's id with the partner by another channel than the feed."
        ),
    )
    secret_ciphertext = models.TextField(blank=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    cursor = models.CharField(max_length=200, blank=True, editable=False)
    last_issued_at = models.DateTimeField(
        _("issue time of the last accepted feed"), null=True, blank=True, editable=False
    )
    last_pull_at = models.DateTimeField(_("last pulled"), null=True, blank=True, editable=False)
    last_pull_ok = models.BooleanField(_("last pull succeeded"), null=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    base_form_class = PartnerForm
    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("name_zh_hant"), FieldPanel("name_en")],
            heading=_("Authority"),
        ),
        FieldPanel("region_code"),
        FieldPanel("feed_url"),
        FieldPanel("algorithm"),
        FieldPanel("public_keys"),
        FieldPanel("shared_secret"),
        FieldPanel("is_active"),
    ]

    class Meta:
        ordering = ["region_code"]
        verbose_name = _("partner authority")
        verbose_name_plural = _("partner authorities")

    def clean(self):
        super().clean()
        if self.algorithm == Algorithm.ED25519:
            try:
                keys = signing.parse_public_keys(self.public_keys)
            except ValueError as error:
                raise ValidationError({"public_keys": str(error)}) from error
            if not keys:
                raise ValidationError({"public_keys": _("An Ed25519 partner needs a public key.")})

    @property
    def display_name(self) -> str:
        """The name in the reader's language (traditional by OpenCC when not given)."""
        language = get_language()
        if language == "en":
            return self.name_en or self.name
        if language == "zh-hant":
            return self.name_zh_hant or to_traditional(self.name)
        return self.name

    @property
    def has_secret(self) -> bool:
        return bool(self.secret_ciphertext)

    def set_secret(self, secret: str) -> None:
        self.secret_ciphertext = signing.encrypt_secret(secret)

    def secret(self) -> bytes:
        return signing.decrypt_secret(self.secret_ciphertext)

    def record_pull(self, error: str = "") -> None:
        """Note the outcome of a pull on this row (what editors see in the partner list)."""
        self.last_pull_at, self.last_pull_ok, self.last_error = timezone.now(), not error, error
        self.save(update_fields=["last_pull_at", "last_pull_ok", "last_error"])


class PartnerItemQuerySet(models.QuerySet):
    def public_warnings(self):
        """Accepted warnings, as the site shows them (also of a partner no longer pulled)."""
        return (
            self.filter(kind=PartnerItem.Kind.WARNING, published__isnull=False)
            .select_related("partner")
            .order_by("-remote_published_at", "-id")
        )


class PartnerItem(models.Model):
    """One warning or failed spot-check result from a partner's feed, unique per remote id."""

    class Kind(models.TextChoices):
        WARNING = "warning", _("risk warning")
        FAILED_RESULT = "failed_result", _("failed spot-check result")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending review")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    partner = models.ForeignKey(
        Partner, models.CASCADE, related_name="items", verbose_name=_("partner")
    )
    remote_id = models.CharField(_("id at the partner"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    data = models.JSONField(_("latest version received"))
    digest = models.CharField(max_length=64, editable=False)
    remote_modified = models.DateTimeField(_("changed at the partner"))
    received_at = models.DateTimeField(_("first received"), auto_now_add=True)
    changed_at = models.DateTimeField(_("last changed"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    remote_published_at = models.DateTimeField(_("published by the partner"))
    published = models.JSONField(_("version shown on the site"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = PartnerItemQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "remote_id"], name="one_item_per_remote_id")
        ]
        indexes = [models.Index(fields=["kind", "status"])]
        permissions = [("review_partneritem", _("Can accept or reject partner items"))]
        verbose_name = _("partner item")
        verbose_name_plural = _("partner items")

    def __str__(self) -> str:
        return f"{self.remote_id} {self.title}"

    @property
    def is_update(self) -> bool:
        """Pending, while an earlier version is on the site."""
        return self.status == self.Status.PENDING and self.published is not None

    @property
    def shown(self) -> dict:
        """The version on the site, ready for a template."""
        return present(self.published or {})

    @property
    def received(self) -> dict:
        """The latest version received, ready for a template."""
        return present(self.data)

    def accept(self, user) -> None:
        self._decide(self.Status.ACCEPTED, self.data, user)

    def reject(self, user) -> None:
        """Hide the item, including a version accepted earlier."""
        self._decide(self.Status.REJECTED, None, user)

    def _decide(self, status: str, published: dict | None, user) -> None:
        self.status, self.published = status, published
        self.decided_by, self.decided_at = user, timezone.now()
        self.save(update_fields=["status", "published", "decided_by", "decided_at"])


def present(data: dict) -> dict:
    """A stored item with dates as dates and codes with their labels in the reader's language."""

    def date(value):
        return datetime.date.fromisoformat(value) if value else None

    shown = dict(data)
    if data.get("published_at"):
        shown["published_at"] = datetime.datetime.fromisoformat(data["published_at"])
    for field in ("withdrawn_on", "published_on"):
        shown[field] = date(data.get(field))
    shown["updates"] = [{**u, "date": date(u["date"])} for u in data.get("updates", [])]
    shown["hazard_labels"] = [Hazard(h).label for h in data.get("hazards", [])]
    if data.get("risk_level"):
        shown["risk_level_label"] = RiskLevel(data["risk_level"]).label
        shown["kind_label"] = RiskWarningPage.Kind(data["kind"]).label
    return shown
