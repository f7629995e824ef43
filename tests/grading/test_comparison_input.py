"""Bad input to the comparison pages: a clear message, never a 500, nothing written."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.grading.models import GradingScheme, Submission
from tests.factories import ProductFactory

from .comparisons import grade, graded_kettles, kettle_category, kettle_scheme

pytestmark = pytest.mark.django_db


@pytest.fixture
def kettles():
    scheme, category = kettle_scheme(), kettle_category()
    return scheme, category, graded_kettles(6, scheme, category)


def side_by_side(client, scheme, category, products):
    url = reverse("grading:side_by_side", args=[scheme.pk, category.pk])
    return client.get(url, {"product": products})


def text(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize(
    ("count", "message"),
    [
        (0, "请勾选2至4个产品进行并排比较，您勾选了0个。"),
        (1, "请勾选2至4个产品进行并排比较，您勾选了1个。"),
        (50, "并排比较最多4个产品，您勾选了50个。"),
    ],
)
def test_too_few_or_too_many_products(client, kettles, count, message):
    scheme, category, graded = kettles
    ids = [g.product_id for g in graded] + list(range(10**6, 10**6 + 44))
    before = Submission.objects.count()
    response = side_by_side(client, scheme, category, ids[:count])
    assert response.status_code == 400
    assert message in text(response)
    assert Submission.objects.count() == before


def test_the_same_product_twice_counts_once(client, kettles):
    scheme, category, graded = kettles
    response = side_by_side(client, scheme, category, [graded[0].product_id] * 2)
    assert response.status_code == 400
    assert "您勾选了1个" in text(response)


@pytest.mark.parametrize("value", ["abc", "12a", "-3", "²", "１２", "9" * 30, " "])
def test_a_product_id_that_is_not_a_number(client, kettles, value):
    scheme, category, graded = kettles
    response = side_by_side(client, scheme, category, [graded[0].product_id, value])
    assert response.status_code == 400
    assert "不是产品编号" in text(response)


@pytest.mark.parametrize(
    ("scheme_id", "category_id", "messages"),
    [
        ("999999", None, ["没有编号为“999999”的已发布分级方案。"]),
        (None, "999999", ["没有编号为“999999”的产品类别。"]),
        ("abc", "电热水壶", ["“abc”", "“电热水壶”"]),
        ("9" * 40, "0", ["“99999999999999999999”", "“0”"]),
    ],
)
def test_unknown_or_malformed_scheme_and_category_ids(
    client, kettles, scheme_id, category_id, messages
):
    scheme, category, _ = kettles
    args = [scheme_id or scheme.pk, category_id or category.pk]
    for name in ("grading:compare", "grading:side_by_side"):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 404
        for message in messages:
            assert message in text(response)
        assert reverse("grading:compare", args=[scheme.pk, category.pk]) in text(response)


def test_a_draft_scheme_has_no_comparison(client, kettles):
    scheme, category, _ = kettles
    GradingScheme.objects.filter(pk=scheme.pk).update(status=GradingScheme.Status.DRAFT)
    response = client.get(reverse("grading:compare", args=[scheme.pk, category.pk]))
    assert response.status_code == 404


def test_a_product_without_a_grade_in_the_pick_list(client, kettles):
    scheme, category, graded = kettles
    ungraded = ProductFactory(name="电热水壶", brand="无名", model_spec="X1", category=category)
    ids = [graded[0].product_id, graded[1].product_id, ungraded.pk, 10**9]
    response = side_by_side(client, scheme, category, ids)
    html = text(response)
    assert response.status_code == 200
    assert f"编号为{ungraded.pk}的产品在本比较中没有已发布的分级" in html
    assert f"编号为{10**9}的产品在本比较中没有已发布的分级" in html
    assert graded[0].product.model_spec in html and graded[1].product.model_spec in html


def test_a_withdrawn_grade_in_a_shared_link(client, kettles):
    scheme, category, graded = kettles
    shared = [graded[0].product_id, graded[1].product_id]
    Submission.objects.filter(pk=graded[1].pk).update(
        status=Submission.Status.WITHDRAWN, withdrawn_at=timezone.now()
    )
    response = side_by_side(client, scheme, category, shared)
    html = text(response)
    assert response.status_code == 200
    assert f"{graded[1].product}的分级已由{graded[1].organisation.name}于" in html
    assert "撤回" in html
    assert "只剩一个产品可比较" in html


def test_a_page_number_past_the_end_shows_the_last_page(client, kettles):
    scheme, category, _ = kettles
    url = reverse("grading:compare", args=[scheme.pk, category.pk])
    for page in ("999", "abc", "-1"):
        assert client.get(url, {"page": page}).status_code == 200


def test_an_unknown_price_band_is_reported(client, kettles):
    scheme, category, _ = kettles
    url = reverse("grading:compare", args=[scheme.pk, category.pk])
    response = client.get(url, {"price": "99999999999999999999999"})
    assert response.status_code == 200
    assert 'class="error-summary"' in text(response)


def test_a_grade_of_another_category_is_not_compared(client, kettles):
    scheme, category, graded = kettles
    rice_cooker = grade(ProductFactory(name="电饭锅"), scheme, scores=graded[0].scores)
    response = side_by_side(
        client, scheme, category, [graded[0].product_id, rice_cooker.product_id]
    )
    assert f"编号为{rice_cooker.product_id}的产品在本比较中没有已发布的分级" in text(response)
