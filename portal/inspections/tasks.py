"""Celery tasks for spreadsheet imports: preview first, commit when an editor confirms."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import transaction

from .importing import BatchDetails, run_import
from .models import ImportJob

logger = logging.getLogger(__name__)


@shared_task(bind=True)
def preview_import(self, job_id: int) -> str:
    return _run(self, job_id, commit=False)


@shared_task(bind=True)
def commit_import(self, job_id: int) -> str:
    return _run(self, job_id, commit=True)


def _run(task, job_id: int, *, commit: bool) -> str:
    job = ImportJob.objects.get(pk=job_id)
    job.state = ImportJob.State.COMMITTING if commit else ImportJob.State.PREVIEWING
    job.rows_done = 0
    job.save(update_fields=["state", "rows_done", "updated_at"])

    def progress(done: int, total: int) -> None:
        # The import runs in one transaction, so progress goes to the result backend,
        # where the admin can read it while the rows are still uncommitted.
        if not task.request.is_eager:
            task.update_state(state="PROGRESS", meta={"rows_done": done, "total_rows": total})

    try:
        with job.file.open("rb") as fileobj:
            report = run_import(
                fileobj,
                job.original_name,
                BatchDetails.from_json(job.batch_details),
                commit=commit,
                user=job.created_by,
                on_progress=progress,
            )
    except Exception as error:
        logger.exception("import job %s failed", job_id)
        job.state, job.message = ImportJob.State.FAILED, f"{type(error).__name__}: {error}"
        job.save(update_fields=["state", "message", "updated_at"])
        raise
    job.preview = report.to_json()
    job.total_rows, job.rows_done = report.total_rows, report.rows
    if report.duplicate_of:
        job.state = ImportJob.State.DUPLICATE
    elif not report.ok:
        job.state = ImportJob.State.INVALID
    elif commit:
        job.state, job.batch_id = ImportJob.State.DONE, report.batch_id
    else:
        job.state = ImportJob.State.PREVIEWED
    job.save()
    return job.state


def enqueue(task, job: ImportJob) -> None:
    """Queue a task once the job row is committed, and remember its id for progress."""

    def send() -> None:
        result = task.delay(job.pk)
        ImportJob.objects.filter(pk=job.pk).update(task_id=result.id)

    transaction.on_commit(send)
