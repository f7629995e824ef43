"""Keeping the lookup index in step with the database.

Changes are recorded in the outbox (`PendingIndexUpdate`, see `search.outbox`) inside the
writing transaction; after the commit a Celery task sends them to the engine in bulk with
`process_outbox` and only then deletes them.
`rebuild()` builds a fresh index beside the live one and swaps the alias, so searches never
see a half-built index; while it runs, outbox updates go to every lookup index, old and new.

Every write carries an external version taken before its documents are read (decision 0010):
a document read earlier never replaces one read later, whichever reaches the engine last, so
a rebuild's older snapshot of a row cannot undo, or bring back, what the outbox wrote meanwhile.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from itertools import islice
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from portal.grading.selectors import approved_grades_for, grade_facets
from portal.inspections.models import SpotCheckResult
from portal.registry.models import Enterprise, Licence, Product, ProductBarcode
from search import engine
from search.documents import (
    ENTERPRISE_FIELDS,
    PRODUCT_FIELDS,
    EnterpriseRow,
    ProductRow,
    ResultFacts,
    alias_name,
    build_enterprise,
    build_product,
    definition_digest,
    lookup_index,
    shown_enterprise,
    shown_product,
)
from search.models import PendingIndexUpdate

logger = logging.getLogger(__name__)

CHUNK = 1000
Kind = PendingIndexUpdate.Kind
#: How long a new index remembers deleted documents while a rebuild fills it (the engine's
#: default, 60 s, is shorter than a large rebuild): a delete written by the outbox must still
#: refuse the rebuild's older copy when the stream reaches that object.
REBUILD_TOMBSTONES = "24h"


class _OwnerStream:
    """Rows ordered by owner id, handed out owner by owner to a reader that walks the owners in
    the same order: one sorted query serves every owner, whether a rebuild streams a million
    of them or the outbox sends a few."""

    def __init__(self, rows: Iterable[tuple]):
        self._rows = iter(rows)
        self._head = next(self._rows, None)

    def take(self, owner: int) -> list[tuple]:
        taken = []
        while self._head is not None and self._head[0] <= owner:
            if self._head[0] == owner:
                taken.append(self._head[1:])
            self._head = next(self._rows, None)
        return taken


def _streamed(queryset) -> Iterator[tuple]:
    return queryset.iterator(chunk_size=CHUNK)


def _result_facts(field: str, only: dict) -> _OwnerStream:
    """The facts of public results per owner (enterprise or product), newest first, as plain
    values (model instances for every result would dominate a rebuild)."""
    rows = (
        SpotCheckResult.public.filter(**_on(field, only))
        .exclude(**{f"{field}__isnull": True})  # an unmatched producer owns no document
        .order_by(field, "-batch__published_on", "-batch__year", "-pk")
        .values_list(field, "outcome", "batch__year", "batch__published_on", "category__name")
    )
    return _OwnerStream(_streamed(rows))


def _identifiers(model, field: str, value: str, only: dict) -> _OwnerStream:
    rows = model.objects.filter(**_on(field, only))
    return _OwnerStream(_streamed(rows.order_by(field, value).values_list(field, value)))


def _scope(ids: Iterable[int] | None) -> dict:
    """Lookup of the owners to build: the given ids, or all of them (`{}`) for a rebuild."""
    return {} if ids is None else {"in": list(ids)}


def _on(field: str, only: dict) -> dict:
    """The scope as filter arguments on `field`: `{"product_id__in": [...]}` or `{}`."""
    return {f"{field}__{lookup}": value for lookup, value in only.items()}


def enterprise_documents(ids: Iterable[int] | None = None) -> Iterator[dict[str, Any]]:
    """The documents of the given enterprises, or of all (streamed, in id order)."""
    only = _scope(ids)
    facts = _result_facts("producer_id", only)
    licences = _identifiers(Licence, "enterprise_id", "number", only)
    rows = Enterprise.objects.filter(**_on("pk", only))
    for row in _streamed(rows.order_by("pk").values_list(*ENTERPRISE_FIELDS)):
        enterprise = EnterpriseRow(*row)
        results = [ResultFacts(*f) for f in facts.take(enterprise.pk)]
        numbers = [number for (number,) in licences.take(enterprise.pk)]
        yield build_enterprise(enterprise, results, numbers)


def product_documents(ids: Iterable[int] | None = None) -> Iterator[dict[str, Any]]:
    """The documents of the given products, or of all (streamed, in id order)."""
    only = _scope(ids)
    facts = _result_facts("product_id", only)
    gtins = _identifiers(ProductBarcode, "product_id", "gtin", only)
    grades = _OwnerStream(_streamed(grade_facets(**_on("product_id", only))))
    rows = Product.objects.filter(**_on("pk", only))
    for row in _streamed(rows.order_by("pk").values_list(*PRODUCT_FIELDS)):
        product = ProductRow(*row)
        results = [ResultFacts(*f) for f in facts.take(product.pk)]
        codes = [gtin for (gtin,) in gtins.take(product.pk)]
        graded = grades.take(product.pk)  # newest first
        facets = sorted({facet for facet, _grade in graded})
        yield build_product(product, results, codes, facets, graded[0][1] if graded else None)


def shown_lines(found: list[tuple[str, int]]) -> dict[tuple[str, int], dict]:
    """Results lines of (kind, id) from the database, built as the documents build them
    (`shown_*`), in three queries: enterprises, products with makers, newest grades. For
    the database fallback, and for hits of an index built before documents carried them."""
    ids = {kind: [pk for k, pk in found if k == kind] for kind in ("enterprise", "product")}
    shown = {
        ("enterprise", row[0]): shown_enterprise(EnterpriseRow(*row))
        for row in Enterprise.objects.filter(pk__in=ids["enterprise"]).values_list(
            *ENTERPRISE_FIELDS
        )
    }
    if ids["product"]:
        grades = approved_grades_for(ids["product"])
        for row in Product.objects.filter(pk__in=ids["product"]).values_list(*PRODUCT_FIELDS):
            product = ProductRow(*row)
            newest = next((g.grade for g in grades[product.pk]), None)
            shown["product", product.pk] = shown_product(product, newest)
    return shown


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


BUILDERS = {Kind.ENTERPRISE: enterprise_documents, Kind.PRODUCT: product_documents}


def next_version() -> int:
    """The version of documents read from the database from now on; each call returns more.

    A PostgreSQL sequence: shared by every worker, never going back (a clock can), and outside
    transactions, so nobody waits for it. SQLite (`make run`, one machine) uses the clock.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval('search_document_version')")
            return cursor.fetchone()[0]
    return time.time_ns() // 1000


def _versioned(action: dict[str, Any], version: int) -> dict[str, Any]:
    """The engine keeps the write with the highest version and refuses older ones (409)."""
    return {**action, "version": version, "version_type": "external"}


def _actions(
    kind: str, ids: list[int], targets: list[str], version: int
) -> Iterator[dict[str, Any]]:
    found = set()
    for document in BUILDERS[kind](ids):
        found.add(document["object_id"])
        for target in targets:
            yield _versioned({"_op_type": "index", "_index": target, **document}, version)
    for missing in set(ids) - found:  # deleted since: remove from the index
        for target in targets:
            delete = {"_op_type": "delete", "_index": target, "_id": f"{kind}-{missing}"}
            yield _versioned(delete, version)


def write_targets() -> list[str]:
    """Every lookup index: the live one and any being built by a rebuild."""
    return sorted(engine.maintenance_client().indices.get(index=f"{alias_name()}-*").keys())


#: Held exclusively by a backup while it copies the index (search/backup.py), shared by
#: each outbox run: the index then changes only after the backup's database snapshot.
OUTBOX_PAUSE_LOCK = 0x616E78696E


def outbox_paused() -> bool:
    """Whether a backup holds the index still; if not, no backup can start before this
    transaction ends."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock_shared(%s)", [OUTBOX_PAUSE_LOCK])
        return not cursor.fetchone()[0]


def process_outbox(limit: int = 5000) -> int:
    """Send up to `limit` pending updates to the engine; keep them if the engine fails, no
    lookup index exists yet, or a backup is copying the index."""
    with transaction.atomic():
        if outbox_paused():
            return 0
        rows = list(
            PendingIndexUpdate.objects.select_for_update(skip_locked=True).order_by("pk")[:limit]
        )
        if not rows:
            return 0
        # Taken after these rows are visible, so after the changes they stand for: higher
        # than the version of any rebuild whose snapshot may have missed them.
        version = next_version()
        try:
            targets = write_targets()
            if not targets:
                logger.warning(
                    "search: %d index updates wait for a lookup index (manage.py search_rebuild)",
                    len(rows),
                )
                return 0
            for kind in Kind.values:
                ids = sorted({r.object_id for r in rows if r.kind == kind})
                if ids:
                    engine.bulk(_actions(kind, ids, targets, version))
        except engine.ENGINE_ERRORS as error:
            logger.warning("search: %d index updates wait for the engine: %s", len(rows), error)
            return 0
        PendingIndexUpdate.objects.filter(pk__in=[r.pk for r in rows]).delete()
        return len(rows)


def _sort_in_memory() -> None:
    """Give this transaction's streaming queries room to sort results by owner in memory:
    with PostgreSQL's default 4 MB, a million products' results spill to disk."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = %s", [settings.SEARCH_REBUILD_WORK_MEM])


def is_current(expected_documents: int) -> bool:
    """Whether the live index was built by this code's definition and holds as many
    documents as the database has objects (make run skips its rebuild then)."""
    client = engine.maintenance_client()
    alias = alias_name()
    if not client.indices.exists_alias(name=alias):
        return False
    mappings = client.indices.get_mapping(index=alias)
    digests = {m["mappings"].get("_meta", {}).get("definition") for m in mappings.values()}
    count = client.count(index=alias)["count"]
    return digests == {definition_digest()} and count == expected_documents


def rebuild(progress=None) -> str:
    """Build a new index from the database and swap the alias to it; returns its name."""
    client = engine.maintenance_client()
    alias = alias_name()
    name = f"{alias}-{datetime.now(UTC):%Y%m%d%H%M%S%f}"
    lookup_index(name).create(using=client)
    client.indices.put_mapping(index=name, body={"_meta": {"definition": definition_digest()}})
    client.indices.put_settings(
        index=name, body={"index": {"refresh_interval": "-1", "gc_deletes": REBUILD_TOMBSTONES}}
    )
    # Taken once the new index receives the outbox's writes and before any table is read:
    # a change the streams below miss is sent by the outbox with a higher version.
    version = next_version()

    # Documents are built here (this thread owns the database connection, streaming each
    # table once in id order) while up to two earlier chunks are being indexed by the
    # engine: building and indexing overlap.
    done = 0
    with transaction.atomic(), ThreadPoolExecutor(max_workers=2) as pool:
        _sort_in_memory()
        pending: list[Future] = []
        for documents in BUILDERS.values():
            for chunk in _chunks(documents(), CHUNK):
                actions = [
                    _versioned({"_op_type": "index", "_index": name, **d}, version) for d in chunk
                ]
                pending.append(pool.submit(engine.bulk, actions))
                if len(pending) > 2:
                    pending.pop(0).result()
                done += len(chunk)
                if progress:
                    progress(done)
        for future in pending:
            future.result()

    client.indices.put_settings(
        index=name, body={"index": {"refresh_interval": "1s", "gc_deletes": None}}
    )
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
