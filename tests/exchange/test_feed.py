"""Our outgoing feed: what it lists (and never lists), its cursor, keys and signatures."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from content.models import RiskWarningPage, WarningHazard, WarningIndexPage
from portal.exchange import signing
from portal.inspections.models import FailedItem, Outcome, SpotCheckBatch
from tests.factories import SpotCheckBatchFactory, SpotCheckResultFactory
from tests.pages import original

from .conftest import ZJ_SECRET

pytestmark = pytest.mark.django_db

DEMO_WARNINGS = {
    "关于儿童服装绳带安全风险的消费警示",
    "警惕磁性玩具小零件被儿童误吞",
    "电动自行车违规充电引发火灾的风险提示",
    "某品牌移动电源过热风险警示",
}


def signature(response) -> signing.Signature:
    return signing.parse_header(response[signing.HEADER])


def verify_ed25519(client, response) -> None:
    keys = client.get("/exchange/v1/keys.json").json()["keys"]
    current = next(k for k in keys if k["current"])
    sig = signature(response)
    assert (sig.alg, sig.kid) == ("ed25519", current["kid"])
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(current["public_key"]))
    key.verify(sig.sig, response.content)  # raises on a bad signature


def items_of(client, path="/exchange/v1/feed.json", **params) -> list[dict]:
    """Every item, following `next` page by page."""
    found, since = [], None
    while True:
        query = {**params, **({"since": since} if since else {})}
        response = client.get(path, query)
        assert response.status_code == 200
        document = json.loads(response.content)
        found += document["items"]
        if not document["has_more"]:
            return found
        since = document["next"]


@pytest.fixture
def batches(site):
    """A published batch with two failed results (one referred) and a pass; a draft batch's
    failure; a withdrawn batch's failure."""
    published = SpotCheckBatchFactory(
        notice_number="沪市监质〔2026〕8号", published_on="2026-11-02"
    )
    failed = SpotCheckResultFactory(
        batch=published, outcome=Outcome.FAIL, sample_name="儿童卫衣", nominal_brand="小象"
    )
    FailedItem.objects.create(result=failed, item="绳带要求", measured="有自由端", limit="不允许")
    SpotCheckResultFactory(batch=published, outcome=Outcome.REFERRED, sample_name="童装外套")
    SpotCheckResultFactory(batch=published, outcome=Outcome.PASS, sample_name="男童衬衫")
    draft = SpotCheckBatchFactory(status=SpotCheckBatch.Status.DRAFT)
    SpotCheckResultFactory(batch=draft, outcome=Outcome.FAIL, sample_name="草稿中的不合格样品")
    withdrawn = SpotCheckBatchFactory(status=SpotCheckBatch.Status.WITHDRAWN)
    SpotCheckResultFactory(batch=withdrawn, outcome=Outcome.FAIL, sample_name="已撤回的样品")
    return published


def test_the_feed_lists_published_warnings_and_failed_results_only(client, batches):
    draft = RiskWarningPage(title="尚未发布的风险警示", summary="草稿。", live=False)
    draft.hazards = [WarningHazard(hazard="fire")]
    original(WarningIndexPage).add_child(instance=draft)
    draft.save_revision()  # saved, not published
    shared = RiskWarningPage(title="转载：浙江省关于电热毯的警示", kind="partner")
    shared.hazards = [WarningHazard(hazard="fire")]
    original(WarningIndexPage).add_child(instance=shared)
    shared.save_revision().publish()

    response = client.get("/exchange/v1/feed.json")
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
    verify_ed25519(client, response)
    document = json.loads(response.content)
    assert document["format"] == "anxin-exchange/1"
    assert document["issuer"] == {
        "code": "sh",
        "name": "上海市市场监督管理局",
        "name_en": "Shanghai Municipal Administration for Market Regulation",
    }
    assert (document["audience"], document["since"], document["has_more"]) == (None, None, False)
    items = document["items"]
    # Every language tree has each warning; the feed has the original once.
    assert {i["title"] for i in items if i["type"] == "warning"} == DEMO_WARNINGS
    results = {i["sample_name"]: i for i in items if i["type"] == "failed_result"}
    assert set(results) == {"儿童卫衣", "童装外套"}
    hoodie = results["儿童卫衣"]
    assert hoodie["id"].startswith("sh:result:")
    assert (hoodie["notice_number"], hoodie["published_on"], hoodie["brand"]) == (
        "沪市监质〔2026〕8号",
        "2026-11-02",
        "小象",
    )
    assert hoodie["failed_items"] == [
        {"item": "绳带要求", "measured": "有自由端", "limit": "不允许", "unit": "", "safety": False}
    ]
    cords = next(i for i in items if i["title"] == "关于儿童服装绳带安全风险的消费警示")
    assert cords["url"].endswith("/warnings/childrens-clothing-cords/")
    assert cords["hazards"] == ["strangulation", "injury"] and cords["language"] == "zh-hans"
    assert cords["affected_products"] and cords["body_html"].startswith("<p>")
    withdrawn = next(i for i in items if i["title"] == "某品牌移动电源过热风险警示")
    assert withdrawn["withdrawn_on"] and withdrawn["withdrawal_reason"]


def test_the_cursor_gives_every_item_once_across_pages(client, batches):
    """Results of one batch share one timestamp; the keyset cursor still splits them."""
    for n in range(7):
        SpotCheckResultFactory(batch=batches, outcome=Outcome.FAIL, sample_name=f"女童裙{n}")
    everything = items_of(client)
    paged = items_of(client, limit=3)
    assert [i["id"] for i in paged] == [i["id"] for i in everything]
    assert len({i["id"] for i in paged}) == len(paged) == 4 + 2 + 7


def test_a_change_comes_again_after_the_cursor(client, batches):
    document = json.loads(client.get("/exchange/v1/feed.json").content)
    cursor = document["next"]
    assert (
        json.loads(client.get("/exchange/v1/feed.json", {"since": cursor}).content)["items"] == []
    )
    page = original(RiskWarningPage, slug="magnetic-toys")
    page.save_revision().publish()
    batches.save()  # a corrected import touches its batch
    later = json.loads(client.get("/exchange/v1/feed.json", {"since": cursor}).content)
    assert later["since"] == cursor
    assert [i.get("title", i.get("sample_name")) for i in later["items"]] == [
        "警惕磁性玩具小零件被儿童误吞",
        "儿童卫衣",
        "童装外套",
    ]


def test_the_feed_takes_the_same_queries_for_any_number_of_items(
    client, batches, django_assert_max_num_queries
):
    for n in range(30):
        result = SpotCheckResultFactory(batch=batches, outcome=Outcome.FAIL, sample_name=f"裙{n}")
        FailedItem.objects.create(result=result, item="pH值")
    with django_assert_max_num_queries(20):
        assert client.get("/exchange/v1/feed.json").status_code == 200


@pytest.mark.parametrize("since", ["nonsense", "MjAyNnwxfDE=", "!!!"])
def test_a_bad_cursor_is_a_400(client, site, since):
    response = client.get("/exchange/v1/feed.json", {"since": since})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_parameter"


def test_the_page_size_is_bounded(client, batches, settings):
    settings.EXCHANGE_FEED_PAGE_SIZE = 2
    document = json.loads(client.get("/exchange/v1/feed.json", {"limit": 500}).content)
    assert len(document["items"]) == 2 and document["has_more"] is True


def test_a_flood_of_feed_requests_is_answered_429_with_retry_after(client, site, settings):
    settings.EXCHANGE_FEED_RATE_LIMIT = "2/min"
    assert [client.get("/exchange/v1/feed.json").status_code for _ in range(2)] == [200, 200]
    refused = client.get("/exchange/v1/feed.json")
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert 0 < int(refused["Retry-After"]) <= 60
    assert signing.HEADER not in refused


def test_an_hmac_feed_is_made_for_its_partner(client, batches, zhejiang, jiangsu):
    response = client.get("/exchange/v1/feed/zj.json")
    assert response.status_code == 200
    sig = signature(response)
    expected = hmac.new(ZJ_SECRET.encode(), response.content, hashlib.sha256).digest()
    assert (sig.alg, sig.kid, sig.sig) == ("hmac-sha256", "sh", expected)
    assert json.loads(response.content)["audience"] == "zj"
    assert client.get("/exchange/v1/feed/js.json").status_code == 404  # an Ed25519 partner
    assert client.get("/exchange/v1/feed/ah.json").status_code == 404
    zhejiang.is_active = False
    zhejiang.save()
    assert client.get("/exchange/v1/feed/zj.json").status_code == 404


def test_keys_list_the_current_and_earlier_keys(client, settings):
    earlier = base64.b64encode(bytes(range(32))).decode()
    settings.EXCHANGE_PREVIOUS_PUBLIC_KEYS = [earlier]
    keys = client.get("/exchange/v1/keys.json").json()["keys"]
    assert [k["current"] for k in keys] == [True, False]
    assert keys[1]["public_key"] == earlier
    assert all(len(k["kid"]) == 16 for k in keys)


def test_the_configured_key_signs(client, site, settings):
    seed = bytes(range(1, 33))
    settings.EXCHANGE_SIGNING_KEY = base64.b64encode(seed).decode()
    response = client.get("/exchange/v1/feed.json")
    verify_ed25519(client, response)
    assert signature(response).kid == signing.key_id(signing.signing_key().public_key())


def test_everything_is_404_while_the_exchange_is_off(client, site, zhejiang, settings):
    settings.EXCHANGE_ENABLED = False
    for path in ["keys.json", "feed.json", "feed/zj.json"]:
        assert client.get(f"/exchange/v1/{path}").status_code == 404


def test_a_bad_signing_key_fails_the_system_check(settings):
    from portal.exchange.apps import check_keys

    settings.EXCHANGE_SIGNING_KEY = "not base64!"
    assert [e.id for e in check_keys()] == ["exchange.E001"]
    settings.EXCHANGE_SIGNING_KEY = base64.b64encode(b"short").decode()
    assert [e.id for e in check_keys()] == ["exchange.E001"]
    settings.EXCHANGE_SIGNING_KEY = ""
    assert check_keys() == []


def test_a_secret_encrypted_under_another_key_is_reported_not_used(
    client, site, zhejiang, settings
):
    settings.EXCHANGE_SECRETS_KEY = "a-new-secrets-key-after-a-careless-rotation"
    response = client.get("/exchange/v1/feed/zj.json")
    assert response.status_code == 503
    assert signing.HEADER not in response
    with pytest.raises(signing.SignatureError, match="重新输入"):
        zhejiang.secret()
