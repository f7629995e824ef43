"""Subscriptions end to end: double opt-in, matching, immediate and daily emails, one-click
unsubscribe, and what bad input, floods and forged links get."""

import re
import smtplib
from pathlib import Path
from unittest import mock

import pytest
from django.core import mail
from django.test import Client

from content.models import AffectedProduct
from portal.inspections.importing import BatchDetails, run_import
from portal.inspections.models import FailedItem, Outcome, SpotCheckBatch
from portal.subscriptions import tasks, tokens
from portal.subscriptions.models import Alert, Subscription
from tests.factories import (
    ProductBarcodeFactory,
    ProductCategoryFactory,
    SpotCheckBatchFactory,
    SpotCheckResultFactory,
    valid_gtin,
)

from .conftest import confirm_path

pytestmark = pytest.mark.django_db

SPREADSHEETS = Path(__file__).resolve().parent.parent / "fixtures" / "spreadsheets"
UNSUBSCRIBE_HEADER = re.compile(r"^<(http://127\.0\.0\.1:8000/[^>]+)>$")


def publish_batch(category, **result_fields):
    """A draft batch with one failed result, then published by an editor (post_save)."""
    batch = SpotCheckBatchFactory(status=SpotCheckBatch.Status.DRAFT, category=category)
    result = SpotCheckResultFactory(batch=batch, outcome=Outcome.FAIL, **result_fields)
    FailedItem.objects.create(result=result, item="甲醛含量", is_safety_item=True)
    batch.status = SpotCheckBatch.Status.PUBLISHED
    batch.save()
    return result


def unsubscribe_url(message) -> str:
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    return UNSUBSCRIBE_HEADER.match(message.extra_headers["List-Unsubscribe"]).group(1)


def test_subscribe_confirm_alert_digest_and_unsubscribe(
    client, site, subscribe, make_warning, django_capture_on_commit_callbacks
):
    category = ProductCategoryFactory(name="儿童服装", code="K01")
    # An English reader follows a brand at once; a Chinese reader a category, daily.
    confirmation = subscribe("reader@example.org", prefix="/en", target="brand", brand=" 童乐 ")
    assert confirmation.subject == "Confirm your Anxin email alerts"
    assert unsubscribe_url(confirmation).startswith("http://127.0.0.1:8000/en/unsubscribe/")
    html = confirmation.alternatives[0][0]
    assert (
        '<html lang="en">' in html and 'href="http://127.0.0.1:8000/en/subscribe/confirm/' in html
    )
    subscribe("parent@example.org", target="category", category=category.pk, frequency="daily")
    english = Subscription.objects.for_email("reader@example.org").get()
    assert (english.language, english.brand, english.key) == ("en", "童乐", "brand:童乐")
    assert Subscription.objects.confirmed().count() == 2
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        warning = make_warning(title="童乐儿童外套拉链头脱落风险提示", category=category)
        warning.affected_products = [AffectedProduct(name="儿童外套", brand="童樂")]  # traditional
        warning.save_revision().publish()
    [alert] = mail.outbox
    assert alert.to == ["reader@example.org"]
    assert alert.subject == "Anxin alert: 童乐儿童外套拉链头脱落风险提示"
    assert f"http://127.0.0.1:8000{warning.url}" in alert.body  # not translated yet: original
    assert "You follow brand: 童乐" in alert.body
    assert unsubscribe_url(alert).startswith("http://127.0.0.1:8000/en/unsubscribe/")
    assert '<html lang="en">' in alert.alternatives[0][0]

    with django_capture_on_commit_callbacks(execute=True):
        result = publish_batch(category, nominal_brand="童乐", sample_name="儿童羽绒服")
    [_, second] = mail.outbox
    assert second.subject == "Anxin alert: 童乐 儿童羽绒服: fail"
    assert f"http://127.0.0.1:8000/en/enterprises/{result.producer_id}/" in second.body
    assert "甲醛含量" in second.body

    # The daily subscriber got nothing yet; the digest brings both items in one email.
    mail.outbox.clear()
    tasks.deliver()
    assert mail.outbox == []
    assert tasks.send_daily_digest() == 1
    [digest] = mail.outbox
    assert digest.to == ["parent@example.org"]
    assert digest.subject == "安心每日提醒：2条新消息"
    assert "童乐儿童外套拉链头脱落风险提示" in digest.body and "儿童羽绒服" in digest.body
    assert '<html lang="zh-hans">' in digest.alternatives[0][0]
    assert tasks.send_daily_digest() == 0  # sent once

    # One click in the mail client: a POST without a CSRF token.
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        unsubscribe_url(digest),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Subscription.objects.for_email("parent@example.org").exists()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publish_batch(category, sample_name="儿童棉服")
    tasks.send_daily_digest()
    assert mail.outbox == []


def test_nothing_unconfirmed_or_unmatched_is_sent(site, subscribe, make_warning):
    category = ProductCategoryFactory(name="儿童服装", code="K02")
    subscribe("waiting@example.org", target="category", category=category.pk, confirm=False)
    subscribe("other@example.org", target="brand", brand="别的品牌")
    mail.outbox.clear()
    make_warning(title="儿童服装风险提示", category=category)
    publish_batch(category)
    tasks.deliver()
    tasks.send_daily_digest()
    assert mail.outbox == []
    assert Alert.objects.count() == 0


def test_matches_by_gtin_enterprise_district_and_parent_category(site, subscribe, make_warning):
    parent = ProductCategoryFactory(name="儿童用品", code="K10")
    child = ProductCategoryFactory(name="儿童玩具", code="K10-1", parent=parent)
    barcode = ProductBarcodeFactory()
    maker = barcode.product.manufacturer
    subscribe("gtin@example.org", target="gtin", gtin=f" {barcode.gtin[:4]} {barcode.gtin[4:]} ")
    subscribe("maker@example.org", target="enterprise", enterprise=maker.uscc)
    subscribe("district@example.org", target="district", district=maker.district.pk)
    subscribe("parent@example.org", target="category", category=parent.pk)
    mail.outbox.clear()
    warning = make_warning(title="磁性玩具风险提示", category=child)
    warning.affected_products = [AffectedProduct(name="磁力片", gtin=barcode.gtin)]
    warning.save_revision().publish()
    tasks.deliver()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "district@example.org",
        "gtin@example.org",
        "maker@example.org",
        "parent@example.org",
    ]
    # Publishing the warning again (an update) alerts nobody twice.
    mail.outbox.clear()
    warning.save_revision().publish()
    tasks.deliver()
    assert mail.outbox == []


def test_a_correction_alerts_only_new_failures_and_new_subscribers_get_no_archive(site, subscribe):
    category = ProductCategoryFactory(name="电热水壶", code="K20")
    subscribe("early@example.org", target="category", category=category.pk)
    old = publish_batch(category, sample_name="旧样品")
    subscribe("late@example.org", target="category", category=category.pk)
    tasks.deliver()
    assert [m.to for m in mail.outbox if "旧样品" in m.body] == [["early@example.org"]]
    mail.outbox.clear()
    batch = old.batch
    batch.version += 1  # what an import of a corrected file does
    batch.status = SpotCheckBatch.Status.CORRECTED
    batch.save()
    SpotCheckResultFactory(
        batch=batch, outcome=Outcome.FAIL, version=batch.version, sample_name="新样品"
    )
    tasks.deliver()
    assert sorted(m.to[0] for m in mail.outbox) == ["early@example.org", "late@example.org"]
    assert all("旧样品" not in m.body for m in mail.outbox)


def test_an_unreachable_mail_server_keeps_alerts_for_the_next_run(site, subscribe):
    category = ProductCategoryFactory(name="电热水壶", code="K30")
    subscribe("kettle@example.org", target="category", category=category.pk)
    mail.outbox.clear()
    publish_batch(category)
    with mock.patch(
        "django.core.mail.EmailMultiAlternatives.send",
        side_effect=smtplib.SMTPServerDisconnected("down"),
    ):
        tasks.deliver()
    assert Alert.objects.get().sent_at is None
    tasks.deliver()
    assert len(mail.outbox) == 1 and Alert.objects.get().sent_at is not None


def test_a_withdrawn_batch_is_not_sent(site, subscribe):
    category = ProductCategoryFactory(name="电热水壶", code="K31")
    subscribe("kettle@example.org", target="category", category=category.pk, frequency="daily")
    result = publish_batch(category)
    tasks.deliver()
    SpotCheckBatch.objects.filter(pk=result.batch_id).update(status=SpotCheckBatch.Status.WITHDRAWN)
    mail.outbox.clear()
    tasks.send_daily_digest()
    assert mail.outbox == [] and Alert.objects.count() == 0


# --- The form ---------------------------------------------------------------------------


def valid(**fields):
    return {
        "email": "a@example.org",
        "target": "brand",
        "brand": "童乐",
        "frequency": "daily",
    } | fields


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"email": "not-an-address"}, "email", "请输入合法的邮件地址"),
        ({"email": ""}, "email", "必需字段"),
        ({"target": "category", "category": "999999"}, "category", "选择一个有效的选项"),
        ({"target": "district", "district": ""}, "district", "请选择"),
        ({"target": "enterprise", "enterprise": "91310110000000000X"}, "enterprise", "信用代码"),
        ({"target": "gtin", "gtin": "6901234567891"}, "gtin", "校验位"),
        ({"target": "brand", "brand": "品" * 101}, "brand", "100"),
        ({"target": "brand", "brand": "<script>alert(1)</script>"}, "brand", "&lt;"),
        ({"target": "brand", "brand": "   "}, "brand", "请填写商标"),
        ({"target": "nothing"}, "target", "选择一个有效的选项"),
        ({"website": "http://spam.example"}, "website", "必须留空"),
    ],
)
def test_bad_input_is_explained_and_writes_nothing(client, site, fields, field, message):
    response = client.post("/subscribe/", valid(**fields))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary" role="alert"' in html
    assert f'<a href="#id_{field}' in html  # the summary links the field
    assert message in html, html[html.find("error-summary") : html.find("error-summary") + 800]
    assert "<script>alert(1)" not in html
    assert Subscription.objects.count() == 0 and mail.outbox == []


def test_a_flood_is_refused(client, site, settings):
    settings.SUBSCRIPTIONS_RATE_LIMIT = "2/hour"
    for n in range(2):
        assert client.post("/subscribe/", valid(email=f"n{n}@example.org")).status_code == 303
    response = client.post("/subscribe/", valid(email="n3@example.org"))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "n3@example.org" in response.content.decode()  # what was typed is kept
    assert Subscription.objects.count() == 2


def test_requests_are_idempotent_and_reveal_nothing(client, site, subscribe, settings):
    settings.SUBSCRIPTIONS_EMAIL_RATE_LIMIT = "2/hour"
    pending = [client.post("/subscribe/", valid()) for _ in range(3)]
    assert {r.status_code for r in pending} == {303}
    assert Subscription.objects.count() == 1
    assert len(mail.outbox) == 2  # at most two confirmation emails an hour to one address
    confirmed = client.post(confirm_path(mail.outbox[0]))
    assert (
        "Your subscription is confirmed" in confirmed.content.decode()
        or confirmed.status_code == 200
    )
    mail.outbox.clear()
    again = client.post("/subscribe/", valid(email="A@Example.org"))
    assert again.status_code == 303 and again["Location"] == pending[0]["Location"]
    assert mail.outbox == []  # a confirmed address gets no second confirmation
    assert Subscription.objects.count() == 1


def test_follow_links_fill_in_the_form(client, site):
    html = client.get("/subscribe/?gtin=6901234567892").content.decode()
    assert 'value="6901234567892"' in html
    assert re.search(r'<input type="radio" name="target" value="gtin"[^>]* checked>', html)


# --- Links ------------------------------------------------------------------------------


def test_confirming_needs_a_post_and_a_good_token(client, site, subscribe):
    message = subscribe("a@example.org", target="brand", brand="童乐", confirm=False)
    path = confirm_path(message)
    page = client.get(path)
    assert page.status_code == 200 and "<button" in page.content.decode()
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    assert Subscription.objects.get().confirmed_at is None  # a link scanner confirms nothing
    tampered = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]
    for bad in (tampered, "/subscribe/confirm/nonsense/"):
        response = client.post(bad)
        assert response.status_code == 400
        assert "<h1>此链接无法使用</h1>" in response.content.decode()
    assert Subscription.objects.get().confirmed_at is None


def test_an_expired_confirmation_link_changes_nothing(client, site, subscribe, settings):
    message = subscribe("a@example.org", target="brand", brand="童乐", confirm=False)
    settings.SUBSCRIPTIONS_CONFIRM_DAYS = -1
    assert client.post(confirm_path(message)).status_code == 400
    assert Subscription.objects.get().confirmed_at is None


def test_unsubscribe_asks_on_get_and_refuses_forged_links(client, site, subscribe):
    subscribe("a@example.org", target="brand", brand="童乐")
    subscription = Subscription.objects.get()
    path = f"/unsubscribe/{tokens.unsubscribe_token(subscription=subscription)}/"
    page = client.get(path)
    assert page.status_code == 200 and "商标：童乐" in page.content.decode()
    assert Subscription.objects.exists()
    assert client.post(path[:-5] + "xxxx/").status_code == 400
    assert Subscription.objects.exists()
    assert client.post(path).status_code == 200
    assert client.post(path).status_code == 200  # twice is fine
    assert not Subscription.objects.exists()


def test_manage_page_lists_the_address_subscriptions(client, site, subscribe):
    subscribe("a@example.org", target="brand", brand="童乐")
    subscribe("a@example.org", target="gtin", gtin=valid_gtin(7))
    subscribe("b@example.org", target="brand", brand="别人")
    html = client.get(f"/subscriptions/{tokens.manage_token('a@example.org')}/").content.decode()
    assert "童乐" in html and valid_gtin(7).zfill(14) in html and "别人" not in html
    assert html.count("<form") == 3  # one per subscription, and one for all


def test_an_imported_notice_alerts_and_a_preview_does_not(
    site, subscribe, django_capture_on_commit_callbacks
):
    subscribe("tongle@example.org", target="brand", brand="童乐")
    mail.outbox.clear()
    details = BatchDetails(
        notice_number="沪市监质〔2019〕12号",
        title="2019年上海市儿童用品产品质量监督抽查结果",
        authority="上海市市场监督管理局",
        year=2019,
    )
    for commit in (False, True):
        with (
            django_capture_on_commit_callbacks(execute=True),
            open(SPREADSHEETS / "import_v1.csv", "rb") as handle,
        ):
            assert run_import(handle, "import_v1.csv", details, commit=commit).ok
        assert len(mail.outbox) == commit
    [alert] = mail.outbox
    assert alert.subject == "安心提醒：童乐 儿童连衣裙 110cm：不合格"
    assert "纤维含量、绳带要求" in alert.body
