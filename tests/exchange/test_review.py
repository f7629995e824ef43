"""Editors' review in the admin, the partner form, and the public pages of accepted warnings."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail.models import ModelLogEntry

from portal.exchange import importer, validation
from portal.exchange.models import Partner, PartnerItem
from tests.conftest import verified_login
from tests.factories import UserFactory
from tests.pages import html_of

from .conftest import ZJ_SECRET, public_key_text, result_item, warning_item

pytestmark = pytest.mark.django_db


def received(partner, raw: dict) -> PartnerItem:
    """An item as the importer stores it from a checked feed."""
    item = validation.check_item(raw, "items[0]", partner.region_code)
    importer.store(partner, [item])
    return PartnerItem.objects.get(partner=partner, remote_id=item.remote_id)


def admin_user(*codenames: str, username="editor-x"):
    user = UserFactory(username=username)
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="exchange", codename__in=codenames),
    )
    return user


def denied(response) -> bool:
    """Wagtail answers PermissionDenied in the admin with a redirect to the dashboard."""
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


@pytest.fixture
def battery(jiangsu) -> PartnerItem:
    return received(jiangsu, warning_item(1))


def test_an_editor_without_the_permission_cannot_review(client, battery):
    verified_login(client, admin_user("change_partner"))
    assert denied(client.get(reverse("exchange_queue")))
    assert denied(client.get(reverse("exchange_review", args=[battery.pk])))
    response = client.post(reverse("exchange_review", args=[battery.pk]), {"action": "accept"})
    assert denied(response)
    battery.refresh_from_db()
    assert battery.status == "pending" and battery.published is None


def test_a_reviewer_accepts_and_rejects_and_the_log_says_who(client, battery, jiangsu):
    reviewer = admin_user("review_partneritem", username="reviewer-wang")
    verified_login(client, reviewer)
    queue = html_of(client.get(reverse("exchange_queue")))
    assert "关于电动自行车锂离子蓄电池热失控风险的消费警示" in queue and "js:warning:1" in queue
    page = html_of(client.get(reverse("exchange_review", args=[battery.pk])))
    assert "来源：江苏省市场监督管理局（长三角）" in page and "48V20Ah" in page

    response = client.post(reverse("exchange_review", args=[battery.pk]), {"action": "accept"})
    assert response.status_code == 302
    battery.refresh_from_db()
    assert (battery.status, battery.decided_by) == ("accepted", reviewer)
    assert battery.decided_at and battery.published == battery.data
    assert "关于电动自行车" not in html_of(client.get(reverse("exchange_queue")))

    client.post(reverse("exchange_review", args=[battery.pk]), {"action": "reject"})
    battery.refresh_from_db()
    assert (battery.status, battery.published) == ("rejected", None)
    actions = ModelLogEntry.objects.filter(object_id=str(battery.pk)).order_by("timestamp")
    assert [(e.action, e.user) for e in actions] == [
        ("exchange.accept", reviewer),
        ("exchange.reject", reviewer),
    ]
    assert client.post(
        reverse("exchange_review", args=[battery.pk]), {"action": "publish"}
    ).status_code in (302, 403)
    battery.refresh_from_db()
    assert battery.status == "rejected"


def test_failed_results_are_for_editors_only(client, jiangsu):
    result = received(jiangsu, result_item(7))
    verified_login(client, admin_user("review_partneritem"))
    queue = html_of(client.get(reverse("exchange_queue"), {"kind": "failed_result"}))
    assert "女童连衣裙（苏州某某服饰有限公司）" in queue
    client.post(reverse("exchange_review", args=[result.pk]), {"action": "accept"})
    assert "女童连衣裙" not in html_of(client.get("/partner-warnings/"))


def test_the_queue_takes_the_same_queries_for_any_number_of_items(
    client, jiangsu, django_assert_max_num_queries
):
    for n in range(30):
        received(jiangsu, warning_item(n))
    verified_login(client, admin_user("review_partneritem"))
    with django_assert_max_num_queries(25):
        html_of(client.get(reverse("exchange_queue")))


def test_pending_and_rejected_warnings_are_not_public(client, site, battery):
    assert "关于电动自行车" not in html_of(client.get("/partner-warnings/"))
    assert client.get(f"/partner-warnings/{battery.pk}/").status_code == 404
    assert "partner-warnings-heading" not in html_of(client.get("/warnings/"))
    battery.reject(None)
    assert client.get(f"/partner-warnings/{battery.pk}/").status_code == 404


def test_an_accepted_warning_is_public_with_its_source_in_every_language(
    client, site, battery, zhejiang
):
    battery.accept(None)
    html = html_of(client.get(f"/partner-warnings/{battery.pk}/"))
    assert "来源：江苏省市场监督管理局（长三角）" in html
    assert (
        '<a href="https://scjgj.jiangsu.gov.cn/art/2026/11/20/art_1.html" '
        'rel="noopener noreferrer nofollow">江苏省市场监督管理局网站上的原文</a>'
    ) in html
    assert "<strong>60批次</strong>" in html and "涉事企业已启动召回。" in html
    assert "风险等级：高" in html and "<td>6901234567892</td>" in html
    assert 'lang="zh-hans"' not in html.split("<main", 1)[1].split(">", 1)[0]

    hant = html_of(client.get(f"/zh-hant/partner-warnings/{battery.pk}/"))
    assert "來源：江蘇省市場監督管理局（長三角）" in hant
    assert '<article class="warning" lang="zh-hans">' in hant  # the text as published

    english = html_of(client.get(f"/en/partner-warnings/{battery.pk}/"))
    assert "Source: Jiangsu Administration for Market Regulation (Yangtze River Delta)" in english
    assert "This warning is shown in the language its authority published it in." in english

    listing = html_of(client.get("/partner-warnings/"))
    assert f'href="/partner-warnings/{battery.pk}/"' in listing
    filtered = html_of(client.get("/partner-warnings/", {"region": "zj"}))
    assert f'href="/partner-warnings/{battery.pk}/"' not in filtered


def test_the_warnings_listing_shows_the_latest_accepted_in_a_block_of_its_own(
    client, site, jiangsu, django_assert_max_num_queries
):
    for n in range(7):
        received(jiangsu, warning_item(n, title=f"江苏省风险警示第{n}号")).accept(None)
    received(
        jiangsu, warning_item(9, title="已撤回的江苏省警示", withdrawn_on="2026-11-25")
    ).accept(None)
    with django_assert_max_num_queries(19):
        html = html_of(client.get("/warnings/"))
    block = html.split('<aside class="partner-warnings"', 1)[1]
    assert 'aria-labelledby="partner-warnings-heading"' in block
    assert "长三角合作地区风险警示" in block
    assert block.count("来源：江苏省市场监督管理局（长三角）") == 5
    assert "已撤回的江苏省警示" not in block
    assert 'href="/partner-warnings/"' in block
    # The city's own list is unchanged: partner items are never counted as its items.
    assert html.count('class="item item-warning"') == 4


def test_partner_html_is_sanitised_again_when_shown(client, site, battery):
    battery.data["body_html"] = "<p>过充<script>alert(1)</script></p>"  # e.g. an older row
    battery.save()
    battery.accept(None)
    html = html_of(client.get(f"/partner-warnings/{battery.pk}/"))
    assert "<script>alert(1)" not in html


# --- The partner form ------------------------------------------------------------------------


def partner_form(**fields) -> dict:
    return {
        "name": "安徽省市场监督管理局",
        "name_zh_hant": "",
        "name_en": "Anhui Administration for Market Regulation",
        "region_code": "ah",
        "feed_url": "https://amr.ah.gov.cn/exchange/v1/feed.json",
        "algorithm": "hmac-sha256",
        "public_keys": "",
        "shared_secret": "",
        "is_active": "on",
        **fields,
    }


@pytest.fixture
def partner_admin(client):
    verified_login(client, admin_user("add_partner", "change_partner", "view_partner"))
    return client


def test_an_hmac_partner_needs_a_secret_that_is_never_shown_again(partner_admin):
    add = reverse("wagtailsnippets_exchange_partner:add")
    response = partner_admin.post(add, partner_form())
    assert response.status_code == 200
    assert "使用HMAC的合作方须设置共享密钥。" in response.content.decode()
    partner_admin.post(add, partner_form(shared_secret="short"))
    assert partner_admin.post(add, partner_form(shared_secret=ZJ_SECRET)).status_code == 302
    anhui = Partner.objects.get(region_code="ah")
    assert anhui.secret() == ZJ_SECRET.encode() and ZJ_SECRET not in anhui.secret_ciphertext
    edit = reverse("wagtailsnippets_exchange_partner:edit", args=[anhui.pk])
    form = partner_admin.get(edit).content.decode()
    assert ZJ_SECRET not in form and anhui.secret_ciphertext not in form
    assert "已设置密钥，不予显示。" in form
    logged = [str(e.data) for e in ModelLogEntry.objects.filter(object_id=str(anhui.pk))]
    assert logged and not any(anhui.secret_ciphertext in data for data in logged)
    # Saving without a new secret keeps it; entering one replaces it.
    partner_admin.post(edit, partner_form(name="安徽省市场监管局"))
    anhui.refresh_from_db()
    assert anhui.name == "安徽省市场监管局" and anhui.secret() == ZJ_SECRET.encode()
    new_secret = "new-anhui-secret-0123456789abcdefghijklmn"
    partner_admin.post(edit, partner_form(shared_secret=new_secret))
    anhui.refresh_from_db()
    assert anhui.secret() == new_secret.encode()


def test_an_ed25519_partner_needs_a_valid_public_key(partner_admin, js_key):
    add = reverse("wagtailsnippets_exchange_partner:add")
    for keys, message in [
        ("", "使用Ed25519的合作方须填写公钥。"),
        ("not a key", "公钥必须是标准base64编码。"),
        ("AAAA", "Ed25519公钥为32字节，而不是3字节。"),
    ]:
        response = partner_admin.post(add, partner_form(algorithm="ed25519", public_keys=keys))
        assert message in response.content.decode()
    key = public_key_text(js_key)
    response = partner_admin.post(add, partner_form(algorithm="ed25519", public_keys=key))
    assert response.status_code == 302


def test_partners_need_the_model_permissions(client, jiangsu):
    verified_login(client, admin_user("review_partneritem"))
    listing = client.get(reverse("wagtailsnippets_exchange_partner:list"))
    assert denied(listing)
