"""`manage.py load_demo`: a seeded registry whose identifiers pass the registry's own checks,
the same for the same seed, and left alone by a second run."""

from __future__ import annotations

import hashlib
import io
import logging
import re

import pytest
from django.core.management import CommandError, call_command

from portal.core.text import fold
from portal.demo.generate import DemoSize
from portal.inspections.models import (
    FailedItem,
    InspectionAgency,
    Outcome,
    SpotCheckBatch,
    SpotCheckResult,
)
from portal.inspections.spreadsheets.samples import sample_key
from portal.registry.catalogue import NATIONAL_2019, SHANGHAI_2020, load_catalogue
from portal.registry.models import (
    Enterprise,
    Licence,
    LicenceStatus,
    Product,
    ProductBarcode,
    ProductCategory,
)
from portal.registry.validators import validate_gtin, validate_licence_number, validate_uscc

SCALE = 0.02
SIZE = DemoSize.for_scale(SCALE)


def load_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("load_demo", "--scale", str(SCALE), *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = (Enterprise, Licence, Product, ProductBarcode, SpotCheckBatch, SpotCheckResult)
    return {model.__name__: model.objects.count() for model in (*models, FailedItem)}


def digest() -> str:
    """A fingerprint of the data that ignores database ids, which differ between runs."""
    rows = [
        *Enterprise.objects.order_by("uscc").values_list(
            "uscc", "name", "address", "district__code", "supervision_class", "class_assessed_on"
        ),
        *Licence.objects.order_by("number").values_list("number", "status", "issued_on"),
        *Product.objects.order_by("manufacturer__uscc", "model_spec", "name").values_list(
            "manufacturer__uscc", "name", "brand", "model_spec", "category__code"
        ),
        *ProductBarcode.objects.order_by("gtin").values_list("gtin", "product__model_spec"),
        *SpotCheckBatch.objects.order_by("authority", "notice_number").values_list(
            "notice_number", "title", "published_on", "declared_sampled", "declared_failed"
        ),
        *SpotCheckResult.objects.order_by("batch__notice_number", "sample_key").values_list(
            "sample_key", "outcome", "producer_name", "sampled_unit_name", "channel", "lot_raw"
        ),
        *FailedItem.objects.order_by(
            "result__batch__notice_number", "result__sample_key", "position"
        ).values_list("item", "measured", "limit"),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


@pytest.fixture
def demo(db) -> str:
    return load_demo()


def test_loads_the_requested_counts(demo):
    assert Enterprise.objects.count() == SIZE.enterprises
    assert Product.objects.count() == SIZE.products
    assert SpotCheckBatch.objects.count() == SIZE.batches
    assert SpotCheckResult.objects.count() == SIZE.results
    assert InspectionAgency.objects.exists()
    assert Licence.objects.exists()
    assert f"{SIZE.results:,} results" in demo


def test_identifiers_pass_the_registry_validators(demo):
    usccs = list(Enterprise.objects.values_list("uscc", flat=True))
    gtins = list(ProductBarcode.objects.values_list("gtin", flat=True))
    numbers = list(Licence.objects.values_list("number", flat=True))
    assert usccs and gtins and numbers
    for code in usccs:
        validate_uscc(code)
    for gtin in gtins:
        assert len(gtin) == 13
        validate_gtin(gtin)
    for number in numbers:
        validate_licence_number(number)


def test_a_licence_has_the_status_its_history_ends_with(demo):
    for licence in Licence.objects.prefetch_related("status_history"):
        history = list(licence.status_history.all())
        assert licence.status == (history[0].status if history else LicenceStatus.VALID)
        assert all(licence.issued_on <= change.changed_on for change in history)


def test_every_enterprise_is_in_a_district(demo):
    assert not Enterprise.objects.filter(district__isnull=True).exists()
    for name, address in Enterprise.objects.values_list("district__name", "address"):
        assert address.startswith(f"上海市{name}")


def test_failed_results_have_failed_items_and_passed_ones_none(demo):
    failed = SpotCheckResult.objects.filter(outcome=Outcome.FAIL)
    assert failed.exists() and SpotCheckResult.objects.filter(outcome=Outcome.PASS).exists()
    assert not failed.filter(failed_items__isnull=True).exists()
    assert not FailedItem.objects.exclude(result__outcome=Outcome.FAIL).exists()
    for batch in SpotCheckBatch.objects.all():
        assert batch.declared_failed == batch.results.filter(outcome=Outcome.FAIL).count()


def test_derived_fields_that_bulk_create_skips_are_set(demo):
    for enterprise in Enterprise.objects.all():
        assert enterprise.name_folded == fold(enterprise.name)
    for product in Product.objects.all():
        assert product.identity == Product.identity_for(
            product.manufacturer_id, product.name, product.brand, product.model_spec
        )
    for agency in InspectionAgency.objects.all():
        assert agency.name_folded == fold(agency.name)
    assert set(SpotCheckBatch.objects.values_list("status", "version")) == {("published", 1)}
    assert set(SpotCheckResult.objects.values_list("version", flat=True)) == {1}
    for key in SpotCheckResult.objects.values_list("sample_key", flat=True):
        assert re.fullmatch(r"[0-9a-f]{64}", key)


def test_sample_keys_are_the_ones_the_importer_computes(demo):
    """So that importing a corrected file of a demo batch updates its rows."""
    for result in SpotCheckResult.objects.all()[:50]:
        values = {
            "sample_name": result.sample_name,
            "producer_name": result.producer_name,
            "brand": result.nominal_brand,
            "model": result.nominal_model,
            "lot": result.lot_raw,
            "sampled_unit_name": result.sampled_unit_name,
        }
        assert sample_key(values) == result.sample_key


def test_results_belong_to_the_current_catalogue(demo):
    categories = ProductCategory.objects.filter(results__isnull=False).distinct()
    assert set(categories.values_list("edition", flat=True)) == {SHANGHAI_2020}
    assert not categories.filter(children__isnull=False).exists()


def test_the_same_seed_gives_the_same_data(db):
    load_demo("--reset")
    first = digest()
    load_demo("--reset")
    assert digest() == first
    load_demo("--reset", "--seed", "7")
    assert digest() != first


def test_a_second_run_without_reset_adds_nothing(demo):
    before = counts()
    out = load_demo()
    assert "skipped" in out
    assert counts() == before


def test_scale_zero_loads_only_the_catalogue(db):
    call_command("load_demo", "--scale", "0", stdout=io.StringIO())
    assert not Enterprise.objects.exists()
    assert ProductCategory.objects.filter(edition=NATIONAL_2019).exists()


def test_a_scale_too_small_for_every_category_is_refused(db):
    with pytest.raises(CommandError, match="--scale"):
        call_command("load_demo", "--scale", "0.001")


def test_the_catalogue_loads_idempotently(db):
    ProductCategory.objects.all().delete()
    first = load_catalogue()
    assert first["created"] == ProductCategory.objects.count()
    assert load_catalogue() == {"created": 0, "updated": 0}
    lock = ProductCategory.objects.get(edition=SHANGHAI_2020, name="智能门锁")
    assert lock.smart_home and lock.is_key and lock.parent.name == "智能家居"
    assert lock.name_zh_hant == "智能門鎖"
    assert not ProductCategory.objects.filter(edition=NATIONAL_2019, code=lock.code).exists()
    group = ProductCategory.objects.get(edition=NATIONAL_2019, code="02")
    assert group.food_contact and not group.is_key


def test_wagtail_page_logs_go_to_the_log_at_debug_level(db, caplog):
    """Several hundred "Page created/edited/published" lines would bury the summary."""
    caplog.set_level(logging.DEBUG, logger="portal.demo")
    out = io.StringIO()
    call_command("load_demo", "--scale", "0", stdout=out)
    from_wagtail = [record for record in caplog.records if record.name.startswith("wagtail")]
    assert any(r.getMessage().startswith("Page created: ") for r in from_wagtail)
    assert {record.levelno for record in from_wagtail} == {logging.DEBUG}
    assert "Demo pages:" in out.getvalue()  # the command's own summary stays
    wagtail = logging.getLogger("wagtail")
    assert wagtail.propagate and not wagtail.handlers  # as it was after the command


def test_at_the_usual_log_level_wagtail_says_nothing_while_the_demo_loads(db, caplog):
    caplog.set_level(logging.INFO)
    call_command("load_demo", "--scale", "0", stdout=io.StringIO())
    assert not [record for record in caplog.records if record.name.startswith("wagtail")]
