"""The reporter's private status page: history and answer, nothing private, not indexed."""

from __future__ import annotations

import io
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from content.models import RiskWarningPage
from portal.demo.reports import build_reports
from portal.reports.models import ConsumerReport, ReportStatusChange

from .factories import ConsumerReportFactory

pytestmark = pytest.mark.django_db

TOKEN = "ZmFrZS10b2tlbi1mb3ItdGVzdHMtb25seS0wMDAx"


def status_page(client, token=TOKEN, language=""):
    """The page the link's script posts the token to."""
    return client.post(language + reverse("reports:status"), {"token": token})


def test_the_status_page_shows_history_and_answer_but_nothing_private(
    client, django_assert_max_num_queries
):
    report = ConsumerReportFactory(
        token=TOKEN,
        status="answered",
        public_answer="您好，我局已责令销售者下架该批次产品。\n感谢您的监督。",
        internal_notes="内部：商家曾两次被约谈",
    )
    ReportStatusChange.objects.create(report=report, status="reviewing")
    ReportStatusChange.objects.create(report=report, status="answered")
    with django_assert_max_num_queries(6):
        response = status_page(client)
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert report.reference in html
    history = html[html.index("<h2>历史</h2>") :]
    assert history.index("已收到") < history.index("核查中") < history.index("已答复")
    assert "我局已责令销售者下架该批次产品。" in html
    for private in ("13812345678", "王小明", "wang.xiaoming", "商家曾两次被约谈", "七宝万科"):
        assert private not in html
    assert '<link rel="canonical"' not in html


def test_the_status_page_is_in_english_too(client):
    ConsumerReportFactory(token=TOKEN)
    html = status_page(client, language="/en").content.decode()
    assert "History" in html and "received" in html


def test_a_report_rejected_as_spam_reads_not_accepted(client):
    report = ConsumerReportFactory(token=TOKEN, status="spam")
    ReportStatusChange.objects.create(report=report, status="spam")
    html = status_page(client).content.decode()
    assert "不予受理" in html and "垃圾" not in html


@pytest.mark.parametrize("token", ["unknown-token-000000000000000000000", "x"])
def test_an_unknown_link_is_not_found(client, token):
    ConsumerReportFactory(token=TOKEN)
    assert status_page(client, token).status_code == 404


def test_a_linked_live_warning_is_shown(client):
    call_command("load_demo", "--scale", "0", stdout=io.StringIO())
    warning = (
        RiskWarningPage.objects.live()
        .filter(locale__language_code=settings.LANGUAGE_CODE, withdrawn_on=None)
        .first()
    )
    ConsumerReportFactory(token=TOKEN, warning=warning)
    html = status_page(client).content.decode()
    assert warning.title in html and warning.url in html
    warning.unpublish()
    assert warning.title not in status_page(client).content.decode()


def test_demo_reports_are_created_once(db):
    lines: list[str] = []
    assert build_reports(lines.append) == 5
    assert build_reports(lines.append) == 0
    assert ConsumerReport.objects.count() == 5
    assert set(ConsumerReport.objects.values_list("status", flat=True)) == set(
        ConsumerReport.Status.values
    )
    link = lines[0].rsplit(" ", 1)[-1]
    assert link.startswith("/reports/status/#")


def test_the_link_opens_a_form_that_its_script_fills_in(client):
    response = client.get(reverse("reports:status"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
    html = response.content.decode()
    assert 'name="token"' in html and "data-report-status" in html
    assert re.search(r'<script src="[^"]*js/report-status\.js" defer></script>', html)
    assert "<script>" not in html and " onclick=" not in html  # no inline script (CSP)


def test_an_old_link_with_the_token_in_the_path_is_sent_to_the_fragment(client):
    ConsumerReportFactory(token=TOKEN)
    response = client.get(f"/reports/status/{TOKEN}/")
    assert response.status_code == 302
    assert response["Location"] == f"/reports/status/#{TOKEN}"
    assert response["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize("data", [{"token": ""}, {}, {"token": "x" * 5000}])
def test_a_post_without_a_known_token_is_not_found_and_says_so(client, data):
    ConsumerReportFactory(token=TOKEN)
    response = client.post(reverse("reports:status"), data)
    assert response.status_code == 404
    message = translation.gettext("No report has this private link.")
    assert message in response.content.decode()
