"""Public enterprise and product pages: licences, class, every result, the rate; no N+1."""

from datetime import date

import pytest
from django.urls import reverse

from portal.grading.models import Submission
from portal.grading.signals import grade_changed
from portal.inspections.models import FailedItem, Outcome, SpotCheckBatch
from portal.registry.models import LicenceStatus, ProductBarcode
from search import engine, indexing
from search.documents import alias_name
from search.queries import LookupQuery
from tests.factories import (
    EnterpriseFactory,
    LicenceFactory,
    ProductFactory,
    SpotCheckBatchFactory,
    SpotCheckResultFactory,
    SubmissionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def firm():
    enterprise = EnterpriseFactory(
        name="上海童乐服饰有限公司", supervision_class="C", class_basis="2019年抽查不合格"
    )
    licence = LicenceFactory(enterprise=enterprise, number="XK09-001-00321")
    licence.change_status(LicenceStatus.SUSPENDED, date(2019, 5, 1), "监督抽查不合格")
    dress = ProductFactory(name="儿童连衣裙", brand="童乐", manufacturer=enterprise)
    ProductBarcode.objects.create(product=dress, gtin="6901234567892")
    for n in range(4):
        result = SpotCheckResultFactory(
            producer=enterprise,
            product=dress,
            outcome=Outcome.FAIL if n == 0 else Outcome.PASS,
            batch=SpotCheckBatchFactory(year=2016 + n, published_on=date(2016 + n, 6, 1)),
        )
        if n == 0:
            FailedItem.objects.create(
                result=result,
                item="绳带要求",
                measured="有绳带",
                limit="不允许",
                is_safety_item=True,
            )
    hidden = SpotCheckBatchFactory(status=SpotCheckBatch.Status.DRAFT)
    SpotCheckResultFactory(producer=enterprise, product=dress, batch=hidden, outcome=Outcome.FAIL)
    return enterprise, dress


def test_enterprise_profile(client, firm, django_assert_max_num_queries):
    enterprise, _ = firm
    with django_assert_max_num_queries(12):
        response = client.get(reverse("registry:enterprise", args=[enterprise.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>上海童乐服饰有限公司</h1>" in html
    assert "XK09-001-00321" in html and "监督抽查不合格" in html
    assert "绳带要求" in html
    assert response.context["figures"] == {"tested": 4, "failed": 1, "rate": 25.0}
    assert f'<link rel="canonical" href="http://testserver/enterprises/{enterprise.pk}/">' in html


def test_query_count_does_not_grow_with_results(client, firm, django_assert_max_num_queries):
    enterprise, dress = firm
    for _ in range(20):
        SpotCheckResultFactory(producer=enterprise, product=dress, batch=SpotCheckBatchFactory())
    with django_assert_max_num_queries(12):
        client.get(reverse("registry:enterprise", args=[enterprise.pk]))
    with django_assert_max_num_queries(10):
        client.get(reverse("registry:product", args=[dress.pk]))


def test_product_profile(client, firm):
    _, dress = firm
    response = client.get(reverse("registry:product", args=[dress.pk]))
    html = response.content.decode()
    assert "6901234567892" in html and "上海童乐服饰有限公司" in html
    assert response.context["figures"]["tested"] == 4


def test_unknown_ids_are_404(client):
    assert client.get("/enterprises/999999/").status_code == 404
    assert client.get("/products/999999/").status_code == 404


def test_product_shows_approved_grades_with_the_manufacturer_response(client, firm):

    _, dress = firm
    SubmissionFactory(
        product=dress,
        status=Submission.Status.APPROVED,
        grade="A",
        manufacturer_response="我司已改进生产工艺。",
    )
    SubmissionFactory(product=dress, status=Submission.Status.PENDING, grade="D")
    html = client.get(reverse("registry:product", args=[dress.pk])).content.decode()
    assert '<strong class="grade-mark">A</strong>' in html
    assert "我司已改进生产工艺。" in html
    assert '<strong class="grade-mark">D</strong>' not in html  # not reviewed yet


def test_approved_grade_becomes_a_search_facet(search_prefix, django_capture_on_commit_callbacks):

    kettle = ProductFactory(name="电热水壶", brand="美厨")
    indexing.rebuild()
    with django_capture_on_commit_callbacks(execute=True):
        SubmissionFactory(product=kettle, status=Submission.Status.APPROVED, grade="A+")
        grade_changed.send(sender=Submission, product_ids=[kettle.pk])

    engine.get_client().indices.refresh(index=alias_name())
    results = LookupQuery("电热水壶", {"grade": ["small-appliance:A+"]}).execute()
    assert [(h.kind, h.object_id) for h in results.hits] == [("product", kettle.pk)]
