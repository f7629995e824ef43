"""A Celery worker killed (SIGKILL) in the middle of an import: the import is not half written,
and once a worker runs again it completes exactly once."""

from __future__ import annotations

import signal
import time
import uuid

import pytest
from celery.result import AsyncResult

from benchmarks.import_bench import write_csv
from portal.inspections import tasks
from portal.inspections.models import ImportJob, SourceFile, SpotCheckBatch, SpotCheckResult
from tests.conftest import start_celery_worker, wait_for
from tests.inspections.test_import_tasks import job_for

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
ROWS = 6000


def test_an_import_whose_worker_is_killed_completes_once_after_a_restart(
    tasks_through_redis, test_database_url, tmp_path
):
    queue = f"anxin-test-{uuid.uuid4().hex[:8]}"
    sheet = tmp_path / "2019年第三季度电动自行车等产品质量监督抽查结果.csv"
    write_csv(sheet, ROWS)
    job = job_for(sheet, state=ImportJob.State.PREVIEWED)
    worker = start_celery_worker(queue, test_database_url)
    try:
        result = tasks.commit_import.apply_async(args=[job.pk], queue=queue)
        wait_for(
            lambda: result.state == "PROGRESS" and 0 < result.info["rows_done"] < ROWS,
            "the import to be half done",
        )
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        worker.kill()

    # The killed worker's transaction is rolled back: nothing of the import is written.
    wait_for(lambda: not SpotCheckResult.objects.exists(), "the half import to be rolled back")
    assert SourceFile.objects.count() == 0
    job.refresh_from_db()
    assert job.state == ImportJob.State.COMMITTING  # not done, not failed: the task is not lost

    # The task was never acknowledged; a new worker takes it again from Redis once the
    # visibility timeout (1 s here, CELERY_VISIBILITY_TIMEOUT) is over.
    time.sleep(2)
    worker = start_celery_worker(queue, test_database_url, CELERY_VISIBILITY_TIMEOUT="1")
    try:
        wait_for(
            lambda: (
                ImportJob.objects.get(pk=job.pk).state
                not in (ImportJob.State.COMMITTING, ImportJob.State.PREVIEWED)
            ),
            "the import to run again",
        )
        assert AsyncResult(result.id).get(timeout=60) == ImportJob.State.DONE
    finally:
        worker.terminate()
        worker.wait(timeout=30)

    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE, job.message
    assert (job.rows_done, job.total_rows) == (ROWS, ROWS)
    assert SpotCheckResult.objects.count() == ROWS  # once, not twice
    assert SourceFile.objects.count() == 1
    assert SpotCheckBatch.objects.get().version == 1
