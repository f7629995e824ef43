"""The Content-Security-Policy header and the violation-report endpoint (issue 19)."""

import base64
import hashlib
import json
import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from portal.core.models import CspViolation
from tests.reports.factories import ConsumerReportFactory

pytestmark = pytest.mark.django_db

REPORT = {
    "csp-report": {
        "document-uri": "https://anxin.example/warnings/",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "blocked-uri": "inline",
        "line-number": 12,
        "disposition": "enforce",
    }
}


@pytest.fixture(autouse=True)
def fresh_counts():
    cache.clear()
    yield
    cache.clear()


def post(client, body, **extra):
    return client.post("/csp-report", body, content_type="application/csp-report", **extra)


def test_public_page_forbids_inline_scripts_and_eval(client):
    policy = client.get("/healthz")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert "unsafe" not in policy
    assert directives["report-uri"] == "/csp-report"


def test_admin_relaxes_only_inline_styles(client):
    policy = client.get("/admin/login/")["Content-Security-Policy"]
    # In place of the public list: beside a hash, browsers would ignore 'unsafe-inline'.
    assert re.search(r"style-src ([^;]*)", policy).group(1) == "'self' 'unsafe-inline'"
    assert "unsafe" not in re.search(r"script-src ([^;]*)", policy).group(1)


def inline_scripts(html: str) -> list[str]:
    """The opening tags of the inline scripts that run (not JSON data blocks)."""
    tags = re.findall(r"<script\b[^>]*>", html)
    return [tag for tag in tags if "src=" not in tag and "application/json" not in tag]


def test_wagtails_inline_scripts_carry_the_responses_nonce(admin_client):
    report = ConsumerReportFactory()
    for path in [
        "/admin/users/",  # the date pickers of the filters
        reverse("wagtailsnippets_reports_consumerreport:edit", args=[report.pk]),  # choosers
    ]:
        response = admin_client.get(path)
        nonce = re.search(r"script-src 'self' 'nonce-([^']+)'", response["Content-Security-Policy"])
        scripts = inline_scripts(response.content.decode())
        assert nonce and scripts, path
        assert set(scripts) == {f'<script nonce="{nonce.group(1)}">'}, path


def test_a_page_without_inline_scripts_gets_no_nonce(admin_client):
    policy = admin_client.get("/admin/")["Content-Security-Policy"]
    assert re.search(r"script-src ([^;]*)", policy).group(1) == "'self'"


def test_server_error_page_style_hash_matches_the_policy():
    template = (settings.BASE_DIR / "portal" / "templates" / "500.html").read_text()
    style = re.search(r"<style>(.*?)</style>", template, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src"]


def test_report_is_recorded(client):
    response = post(client, json.dumps(REPORT))
    assert response.status_code == 204
    violation = CspViolation.objects.get()
    assert violation.directive == "script-src-elem"
    assert violation.document_uri == "https://anxin.example/warnings/"
    assert violation.line_number == "12"


def test_one_megabyte_report_is_refused_and_not_stored(client):
    huge = json.dumps({"csp-report": {"document-uri": "x" * (1024 * 1024)}})
    response = post(client, huge)
    assert response.status_code == 413
    assert not CspViolation.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        b"\xff\xfe{",  # not UTF-8
        "null",
        "[]",
        '{"other": 1}',
        '{"csp-report": "text"}',
        '{"csp-report": null}',
        '{"csp-report": ["a", "list"]}',
    ],
)
def test_what_is_not_a_report_gets_400_and_is_not_stored(client, body):
    assert post(client, body).status_code == 400
    assert not CspViolation.objects.exists()


def test_flood_of_reports_is_cut_at_the_rate_limit(client, settings):
    settings.CSP_REPORT_RATE_LIMIT = "5/min"
    answers = [post(client, json.dumps(REPORT)).status_code for _ in range(8)]
    assert answers == [204] * 5 + [429] * 3
    assert CspViolation.objects.count() == 5


def test_report_endpoint_takes_only_post(client):
    assert client.get("/csp-report").status_code == 405
