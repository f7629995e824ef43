"""Settings come from the environment; production refuses to start half-configured."""

import pytest

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "SECRET_KEY": "a-long-random-production-secret-key-1234567890-abcdefghijklmnop",
    "DATABASE_URL": "postgres://anxin@db.example.invalid:5432/anxin",
    "ALLOWED_HOSTS": "anxin.example.gov.cn",
    "EMAIL_URL": "smtp+tls://anxin:password@smtp.example.invalid:587",
}


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "EMAIL_URL"])
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
