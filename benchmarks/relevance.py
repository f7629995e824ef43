"""Relevance suite: judged citizen queries, scored on the engine and on the database fallback.

    psql -h 127.0.0.1 -U postgres -c "create database anxin_relevance" postgres
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/anxin_relevance \\
        .venv/bin/python benchmarks/relevance.py --scale 1 [--reuse] [--failures] [--json]
        # --write-docs: the table in docs/search.md and benchmarks/relevance_baseline.json
        # --record-test (with --scale 0.05): the figure tests/search/test_relevance_suite.py keeps

Data: the seeded demo registry (what `load_demo --reset --scale SCALE` writes, without its
pages) plus the messy fixture sheet
tests/fixtures/spreadsheets/relevance_sheet.csv imported through the real importer, then
`search_rebuild`. `--reuse` skips loading when the database already holds both.

Queries are derived from the data by the rules of each kind in relevance_suite/ (never from the
query code in search/), written the way citizens type, and sampled with a fixed seed over
categories, districts, enterprises and products. Each has the set of answers a fair judge would
accept (`Judged.accept`); where a short query is ambiguous by nature (pinyin initials, the first
characters) and more than MAX_ACCEPTED objects would qualify, the candidate is skipped: such a
query cannot tell a good ranking from a bad one.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.benchmark")
os.environ.setdefault("SEARCH_INDEX_PREFIX", "anxin-relevance")

from benchmarks.relevance_suite.data import load_data
from benchmarks.relevance_suite.judged import SEED
from benchmarks.relevance_suite.reporting import BASELINE, failures, record, table, write_docs
from benchmarks.relevance_suite.scoring import run_suite

__all__ = ["BASELINE", "TEST_SCALE", "load_data", "per_kind_for", "run_suite"]  # what the test uses

TEST_SCALE = 0.05  # what tests/search/test_relevance_suite.py loads


def per_kind_for(scale: float) -> int:
    """Queries per kind: 24 on the benchmark's data, fewer on the test's small registry."""
    return 24 if scale >= 0.5 else 12


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--reuse", action="store_true", help="keep the data already loaded")
    parser.add_argument("--seed", type=int, default=SEED, help="sampling seed of the queries")
    parser.add_argument("--json", action="store_true", help="machine-readable scores")
    parser.add_argument("--failures", action="store_true", help="list the misses per kind")
    parser.add_argument("--write-docs", action="store_true", help="docs/search.md + baseline")
    parser.add_argument(
        "--record-test",
        action="store_true",
        help=f"record the test's figure (--scale {TEST_SCALE})",
    )
    args = parser.parse_args()
    if args.record_test and args.scale != TEST_SCALE:
        parser.error(f"--record-test needs --scale {TEST_SCALE}, the test's scale")

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    say = (lambda line: print(line, file=sys.stderr)) if args.json else print
    load_data(args.scale, reuse=args.reuse, out=say)
    started = time.perf_counter()
    result = run_suite(per_kind_for(args.scale), args.seed)
    seconds = time.perf_counter() - started
    if args.json:
        print(json.dumps({k: result[k] for k in ("queries", "engine", "fallback")}, indent=2))
    else:
        print(f"{result['queries']} queries, {len(result['kinds'])} kinds, {seconds:.0f} s\n")
        print(table(result))
    if args.failures:
        print(failures(result, "engine"))
        print(failures(result, "fallback"))
    if args.write_docs:
        write_docs(result, args.scale, seconds)
        record(result, args.scale, "benchmark")
    if args.record_test:
        record(result, args.scale, "test")


if __name__ == "__main__":
    main()
