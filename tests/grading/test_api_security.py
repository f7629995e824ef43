"""Every endpoint and method of the grading API, called with another organisation's token:
nothing of 上海市消费者权益保护委员会 is read or changed by 中国质量认证中心 (and no method
slips through unauthenticated)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from portal.grading.models import Submission
from tests.factories import SubmissionFactory

pytestmark = pytest.mark.django_db

BASE = "/api/grading/v1"
METHODS = ["get", "post", "put", "patch", "delete"]


@pytest.fixture
def council_record(council, scheme, kettle):
    return SubmissionFactory(organisation=council, scheme=scheme, product=kettle.product)


def client_with(token: str | None) -> APIClient:
    client = APIClient()
    if token:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def endpoints(pk: int) -> list[str]:
    return [
        f"{BASE}/submissions/",
        f"{BASE}/submissions/{pk}/",
        f"{BASE}/submissions/{pk}/withdraw/",
        f"{BASE}/schemes/",
    ]


# What another organisation's token gets, per endpoint and method: 404 where the record is
# named, 405 for methods the endpoint lacks; the collection and schemes answer only its own.
EXPECTED = {
    "submissions/": {"get": 200, "post": 422, "put": 405, "patch": 405, "delete": 405},
    "submissions/{pk}/": {"get": 404, "post": 405, "put": 405, "patch": 405, "delete": 405},
    "submissions/{pk}/withdraw/": {
        "get": 405,
        "post": 404,
        "put": 405,
        "patch": 405,
        "delete": 405,
    },
    "schemes/": {"get": 200, "post": 405, "put": 405, "patch": 405, "delete": 405},
}


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("endpoint", list(EXPECTED))
def test_another_organisation_cannot_read_or_change(
    council_record, cqc_token, make_record, endpoint, method
):
    before = Submission.objects.values().get()
    url = f"{BASE}/{endpoint.format(pk=council_record.pk)}"
    # The POST body names the council's reference: it must not collide or reveal anything.
    body = make_record(reference=council_record.reference, grade="A")
    response = getattr(client_with(cqc_token), method)(url, body, format="json")

    assert response.status_code == EXPECTED[endpoint][method]
    text = response.content.decode()
    # Its own record echoes the reference it sent; the council's record is never hinted at.
    assert "duplicate_reference" not in text and f'"id":{council_record.pk}' not in text
    if method != "post" or endpoint != "submissions/":
        assert council_record.reference not in text
    assert Submission.objects.values().get() == before


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("token", [None, "axg_forged"])
def test_every_endpoint_refuses_without_a_valid_token(council_record, token, method):
    for url in endpoints(council_record.pk):
        response = getattr(client_with(token), method)(url, {}, format="json")
        assert response.status_code == 401, (url, method)
    assert Submission.objects.get().status == Submission.Status.PENDING


def test_the_owner_reads_its_record_and_list(council_record, council_token, cqc):
    SubmissionFactory(organisation=cqc, reference="CQC-2026-0001")
    client = client_with(council_token)
    listing = client.get(f"{BASE}/submissions/").json()
    assert [r["reference"] for r in listing["results"]] == [council_record.reference]
    detail = client.get(f"{BASE}/submissions/{council_record.pk}/").json()
    assert (detail["grade"], detail["status"]) == ("A+", "pending")


def test_a_withdrawn_record_cannot_be_withdrawn_again(council_record, council_token):
    client = client_with(council_token)
    assert client.post(f"{BASE}/submissions/{council_record.pk}/withdraw/").status_code == 200
    again = client.post(f"{BASE}/submissions/{council_record.pk}/withdraw/")
    assert (again.status_code, again.json()["error"]["code"]) == (409, "wrong_status")
