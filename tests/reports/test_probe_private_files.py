"""The security probe's private-file check, run against a live portal."""

from __future__ import annotations

import pytest

from benchmarks import probe_private_files

from .factories import ReportPhotoFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_an_anonymous_request_for_a_report_photo_is_refused(live_server, private_root):
    photo = ReportPhotoFactory()
    assert photo.file.path.startswith(str(private_root))  # never the real private folder
    rows = probe_private_files.check(live_server.url, {"report photo": photo.get_absolute_url()})
    assert rows == [("anonymous: report photo", True, rows[0][2])]
    assert rows[0][2].endswith(("HTTP 302", "HTTP 403"))


def test_a_file_anyone_may_fetch_fails_the_row(live_server):
    samples = {"a public page": "/healthz"}
    [(name, passed, detail)] = probe_private_files.check(live_server.url, samples)
    assert (name, passed) == ("anonymous: a public page", False)
    assert detail == "/healthz: HTTP 200"


def test_a_kind_without_a_sample_fails_rather_than_passing_silently():
    rows = probe_private_files.samples_from_database()
    assert set(rows) == {"import upload", "batch source file", "report photo"}
    assert probe_private_files.check("http://127.0.0.1:9", rows) == [
        (f"anonymous: {kind}", False, "no sample in the database") for kind in rows
    ]
