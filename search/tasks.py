from celery import shared_task

from . import indexing


@shared_task(ignore_result=True)
def process_outbox() -> int:
    """Send pending index updates; also run every minute by beat, so a down engine catches up."""
    total = 0
    while sent := indexing.process_outbox():
        total += sent
    return total
