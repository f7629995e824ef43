"""/healthz: 200 while the database answers; search and broker outages are "degraded"."""

import pytest


@pytest.fixture
def healthz(client):
    def get():
        response = client.get("/healthz")
        return response.status_code, response.json()

    return get


@pytest.mark.django_db
def test_all_services_up(healthz):
    status, body = healthz()
    assert status == 200
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {"status": "ok", "vendor": "postgresql"}
    assert body["checks"]["search"]["distribution"] == "opensearch"
    assert body["checks"]["broker"] == {"status": "ok", "mode": "broker"}


@pytest.mark.django_db
def test_search_engine_down_is_degraded_not_an_error(healthz, settings, closed_port):
    settings.SEARCH_URL = f"http://127.0.0.1:{closed_port}"
    status, body = healthz()
    assert status == 200
    assert body["status"] == "degraded"
    assert body["checks"]["search"]["status"] == "degraded"
    assert body["checks"]["database"]["status"] == "ok"


@pytest.mark.django_db
def test_broker_down_is_degraded_not_an_error(healthz, settings, closed_port):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port}/0"
    status, body = healthz()
    assert status == 200
    assert body["status"] == "degraded"
    assert body["checks"]["broker"]["status"] == "degraded"


def test_database_down_is_503(run_manage, closed_port):
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.test import Client; r = Client().get('/healthz'); "
        "print(r.status_code, r.json()['status'], r.json()['checks']['database']['status'])",
        env={
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{closed_port}/anxin",
            "ALLOWED_HOSTS": "testserver",
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["503", "down", "down"]


def test_only_get_is_allowed(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_a_check_registered_by_an_app_is_reported(healthz, monkeypatch):
    """Apps own their checks: whatever `register_check` adds answers at /healthz."""
    from portal.core import health

    monkeypatch.setattr(health, "_checks", dict(health._checks))
    health.register_check("mail", lambda: {"status": health.DEGRADED, "error": "Refused"})
    status, body = healthz()
    assert status == 200
    assert body["status"] == "degraded"
    assert body["checks"]["mail"] == {"status": "degraded", "error": "Refused"}
    assert list(body["checks"]) == ["database", "broker", "search", "mail"]
