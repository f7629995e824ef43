"""The main admin screens, and the public pages' scripts at work, under the real
Content-Security-Policy: a violation (a `securitypolicyviolation` event or the browser's own
console message) fails the test. Every public page type is visited by the security probe's
test (tests/e2e/test_security_probe.py), with the same watcher."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from benchmarks.security_probe import watch_csp
from content.models import EducationArticlePage, RiskWarningPage
from portal.inspections.models import ImportJob
from portal.reports.models import ConsumerReport
from tests.e2e.test_editorial_flow import log_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHEET = Path(__file__).resolve().parents[1] / "fixtures" / "spreadsheets" / "import_v1.csv"


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", "--scale", "0")


def test_public_scripts_run_without_csp_violations(live_server, page, demo):
    violations = watch_csp(page)
    base = live_server.url
    page.goto(base + "/search/")
    page.locator("input[data-autocomplete]").press_sequentially("儿童")  # the suggestions' script
    page.wait_for_load_state("networkidle")
    page.goto(base + "/trace/")
    page.get_by_role("button", name="用摄像头扫描").click()  # loads the scanner's scripts
    page.wait_for_load_state("networkidle")
    page.goto(base + "/reports/new/")
    page.wait_for_load_state("networkidle")
    assert not violations, "\n".join(violations)


def test_main_admin_screens_run_without_csp_violations(live_server, page, demo):
    admin = UserFactory(username="cspadmin", is_superuser=True, is_staff=True)
    article = EducationArticlePage.objects.live().first()
    warning = RiskWarningPage.objects.live().first()  # its hazards are an inline panel
    report = ConsumerReport.objects.first()
    violations = watch_csp(page)
    base = live_server.url
    log_in(page, base, admin)
    for path in [
        "/admin/",
        "/admin/pages/",
        f"/admin/pages/{article.get_parent().pk}/",
        f"/admin/pages/{article.get_parent().pk}/add_subpage/",
        f"/admin/pages/add/content/educationarticlepage/{article.get_parent().pk}/",
        f"/admin/pages/{warning.pk}/edit/",
        "/admin/images/",
        "/admin/documents/",
        "/admin/snippets/",
        "/admin/users/",
        reverse("wagtailsnippets_reports_consumerreport:list"),
        reverse("wagtailsnippets_reports_consumerreport:edit", args=[report.pk]),
        "/admin/spotcheck-imports/",
    ]:
        response = page.goto(base + path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")

    # The rich-text editor (Draftail) runs as the editor types.
    page.goto(f"{base}/admin/pages/{article.pk}/edit/")
    editor = page.locator(".Draftail-Editor [contenteditable=true]").first
    editor.click()
    page.keyboard.type("安全提示")
    page.wait_for_load_state("networkidle")

    # The spot-check import: the upload form, then its preview.
    page.goto(base + "/admin/spotcheck-imports/new/")
    page.fill("#id_notice_number", "沪市监质〔2019〕12号")
    page.fill("#id_title", "2019年上海市儿童用品产品质量监督抽查结果")
    page.fill("#id_authority", "上海市市场监督管理局")
    page.fill("#id_year", "2019")
    page.select_option("#id_level", "city")
    page.fill("#id_published_on", "2019-04-15")
    page.set_input_files("#id_file", str(SHEET))
    page.click("form:has(#id_file) button[type=submit]")
    page.wait_for_url("**/admin/spotcheck-imports/*/")
    assert ImportJob.objects.get().state == ImportJob.State.PREVIEWED
    page.wait_for_load_state("networkidle")
    assert not violations, "\n".join(violations)
