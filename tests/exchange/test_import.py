"""Pulling a partner's feed over real HTTP: what is accepted, and everything that is refused
with its reason recorded and nothing written."""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import timezone, translation

from portal.exchange import importer, signing, tasks
from portal.exchange.models import PartnerItem

from .conftest import (
    ZJ_SECRET,
    FeedServer,
    ed25519_header,
    feed_body,
    minutes_ago,
    result_item,
    warning_item,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Reasons are recorded in the language that is active (Chinese in the worker, see the
    last test); these tests read them in English."""
    with translation.override("en"):
        yield


def hmac_header(body: bytes, secret: str = ZJ_SECRET) -> str:
    sig = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return f"alg=hmac-sha256, kid=zj, sig={base64.b64encode(sig).decode()}"


def refused(partner, fragment: str) -> None:
    partner.refresh_from_db()
    assert partner.last_pull_ok is False
    assert fragment in partner.last_error, partner.last_error
    assert not PartnerItem.objects.exists()
    assert partner.cursor == "" and partner.last_issued_at is None


def test_a_signed_ed25519_feed_is_stored_pending(jiangsu, js_key, feed_server):
    body = feed_body([warning_item(1), result_item(7)])
    feed_server.serve(body, ed25519_header(body, js_key))
    assert importer.pull(jiangsu) == ""
    jiangsu.refresh_from_db()
    assert (jiangsu.last_pull_ok, jiangsu.last_error, jiangsu.cursor) == (True, "", "cursor-2")
    warning = PartnerItem.objects.get(remote_id="js:warning:1")
    assert warning.status == PartnerItem.Status.PENDING and warning.published is None
    assert warning.title == "关于电动自行车锂离子蓄电池热失控风险的消费警示"
    assert warning.data["hazards"] == ["fire", "burns"]
    result = PartnerItem.objects.get(remote_id="js:result:7")
    assert result.kind == PartnerItem.Kind.FAILED_RESULT
    assert result.title == "女童连衣裙（苏州某某服饰有限公司）"
    assert feed_server.requests == [{}]  # the first pull asks from the beginning


def test_the_next_pull_asks_from_the_cursor(jiangsu, js_key, feed_server):
    jiangsu.cursor = "cursor-1"
    jiangsu.save()
    body = feed_body([warning_item(1)], since="cursor-1")
    feed_server.serve(body, ed25519_header(body, js_key))
    assert importer.pull(jiangsu) == ""
    assert feed_server.requests == [{"since": ["cursor-1"]}]


def test_a_signed_hmac_feed_is_stored_pending(zhejiang, feed_server):
    body = feed_body([warning_item(3, region="zj")], region="zj", audience="sh")
    feed_server.serve(body, hmac_header(body))
    assert importer.pull(zhejiang) == ""
    assert PartnerItem.objects.get().remote_id == "zj:warning:3"


def test_the_shared_secret_is_stored_encrypted(zhejiang):
    assert ZJ_SECRET not in zhejiang.secret_ciphertext
    assert zhejiang.secret() == ZJ_SECRET.encode()


def test_a_body_changed_by_one_byte_is_refused(jiangsu, js_key, feed_server):
    body = feed_body([warning_item(1)])
    header = ed25519_header(body, js_key)
    tampered = body.replace("60批次".encode(), "6O批次".encode())
    assert len(tampered) == len(body) and tampered != body
    feed_server.serve(tampered, header)
    assert importer.pull(jiangsu)
    refused(jiangsu, "does not match")


def test_an_hmac_body_changed_by_one_byte_is_refused(zhejiang, feed_server):
    body = feed_body([warning_item(3, region="zj")], region="zj", audience="sh")
    feed_server.serve(body.replace(b'"high"', b'"HIGH"'), hmac_header(body))
    importer.pull(zhejiang)
    refused(zhejiang, "does not match")


def test_a_feed_signed_with_another_key_is_refused(jiangsu, js_key, feed_server):
    body = feed_body([warning_item(1)])
    other = Ed25519PrivateKey.generate()
    feed_server.serve(body, ed25519_header(body, other))
    importer.pull(jiangsu)
    refused(jiangsu, "Unknown key id")
    # Claiming the partner's key id does not help.
    feed_server.responses[:] = []
    feed_server.serve(body, ed25519_header(body, other, kid=signing.key_id(js_key.public_key())))
    importer.pull(jiangsu)
    refused(jiangsu, "does not match")


def test_a_feed_signed_with_another_secret_is_refused(zhejiang, feed_server):
    body = feed_body([], region="zj", audience="sh")
    feed_server.serve(body, hmac_header(body, secret="another-secret-0123456789abcdefghijkl"))
    importer.pull(zhejiang)
    refused(zhejiang, "does not match")


@pytest.mark.parametrize("partner_name", ["jiangsu", "zhejiang"])
def test_a_feed_signed_with_the_other_algorithm_is_refused(
    request, partner_name, js_key, feed_server
):
    partner = request.getfixturevalue(partner_name)
    body = feed_body([], region=partner.region_code, audience="sh")
    # An HMAC "signed" with the partner's public key, the classic algorithm confusion.
    public = signing.raw_public(js_key.public_key())
    confused = base64.b64encode(hmac.new(public, body, hashlib.sha256).digest()).decode()
    header = (
        f"alg=hmac-sha256, kid=js, sig={confused}"
        if partner_name == "jiangsu"
        else ed25519_header(body, js_key)
    )
    feed_server.serve(body, header)
    importer.pull(partner)
    refused(partner, "configured for")


@pytest.mark.parametrize(
    ("header", "fragment"),
    [
        (None, "has no Anxin-Signature header"),
        ("alg=ed25519, kid=x", "must have alg, kid and sig"),
        ("alg=ed25519, kid=x, sig=***", "not base64"),
        ("alg=ed25519, alg=ed25519, kid=x, sig=AA==", "malformed"),
    ],
)
def test_a_missing_or_malformed_signature_is_refused(jiangsu, feed_server, header, fragment):
    feed_server.serve(feed_body([warning_item(1)]), header)
    importer.pull(jiangsu)
    refused(jiangsu, fragment)


def test_an_old_feed_is_refused(jiangsu, js_key, feed_server):
    body = feed_body([warning_item(1)], issued_at=minutes_ago(30))
    feed_server.serve(body, ed25519_header(body, js_key))
    importer.pull(jiangsu)
    refused(jiangsu, "too old")


def test_a_feed_from_the_future_is_refused(jiangsu, js_key, feed_server):
    body = feed_body([warning_item(1)], issued_at=minutes_ago(-10))
    feed_server.serve(body, ed25519_header(body, js_key))
    importer.pull(jiangsu)
    refused(jiangsu, "in the future")


def test_a_replayed_feed_is_refused(jiangsu, js_key, feed_server):
    """Within the freshness window, but older than a feed accepted since: a replay."""
    first = feed_body([warning_item(1)], issued_at=minutes_ago(2))
    second = feed_body([warning_item(2)], issued_at=minutes_ago(1))
    feed_server.serve(second, ed25519_header(second, js_key))
    assert importer.pull(jiangsu) == ""
    feed_server.responses[:] = []
    feed_server.serve(first, ed25519_header(first, js_key))
    assert "replay" in importer.pull(jiangsu)
    assert list(PartnerItem.objects.values_list("remote_id", flat=True)) == ["js:warning:2"]


def test_a_page_answering_another_question_is_refused(jiangsu, js_key, feed_server):
    jiangsu.cursor = "cursor-9"
    jiangsu.save()
    body = feed_body([warning_item(1)], since=None)  # an old first page, served again
    feed_server.serve(body, ed25519_header(body, js_key))
    assert "since does not echo" in importer.pull(jiangsu)
    assert not PartnerItem.objects.exists()


def test_an_oversized_feed_is_refused(jiangsu, js_key, feed_server, settings):
    settings.EXCHANGE_MAX_FEED_BYTES = 2048
    body = feed_body([warning_item(n) for n in range(5)])
    feed_server.serve(body, ed25519_header(body, js_key))
    importer.pull(jiangsu)
    refused(jiangsu, "larger than 2 KB")


def test_an_oversized_feed_without_length_is_cut_off(jiangsu, js_key, feed_server, settings):
    """A server that sends no Content-Length is stopped as soon as the cap is passed."""
    settings.EXCHANGE_MAX_FEED_BYTES = 2048
    body = feed_body([warning_item(n) for n in range(5)])
    feed_server.serve(body, ed25519_header(body, js_key), **{"Content-Length": ""})
    importer.pull(jiangsu)
    refused(jiangsu, "larger than 2 KB")


def test_signed_invalid_json_is_refused(jiangsu, js_key, feed_server):
    body = b'{"format": "anxin-exchange/1", "items": [' + "江苏".encode()
    feed_server.serve(body, ed25519_header(body, js_key))
    importer.pull(jiangsu)
    refused(jiangsu, "not valid JSON")


def now_iso() -> str:
    return timezone.now().isoformat()


SCHEMA_VIOLATIONS = [
    ({"format": "anxin-exchange/2"}, [], "format must be"),
    ({"issuer": {"code": "zj"}}, [], "issuer.code"),
    ({"audience": "ah"}, [], "audience must be sh"),
    ({"issued_at": "2026-11-26 10:00:00"}, [], "time zone"),
    ({"has_more": "no"}, [], "has_more"),
    ({"items": {"0": {}}}, None, "items must be a list"),
    ({}, [warning_item(1, title="")], "items[0].title is required"),
    ({}, [warning_item(1, title=["标题"])], "items[0].title must be a string"),
    ({}, [warning_item(1, title="警" * 256)], "items[0].title is longer than 255"),
    ({}, [warning_item(1, hazards=["radiation"])], "items[0].hazards[0] has an unknown value"),
    ({}, [warning_item(1, risk_level="critical")], "items[0].risk_level"),
    ({}, [warning_item(1, id="zj:warning:1")], "must start with the partner's region code"),
    ({}, [warning_item(1, url="javascript:alert(1)")], "items[0].url is not an http(s) URL"),
    ({}, [warning_item(1, withdrawn_on="2026-13-01")], "withdrawn_on must be a date"),
    ({}, [warning_item(1), warning_item(1)], "An id appears twice"),
    (
        {},
        [warning_item(1, affected_products=[{"name": "蓄电池", "gtin": "6901234567890"}])],
        "gtin is not a valid GTIN",
    ),
    ({}, [result_item(1, outcome="pass")], "items[0].outcome"),
    ({}, [result_item(1, failed_items=[{"item": "绳带", "safety": "是"}])], "safety must be"),
    ({}, [{**warning_item(1), "type": "recall_notice"}], "items[0].type"),
]


@pytest.mark.parametrize(("fields", "items", "fragment"), SCHEMA_VIOLATIONS)
def test_a_signed_feed_that_breaks_the_format_is_refused_whole(
    jiangsu, js_key, feed_server, fields, items, fragment
):
    document = json.loads(feed_body(items or []))
    document.update(fields)
    body = json.dumps(document, ensure_ascii=False).encode()
    feed_server.serve(body, ed25519_header(body, js_key))
    importer.pull(jiangsu)
    refused(jiangsu, fragment)


def test_nan_and_repeated_keys_are_refused(jiangsu, js_key, feed_server):
    body = feed_body([warning_item(1)]).replace(b'"has_more": false', b'"has_more": NaN')
    feed_server.serve(body, ed25519_header(body, js_key))
    importer.pull(jiangsu)
    refused(jiangsu, "NaN")
    body = feed_body([]).replace(b'"has_more": false', b'"has_more": false, "has_more": true')
    feed_server.responses[:] = []
    feed_server.serve(body, ed25519_header(body, js_key))
    importer.pull(jiangsu)
    refused(jiangsu, "repeats a key")


def test_html_and_text_from_a_partner_are_cleaned(jiangsu, js_key, feed_server):
    item = warning_item(
        1,
        body_html='<p onclick="steal()">过充<script>alert(1)</script><img src=x onerror=alert(2)>'
        '<a href="javascript:alert(3)">详情</a></p>',
        summary="起火风险\u202e\x07。",
    )
    body = feed_body([item])
    feed_server.serve(body, ed25519_header(body, js_key))
    importer.pull(jiangsu)
    data = PartnerItem.objects.get().data
    assert data["body_html"] == '<p>过充<a rel="noopener noreferrer nofollow">详情</a></p>'
    assert data["summary"] == "起火风险。"


def test_redirects_are_not_followed(jiangsu, feed_server):
    feed_server.serve(b"", None, status=302, Location="https://evil.example.invalid/feed.json")
    assert "redirects to https://evil.example.invalid/feed.json" in importer.pull(jiangsu)
    refused(jiangsu, "update the feed URL")


def test_an_error_status_is_recorded(jiangsu, feed_server):
    feed_server.serve(b"Bad gateway", None, status=502)
    importer.pull(jiangsu)
    refused(jiangsu, "HTTP 502")


def test_plain_http_is_refused_unless_allowed(jiangsu, settings):
    settings.EXCHANGE_ALLOW_HTTP = False
    importer.pull(jiangsu)
    refused(jiangsu, "must use https")


def test_an_unreachable_feed_is_recorded(jiangsu, closed_port):
    jiangsu.feed_url = f"http://127.0.0.1:{closed_port}/feed.json"
    jiangsu.save()
    importer.pull(jiangsu)
    refused(jiangsu, "could not be fetched")


def test_pages_are_followed_until_the_last(jiangsu, js_key, feed_server):
    first = feed_body([warning_item(1)], next="c1", has_more=True)
    second = feed_body([warning_item(2)], since="c1", next="c2", has_more=False)
    feed_server.serve(first, ed25519_header(first, js_key))
    feed_server.serve(second, ed25519_header(second, js_key))
    assert importer.pull(jiangsu) == ""
    assert feed_server.requests == [{}, {"since": ["c1"]}]
    jiangsu.refresh_from_db()
    assert jiangsu.cursor == "c2"
    assert PartnerItem.objects.count() == 2


def test_one_failing_partner_does_not_stop_the_others(jiangsu, js_key, zhejiang, feed_server):
    """The scheduled task, through Celery (eager in tests): 浙江's server is down, 江苏's works."""
    zhejiang_server = FeedServer()
    try:
        zhejiang.feed_url = zhejiang_server.url
        zhejiang.save()
        zhejiang_server.serve(b"", None, status=500)
        body = feed_body([warning_item(1)])
        feed_server.serve(body, ed25519_header(body, js_key))
        assert tasks.pull_partners.delay().get() == 2
    finally:
        zhejiang_server.httpd.shutdown()
        zhejiang_server.httpd.server_close()
    zhejiang.refresh_from_db()
    jiangsu.refresh_from_db()
    assert (zhejiang.last_pull_ok, zhejiang.last_error) == (False, "The feed answered HTTP 500.")
    assert jiangsu.last_pull_ok is True
    assert PartnerItem.objects.get().partner == jiangsu


def test_nothing_is_pulled_while_the_exchange_is_off(jiangsu, settings):
    settings.EXCHANGE_ENABLED = False
    assert tasks.pull_partners.delay().get() == 0
    jiangsu.refresh_from_db()
    assert jiangsu.last_pull_at is None


def test_an_inactive_partner_is_not_pulled(jiangsu):
    jiangsu.is_active = False
    jiangsu.save()
    assert tasks.pull_partner.delay(jiangsu.pk).get() == "inactive"


def test_an_unexpected_error_is_recorded_and_logged(jiangsu, js_key, feed_server, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importer, "store", broken)
    body = feed_body([warning_item(1)])
    feed_server.serve(body, ed25519_header(body, js_key))
    assert tasks.pull_partner.delay(jiangsu.pk).get() == (
        "Unexpected error; the server log has the details."
    )
    jiangsu.refresh_from_db()
    assert jiangsu.last_pull_ok is False


def test_repeats_are_ignored_and_changes_go_back_for_review(jiangsu, js_key, feed_server):
    def pull(*items, issued_at=None):
        body = feed_body(items, since=jiangsu.cursor or None, issued_at=issued_at)
        feed_server.responses[:] = []
        feed_server.serve(body, ed25519_header(body, js_key))
        assert importer.pull(jiangsu) == ""

    pull(warning_item(1))
    item = PartnerItem.objects.get()
    item.accept(None)
    accepted = item.published
    pull(warning_item(1))  # the same again: nothing changes
    pull(warning_item(1, modified="2026-11-21T09:00:00+08:00"))  # republished, same content
    item.refresh_from_db()
    assert item.status == PartnerItem.Status.ACCEPTED
    changed = warning_item(
        1, modified="2026-11-23T09:00:00+08:00", withdrawn_on="2026-11-23", withdrawal_reason="误报"
    )
    pull(changed)
    item.refresh_from_db()
    assert item.status == PartnerItem.Status.PENDING and item.is_update
    assert item.published == accepted  # still shown as accepted until an editor decides
    assert item.data["withdrawn_on"] == "2026-11-23"
    late = warning_item(1, modified="2026-11-22T09:00:00+08:00", title="迟到的旧版本")
    pull(late)  # an older version arriving late changes nothing
    item.refresh_from_db()
    assert item.data["withdrawn_on"] == "2026-11-23"
    assert PartnerItem.objects.count() == 1


def test_storing_a_page_takes_the_same_queries_for_any_number_of_items(
    jiangsu, js_key, feed_server, django_assert_max_num_queries
):
    body = feed_body([warning_item(n) for n in range(100)])
    feed_server.serve(body, ed25519_header(body, js_key))
    with django_assert_max_num_queries(12):
        assert importer.pull(jiangsu) == ""
    assert PartnerItem.objects.count() == 100


def test_freshness_uses_the_configured_window(jiangsu, js_key, feed_server, settings):
    settings.EXCHANGE_MAX_AGE = 3600
    body = feed_body([warning_item(1)], issued_at=timezone.now() - datetime.timedelta(minutes=30))
    feed_server.serve(body, ed25519_header(body, js_key))
    assert importer.pull(jiangsu) == ""


def test_reasons_are_recorded_in_chinese_by_default(jiangsu, feed_server):
    feed_server.serve(b"{}", None)
    with translation.override("zh-hans"):
        importer.pull(jiangsu)
    refused(jiangsu, "响应缺少Anxin-Signature头。")
