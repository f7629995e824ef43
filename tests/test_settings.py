"""Settings come from the environment; production refuses to start half-configured."""

import pytest

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "SECRET_KEY": "a-long-random-production-secret-key-1234567890-abcdefghijklmnop",
    "DATABASE_URL": "postgres://anxin@db.example.invalid:5432/anxin",
    "ALLOWED_HOSTS": "anxin.example.gov.cn",
    "EMAIL_URL": "smtp+tls://anxin:password@smtp.example.invalid:587",
    "PORTAL_BASE_URL": "https://anxin.example.gov.cn",
    "PERSONAL_DATA_KEYS": "fnBhxs3rr0GZK5jJpVjGCt4zqUK2UFo4GVsvO1G0Ow4=",
    "PERSONAL_DATA_HASH_KEY": "a-long-random-hmac-key-for-lookup-digests-0123456789",
}


@pytest.mark.parametrize(
    "missing",
    [
        "SECRET_KEY",
        "DATABASE_URL",
        "ALLOWED_HOSTS",
        "EMAIL_URL",
        "PORTAL_BASE_URL",
        "PERSONAL_DATA_KEYS",
        "PERSONAL_DATA_HASH_KEY",
    ],
)
def test_production_names_the_missing_variable_in_one_line(run_manage, missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = run_manage("check", env=env, drop=(missing,))
    assert result.returncode != 0
    assert result.stderr.strip() == (
        f"Configuration error: Missing required environment variable {missing}"
    )


def test_production_passes_the_deployment_checklist(run_manage):
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "base_url",
    ["https://anxin.example.gov.cn:8443", "https://example.gov.cn/anxin/", "anxin.gov.cn"],
)
def test_a_base_url_the_site_cannot_hold_is_named(run_manage, base_url):
    result = run_manage("check", env={**PRODUCTION, "PORTAL_BASE_URL": base_url})
    assert result.returncode != 0
    assert "core.E001" in result.stderr and repr(base_url) in result.stderr


def test_an_unknown_search_engine_is_refused(run_manage):
    result = run_manage("check", env={"SEARCH_ENGINE": "solr"})
    assert result.returncode != 0
    assert "SEARCH_ENGINE must be 'opensearch' or 'elasticsearch', not 'solr'" in result.stderr


@pytest.mark.parametrize(
    ("name", "dsl_module", "client_class"),
    [
        ("opensearch", "opensearchpy", "OpenSearch"),
        ("elasticsearch", "elasticsearch.dsl", "Elasticsearch"),
    ],
)
def test_search_engine_switch_picks_client_and_dsl(run_manage, name, dsl_module, client_class):
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from search import engine; print(engine.dsl.__name__, engine.Client.__name__)",
        env={"SEARCH_ENGINE": name},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [dsl_module, client_class]


def test_production_refuses_a_personal_data_key_that_is_not_a_fernet_key(run_manage):
    result = run_manage("check", env={**PRODUCTION, "PERSONAL_DATA_KEYS": "not-a-key"})
    assert result.returncode != 0
    assert "PERSONAL_DATA_KEYS must be a comma-separated list of Fernet keys" in result.stderr
