"""The import tasks as they really run: two commits of one file at the same time, two imports
creating the same agency at the same time, and a long import whose progress an editor watches
on the job page while a real worker writes it."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse

from benchmarks.import_bench import write_csv
from portal.inspections import tasks
from portal.inspections.importing import BatchDetails, run_import
from portal.inspections.models import (
    ImportJob,
    InspectionAgency,
    SourceFile,
    SpotCheckBatch,
    SpotCheckResult,
)
from tests.conftest import verified_login
from tests.factories import SpotCheckBatchFactory
from tests.inspections.test_import_admin import FIXTURES, FORM, importer

# Serialized rollback: later transactional tests restore the database the migrations made.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PROGRESS = re.compile(r'<progress id="import-progress" max="(\d+)" value="(\d+)">')


def job_for(path: Path, **fields) -> ImportJob:
    return ImportJob.objects.create(
        file=SimpleUploadedFile(path.name, path.read_bytes()),
        original_name=path.name,
        batch_details={**FORM, "year": 2019},
        **fields,
    )


def waiting_for_locks() -> int:
    """Sessions of the test database waiting for a lock another session holds."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # else frozen for the transaction
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def test_two_commits_of_one_file_at_once_end_as_done_and_duplicate():
    """A corrected notice confirmed twice (two editors, or a double click on two jobs): both
    commits run in their own transactions at the same time; one imports, the other is told
    the file is already imported, and nothing is written twice."""
    batch = SpotCheckBatchFactory(authority=FORM["authority"], notice_number=FORM["notice_number"])
    jobs = [job_for(FIXTURES / "import_v1.csv") for _ in range(2)]
    failures = []

    def commit(job: ImportJob) -> None:
        try:
            tasks.commit_import.apply(args=[job.pk], throw=True)
        except Exception as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=commit, args=[job]) for job in jobs]
    # Hold the batch until both commits are inside their transactions and waiting, so that
    # neither can finish before the other has started.
    with transaction.atomic():
        SpotCheckBatch.objects.select_for_update().get(pk=batch.pk)
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 60
        while waiting_for_locks() < 2:
            assert time.monotonic() < deadline, "the two commits never ran side by side"
            time.sleep(0.05)
    for thread in threads:
        thread.join(timeout=120)

    assert failures == []
    states = sorted(ImportJob.objects.values_list("state", flat=True))
    assert states == [ImportJob.State.DONE, ImportJob.State.DUPLICATE]
    duplicate = ImportJob.objects.get(state=ImportJob.State.DUPLICATE)
    assert duplicate.preview["duplicate_of"]
    batch.refresh_from_db()
    assert batch.version == 2  # one new version, not two
    assert SourceFile.objects.count() == 1
    assert SpotCheckResult.objects.filter(batch=batch).count() == 5


@pytest.mark.celery
def test_the_job_page_shows_a_real_import_advance_until_it_is_done(
    client, celery_not_eager, tmp_path
):
    """The confirm button queues `commit_import` on the worker over Redis; the page, read while
    the rows are still uncommitted, shows the rows done growing, then the imported job."""
    rows = 6000
    sheet = tmp_path / "2019年第三季度电动自行车等产品质量监督抽查结果.csv"
    write_csv(sheet, rows)
    verified_login(client, importer())
    job = job_for(sheet, state=ImportJob.State.PREVIEWED)
    url = reverse("inspections_import_detail", args=[job.pk])
    assert client.post(url).status_code == 302  # confirmed

    seen = []
    deadline = time.monotonic() + 300
    while job.state != ImportJob.State.DONE:
        assert time.monotonic() < deadline, f"still {job.state} after {seen}"
        page = client.get(url).content.decode()
        if found := PROGRESS.search(page):
            seen.append((int(found[2]), int(found[1])))
            assert '<meta http-equiv="refresh" content="2">' in page
        job.refresh_from_db()
        assert job.state != ImportJob.State.FAILED, job.message
        time.sleep(0.05)

    done = [value for value, total in seen if total == rows]
    assert done == sorted(done), seen  # never goes back
    assert [value for value in done if 0 < value < rows], f"no progress seen midway: {seen}"
    assert (job.rows_done, job.total_rows) == (rows, rows)
    page = client.get(url).content.decode()
    assert "import-progress" not in page


def test_two_imports_creating_the_same_agency_at_once_both_land(tmp_path):
    """Two notices naming the same new testing agency, imported side by side: the second
    waits for the first's agency row and links to it, instead of failing on its unique name."""
    paths = [tmp_path / "a.csv", tmp_path / "b.csv"]
    for n, path in enumerate(paths):
        write_csv(path, 20, firms_from=n * 1000)  # other producers, the same agency
    first_inserted, release = threading.Event(), threading.Event()
    reports, failures = {}, []

    def run(path: Path, hold: bool) -> None:
        details = BatchDetails(notice_number=path.name, title="t", authority="a", year=2019)
        try:
            with transaction.atomic():  # held open after the import until released
                with path.open("rb") as handle:
                    reports[path.name] = run_import(handle, path.name, details, commit=True)
                if hold:
                    first_inserted.set()
                    release.wait(timeout=60)
        except Exception as error:
            failures.append(error)
        finally:
            first_inserted.set()
            connection.close()

    first = threading.Thread(target=run, args=[paths[0], True])
    second = threading.Thread(target=run, args=[paths[1], False])
    first.start()
    assert first_inserted.wait(timeout=60)
    second.start()
    deadline = time.monotonic() + 60
    while waiting_for_locks() < 1:  # the second waits on the first's uncommitted agency
        assert time.monotonic() < deadline, "the second import never met the first's agency"
        time.sleep(0.05)
    release.set()
    for thread in (first, second):
        thread.join(timeout=120)

    assert failures == []
    assert all(report.ok for report in reports.values())
    assert [reports[p.name].agencies_created for p in paths] == [1, 0]
    agency = InspectionAgency.objects.get()
    assert SpotCheckResult.objects.count() == 40
    assert set(SpotCheckResult.objects.values_list("initial_agency", flat=True)) == {agency.pk}
