"""Search benchmark: bulk indexing rate and lookup latency on the local engine.

    make services &
    psql -h 127.0.0.1 -U postgres -c "create database anxin_bench" postgres
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/anxin_bench \\
        .venv/bin/python benchmarks/search_bench.py --scale 10      # 100,000 products
        # --scale 100 gives 1,000,000 products (load_demo takes several minutes)

1. Loads the demo data at SCALE (10,000 products per unit) unless already there.
2. Indexing: `search_rebuild` (database → documents → bulk) in documents/s, against the
   engine's own bulk API fed the same, pre-built documents (the ratio is our overhead).
3. Lookup: realistic queries (names, brands, pinyin, credit codes, GTINs) through the
   /search/ view, the same queries' bodies sent straight to the engine, and autocomplete;
   p50/p95/p99 in milliseconds.

`--only indexing` or `--only lookups` runs one half, so the lookups of a million products can
be timed at a quiet moment after a long rebuild.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.lookups import realistic_queries

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.benchmark")
os.environ.setdefault("SEARCH_INDEX_PREFIX", "anxin-bench")


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return f"p50 {pick(0.50):6.1f} ms  p95 {pick(0.95):6.1f} ms  p99 {pick(0.99):6.1f} ms"


def timed(function, *args) -> float:
    started = time.perf_counter()
    function(*args)
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=10)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument(
        "--only",
        choices=("indexing", "lookups"),
        help="one half: indexing (2.) or lookups (3.) on the index a run before left",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from portal.registry.models import Enterprise, Product

    call_command("migrate", verbosity=0)
    wanted = int(10_000 * args.scale)
    if Product.objects.count() < wanted:
        started = time.perf_counter()
        call_command("load_demo", "--reset", "--scale", str(args.scale), verbosity=0)
        print(f"load_demo --scale {args.scale}: {time.perf_counter() - started:.0f} s")
    # Planner statistics for the freshly loaded tables, as autovacuum would gather them only
    # later: without them the rebuild's streaming joins are planned for empty tables.
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"ANALYZE: {time.perf_counter() - started:.1f} s")
    documents = Enterprise.objects.count() + Product.objects.count()
    print(f"documents: {documents:,} ({Product.objects.count():,} products)")
    if args.only != "lookups":
        measure_indexing(documents)
    if args.only != "indexing":
        measure_lookups(args.queries)


def measure_indexing(documents: int) -> None:
    from django.core.management import call_command

    from search import engine, indexing
    from search.documents import alias_name, lookup_index

    started = time.perf_counter()
    indexing.rebuild()
    ours = time.perf_counter() - started
    print(f"search_rebuild: {ours:.1f} s, {documents / ours:,.0f} documents/s")

    # The engine's own bulk rate on the same documents, built beforehand.
    raw_index = f"{alias_name()}-rawbulk"
    built = [
        {"_op_type": "index", "_index": raw_index, **document}
        for documents in indexing.BUILDERS.values()
        for document in documents()
    ]
    lookup_index(raw_index).create(using=engine.maintenance_client())
    # As the rebuild does: no refreshes while loading.
    engine.get_client().indices.put_settings(
        index=raw_index, body={"index": {"refresh_interval": "-1"}}
    )
    started = time.perf_counter()
    engine.bulk(built)
    raw = time.perf_counter() - started
    engine.get_client().indices.delete(index=raw_index)
    del built
    print(
        f"engine bulk API alone: {raw:.1f} s, {documents / raw:,.0f} documents/s; "
        f"ours takes {ours / raw:.2f}x as long"
    )

    call_command("update_index", verbosity=0)  # Wagtail's page search, which /search/ asks too


def measure_lookups(count: int) -> None:
    from django.test import RequestFactory

    from portal.core.startup import load_and_freeze
    from search import engine
    from search.documents import alias_name
    from search.queries import LookupQuery, autocomplete
    from search.views import search

    load_and_freeze()  # as portal/wsgi.py does in a web process: no GC pauses over the dictionaries
    queries = realistic_queries(random.Random(2019), count)
    factory = RequestFactory(SERVER_NAME="localhost")  # a host ALLOWED_HOSTS has
    for text in queries[:20]:  # warm up caches
        search(factory.get("/search/", {"q": text}))
    view = [timed(search, factory.get("/search/", {"q": text})) for text in queries]
    client = engine.get_client()
    bodies = [LookupQuery(text).search().to_dict() for text in queries]
    direct = [timed(lambda b: client.search(index=alias_name(), body=b), b) for b in bodies]
    complete = [timed(autocomplete, text[:2]) for text in queries]
    print(f"/search/ view (engine + rows + page): {percentiles(view)}")
    print(f"same bodies straight to the engine:   {percentiles(direct)}")
    print(f"autocomplete:                         {percentiles(complete)}")
    print(
        f"overhead of our layer at p50: {statistics.median(view) / statistics.median(direct):.2f}x"
    )


if __name__ == "__main__":
    main()
