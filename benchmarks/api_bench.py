"""Requests per second and p95 latency of the public API under concurrent load, on loopback.

    apt-get install wrk   # once
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/anxin_api_bench \\
        .venv/bin/python benchmarks/api_bench.py --duration 15 --connections 16

Migrates the database named in DATABASE_URL, loads the demo data when the database is empty,
starts gunicorn as production would (`--preload`, WORKERS sync workers, DEBUG off, persistent
database connections) on a free loopback port, then drives each endpoint with wrk for DURATION
seconds over CONNECTIONS connections: the list and a detail of every dataset, a filtered list,
and a conditional request answered 304. Prints requests/s, p50/p95/p99 and errors. Use a
throw-away database; the anonymous rate limit is lifted for the run.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.loadgen import COLUMNS, require_wrk, run_wrk  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.benchmark")
os.environ["OPEN_API_RATE_LIMIT"] = "1000000/min"
# Persistent database connections, as production should run (docs/operations.md): a new
# PostgreSQL connection per request would cost more than most answers.
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "60")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare_database() -> dict[str, str]:
    """Migrate and load the demo; the paths to drive, by name."""
    import django

    django.setup()
    from django.core.management import call_command

    from portal.opendata.datasets import DATASETS
    from portal.registry.models import Enterprise

    call_command("migrate", verbosity=0)
    if not Enterprise.objects.exists():
        call_command("load_demo", verbosity=0)
    paths = {}
    for name, dataset in DATASETS.items():
        first = dataset.queryset().values_list("pk", flat=True).first()
        paths[f"{name} list"] = f"/api/v1/{name}/"
        if first is not None:
            paths[f"{name} detail"] = f"/api/v1/{name}/{first}/"
    paths["results list, failed, one category"] = "/api/v1/results/?outcome=fail&page_size=50"
    return paths


def start_server(port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "portal.wsgi",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--preload",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "false"},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def etag_of(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.headers["ETag"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    args = parser.parse_args()
    require_wrk()

    paths = prepare_database()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(port, args.workers)
    try:
        conditional = paths["results list"]
        runs = [(name, base + path, ()) for name, path in paths.items()]
        runs.append(
            (
                "results list, 304 (If-None-Match)",
                base + conditional,
                (f"If-None-Match: {etag_of(base + conditional)}",),
            )
        )
        print(
            f"gunicorn {args.workers} workers · wrk {args.threads} thread(s), "
            f"{args.connections} connections, {args.duration} s per endpoint"
        )
        print(f"{'endpoint':40} {COLUMNS}")
        for name, url, headers in runs:
            figures = run_wrk(
                url,
                connections=args.connections,
                duration=args.duration,
                threads=args.threads,
                headers=headers,
            )
            print(f"{name:40} {figures.line()}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
