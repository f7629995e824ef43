"""Keeping the lookup index in step with the database.

Changes are recorded in the outbox (`PendingIndexUpdate`) inside the writing transaction;
after the commit a Celery task sends them to the engine in bulk and only then deletes them.
`rebuild()` builds a fresh index beside the live one and swaps the alias, so searches never
see a half-built index; while it runs, outbox updates go to every lookup index, old and new.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from django.db import transaction

from portal.grading.selectors import grade_facets_for
from portal.inspections.models import SpotCheckResult
from portal.registry.models import Enterprise, Licence, Product, ProductBarcode
from search import engine
from search.documents import (
    ResultFacts,
    alias_name,
    build_enterprise,
    build_product,
    lookup_index,
)
from search.models import PendingIndexUpdate

logger = logging.getLogger(__name__)

CHUNK = 1000
Kind = PendingIndexUpdate.Kind


def mark_changed(kind: str, ids: Iterable[int]) -> None:
    """Record changed objects in the outbox and process it once the transaction commits."""
    rows = [PendingIndexUpdate(kind=kind, object_id=pk) for pk in set(ids) if pk]
    if not rows:
        return
    PendingIndexUpdate.objects.bulk_create(rows)
    from search.tasks import process_outbox

    transaction.on_commit(process_outbox.delay, robust=True)  # broker down: beat retries


def _result_facts(field: str, ids: list[int]) -> dict[int, list[ResultFacts]]:
    """Per enterprise or product id, the facts of its public results, newest first, as plain
    values in one query (model instances for every result would dominate a rebuild)."""
    rows = (
        SpotCheckResult.public.filter(**{f"{field}__in": ids})
        .order_by("-batch__published_on", "-batch__year", "-pk")
        .values_list(field, "outcome", "batch__year", "batch__published_on", "category__name")
    )
    facts: dict[int, list[ResultFacts]] = defaultdict(list)
    for owner, *values in rows:
        facts[owner].append(ResultFacts(*values))
    return facts


def enterprise_documents(ids: Iterable[int]) -> Iterator[dict[str, Any]]:
    ids = list(ids)
    facts = _result_facts("producer_id", ids)
    licences: dict[int, list[str]] = defaultdict(list)
    for owner, number in Licence.objects.filter(enterprise_id__in=ids).values_list(
        "enterprise_id", "number"
    ):
        licences[owner].append(number)
    for enterprise in Enterprise.objects.filter(pk__in=ids).select_related("district"):
        yield build_enterprise(enterprise, facts[enterprise.pk], licences[enterprise.pk])


def product_documents(ids: Iterable[int]) -> Iterator[dict[str, Any]]:
    ids = list(ids)
    facts = _result_facts("product_id", ids)
    gtins: dict[int, list[str]] = defaultdict(list)
    for owner, gtin in ProductBarcode.objects.filter(product_id__in=ids).values_list(
        "product_id", "gtin"
    ):
        gtins[owner].append(gtin)
    grades = grade_facets_for(ids)
    products = Product.objects.filter(pk__in=ids).select_related(
        "manufacturer__district", "category"
    )
    for product in products:
        yield build_product(product, facts[product.pk], gtins[product.pk], grades.get(product.pk))


BUILDERS = {Kind.ENTERPRISE: enterprise_documents, Kind.PRODUCT: product_documents}


def _actions(kind: str, ids: list[int], targets: list[str]) -> Iterator[dict[str, Any]]:
    found = set()
    for document in BUILDERS[kind](ids):
        found.add(document["object_id"])
        for target in targets:
            yield {"_op_type": "index", "_index": target, **document}
    for missing in set(ids) - found:  # deleted since: remove from the index
        for target in targets:
            yield {"_op_type": "delete", "_index": target, "_id": f"{kind}-{missing}"}


def write_targets() -> list[str]:
    """Every lookup index: the live one and any being built by a rebuild."""
    return sorted(engine.get_client().indices.get(index=f"{alias_name()}-*").keys())


def process_outbox(limit: int = 5000) -> int:
    """Send up to `limit` pending updates to the engine; keep them if the engine fails."""
    with transaction.atomic():
        rows = list(
            PendingIndexUpdate.objects.select_for_update(skip_locked=True).order_by("pk")[:limit]
        )
        if not rows:
            return 0
        try:
            targets = write_targets()
            if targets:
                for kind in Kind.values:
                    ids = sorted({r.object_id for r in rows if r.kind == kind})
                    if ids:
                        engine.bulk(_actions(kind, ids, targets))
        except engine.ENGINE_ERRORS as error:
            logger.warning("search: %d index updates wait for the engine: %s", len(rows), error)
            return 0
        PendingIndexUpdate.objects.filter(pk__in=[r.pk for r in rows]).delete()
        return len(rows)


def _all_ids(model) -> Iterator[list[int]]:
    ids = model.objects.order_by("pk").values_list("pk", flat=True)
    chunk: list[int] = []
    for pk in ids.iterator(chunk_size=CHUNK):
        chunk.append(pk)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def rebuild(progress=None) -> str:
    """Build a new index from the database and swap the alias to it; returns its name."""
    client = engine.get_client()
    alias = alias_name()
    name = f"{alias}-{datetime.now(UTC):%Y%m%d%H%M%S%f}"
    lookup_index(name).create()
    client.indices.put_settings(index=name, body={"index": {"refresh_interval": "-1"}})

    # Documents are built here (this thread owns the database connection) while up to two
    # earlier chunks are being indexed by the engine: building and indexing overlap.
    done = 0
    with ThreadPoolExecutor(max_workers=2) as pool:
        pending: list[Future] = []
        for kind, model in ((Kind.ENTERPRISE, Enterprise), (Kind.PRODUCT, Product)):
            for ids in _all_ids(model):
                pending.append(pool.submit(engine.bulk, list(_actions(kind, ids, [name]))))
                if len(pending) > 2:
                    pending.pop(0).result()
                done += len(ids)
                if progress:
                    progress(done)
        for future in pending:
            future.result()

    client.indices.put_settings(index=name, body={"index": {"refresh_interval": "1s"}})
    client.indices.refresh(index=name)
    live = client.indices.get_alias(name=alias) if client.indices.exists_alias(name=alias) else {}
    swap = [{"remove": {"index": index, "alias": alias}} for index in live]
    client.indices.update_aliases(
        body={"actions": [*swap, {"add": {"index": name, "alias": alias}}]}
    )
    for index in write_targets():  # the old index, and any left by an interrupted rebuild
        if index != name:
            client.indices.delete(index=index)
    return name
