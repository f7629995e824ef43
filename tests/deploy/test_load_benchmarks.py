"""The load benchmarks' plumbing, in seconds: benchmarks/proxy_bench.py and
benchmarks/mixed_load.py drive deploy/'s real nginx and gunicorn with wrk for 2 s over 2
connections and must report figures and no error; a lookup the engine could not answer must
be counted as degraded.

Marked `deploy` (nginx, gunicorn and wrk, installed from Debian when missing), so plain
`pytest` leaves them out: `pytest -m deploy tests/deploy/test_load_benchmarks.py`. The mix runs
on the suite's single engine node; the benchmark itself uses the three-node cluster."""

from __future__ import annotations

import random
import uuid

import pytest
from django.core.management import call_command
from django.test import override_settings

from benchmarks import mixed_load, proxy_bench
from benchmarks.loadgen import PORTAL_ENVIRONMENT, require_wrk, run_wrk
from scripts.harness.deploy import Stack
from search import engine, indexing

pytestmark = [
    pytest.mark.deploy,
    pytest.mark.search,
]
BRIEFLY = {"connections": 2, "duration": 2}


@pytest.fixture(scope="module")
def index_prefix():
    """The suite's engine, under a prefix of this module's own, for this process and gunicorn."""
    prefix = f"anxin-test-load-{uuid.uuid4().hex[:8]}"
    with override_settings(SEARCH_INDEX_PREFIX=prefix):
        yield prefix
    engine.get_client().indices.delete(index=f"{prefix}-*", ignore_unavailable=True)


@pytest.fixture(scope="module")
def stack(committed, index_prefix):
    require_wrk()
    call_command("load_demo", "--scale", "0.01", verbosity=0)
    indexing.rebuild()
    env = {
        **PORTAL_ENVIRONMENT,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": committed,
        "SEARCH_INDEX_PREFIX": index_prefix,
        "GUNICORN_WORKERS": "2",
    }
    with Stack(env, web_port=8145, proxy_port=8146, workers=False) as running:
        yield running


def test_proxy_bench_reports_both_paths_without_errors(stack):
    results = proxy_bench.measure(stack, proxy_bench.measured_pages(), **BRIEFLY)

    assert set(results) == {"home", "warning", "notice"}
    for measured in results.values():
        assert measured.cached.requests > 0 and measured.direct.requests > 0
        assert measured.cached.errors == measured.direct.errors == 0
        assert measured.nginx_cpu_ms > 0 and measured.gunicorn_cpu_ms > 0
        # The micro-cache answered: at most a refresh per 3 s reached gunicorn.
        assert measured.reached_django <= 2


def test_mixed_load_has_its_shares_and_no_errors(stack):
    paths = mixed_load.build_mix(random.Random(1), 1000)
    lookups = sum(
        path.startswith(("/search/", "/en/search/", "/zh-hant/search/")) for path in paths
    )
    api = sum(path.startswith("/api/v1/") for path in paths)
    assert 150 <= lookups <= 250 and 60 <= api <= 140  # 20 % and 10 % of 1,000

    run = mixed_load.run_mix(stack, paths, "anxin-test-mix", **BRIEFLY)

    figures = run.figures
    assert figures.requests > 0 and figures.errors == 0 and figures.degraded == 0
    assert set(figures.statuses) == {200}
    assert sum(figures.statuses.values()) == figures.requests
    assert 0 < run.reached_django <= figures.requests and run.gunicorn_cpu_ms > 0


def test_a_lookup_the_engine_could_not_answer_is_counted(stack, index_prefix):
    """Last: it deletes the module's indexes."""
    engine.get_client().indices.delete(index=f"{index_prefix}-*")  # the engine: "no index"
    searches = [f"/search/?q=lookup{n}" for n in range(50)]  # past the micro-cache

    figures = run_wrk(stack.direct_url, paths=searches, inspect=True, **BRIEFLY)

    assert figures.requests > 0 and figures.errors == 0
    assert figures.degraded == figures.requests
