"""Subscriptions by email, the publications they are matched against, and the alerts due.

The flow is an outbox: a publication (a warning going live, a spot-check batch becoming
public or corrected) is written as a `Publication` row in the transaction that publishes
it; matching turns it into `Alert` rows (one per subscription and item, so an item is never
sent twice to the same subscription); sending gathers them into `Delivery` rows (one per
email), claims each before the mail server is called and marks it and its alerts sent
after. Each step can be retried by the periodic task, so nothing is lost while Redis or the
mail server is down.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import validate_email
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from content.feeds import local_name
from content.models import RiskWarningPage
from portal.core.personal_data import DigestField, EncryptedTextField, normalize_email
from portal.inspections.models import SpotCheckBatch, SpotCheckResult
from portal.registry.models import District, Enterprise, ProductCategory


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def for_email(self, email: str):
        """Every subscription of one address, found through the digest (the address itself is
        encrypted)."""
        return self.filter(email_digest=email_digest(email))


def email_digest(email: str) -> str:
    return Subscription._meta.get_field("email_digest").digest_of(email)


class Subscription(models.Model):
    """One address following one thing. Unsubscribing deletes the row (and its alerts): an
    address that follows nothing is not kept."""

    class Target(models.TextChoices):
        CATEGORY = "category", _("product category")
        DISTRICT = "district", _("district")
        ENTERPRISE = "enterprise", _("enterprise")
        BRAND = "brand", _("brand")
        GTIN = "gtin", _("barcode (GTIN)")

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("at once, one email per publication")
        DAILY = "daily", _("once a day, in a digest")

    # Encrypted at rest; found and kept unique through its digest (docs/personal-data.md).
    email = EncryptedTextField(_("email"), max_length=254, validators=[validate_email])
    email_digest = DigestField(source="email", normalize=normalize_email)
    target = models.CharField(_("follows"), max_length=20, choices=Target.choices)
    category = models.ForeignKey(
        ProductCategory,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("product category"),
    )
    district = models.ForeignKey(
        District,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    enterprise = models.ForeignKey(
        Enterprise,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enterprise"),
    )
    brand = models.CharField(_("brand"), max_length=100, blank=True)
    gtin = models.CharField(_("barcode (GTIN-14)"), max_length=14, blank=True)
    #: What matching compares: "category:0101" (a catalogue code), "district:3",
    #: "enterprise:7", "brand:<folded>", "gtin:<GTIN-14>" (see `matching.subscription_key`).
    key = models.CharField(max_length=120, editable=False)
    frequency = models.CharField(
        _("how often"), max_length=20, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SubscriptionQuerySet.as_manager()
    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["email_digest", "key"], name="one_subscription_per_key"
            ),
        ]
        indexes = [
            models.Index(
                fields=["key"], condition=Q(confirmed_at__isnull=False), name="confirmed_key"
            )
        ]
        permissions = [("view_email_address", "Can see subscribers' email addresses")]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")

    def __str__(self) -> str:
        return gettext("%(target)s: %(name)s") % {
            "target": self.get_target_display(),
            "name": self.target_name,
        }

    @property
    def target_name(self) -> str:
        if self.target == self.Target.BRAND:
            return self.brand
        if self.target == self.Target.GTIN:
            return self.gtin
        if self.target == self.Target.ENTERPRISE:
            return self.enterprise.name
        return local_name(self.category or self.district)

    @property
    def masked_email(self) -> str:
        """w***@example.org: enough to tell two subscribers apart, not to write to one."""
        local, _at, domain = self.email.partition("@")
        return f"{local[:1]}***@{domain}"


class Publication(models.Model):
    """Something published that subscriptions may match: a live warning, or a spot-check batch
    that became public (every current failed result) or was corrected while public (the
    results new or changed in that version). Written where it is published; matched later."""

    warning = models.ForeignKey(
        RiskWarningPage, models.CASCADE, null=True, blank=True, related_name="+"
    )
    batch = models.ForeignKey(
        SpotCheckBatch, models.CASCADE, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(null=True, blank=True)
    whole_batch = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    matched_at = models.DateTimeField(null=True, blank=True)

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(warning__isnull=True) ^ Q(batch__isnull=True),
                name="publication_of_one_thing",
            )
        ]
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(matched_at__isnull=True), name="unmatched"
            )
        ]

    def __str__(self) -> str:
        return f"warning {self.warning_id}" if self.warning_id else f"batch {self.batch_id}"


class Delivery(models.Model):
    """One alert email to send: the unsent alerts of one address and language, gathered when it
    was prepared. A worker claims it in a committed transaction before calling the mail server
    and marks it sent after, so a worker killed in between leaves a claim that another takes
    over once it is older than `SUBSCRIPTIONS_CLAIM_SECONDS`; what was sent is not sent again.
    The address is read from its alerts' subscriptions, not copied here."""

    digest = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["digest", "id"], condition=Q(sent_at=None), name="delivery_unsent")
        ]

    def __str__(self) -> str:
        return f"delivery {self.pk}"


class Alert(models.Model):
    """One item due to (or sent to) one subscription. Warnings are named by translation key:
    the email links the warning in the subscriber's language."""

    subscription = models.ForeignKey(Subscription, models.CASCADE, related_name="alerts")
    warning_key = models.UUIDField(null=True, blank=True)
    result = models.ForeignKey(
        SpotCheckResult, models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("matched"), auto_now_add=True)
    delivery = models.ForeignKey(
        Delivery, models.SET_NULL, null=True, blank=True, related_name="alerts"
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "warning_key"], name="one_alert_per_warning"
            ),
            models.UniqueConstraint(fields=["subscription", "result"], name="one_alert_per_result"),
            models.CheckConstraint(
                condition=Q(warning_key__isnull=True) ^ Q(result__isnull=True),
                name="alert_of_one_thing",
            ),
        ]
        indexes = [
            models.Index(fields=["subscription"], condition=Q(sent_at__isnull=True), name="unsent")
        ]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")

    def __str__(self) -> str:
        return f"{self.subscription_id}: {self.warning_key or self.result_id}"
