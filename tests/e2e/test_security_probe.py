"""The security probe (benchmarks/security_probe.py) against a live portal: every row passes —
security headers and CSP violations (in Chromium) for every public page type, anonymous
requests for each private file kind, and the sign-in lockout."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from benchmarks import security_probe
from tests.inspections.test_private_files import preview_job, source_file
from tests.reports.factories import ConsumerReportFactory, ReportPhotoFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TOKEN = "probe-status-token-0123456789abcdef"


@pytest.fixture
def portal(transactional_db, settings, tmp_path, monkeypatch):
    """The small demo (every page type has a sample) and one file of each private kind."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the probe's Playwright loop
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"
    settings.REPORTS_PRIVATE_ROOT = tmp_path / "reports"
    call_command("load_demo", "--scale", "0.01")
    preview_job(None)
    source_file(None)
    ReportPhotoFactory(report=ConsumerReportFactory(token=TOKEN))


def test_every_row_of_the_probe_passes(live_server, portal, capsys):
    status_page = security_probe.PageType("report status", f"{reverse('reports:status')}#{TOKEN}")
    rows = security_probe.probe(live_server.url, extra_pages=[status_page])
    with capsys.disabled():
        print("\n" + security_probe.table(rows))  # the table docs/security.md quotes
    checks = {row.check for row in rows}
    assert checks == {"headers", "CSP violations", "anonymous file", "sign-in"}
    assert (
        len([row for row in rows if row.check == "CSP violations"])
        == len(security_probe.page_types()) + 1
    )
    assert [row for row in rows if not row.passed] == []
