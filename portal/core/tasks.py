import os
import socket

from celery import shared_task


@shared_task
def ping() -> dict[str, object]:
    """Answer with the worker's identity: proves a task ran in a worker, not in the caller."""
    return {"hostname": socket.gethostname(), "pid": os.getpid()}
