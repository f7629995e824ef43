"""The harness behind `make test` and `make run`: reuses what answers, names what does not,
never hangs, and stops what it started."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
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


# `services.py dev`: make run's OpenSearch node, or one line and the database fallback.

ENGINE_HINT = "For the real engine: apt-get install openjdk-17-jre-headless maven"
PRINT_SEARCH_URL = "import os; print(os.environ['SEARCH_URL'])"
needs_java = pytest.mark.skipif(
    not (shutil.which("java") and shutil.which("mvn")), reason="needs Java 17+ and Maven"
)


def dev_command(data_dir: Path, *command: str) -> list[str]:
    return [
        sys.executable,
        "scripts/services.py",
        "dev",
        "--data-dir",
        str(data_dir),
        "--",
        *command,
    ]


def run_dev(data_dir: Path, *command: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        dev_command(data_dir, *command),
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def node_processes(data_dir: Path) -> list[str]:
    """Command lines of running OpenSearch nodes that keep their data in DATA_DIR."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        with contextlib.suppress(OSError):
            text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if "OpenSearchNode.java" in text and str(data_dir) in text:
                found.append(text)
    return found


def test_without_java_make_run_says_so_in_one_line_and_serves_anyway(tmp_path, closed_port):
    url = f"http://127.0.0.1:{closed_port}"
    no_java = tmp_path / "bin"
    no_java.mkdir()
    data_dir = tmp_path / "dev-data"
    result = run_dev(
        data_dir, sys.executable, "-c", PRINT_SEARCH_URL, PATH=str(no_java), SEARCH_URL=url
    )
    assert result.returncode == 0
    assert result.stdout.strip() == url
    assert result.stderr.splitlines() == [
        "[services] lookup answers from the database: OpenSearch: `java` is not installed "
        f"(Java 17 and Maven are needed). {ENGINE_HINT}"
    ]
    assert not data_dir.exists()


def test_a_port_taken_by_something_else_degrades_make_run_to_the_database(tmp_path):
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        url = f"http://127.0.0.1:{squatter.getsockname()[1]}"
        result = run_dev(
            tmp_path / "dev-data", sys.executable, "-c", "print('served')", SEARCH_URL=url
        )
    assert result.returncode == 0
    assert result.stdout.strip() == "served"
    [line] = result.stderr.splitlines()
    assert line.startswith("[services] lookup answers from the database: port 127.0.0.1:")
    assert "is in use by something that is not a working OpenSearch" in line
    assert line.endswith(ENGINE_HINT)


PUT_DOCUMENT = """
import json, os, urllib.request
request = urllib.request.Request(
    os.environ["SEARCH_URL"] + "/kept/_doc/1?refresh=true", method="PUT",
    data=json.dumps({"name": "海尔"}).encode(), headers={"Content-Type": "application/json"})
urllib.request.urlopen(request)
"""
GET_DOCUMENT_THEN_SERVE = """
import json, os, time, urllib.request
with urllib.request.urlopen(os.environ["SEARCH_URL"] + "/kept/_doc/1") as response:
    print(json.load(response)["_source"]["name"], flush=True)
time.sleep(300)
"""


@pytest.mark.slow
@needs_java
def test_make_run_node_keeps_its_data_and_stops_with_the_command(tmp_path, closed_port):
    url = f"http://127.0.0.1:{closed_port}"
    data_dir = tmp_path / "dev-data"

    first = run_dev(data_dir, sys.executable, "-c", PUT_DOCUMENT, SEARCH_URL=url)
    assert first.returncode == 0, first.stderr
    assert f"OpenSearch: starting on 127.0.0.1:{closed_port}" in first.stderr
    assert node_processes(data_dir) == []
    assert (data_dir / "data").is_dir()

    second = subprocess.Popen(
        dev_command(data_dir, sys.executable, "-c", GET_DOCUMENT_THEN_SERVE),
        cwd=ROOT,
        env={**os.environ, "SEARCH_URL": url},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert second.stdout.readline().strip() == "海尔"  # indexed before the restart
        assert len(node_processes(data_dir)) == 1
        second.send_signal(signal.SIGTERM)  # as when make run is stopped
        assert second.wait(timeout=60) == 128 + signal.SIGTERM  # the command got it too
    finally:
        if second.poll() is None:
            second.kill()
    assert node_processes(data_dir) == []
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", closed_port)) != 0


# `services.py bench`: what a production site has, with the data kept between runs.

BENCH_PROBE = """
import os, psycopg
with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as connection:
    print(connection.execute("SHOW fsync").fetchone()[0])
    print(connection.execute("SHOW synchronous_commit").fetchone()[0])
    connection.execute("CREATE TABLE IF NOT EXISTS kept (n int)")
    connection.execute("INSERT INTO kept VALUES (1)")
    print(connection.execute("SELECT count(*) FROM kept").fetchone()[0])
print(os.environ["DJANGO_SETTINGS_MODULE"], os.environ["CACHE_URL"])
"""


@pytest.fixture
def bench_data_dir():
    """A folder the `postgres` user can reach (pytest's own tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="anxin-bench-test-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_bench_runs_on_durable_postgresql_with_the_redis_cache_and_keeps_data(
    bench_data_dir, closed_port
):
    database_url = f"postgres://postgres@127.0.0.1:{closed_port}/anxin_bench"
    broker = settings.CELERY_BROKER_URL  # the suite's Redis, reused

    def bench_run() -> list[str]:
        result = subprocess.run(
            [
                sys.executable,
                "scripts/services.py",
                "bench",
                "--data-dir",
                str(bench_data_dir),
                "--",
                sys.executable,
                "-c",
                BENCH_PROBE,
            ],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": database_url, "CELERY_BROKER_URL": broker},
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.split()

    first = bench_run()
    assert first[:3] == ["on", "on", "1"]
    assert first[3] == "portal.settings.benchmark"
    assert first[4].endswith("/1") and first[4] != broker  # its own Redis database as the cache
    assert bench_run()[2] == "2"  # the first run's row survived the restart
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", closed_port)) != 0  # stopped with the command
