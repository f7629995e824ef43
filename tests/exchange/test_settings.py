"""Production signs with a real key or not at all."""

import base64

from tests.test_settings import PRODUCTION


def test_production_refuses_the_exchange_without_a_signing_key(run_manage):
    result = run_manage("check", env={**PRODUCTION, "EXCHANGE_ENABLED": "true"})
    assert result.returncode != 0
    assert result.stderr.strip() == (
        "Configuration error: Missing required environment variable EXCHANGE_SIGNING_KEY "
        "(EXCHANGE_ENABLED is on)"
    )


def test_production_with_a_signing_key_passes_the_checks(run_manage):
    key = base64.b64encode(bytes(range(32))).decode()
    env = {**PRODUCTION, "EXCHANGE_ENABLED": "true", "EXCHANGE_SIGNING_KEY": key}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stderr


def test_a_malformed_signing_key_stops_the_checks(run_manage):
    env = {**PRODUCTION, "EXCHANGE_ENABLED": "true", "EXCHANGE_SIGNING_KEY": "c2hvcnQ="}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "exchange.E001" in result.stderr
