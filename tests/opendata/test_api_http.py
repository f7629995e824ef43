"""The API over HTTP: conditional requests, CORS, the anonymous rate limit, query counts."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date

from portal.inspections.models import FailedItem, Outcome
from portal.opendata.datasets import DATASETS
from tests.factories import (
    EnterpriseFactory,
    ProductBarcodeFactory,
    SpotCheckResultFactory,
)

pytestmark = pytest.mark.django_db


# --- Conditional GET ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/results/", "/api/v1/warnings/?hazard=choking"])
def test_validators_and_304(api_rows, client, path):
    first = client.get(path)
    assert first.status_code == 200
    etag, last_modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag.startswith('W/"')
    assert "public" in first.headers["Cache-Control"]
    assert "max-age=300" in first.headers["Cache-Control"]

    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["ETag"] == etag
    assert again.headers["Last-Modified"] == last_modified
    assert "max-age" in again.headers["Cache-Control"]

    assert client.get(path, headers={"If-Modified-Since": last_modified}).status_code == 304
    assert client.get(path, headers={"If-None-Match": 'W/"other"'}).status_code == 200
    a_day_before = http_date(
        datetime.datetime.strptime(last_modified, "%a, %d %b %Y %H:%M:%S GMT")
        .replace(tzinfo=datetime.UTC)
        .timestamp()
        - 86400
    )
    assert client.get(path, headers={"If-Modified-Since": a_day_before}).status_code == 200


def test_detail_head_and_other_queries_have_their_own_etags(api_rows, client):
    detail = client.get(f"/api/v1/batches/{api_rows.published.pk}/")
    head = client.head(f"/api/v1/batches/{api_rows.published.pk}/")
    assert head.status_code == 200 and head.headers["ETag"] == detail.headers["ETag"]
    tags = {
        client.get(path).headers["ETag"]
        for path in (
            "/api/v1/batches/",
            "/api/v1/batches/?year=2019",
            "/api/v1/batches/?page_size=1",
            f"/api/v1/batches/{api_rows.published.pk}/",
            f"/api/v1/batches/{api_rows.corrected.pk}/",
        )
    }
    assert len(tags) == 5


def test_an_edit_changes_the_etag(api_rows, client, django_capture_on_commit_callbacks):
    """Rows with a timestamp (a batch) and rows without one (a licence, a result edited in
    the admin): every edit gives new validators, so no client keeps a stale copy."""
    edits = [
        ("/api/v1/batches/", lambda: api_rows.published.save()),
        ("/api/v1/licences/", lambda: api_rows.licence.save()),
        (f"/api/v1/results/{api_rows.failed.pk}/", lambda: api_rows.failed.save()),
        ("/api/v1/categories/", lambda: api_rows.clothing.save()),
    ]
    for path, edit in edits:
        before = client.get(path).headers["ETag"]
        with django_capture_on_commit_callbacks(execute=True):
            edit()
        after = client.get(path, headers={"If-None-Match": before})
        assert after.status_code == 200, path
        assert after.headers["ETag"] != before, path


def test_rows_written_in_bulk_change_the_etag_once_the_figures_expire(api_rows, client, settings):
    """The importer writes results with bulk queries, which send no signals."""
    settings.OPEN_API_VALIDATOR_TTL = 0
    before = client.get("/api/v1/results/").headers["ETag"]
    SpotCheckResultFactory(batch=api_rows.published, sample_name="新增样品")
    assert client.get("/api/v1/results/", headers={"If-None-Match": before}).status_code == 200


def test_a_current_copy_costs_no_scan_of_the_rows_while_the_figures_are_kept(api_rows, client):
    etag = client.get("/api/v1/results/").headers["ETag"]
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/api/v1/results/", headers={"If-None-Match": etag})
    assert again.status_code == 304
    # Only the two lookups that build the query (default locale, view restrictions) remain.
    assert not [q["sql"] for q in queries if "inspections_spotcheckresult" in q["sql"]]
    assert len(queries) <= 2


def test_publishing_a_change_to_a_warning_changes_the_validators(
    api_rows, client, django_capture_on_commit_callbacks
):
    path = f"/api/v1/warnings/{api_rows.warning.pk}/"
    before = client.get(path)
    page = api_rows.warning.specific_class.objects.get(pk=api_rows.warning.pk)
    page.summary = "更新：涉及批次已召回。"
    with django_capture_on_commit_callbacks(execute=True):  # as the commit would
        page.save_revision().publish()
    after = client.get(path, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.json()["summary"] == "更新：涉及批次已召回。"


# --- CORS --------------------------------------------------------------------------------------


def test_any_site_may_read_the_api_from_a_browser(api_rows, client):
    preflight = client.options(
        "/api/v1/results/",
        headers={
            "Origin": "https://data.example.org",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    allowed = preflight.headers["Access-Control-Allow-Methods"]
    assert "GET" in allowed and "POST" not in allowed and "DELETE" not in allowed
    assert "if-none-match" in preflight.headers["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in preflight.headers

    simple = client.get("/api/v1/results/", headers={"Origin": "https://data.example.org"})
    assert simple.headers["Access-Control-Allow-Origin"] == "*"
    exposed = simple.headers["Access-Control-Expose-Headers"]
    assert {"ETag", "Last-Modified", "Retry-After"} <= {h.strip() for h in exposed.split(",")}


@pytest.mark.parametrize(
    "path", ["/api/grading/v1/schemes/", "/admin/", "/api/schema/", "/enterprises/1/"]
)
def test_no_cors_outside_the_open_api(client, path):
    response = client.get(path, headers={"Origin": "https://data.example.org"})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_the_api_refuses_writes(api_rows, client):
    response = client.post("/api/v1/results/", {}, content_type="application/json")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


# --- Rate limit --------------------------------------------------------------------------------


def test_anonymous_clients_are_rate_limited_per_address(api_rows, client, settings):
    settings.OPEN_API_RATE_LIMIT = "3/min"
    for _ in range(3):
        assert client.get("/api/v1/categories/").status_code == 200
    refused = client.get("/api/v1/categories/", headers={"Accept-Language": "en"})
    assert refused.status_code == 429
    retry_after = int(refused.headers["Retry-After"])
    assert 0 < retry_after <= 60
    error = refused.json()["error"]
    assert error["code"] == "rate_limited" and error["retry_after"] == retry_after
    assert "throttled" in error["message"]
    # Another address has its own count; conditional requests count too.
    assert client.get("/api/v1/categories/", REMOTE_ADDR="10.0.0.2").status_code == 200


def test_the_rate_limit_counts_the_address_the_trusted_proxy_saw(api_rows, client, settings):
    settings.OPEN_API_RATE_LIMIT = "1/min"
    settings.TRUSTED_PROXY_COUNT = 1
    behind = {"REMOTE_ADDR": "10.0.0.1"}  # the proxy
    first = {"HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    assert client.get("/api/v1/categories/", **behind, **first).status_code == 200
    assert client.get("/api/v1/categories/", **behind, **first).status_code == 429
    second = {"HTTP_X_FORWARDED_FOR": "203.0.113.8"}
    assert client.get("/api/v1/categories/", **behind, **second).status_code == 200
    # A client cannot pick its address: the proxy appends the one it saw.
    forged = {"HTTP_X_FORWARDED_FOR": "198.51.100.1, 203.0.113.7"}
    assert client.get("/api/v1/categories/", **behind, **forged).status_code == 429


# --- Queries -----------------------------------------------------------------------------------


@pytest.fixture
def more_rows(api_rows):
    """Ten more results (each with a failed item and its own producer and product barcode),
    so a query per row would show."""
    for n in range(10):
        producer = EnterpriseFactory(name=f"上海第{n}玩具厂")
        barcode = ProductBarcodeFactory(product__manufacturer=producer)
        result = SpotCheckResultFactory(
            batch=api_rows.published,
            producer=producer,
            product=barcode.product,
            outcome=Outcome.FAIL,
            sample_name=f"毛绒玩具{n}",
        )
        FailedItem.objects.create(result=result, item="小零件", is_safety_item=True)


@pytest.mark.parametrize(
    ("name", "queries"),
    [
        ("enterprises", 3),  # validators, page, credit flags
        ("licences", 3),
        ("categories", 2),
        ("products", 3),
        ("batches", 5),  # + the default locale and page view restrictions of notices
        ("results", 6),
        ("warnings", 11),  # + restrictions of the originals and of each translation language
        ("grades", 2),
    ],
)
def test_lists_take_a_fixed_number_of_queries(
    more_rows, client, django_assert_max_num_queries, name, queries
):
    client.get(f"/api/v1/{name}/")  # Wagtail caches its site root paths on the first
    assert DATASETS[name].queryset().count() >= 2
    with django_assert_max_num_queries(queries):
        response = client.get(f"/api/v1/{name}/", {"page_size": 500})
    assert response.status_code == 200
