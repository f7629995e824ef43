"""Non-conformity statistics, checked against figures computed by hand."""

from decimal import Decimal

import pytest

from portal.inspections import statistics
from portal.inspections.models import Channel, Outcome, SpotCheckBatch
from portal.registry.models import District
from tests.factories import (
    EnterpriseFactory,
    ProductCategoryFactory,
    SpotCheckBatchFactory,
    SpotCheckResultFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    clothing = ProductCategoryFactory(code="0101", name="儿童服装")
    bags = ProductCategoryFactory(code="0102", name="学生书包")
    minhang = EnterpriseFactory(district=District.objects.get(code="minhang"))
    songjiang = EnterpriseFactory(district=District.objects.get(code="songjiang"))

    # 2019, batch A: 4 clothing samples from Minhang, retail; 1 fails.
    a = SpotCheckBatchFactory(year=2019)
    for outcome in (Outcome.FAIL, Outcome.PASS, Outcome.PASS, Outcome.PASS):
        SpotCheckResultFactory(
            batch=a, category=clothing, producer=minhang, outcome=outcome, channel=Channel.RETAIL
        )
    # 2019, batch B lists only its 2 failures (bags, Songjiang, e-commerce) but declares
    # 10 sampled and 2 failed.
    b = SpotCheckBatchFactory(year=2019, declared_sampled=10, declared_failed=2)
    for _ in range(2):
        SpotCheckResultFactory(
            batch=b,
            category=bags,
            producer=songjiang,
            outcome=Outcome.FAIL,
            channel=Channel.ECOMMERCE,
        )
    # 2020, batch C: 3 bag samples from Minhang, production; 0 fail; one row was removed by
    # a corrected file and must not count.
    c = SpotCheckBatchFactory(year=2020, version=2)
    for _ in range(3):
        SpotCheckResultFactory(batch=c, category=bags, producer=minhang, channel=Channel.PRODUCTION)
    SpotCheckResultFactory(
        batch=c, category=bags, producer=minhang, outcome=Outcome.FAIL, removed_in_version=2
    )
    # A draft batch is not public and must not count.
    draft = SpotCheckBatchFactory(year=2020, status=SpotCheckBatch.Status.DRAFT)
    SpotCheckResultFactory(batch=draft, category=bags, producer=minhang, outcome=Outcome.FAIL)


def figures(rows):
    """Sorted in Python: the database's collation decides the order of Chinese names."""
    return sorted((f.key, f.batches, f.samples, f.failures, f.rate) for f in rows)


def test_by_year_uses_declared_totals(data):
    # 2019: A 4 samples/1 failed + B declared 10/2 → 14 samples, 3 failed, 21.4%.
    assert figures(statistics.by_year()) == [
        (2019, 2, 14, 3, Decimal("21.4")),
        (2020, 1, 3, 0, Decimal("0.0")),
    ]


def test_by_category(data):
    # bags: B's 2 listed failures + C's 3 passes → 5 samples, 2 failed, 40.0%.
    assert figures(statistics.by("category")) == [
        ("儿童服装", 1, 4, 1, Decimal("25.0")),
        ("学生书包", 2, 5, 2, Decimal("40.0")),
    ]


def test_by_district_of_the_producer(data):
    assert figures(statistics.by("district")) == [
        ("松江区", 1, 2, 2, Decimal("100.0")),
        ("闵行区", 2, 7, 1, Decimal("14.3")),
    ]


def test_by_channel_with_a_filter(data):
    assert figures(statistics.by("channel", batch__year=2019)) == [
        ("ecommerce", 1, 2, 2, Decimal("100.0")),
        ("retail", 1, 4, 1, Decimal("25.0")),
    ]


def test_overall_and_empty():
    assert statistics.overall().rate is None
    assert statistics.by_year() == []


def test_latest_year_is_cached_until_a_result_or_batch_changes(
    data, django_capture_on_commit_callbacks, django_assert_num_queries
):
    first = statistics.latest_year()
    assert first == statistics.by_year()[-1]
    with django_assert_num_queries(0):
        assert statistics.latest_year() == first

    assert first.key == 2020
    batch = SpotCheckBatch.objects.get(year=2020, status=SpotCheckBatch.Status.PUBLISHED)
    with django_capture_on_commit_callbacks(execute=True):
        SpotCheckResultFactory(batch=batch, outcome=Outcome.FAIL)
    assert statistics.latest_year() == statistics.by_year()[-1] != first

    changed = statistics.latest_year()
    with django_capture_on_commit_callbacks(execute=True):
        batch.status = SpotCheckBatch.Status.DRAFT
        batch.save()
    assert statistics.latest_year() == statistics.by_year()[-1] != changed
