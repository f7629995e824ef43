"""Bad input: oversized text and requests, wrong types, script in text. A clear message,
nothing stored, nothing unsafe rendered."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.reports.models import ConsumerReport
from tests.conftest import verified_login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW = "/reports/new/"
SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("description", "很" * 3001, "3000"),
        ("product_text", "杯" * 201, "200"),
        ("gtin", "6901234567890", "不是有效的"),  # wrong check digit
        ("gtin", "abc", "不是有效的"),
        ("purchased_on", "昨天", "有效的日期"),
        ("purchased_on", "2999-01-01", "购买日期不能晚于今天。"),
        ("problem", "nonsense", "有效的选项"),
        ("district", "abc", "有效的选项"),
        ("district", "999999", "有效的选项"),
        ("contact_phone", "call me", "请输入数字组成的电话号码"),
        ("contact_email", "not-an-address", "请输入合法的邮件地址。"),
        ("description", "杯盖\x00脱落", "不允许是用空字符串。"),  # a NUL byte
        ("product_text", "   ", "必需字段"),
        ("description", "\u200b\u202e", "请描述问题经过。"),  # only invisible characters
    ],
)
def test_wrong_values_are_refused_with_a_message(client, report_data, field, value, message):
    response = client.post(NEW, report_data(**{field: value}))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert f'href="#id_{field}' in html
    assert ConsumerReport.objects.count() == 0


def test_a_request_announcing_too_many_bytes_is_refused_before_reading_it(client, report_data):
    response = client.post(NEW, report_data(), CONTENT_LENGTH=str(200 * 1024 * 1024))
    assert response.status_code == 413
    assert "举报内容过大：最多 3 张照片，每张不超过 5 MB。" in response.content.decode()
    assert ConsumerReport.objects.count() == 0


def test_a_text_field_beyond_the_request_limit_is_refused(client, report_data):
    data = report_data(description="很" * 1_000_000)  # 3 MB of UTF-8 in one field
    response = client.post(NEW, data)
    assert response.status_code == 413
    assert "举报内容过大" in response.content.decode()
    assert ConsumerReport.objects.count() == 0


def test_script_in_a_refused_form_comes_back_escaped(client, report_data):
    photo = SimpleUploadedFile(f"{SCRIPT}.jpg", b"<html>" + SCRIPT.encode(), "image/jpeg")
    response = client.post(NEW, {**report_data(product_text=SCRIPT, gtin=SCRIPT), "photos": photo})
    html = response.content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert" in html
    assert ConsumerReport.objects.count() == 0


def test_script_in_a_report_is_plain_text_on_every_page(client, report_data):
    client.post(NEW, report_data(product_text=SCRIPT, description=SCRIPT, enterprise_text=SCRIPT))
    report = ConsumerReport.objects.get()
    assert report.product_text == SCRIPT  # stored as written, never as markup
    report.public_answer = SCRIPT
    report.save()
    token = "t" * 32
    report.token_digest = ConsumerReport.digest_of(token)
    report.save()
    verified_login(client, UserFactory(is_superuser=True, is_staff=True))
    status = client.post(reverse("reports:status"), {"token": token}).content.decode()
    assert "<script>alert" not in status and "&lt;script&gt;alert" in status
    pages = [
        reverse("wagtailsnippets_reports_consumerreport:list"),
        reverse("wagtailsnippets_reports_consumerreport:edit", args=[report.pk]),
        reverse("wagtailsnippets_reports_consumerreport:inspect", args=[report.pk]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html, url
        assert "&lt;script&gt;alert" in html, url


def test_control_and_bidi_characters_are_removed_from_text(client, report_data):
    client.post(NEW, report_data(product_text="保温杯\u202e\u200b\x07 350ml"))
    assert ConsumerReport.objects.get().product_text == "保温杯 350ml"
