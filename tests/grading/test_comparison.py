"""The comparison of one category under one scheme: table, filters, sort, spot checks beside
the grades, the side-by-side view, three languages, and a query count that does not grow."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.grading.models import Submission
from portal.inspections.models import Outcome
from tests.factories import (
    GraderOrganisationFactory,
    ProductFactory,
    SpotCheckBatchFactory,
    SpotCheckResultFactory,
)

from .comparisons import grade, graded_kettles, kettle_category, kettle_scheme

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheme():
    return kettle_scheme()


@pytest.fixture
def category():
    return kettle_category()


def table_url(scheme, category, prefix="") -> str:
    return prefix + reverse("grading:compare", args=[scheme.pk, category.pk])


def side_url(scheme, category) -> str:
    return reverse("grading:side_by_side", args=[scheme.pk, category.pk])


def listed_models(html: str) -> list[str]:
    return re.findall(r"<small>(SWF[^<]+)</small>", html)


def test_table_shows_each_products_current_grade_with_criteria_grader_and_date(
    client, scheme, category
):
    kettles = graded_kettles(3, scheme, category)
    regraded = kettles[0]
    newer = grade(
        regraded.product,
        scheme,
        scores={"safety": 99, "performance": 97, "energy": 95, "labelling": 90},
        tested_on=date(2020, 9, 1),
        organisation=GraderOrganisationFactory(name="华东消费品质量评测中心（上海）"),
    )
    withdrawn = grade(
        ProductFactory(name="电热水壶", brand="撤回牌", model_spec="SWF-W", category=category),
        scheme,
        scores={"safety": 90, "performance": 90, "energy": 90, "labelling": 90},
        status=Submission.Status.WITHDRAWN,
    )
    other_kind = grade(
        ProductFactory(name="电饭锅", model_spec="SWF-RICE"), scheme, scores=newer.scores
    )

    response = client.get(table_url(scheme, category))
    html = response.content.decode()
    assert response.status_code == 200
    assert listed_models(html).count(regraded.product.model_spec) == 1
    assert "华东消费品质量评测中心（上海）" in html and "2020年9月1日" in html  # the newest grade
    assert withdrawn.product.model_spec not in html
    assert other_kind.product.model_spec not in html
    assert "<caption" in html and 'scope="row"' in html and 'scope="col"' in html
    for criterion in ("电气安全", "使用性能", "能效", "标识说明"):
        assert criterion in html
    assert reverse("grading:report", args=[scheme.code, scheme.version]) + "#method" in html


def test_filters_by_brand_grade_and_price_band(client, scheme, category):
    kettles = graded_kettles(18, scheme, category)
    url = table_url(scheme, category)

    html = client.get(url, {"brand": "美的（Midea）"}).content.decode()
    expected = {g.product.model_spec for g in kettles if g.product.brand == "美的（Midea）"}
    assert set(listed_models(html)) == expected

    html = client.get(url, {"grade": "C"}).content.decode()
    assert set(listed_models(html)) == {g.product.model_spec for g in kettles if g.grade == "C"}

    band = scheme.price_bands.get(min_price=100)  # ¥100 to under ¥300
    html = client.get(url, {"price": band.pk}).content.decode()
    in_band = {g.product.model_spec for g in kettles if 100 <= g.price < 300}
    assert in_band and set(listed_models(html)) == in_band


def test_sorts_by_a_criterion_best_first_and_marks_the_sorted_column(client, scheme, category):
    kettles = graded_kettles(12, scheme, category)
    html = client.get(table_url(scheme, category), {"sort": "c-energy"}).content.decode()
    by_energy = sorted(kettles, key=lambda g: (-g.scores["energy"], g.product.brand, g.pk))
    assert listed_models(html)[:3] == [g.product.model_spec for g in by_energy[:3]]
    assert 'aria-sort="descending"><a href="?sort=c-energy">能效</a>' in html


def test_a_filter_value_not_on_offer_is_reported_and_not_applied(client, scheme, category):
    graded_kettles(4, scheme, category)
    response = client.get(table_url(scheme, category), {"grade": "S+", "sort": "nonsense"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html
    assert len(listed_models(html)) == 4


def test_a_product_that_failed_a_spot_check_after_its_grade_says_so(client, scheme, category):
    kettle, steady = graded_kettles(2, scheme, category)
    before = SpotCheckBatchFactory(year=2019, published_on="2019-11-20")
    after = SpotCheckBatchFactory(year=2020, published_on="2020-08-18")
    SpotCheckResultFactory(batch=before, product=kettle.product, outcome=Outcome.PASS)
    SpotCheckResultFactory(batch=after, product=kettle.product, outcome=Outcome.FAIL)
    SpotCheckResultFactory(batch=before, product=steady.product, outcome=Outcome.FAIL)

    html = client.get(table_url(scheme, category)).content.decode()
    assert "2020年8月18日抽查不合格，晚于本次分级检测" in html
    rows = html.split("<tr>")
    steady_row = next(r for r in rows if steady.product.model_spec in r)
    assert "2020年8月18日" not in steady_row and "2019年11月20日" in steady_row  # failed before


@pytest.mark.parametrize("count", [10, 100])
def test_query_count_does_not_grow_with_the_number_of_products(client, scheme, category, count):
    kettles = graded_kettles(count, scheme, category)
    batch = SpotCheckBatchFactory(year=2020, published_on="2020-08-18")
    for kettle in kettles[::3]:
        SpotCheckResultFactory(batch=batch, product=kettle.product, outcome=Outcome.FAIL)
    client.get(table_url(scheme, category))  # warm: site root, locale
    with CaptureQueriesContext(connection) as table:
        assert client.get(table_url(scheme, category)).status_code == 200
    picked = {"product": [k.product_id for k in kettles[:4]]}
    with CaptureQueriesContext(connection) as side:
        assert client.get(side_url(scheme, category), picked).status_code == 200
    # The same number for 10 and 100 products (and pages of 25 rows); the navigation is cached.
    assert (len(table), len(side)) == (10, 8)


def test_side_by_side_marks_differences_and_the_best_value_in_words(client, scheme, category):
    good, poor = (
        grade(
            ProductFactory(name="电热水壶", brand=brand, model_spec=model, category=category),
            scheme,
            scores=scores,
            price=price,
        )
        for brand, model, scores, price in [
            (
                "苏泊尔",
                "SWF17E",
                {"safety": 95, "performance": 88, "energy": 90, "labelling": 80},
                199,
            ),
            (
                "九阳",
                "K17-F5",
                {"safety": 95, "performance": 70, "energy": 72, "labelling": 80},
                89,
            ),
        ]
    )
    response = client.get(
        side_url(scheme, category), {"product": [good.product_id, poor.product_id]}
    )
    html = response.content.decode()
    assert response.status_code == 200
    safety = re.search(r"<tr>\s*<th scope=\"row\">电气安全.*?</tr>", html, re.S).group()
    assert "differs" not in safety and "best" not in safety  # the same for both
    performance = re.search(
        r"<tr class=\"differs\">\s*<th scope=\"row\">使用性能.*?</tr>", html, re.S
    )
    assert performance and "<strong>88</strong>" in performance.group()
    price = re.search(r"<th scope=\"row\">购样价格（元）.*?</tr>", html, re.S)
    assert price and "<strong>89</strong>" in price.group()  # cheapest is best

    only = client.get(
        side_url(scheme, category),
        {"product": [good.product_id, poor.product_id], "only": "differences"},
    ).content.decode()
    assert "使用性能（权重" in only and "电气安全（权重" not in only


@pytest.mark.parametrize(
    ("prefix", "heading", "nav"),
    [
        ("", "电热水壶：质量分级比较", "质量分级"),
        ("/zh-hant", "電熱水壺：質量分級比較", "質量分級"),
        ("/en", "Electric kettles: quality grades compared", "Quality grading"),
    ],
)
def test_in_three_languages(client, scheme, category, prefix, heading, nav):
    graded_kettles(2, scheme, category)
    category.name_zh_hant = "電熱水壺"
    category.save()
    html = client.get(table_url(scheme, category, prefix)).content.decode()
    assert heading in html
    assert f">{nav}</a>" in html
    if prefix == "/zh-hant":
        assert "電氣安全" in html  # criterion names converted to traditional characters
