"""The harness behind `make test`: reuses what answers, names what does not, never hangs."""

import os
import subprocess
import sys

from django.conf import settings

from tests.conftest import ROOT


def run_harness(*command: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "scripts/services.py", "run", "--", *command],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_reuses_running_services_and_passes_their_urls_and_exit_status():
    result = run_harness(
        sys.executable, "-c", "import os, sys; print(os.environ['SEARCH_URL']); sys.exit(3)"
    )
    assert result.returncode == 3
    assert result.stdout.strip() == settings.SEARCH_URL
    for name in ("PostgreSQL", "Redis", "OpenSearch"):
        assert f"{name}: reusing the server at" in result.stderr


def test_a_service_that_does_not_answer_is_named_with_a_hint(closed_port):
    url = f"http://127.0.0.1:{closed_port}"
    result = run_harness("true", SEARCH_URL=url)
    assert result.returncode == 2
    assert f"OpenSearch at {url} does not answer" in result.stderr
    assert "set SEARCH_URL to a reachable OpenSearch" in result.stderr
