"""The security probe's private-file rows for report photos, run against a live portal."""

from __future__ import annotations

import pytest

from benchmarks.security_probe import Row, check_private_files

from .factories import ReportPhotoFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_an_anonymous_request_for_a_report_photo_is_refused(live_server, private_root):
    photo = ReportPhotoFactory()
    assert photo.file.path.startswith(str(private_root))  # never the real private folder
    [row] = check_private_files(live_server.url, {"report photo": photo.get_absolute_url()})
    assert row[:3] == ("anonymous file", "report photo", True)
    assert row.detail.endswith(("HTTP 302", "HTTP 403"))


def test_a_file_anyone_may_fetch_fails_the_row(live_server):
    rows = check_private_files(live_server.url, {"a public page": "/healthz"})
    assert rows == [Row("anonymous file", "a public page", False, "/healthz: HTTP 200")]
