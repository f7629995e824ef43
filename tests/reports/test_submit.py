"""A citizen reports a product problem: the form, the stored report, the link shown once."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from portal.registry.models import District
from portal.reports.models import ConsumerReport
from tests.factories import EnterpriseFactory, ProductBarcodeFactory, valid_uscc

pytestmark = pytest.mark.django_db

NEW = "/reports/new/"


def test_the_form_labels_every_field_and_works_without_javascript(client):
    html = client.get(NEW).content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert "<script" not in html
    for name in ("product_text", "gtin", "enterprise_text", "description", "photos", "answer"):
        assert f'<label for="id_{name}"' in html
    assert "<legend>问题类型</legend>" in html  # the radio buttons sit in a fieldset
    assert re.search(
        r"<label for=\"id_answer\">[一二三四五六七八九][加减][一二三四五六七八九]等于几？", html
    )
    assert 'aria-describedby="id_description_helptext"' in html
    assert re.search(r'<div class="reports-trap" aria-hidden="true">', html)
    assert 'tabindex="-1"' in html


def test_the_form_speaks_english_and_traditional_chinese(client):
    english = client.get("/en" + NEW).content.decode()
    assert "Report a product problem" in english
    assert re.search(
        r"What is (one|two|three|four|five|six|seven|eight|nine) (plus|minus)", english
    )
    assert "舉報產品問題" in client.get("/zh-hant" + NEW).content.decode()


def test_a_report_is_stored_and_its_private_link_shown_once(client, report_data):
    response = client.post(NEW, report_data())
    assert response.status_code == 303
    assert response["Location"] == reverse("reports:thanks")
    report = ConsumerReport.objects.get()
    assert report.product_text == "贝乐儿童保温杯 350ml"
    assert report.contact_phone == "13812345678"
    assert [c.status for c in report.status_changes.all()] == ["received"]

    thanks = client.get(response["Location"])
    assert thanks["Referrer-Policy"] == "no-referrer"
    assert "no-store" in thanks["Cache-Control"]
    html = thanks.content.decode()
    assert report.reference in html
    token = re.search(r"/reports/status/#([\w-]+)\"", html).group(1)
    assert len(token) >= 32
    assert report.token_digest == ConsumerReport.digest_of(token) != token
    assert client.post(reverse("reports:status"), {"token": token}).status_code == 200

    again = client.get(response["Location"]).content.decode()
    assert token not in again
    assert "无法再次显示" in again


def test_a_barcode_links_the_registry_product_its_maker_and_district(client, report_data):
    barcode = ProductBarcodeFactory()
    spaced = f"{barcode.gtin[:1]} {barcode.gtin[1:7]} {barcode.gtin[7:]}"  # as printed
    client.post(
        NEW, report_data(gtin=spaced.translate(str.maketrans("0123456789", "０１２３４５６７８９")))
    )
    report = ConsumerReport.objects.get()
    assert report.gtin == barcode.gtin
    assert report.product == barcode.product
    assert report.enterprise == barcode.product.manufacturer
    assert report.district.code == "minhang"


def test_a_credit_code_or_a_single_name_links_the_enterprise(client, report_data):
    firm = EnterpriseFactory(name="上海贝乐日用品有限公司", uscc=valid_uscc(4711))
    EnterpriseFactory(name="上海同名实业有限公司")
    EnterpriseFactory(name="上海同名实业有限公司", uscc=valid_uscc(4712))
    songjiang = District.objects.get(code="songjiang")
    client.post(NEW, report_data(enterprise_text=firm.uscc.lower(), district=songjiang.pk))
    client.post(NEW, report_data(enterprise_text="上海贝乐日用品有限公司 ", description="第二份"))
    client.post(NEW, report_data(enterprise_text="上海同名实业有限公司", description="第三份"))
    by_code, by_name, ambiguous = ConsumerReport.objects.order_by("id")
    assert by_code.enterprise == firm
    assert by_code.district == songjiang  # the reporter's choice wins over the firm's
    assert by_name.enterprise == firm and by_name.district.code == "minhang"
    assert ambiguous.enterprise is None and ambiguous.district is None


def test_errors_are_summarised_above_the_form_and_linked_to_their_fields(client, report_data):
    response = client.post(NEW, report_data(product_text="", problem="", description=""))
    assert response.status_code == 200
    html = response.content.decode()
    summary = html[html.index('class="error-summary"') : html.index("<form")]
    assert 'href="#id_product_text"' in summary
    assert 'href="#id_problem_0"' in summary
    assert 'href="#id_description"' in summary
    assert 'aria-invalid="true"' in html
    assert 'id="id_product_text_error"' in html
    assert 'value="13812345678"' in html  # what was typed stays in the form
    assert ConsumerReport.objects.count() == 0
