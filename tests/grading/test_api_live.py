"""The submission API over real HTTP (live server, `requests`): what a grader's client sees."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from wagtail.models import ModelLogEntry

from portal.grading.models import ApiToken, IdempotencyRecord, Submission

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PATH = "/api/grading/v1/submissions/"


@pytest.fixture
def api(live_server):
    def call(method: str, path: str, token: str | None, **kwargs) -> requests.Response:
        headers = kwargs.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return requests.request(
            method, live_server.url + path, headers=headers, timeout=30, **kwargs
        )

    return call


def test_a_batch_accepts_valid_records_and_reports_invalid_ones(
    api, council_token, make_record, car_seat
):
    records = [
        make_record(),
        make_record(reference="SH-CPC-2026-0002", overall_score=91.0),  # wrong overall
        make_record(reference="SH-CPC-2026-0003", product={"gtin": "6900000000000"}),
        make_record(
            reference="SH-CPC-2026-0004",
            product={
                "credit_code": car_seat.product.manufacturer.uscc,
                "brand": "好孩子",
                "model": "cs888",
            },
        ),
        make_record(reference="SH-CPC-2026-0005", scores={"safety": 95, "performance": 101}),
        "not a record",
    ]
    response = api("POST", PATH, council_token, json={"records": records})

    assert response.status_code == 201
    body = response.json()
    assert (body["accepted"], body["rejected"]) == (2, 4)
    statuses = [r["status"] for r in body["results"]]
    assert statuses == ["accepted", "rejected", "rejected", "accepted", "rejected", "rejected"]
    errors = {r["index"]: r.get("errors") for r in body["results"]}
    assert errors[1] == [
        {
            "field": "overall_score",
            "code": "score_mismatch",
            "message": "The overall score differs from the scheme's weighted mean.",
            "expected": "90.4",
        }
    ]
    assert [e["code"] for e in errors[2]] == ["product_not_found"]
    assert {(e["field"], e["code"]) for e in errors[4]} == {("scores.performance", "max_value")}
    assert errors[5][0]["code"] == "not_an_object"

    stored = Submission.objects.order_by("reference")
    assert [s.reference for s in stored] == ["SH-CPC-2026-0001", "SH-CPC-2026-0004"]
    assert {s.status for s in stored} == {Submission.Status.PENDING}
    assert stored[1].product_id == car_seat.product_id
    assert ModelLogEntry.objects.filter(action="grading.submit").count() == 2


def test_a_single_record_is_accepted_and_a_wrong_grade_is_refused(api, council_token, make_record):
    wrong = api("POST", PATH, council_token, json=make_record(grade="A"))
    assert wrong.status_code == 422
    error = wrong.json()["results"][0]["errors"][0]
    assert (error["code"], error["expected"]) == ("grade_mismatch", "A+")
    assert Submission.objects.count() == 0

    right = api("POST", PATH, council_token, json=make_record())
    assert right.status_code == 201
    assert Submission.objects.get().grade == "A+"
    assert ApiToken.objects.get().last_used_at is not None


def test_replay_with_the_same_idempotency_key_returns_the_first_response(
    api, council_token, make_record
):
    body = json.dumps({"records": [make_record()]})
    headers = {"Idempotency-Key": "batch-2026-11-26-001", "Content-Type": "application/json"}
    first = api("POST", PATH, council_token, data=body, headers=dict(headers))
    again = api("POST", PATH, council_token, data=body, headers=dict(headers))

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert Submission.objects.count() == 1

    other_body = json.dumps({"records": [make_record(reference="SH-CPC-2026-0099")]})
    reused = api("POST", PATH, council_token, data=other_body, headers=dict(headers))
    assert reused.status_code == 422
    assert reused.json()["error"]["code"] == "idempotency_key_reused"
    assert Submission.objects.count() == 1


def test_concurrent_requests_with_one_key_write_once(api, council_token, make_record):
    """The second request waits on the first one's key and replays its answer."""
    body = json.dumps({"records": [make_record()]})
    headers = {"Idempotency-Key": "concurrent-001", "Content-Type": "application/json"}
    with ThreadPoolExecutor(max_workers=4) as pool:
        responses = list(
            pool.map(
                lambda _: api("POST", PATH, council_token, data=body, headers=dict(headers)),
                range(4),
            )
        )
    assert {r.status_code for r in responses} == {201}
    assert len({json.dumps(r.json(), sort_keys=True) for r in responses}) == 1
    assert sum("Idempotent-Replayed" in r.headers for r in responses) == 3
    assert Submission.objects.count() == 1


def test_without_a_key_a_repeated_record_is_a_duplicate(api, council_token, make_record):
    assert api("POST", PATH, council_token, json=make_record()).status_code == 201
    again = api("POST", PATH, council_token, json=make_record())
    assert again.status_code == 422
    assert again.json()["results"][0]["errors"][0]["code"] == "duplicate_reference"
    assert Submission.objects.count() == 1


def test_a_revoked_token_is_refused(api, council, make_record):
    token, secret = ApiToken.issue(council, "已泄露的令牌")
    token.revoke()
    response = api("POST", PATH, secret, json=make_record())
    assert response.status_code == 401
    assert response.json()["error"] == {
        "code": "token_revoked",
        "message": "This token has been revoked.",
    }
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert Submission.objects.count() == 0


def test_no_token_and_a_wrong_token_are_refused(api, make_record):
    assert api("GET", PATH, None).json()["error"]["code"] == "not_authenticated"
    wrong = api("POST", PATH, "axg_not-a-real-token", json=make_record())
    assert (wrong.status_code, wrong.json()["error"]["code"]) == (401, "authentication_failed")
    assert Submission.objects.count() == 0


def test_another_organisations_token_neither_sees_nor_withdraws(
    api, council_token, cqc_token, make_record
):
    accepted = api("POST", PATH, council_token, json=make_record()).json()
    pk = accepted["results"][0]["id"]

    assert api("GET", PATH, cqc_token).json()["results"] == []
    assert api("GET", f"{PATH}{pk}/", cqc_token).status_code == 404
    withdraw = api("POST", f"{PATH}{pk}/withdraw/", cqc_token)
    assert (withdraw.status_code, withdraw.json()["error"]["code"]) == (404, "not_found")
    assert Submission.objects.get().status == Submission.Status.PENDING

    own = api("POST", f"{PATH}{pk}/withdraw/", council_token)
    assert (own.status_code, own.json()["status"]) == (200, "withdrawn")


def test_an_oversized_body_is_refused_before_it_is_read(api, council_token, settings):
    settings.GRADING_MAX_BODY_BYTES = 1024
    response = api(
        "POST",
        PATH,
        council_token,
        data=b'{"records": [' + b" " * 2000 + b"]}",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "body_too_large"
    assert "at most 1024 bytes" in error["message"]
    assert Submission.objects.count() == 0


def test_a_batch_over_1000_records_is_refused_whole(api, council_token, make_record):
    records = [make_record(reference=f"R{i}") for i in range(1001)]
    response = api("POST", PATH, council_token, json={"records": records})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "batch_too_large"
    assert Submission.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "content_type", "status", "code"),
    [
        (b'{"records": [{"reference": ', "application/json", 400, "malformed_json"),
        (b"\xff\xfe\x00", "application/json", 400, "malformed_json"),
        (b'["a", "list"]', "application/json", 400, "invalid"),
        (b'{"records": []}', "application/json", 400, "invalid"),
        (b"reference=1", "text/plain", 415, "unsupported_media_type"),
    ],
)
def test_malformed_bodies_get_a_clear_json_error(
    api, council_token, body, content_type, status, code
):
    response = api("POST", PATH, council_token, data=body, headers={"Content-Type": content_type})
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]
    assert Submission.objects.count() == 0
    assert IdempotencyRecord.objects.count() == 0


@pytest.mark.parametrize("backend", ["locmem", "redis"])
def test_the_rate_limit_answers_429_with_retry_after(
    api, council_token, cqc_token, settings, backend
):
    if backend == "redis":  # what production uses: one count for every web process
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": settings.CELERY_BROKER_URL,
            }
        }
    settings.GRADING_RATE_LIMIT = "3/hour"
    for _ in range(3):
        assert api("GET", PATH, council_token).status_code == 200
    limited = api("GET", PATH, council_token)
    assert limited.status_code == 429
    assert 0 < int(limited.headers["Retry-After"]) <= 3600
    assert limited.json()["error"]["code"] == "rate_limited"
    # The count is per token: another organisation is not slowed down.
    assert api("GET", PATH, cqc_token).status_code == 200


def test_the_openapi_schema_and_docs_page_are_public(api):
    schema = api("GET", "/api/schema/?format=json", None)
    assert schema.status_code == 200
    assert "/api/grading/v1/submissions/" in schema.json()["paths"]
    docs = api("GET", "/api/docs/", None)
    assert docs.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs.text
    assert "cdn" not in docs.text.lower()
