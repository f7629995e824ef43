"""The supervision registry: who makes what, under which licence, in which class."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.core.bulk import copy_rows
from portal.core.text import core_name, fold, han_pinyin, pinyin_forms

from .scoping import DistrictScopedForm
from .validators import code_key, compact, validate_gtin, validate_licence_number, validate_uscc


class TranslatedName(models.Model):
    """A name in simplified Chinese, with traditional Chinese and English beside it."""

    name = models.CharField(_("name (simplified Chinese)"), max_length=200)
    name_zh_hant = models.CharField(_("name (traditional Chinese)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def local_name(self) -> str:
        """The name in the active language; simplified Chinese when no translation is given."""
        local = {"en": self.name_en, "zh-hant": self.name_zh_hant}.get(get_language())
        return local or self.name


class SearchColumnsQuerySet(models.QuerySet):
    """`bulk_create` fills the stored search columns as `save()` does, so the spreadsheet
    importer and the demo generator fill them without knowing about them."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            obj.fill_search_columns()
        return super().bulk_create(objs, *args, **kwargs)

    def copy_rows(self, rows: list[dict[str, Any]]) -> list[int]:
        """New rows as {attname: value} through PostgreSQL's COPY (`portal.core.bulk`), their
        search columns filled as `save()` fills them; returns the ids. For imports."""
        for row in rows:
            row.update(self.model.search_columns(row))
        return copy_rows(self.model, rows)


def pinyin_column(forms: list[str]) -> str:
    """Pinyin forms each preceded by a space, so "a form starts with w" is one
    `contains(" " + w)` on SQLite and PostgreSQL alike."""
    return "".join(f" {form}" for form in forms)


class District(TranslatedName):
    """An administrative district of the city; district editors work within one."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="districts",
        verbose_name=_("district editors"),
        help_text=_("Editors limited to this district's enterprises, batches and content."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")


class SupervisionClass(models.TextChoices):
    """分类监管: A is best and inspected least often."""

    A = "A", _("A (good)")
    B = "B", _("B")
    C = "C", _("C")
    D = "D", _("D (poor)")


class Enterprise(models.Model):
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_uscc],
    )
    name = models.CharField(_("name"), max_length=200)
    name_folded = models.CharField(max_length=200, db_index=True, editable=False)
    former_names = models.JSONField(_("former names"), default=list, blank=True)
    district = models.ForeignKey(
        District,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="enterprises",
        verbose_name=_("district"),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    supervision_class = models.CharField(
        _("supervision class"), max_length=1, choices=SupervisionClass.choices, blank=True
    )
    class_assessed_on = models.DateField(_("class assessed on"), null=True, blank=True)
    class_basis = models.TextField(_("basis of the class"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # What the database lookup matches when the engine is down (`fill_search_columns`).
    search_text = models.TextField(editable=False, default="")
    search_pinyin = models.TextField(editable=False, default="")
    search_codes = models.CharField(max_length=200, editable=False, default="", db_index=True)

    objects = SearchColumnsQuerySet.as_manager()

    district_lookup = "district"
    wagtail_reference_index_ignore = True  # bulk data: deletes stay cheap
    base_form_class = DistrictScopedForm

    class Meta:
        ordering = ["name"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.uscc = compact(self.uscc) or None
        self.name_folded = fold(self.name)
        self.fill_search_columns()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("registry:enterprise", args=[self.pk])

    def fill_search_columns(self) -> None:
        # Named, not self's: the backfill migration calls this on historical instances.
        values = {name: getattr(self, name) for name in ("name", "former_names", "uscc")}
        for name, value in Enterprise.search_columns(values).items():
            setattr(self, name, value)

    @staticmethod
    def search_columns(values: Mapping[str, Any]) -> dict[str, str]:
        """Folded name, former names and core name (space between parts); their pinyin and
        initials; the credit code's loose key. Licences are matched through their table."""
        name = values["name"]
        names = [name, *(str(former) for former in values.get("former_names") or [])]
        parts = [fold(part) for part in [*names, core_name(name)]]
        return {
            "search_text": " ".join(dict.fromkeys(part for part in parts if part)),
            "search_pinyin": pinyin_column(pinyin_forms(*names)),
            "search_codes": code_key(values.get("uscc")),
        }


class CreditFlag(models.Model):
    """A mark on an enterprise's credit record, e.g. listed as seriously dishonest."""

    class Kind(models.TextChoices):
        ABNORMAL = "abnormal", _("abnormal operation")
        DISHONEST = "dishonest", _("seriously dishonest")
        PENALTY = "penalty", _("administrative penalty")
        COMMENDED = "commended", _("commended")

    enterprise = models.ForeignKey(Enterprise, models.CASCADE, related_name="credit_flags")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    since = models.DateField(_("since"))
    source = models.CharField(_("source"), max_length=200)

    district_lookup = "enterprise__district"
    wagtail_reference_index_ignore = True  # bulk data: deletes stay cheap

    class Meta:
        ordering = ["-since"]
        verbose_name = _("credit flag")
        verbose_name_plural = _("credit flags")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.since})"


class LicenceStatus(models.TextChoices):
    VALID = "valid", _("valid")
    SUSPENDED = "suspended", _("suspended")
    REVOKED = "revoked", _("revoked")
    CANCELLED = "cancelled", _("cancelled")
    EXPIRED = "expired", _("expired")


class Licence(models.Model):
    """生产许可证. Its status changes are kept with their dates and reasons."""

    class IssuerLevel(models.TextChoices):
        NATIONAL = "national", _("national")
        PROVINCIAL = "provincial", _("provincial / municipal")

    number = models.CharField(
        _("licence number"), max_length=40, unique=True, validators=[validate_licence_number]
    )
    enterprise = models.ForeignKey(
        Enterprise, models.CASCADE, related_name="licences", verbose_name=_("enterprise")
    )
    product_unit = models.CharField(_("product unit"), max_length=200)
    issuer_level = models.CharField(_("issued at"), max_length=20, choices=IssuerLevel.choices)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"))
    status = models.CharField(
        _("status"), max_length=20, choices=LicenceStatus.choices, default=LicenceStatus.VALID
    )

    district_lookup = "enterprise__district"
    wagtail_reference_index_ignore = True  # bulk data: deletes stay cheap

    class Meta:
        ordering = ["number"]
        verbose_name = _("production licence")
        verbose_name_plural = _("production licences")

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs):
        self.number = compact(self.number)
        super().save(*args, **kwargs)

    @transaction.atomic
    def change_status(self, status: str, on, reason: str = "") -> LicenceStatusChange:
        """Set the status and record the change, so its history stays readable."""
        self.status = status
        self.save(update_fields=["status"])
        return self.status_history.create(status=status, changed_on=on, reason=reason)


class LicenceStatusChange(models.Model):
    licence = models.ForeignKey(Licence, models.CASCADE, related_name="status_history")
    status = models.CharField(_("status"), max_length=20, choices=LicenceStatus.choices)
    changed_on = models.DateField(_("date"))
    reason = models.TextField(_("reason"), blank=True)

    district_lookup = "licence__enterprise__district"
    wagtail_reference_index_ignore = True  # bulk data: deletes stay cheap

    class Meta:
        ordering = ["-changed_on", "-id"]
        verbose_name = _("licence status change")
        verbose_name_plural = _("licence status changes")

    def __str__(self) -> str:
        return f"{self.licence} → {self.get_status_display()} ({self.changed_on})"


class ProductCategory(TranslatedName):
    """A product type in one edition of the key-supervision catalogue (重点监管目录)."""

    edition = models.CharField(
        _("catalogue edition"), max_length=40, help_text=_('e.g. "national-2019", "shanghai-2020"')
    )
    code = models.CharField(_("code"), max_length=40)
    parent = models.ForeignKey(
        "self",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    is_key = models.BooleanField(_("key supervision"), default=False)
    for_children = models.BooleanField(_("children and students"), default=False)
    for_elderly = models.BooleanField(_("elderly"), default=False)
    food_contact = models.BooleanField(_("food-contact"), default=False)
    household_appliance = models.BooleanField(_("household appliance"), default=False)
    furniture = models.BooleanField(_("furniture"), default=False)
    smart_home = models.BooleanField(_("smart home"), default=False)

    GROUP_FLAGS = (
        "for_children",
        "for_elderly",
        "food_contact",
        "household_appliance",
        "furniture",
        "smart_home",
    )

    class Meta:
        ordering = ["edition", "code"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="unique_category_per_edition")
        ]
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")


class Product(models.Model):
    name = models.CharField(_("name"), max_length=200)
    brand = models.CharField(_("brand"), max_length=100, blank=True)
    model_spec = models.CharField(_("model / specification"), max_length=200, blank=True)
    category = models.ForeignKey(
        ProductCategory,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="products",
        verbose_name=_("category"),
    )
    manufacturer = models.ForeignKey(
        Enterprise,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="products",
        verbose_name=_("manufacturer"),
    )
    identity = models.CharField(
        max_length=64,
        unique=True,
        editable=False,
        help_text="Folded manufacturer + name + brand + model: one product per identity.",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # What the database lookup matches when the engine is down (`fill_search_columns`); the
    # maker's and the category's names are joined, not copied.
    search_text = models.TextField(editable=False, default="")
    search_pinyin = models.TextField(editable=False, default="")
    search_codes = models.CharField(max_length=200, editable=False, default="", db_index=True)

    objects = SearchColumnsQuerySet.as_manager()

    district_lookup = "manufacturer__district"
    wagtail_reference_index_ignore = True  # bulk data: deletes stay cheap

    class Meta:
        ordering = ["name"]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self) -> str:
        return " ".join(part for part in (self.brand, self.name, self.model_spec) if part)

    def save(self, *args, **kwargs):
        self.identity = self.identity_for(
            self.manufacturer_id, self.name, self.brand, self.model_spec
        )
        self.fill_search_columns()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("registry:product", args=[self.pk])

    def fill_search_columns(self) -> None:
        values = {name: getattr(self, name) for name in ("brand", "name", "model_spec")}
        for name, value in Product.search_columns(values).items():  # also historical ones
            setattr(self, name, value)

    @staticmethod
    def search_columns(values: Mapping[str, Any]) -> dict[str, str]:
        """Folded brand, name and model; pinyin and initials of the brand, the name and both
        together (好学 学生书包: haoxue, xueshengshubao, haoxuexueshengshubao, hx, xssb,
        hxxssb); the model's loose key (MB-FB40S701 → MBFB40S701). Barcodes are matched
        through their table."""
        brand, name, model_spec = values["brand"], values["name"], values["model_spec"]
        parts = [fold(part) for part in (brand, name, model_spec)]
        spellings = (brand, name, f"{brand}{name}")
        forms = [form for part in spellings for form in han_pinyin(part) if form]
        return {
            "search_text": " ".join(part for part in parts if part),
            "search_pinyin": pinyin_column(list(dict.fromkeys(forms))),
            "search_codes": code_key(model_spec),
        }

    @staticmethod
    def identity_for(manufacturer_id: int | None, name: str, brand: str, model_spec: str) -> str:
        key = "\x1f".join([str(manufacturer_id or ""), fold(name), fold(brand), fold(model_spec)])
        return hashlib.sha256(key.encode()).hexdigest()


class ProductBarcode(models.Model):
    """A GTIN printed on a product; one product may carry several (sizes, packs)."""

    product = models.ForeignKey(Product, models.CASCADE, related_name="barcodes")
    gtin = models.CharField(_("GTIN"), max_length=14, unique=True, validators=[validate_gtin])

    district_lookup = "product__manufacturer__district"
    wagtail_reference_index_ignore = True  # bulk data: deletes stay cheap

    class Meta:
        verbose_name = _("barcode")
        verbose_name_plural = _("barcodes")

    def __str__(self) -> str:
        return self.gtin

    def save(self, *args, **kwargs):
        self.gtin = compact(self.gtin)
        super().save(*args, **kwargs)
