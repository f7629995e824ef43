"""Recording changed objects for the lookup index, in the transaction that changes them.

Apart from `search.indexing` so that the direction is one way: signals → outbox → task →
indexing.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from portal.core.bulk import copy_rows
from search.models import PendingIndexUpdate
from search.tasks import process_outbox

Kind = PendingIndexUpdate.Kind


def mark_changed(kind: str, ids: Iterable[int]) -> None:
    """Record changed objects in the outbox and process it once the transaction commits."""
    rows = [{"kind": kind, "object_id": pk} for pk in set(ids) if pk]  # dicts: cheaper to build
    if not rows:
        return
    copy_rows(PendingIndexUpdate, rows)
    transaction.on_commit(process_outbox.delay, robust=True)  # broker down: beat retries
