"""`matching.find` against the database: every kind of match with its confidence, what is
never shown (unpublished checks and warnings), the order, and a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from portal.inspections.models import Outcome, SpotCheckBatch, SpotCheckResult
from portal.traceability import matching
from portal.traceability.matching import Confidence, Kind
from tests.factories import (
    ProductBarcodeFactory,
    ProductFactory,
    SpotCheckBatchFactory,
    SpotCheckResultFactory,
)

from .conftest import gtin13

pytestmark = pytest.mark.django_db

EAN = gtin13("692000000101")


def find(text: str) -> matching.Findings:
    return matching.find(matching.parse(text), Locale.get_default().pk)


def kinds(matches) -> list[tuple[str, Kind, Confidence]]:
    return [(str(m.item), m.kind, m.confidence) for m in matches]


def result(lot_raw="", lot_number="", published="2019-06-01", **fields):
    batch = SpotCheckBatchFactory(published_on=published)
    return SpotCheckResultFactory(batch=batch, lot_raw=lot_raw, lot_number=lot_number, **fields)


@pytest.fixture
def kettle():
    """A registered product with a 13-digit barcode and one public spot-check result."""
    barcode = ProductBarcodeFactory(gtin=EAN, product__name="电热水壶", product__brand="美滋")
    result(product=barcode.product, sample_name="电热水壶", outcome=Outcome.FAIL)
    return barcode.product


def test_a_registered_barcode_finds_its_product_for_certain_and_its_results_as_high(kettle):
    for typed in (EAN, "0" + EAN, f"{EAN[:6]} {EAN[6:]}"):
        found = find(typed)
        assert kinds(found.products) == [(str(kettle), Kind.REGISTERED_GTIN, Confidence.CERTAIN)]
        assert found.products[0].evidence.gtin == EAN
        [match] = found.results
        assert (match.item.product, match.kind, match.confidence) == (
            kettle,
            Kind.PRODUCT_RESULT,
            Confidence.HIGH,
        )


def test_a_barcode_registered_in_gtin14_form_is_found_by_its_ean13(db):
    ProductBarcodeFactory(gtin="0" + EAN)
    assert len(find(EAN).products) == 1


def test_results_citizens_cannot_see_are_never_found(kettle):
    draft = SpotCheckBatchFactory(status=SpotCheckBatch.Status.DRAFT)
    SpotCheckResultFactory(batch=draft, product=kettle)
    withdrawn = SpotCheckBatchFactory(status=SpotCheckBatch.Status.WITHDRAWN)
    SpotCheckResultFactory(batch=withdrawn, product=kettle, lot_number="PB1812")
    removed = SpotCheckResultFactory(product=kettle, lot_number="PB1812", removed_in_version=2)
    found = find(EAN)
    assert len(found.results) == 1
    assert removed.pk not in {m.item.pk for m in found.results}
    assert not find("PB1812").results


def test_lot_exact_is_high_and_lot_written_otherwise_is_medium(db):
    product = ProductFactory(name="移动电源", brand="能量方")
    exact = result(lot_number="PB1812", lot_raw="2018-12-01/PB1812", product=product)
    printed = result(lot_raw="批号：pb-1812", sample_name="充电宝")
    result(lot_number="PB18120", sample_name="不相干")
    found = find("PB1812")
    assert [(m.item.pk, m.kind, m.confidence) for m in found.results] == [
        (exact.pk, Kind.LOT_EXACT, Confidence.HIGH),
        (printed.pk, Kind.LOT_NORMALISED, Confidence.MEDIUM),
    ]
    # The product of a result found by its lot is found as surely as the result.
    assert kinds(found.products) == [(str(product), Kind.LOT_EXACT, Confidence.HIGH)]
    assert found.products[0].evidence == exact
    assert find("２０１８－１２－０１／ＰＢ１８１２").results[0].kind == Kind.LOT_NORMALISED
    assert find("2018-12-01/PB1812").results[0].kind == Kind.LOT_EXACT


def test_a_warning_listing_the_barcode_is_certain_however_it_was_typed(make_warning):
    spaced = " ".join([EAN[:3], EAN[3:7], EAN[7:]])
    page = make_warning(products=[{"name": "儿童连帽卫衣", "brand": "童乐", "gtin": spaced}])
    make_warning(
        title="另一条警示", products=[{"name": "儿童连帽卫衣", "gtin": gtin13("692000000102")}]
    )
    found = find("0" + EAN)
    assert [(m.item.pk, m.kind, m.confidence) for m in found.warnings] == [
        (page.pk, Kind.WARNING_GTIN, Confidence.CERTAIN)
    ]
    assert found.warnings[0].evidence.name == "儿童连帽卫衣"


def test_warning_batches_match_exactly_or_written_otherwise(make_warning):
    exact = make_warning(products=[{"name": "移动电源", "batch": "PB1812"}])
    loose = make_warning(
        title="移动电源召回", products=[{"name": "移动电源", "batch": "ｐｂ－１８１２"}]
    )
    found = find("PB1812")
    assert {(m.item.pk, m.kind) for m in found.warnings} == {
        (exact.pk, Kind.LOT_EXACT),
        (loose.pk, Kind.LOT_NORMALISED),
    }
    assert found.warnings[0].item.pk == exact.pk  # the surer first


def test_a_warning_citing_a_found_result_is_as_sure_as_the_result(make_warning):
    cited = result(lot_raw="批号 PB1812")
    page = make_warning(cites=[cited])
    [match] = find("PB1812").warnings
    assert (match.item.pk, match.kind, match.confidence) == (
        page.pk,
        Kind.CITES_RESULT,
        Confidence.MEDIUM,
    )
    assert match.evidence == cited


def test_name_and_brand_alone_are_a_low_match_and_only_without_a_barcode(kettle, make_warning):
    named = make_warning(products=[{"name": "电热水壶", "brand": "美滋", "model_spec": "1.7L"}])
    make_warning(
        title="别的水壶",
        products=[{"name": "电热水壶", "brand": "美滋", "gtin": gtin13("692000000102")}],
    )
    make_warning(title="别的品牌", products=[{"name": "电热水壶", "brand": "安家"}])
    assert [(m.item.pk, m.kind, m.confidence) for m in find(EAN).warnings] == [
        (named.pk, Kind.NAME_ONLY, Confidence.LOW)
    ]


def test_a_warning_is_listed_once_with_its_surest_match(kettle, make_warning):
    page = make_warning(
        products=[
            {"name": "电热水壶", "brand": "美滋"},  # name only: low
            {"name": "电热水壶", "brand": "美滋", "batch": "20190301", "gtin": EAN},  # certain
        ]
    )
    assert kinds(find(EAN).warnings) == [(page.title, Kind.WARNING_GTIN, Confidence.CERTAIN)]


def test_unpublished_warnings_are_never_found(make_warning):
    make_warning(products=[{"name": "磁力珠", "gtin": EAN}], live=False)
    assert not find(EAN).warnings


def test_sorted_by_confidence_then_newest_first(db):
    old = result(lot_number="PB1812", published="2019-01-10")
    new = result(lot_number="PB1812", published="2019-09-10")
    newest_but_loose = result(lot_number="pb 1812", published="2019-12-01")
    undated = result(lot_number="PB1812", published=None)
    found = find("PB1812")
    assert [m.item.pk for m in found.results] == [new.pk, old.pk, undated.pk, newest_but_loose.pk]
    assert found.results[0].date == datetime.date(2019, 9, 10)


def test_nothing_found_is_an_empty_answer(db):
    found = find("ZZ9999")
    assert found.total == 0
    assert found.query.lot_key == "ZZ9999"


def test_at_most_the_limit_per_list(db, settings, monkeypatch):
    monkeypatch.setattr(matching, "LIMIT", 3)
    for _ in range(5):
        result(lot_number="PB1812")
    assert len(find("PB1812").results) == 3


def test_the_number_of_queries_does_not_grow_with_the_matches(kettle, make_warning):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            found = find(EAN)
        assert found.results and found.warnings
        return len(queries)

    make_warning(products=[{"name": "电热水壶", "gtin": EAN}])
    few = count()
    for n in range(6):
        ProductBarcodeFactory(gtin=gtin13(f"69300000010{n}"))
        result(product=kettle, lot_number=f"K{n}")
        make_warning(
            title=f"警示{n}",
            products=[{"name": "电热水壶", "gtin": EAN}],
            cites=[result(product=kettle)],
        )
        make_warning(title=f"水壶{n}", products=[{"name": "电热水壶", "brand": "美滋"}])
    assert count() == few


def test_failed_results_come_before_surer_and_newer_ones(db):
    passed = result(lot_number="PB1812", published="2020-01-10")
    failed_loose = result(lot_number="pb-1812", published="2019-01-10", outcome=Outcome.FAIL)
    failed = result(lot_number="PB1812", published="2018-05-01", outcome=Outcome.FAIL)
    found = find("PB1812")
    assert [m.item.pk for m in found.results] == [failed.pk, failed_loose.pk, passed.pk]
    assert found.failed == 2


def test_lot_keys_are_kept_by_every_way_results_are_written(db):
    """The lookup compares stored keys: a write that skipped them would hide a batch."""
    saved = result(lot_raw="批号：ＰＢ-1812", lot_number="pb 1812")
    assert (saved.lot_raw_key, saved.lot_number_key) == ("PB1812", "PB1812")
    saved.lot_number = "Lot No. K-77"
    saved.save(update_fields=["lot_number"])
    saved.refresh_from_db()
    assert saved.lot_number_key == "K77"
    batch = SpotCheckBatchFactory(published_on="2019-06-01")
    built = SpotCheckResult(
        batch=batch, sample_key="k", sample_name="保温杯", lot_raw="2019-03-01/ab12", outcome="pass"
    )
    (created,) = SpotCheckResult.objects.bulk_create([built])
    created.refresh_from_db()
    assert created.lot_raw_key == "20190301AB12"
    created.lot_raw = "ＡＢ１２"
    SpotCheckResult.objects.bulk_update([created], ["lot_raw"])
    created.refresh_from_db()
    assert created.lot_raw_key == "AB12"
    assert [m.item.pk for m in find("ab-12").results] == [created.pk]
