"""`SEARCH_ENGINE` naming the wrong engine for the server at `SEARCH_URL` (issue 18, bad input):
one clear line at start-up and in `/healthz`, lookups from the database, nothing crashes.

The suite's server is OpenSearch, so `SEARCH_ENGINE=elasticsearch` is the real mismatch: the
Elasticsearch client refuses it by its product check (run in a fresh process, since the client
is chosen at import). The reverse comparison runs in-process with the OpenSearch client.
"""

import json

import pytest

from portal.core.startup import log_service_health
from search import engine
from tests.factories import ProductFactory

EXPECTED_LINE = "SEARCH_ENGINE is 'elasticsearch' but the server at SEARCH_URL is"


@pytest.mark.django_db
def test_healthz_names_the_mismatch_in_one_line(client, settings):
    settings.SEARCH_ENGINE = "elasticsearch"  # the OpenSearch client still talks to OpenSearch
    response = client.get("/healthz")
    assert response.status_code == 200
    search = response.json()["checks"]["search"]
    assert search["status"] == "degraded"
    assert search["error"].startswith(f"{EXPECTED_LINE} opensearch ")
    assert "set SEARCH_ENGINE=opensearch" in search["error"]


def test_start_up_rebuild_says_it_in_one_line_and_writes_nothing(run_manage, search_prefix):
    result = run_manage(
        "search_rebuild",
        "--if-available",
        "--if-stale",
        "-v",
        "0",
        env={"SEARCH_ENGINE": "elasticsearch", "SEARCH_INDEX_PREFIX": search_prefix},
    )
    assert result.returncode == 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines == [
        f"{EXPECTED_LINE} not Elasticsearch: set SEARCH_ENGINE=opensearch; "
        "until then lookups use the database"
    ]
    assert not engine.get_client().indices.get(index=f"{search_prefix}-*")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_lookups_fall_back_to_the_database(run_manage, test_database_url, search_prefix):
    ProductFactory(name="不粘锅示例")
    script = (
        "from django.test import Client; import json; c = Client(HTTP_HOST='localhost');"
        "r = c.get('/search/', {'q': '不粘锅示例'});"
        "h = c.get('/healthz');"
        "print(json.dumps([r.status_code, '不粘锅示例' in r.content.decode(),"
        " h.status_code, h.json()['checks']['search']['error']]))"
    )
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        script,
        env={
            "SEARCH_ENGINE": "elasticsearch",
            "SEARCH_INDEX_PREFIX": search_prefix,
            "DATABASE_URL": test_database_url,
        },
    )
    assert result.returncode == 0, result.stderr
    status, found, health_status, health_error = json.loads(result.stdout.splitlines()[-1])
    assert (status, found, health_status) == (200, True, 200)
    assert health_error.startswith(f"{EXPECTED_LINE} not Elasticsearch")


@pytest.mark.django_db
def test_web_process_start_logs_the_line(settings, caplog):
    settings.SEARCH_ENGINE = "elasticsearch"  # the OpenSearch client still talks to OpenSearch
    log_service_health()
    assert [r.getMessage() for r in caplog.records if EXPECTED_LINE in r.getMessage()]
