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


@pytest.mark.django_db
def test_a_remote_client_sees_only_the_status(client):
    body = client.get("/healthz", REMOTE_ADDR="203.0.113.5").json()
    assert body == {"status": "ok"}


@pytest.mark.django_db
def test_a_remote_client_behind_the_proxy_is_not_loopback(client, settings):
    """Behind nginx every request comes from 127.0.0.1: the forwarded address decides."""
    settings.TRUSTED_PROXY_COUNT = 1
    response = client.get("/healthz", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
@pytest.mark.parametrize("offered", ["", "Bearer wrong", "Bearer ", "s3cret-token-for-monitoring"])
def test_a_wrong_or_missing_token_shows_no_details(client, settings, offered):
    settings.HEALTHZ_TOKEN = "s3cret-token-for-monitoring"
    body = client.get("/healthz", REMOTE_ADDR="203.0.113.5", HTTP_AUTHORIZATION=offered).json()
    assert body == {"status": "ok"}


@pytest.mark.django_db
def test_the_token_shows_the_details_from_anywhere(client, settings):
    settings.HEALTHZ_TOKEN = "s3cret-token-for-monitoring"
    response = client.get(
        "/healthz",
        REMOTE_ADDR="203.0.113.5",
        HTTP_AUTHORIZATION="Bearer s3cret-token-for-monitoring",
    )
    assert response.json()["checks"]["database"] == {"status": "ok", "vendor": "postgresql"}


@pytest.mark.django_db
def test_an_empty_token_setting_never_matches(client, settings):
    settings.HEALTHZ_TOKEN = ""
    body = client.get("/healthz", REMOTE_ADDR="203.0.113.5", HTTP_AUTHORIZATION="Bearer ").json()
    assert body == {"status": "ok"}
