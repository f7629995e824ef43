#!/usr/bin/env python3
"""Bring up the services a command needs, run the command against them, stop what was started.

    python scripts/services.py run -- COMMAND...
    python scripts/services.py dev [--data-dir DIR] -- COMMAND...
    python scripts/services.py bench [--data-dir DIR] -- COMMAND...

`run` (make test) brings up PostgreSQL, Redis and OpenSearch. For each, a server already
answering at its URL (`DATABASE_URL`, `CELERY_BROKER_URL`, `SEARCH_URL`, or the loopback
default) is reused. Otherwise it is installed if missing (PostgreSQL and Redis from Debian
packages, OpenSearch jars from Maven Central via `mvn`, cached under .cache/) and started on
loopback with its data in a temporary folder. Every wait has a deadline; a service that cannot
be had is named with a hint on how to point the suite at an existing one.

`bench` (benchmarks) brings up what a production site has: PostgreSQL with fsync and synchronous
commits on, Redis as the cache as well as the broker, and OpenSearch (heap: OPENSEARCH_HEAP), with
their data kept in DIR (.cache/bench) so a million loaded products survive between runs; it sets
DJANGO_SETTINGS_MODULE=portal.settings.benchmark. Set the *_URL variables to other loopback ports
to run it beside the test services.

`dev` (make run) brings up only OpenSearch, the same way, with its data kept in DIR
(.cache/opensearch/dev-data) so the next start finds its index. When no engine can be had
(no Java, no Maven, a port taken) it says so in one line and runs COMMAND anyway: lookup then
answers from the database.

The command's exit status is returned; on Ctrl-C or SIGTERM the command stops first, then the
services that were started.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

# harness/ sits beside this file; tests load this file by its path, not as a script.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness.base import CACHE, Service, ServiceError, log
from harness.browser import browser_test_tools
from harness.servers import OpenSearch, PostgreSQL, Redis

ENGINE_HINT = "apt-get install openjdk-17-jre-headless maven"


def stop(signum, frame):
    raise KeyboardInterrupt


def run_command(command: list[str], env: dict[str, str]) -> int:
    """Run COMMAND to its end. Ctrl-C reaches it directly (same process group) and SIGTERM is
    passed on, so it stops on its own before the services it uses are stopped."""
    # A Python handler, unlike SIG_IGN, is reset to the default in the child.
    signal.signal(signal.SIGINT, lambda signum, frame: None)
    child = subprocess.Popen(command, env=env)
    signal.signal(signal.SIGTERM, lambda signum, frame: child.terminate())
    status = child.wait()
    return 128 - status if status < 0 else status  # killed by a signal: the shell's 128 + N


def supervise(services: list[Service], bring_up, command: list[str]) -> int:
    """Bring services up, run COMMAND with the variables `bring_up` returns, then stop every
    service that was started, also when interrupted while starting."""
    signal.signal(signal.SIGTERM, stop)
    try:
        return run_command(command, {**os.environ, **bring_up()})
    except ServiceError as error:
        log(f"error: {error}")
        return 2
    except KeyboardInterrupt:
        return 130
    finally:
        for service in reversed(services):
            service.down()


def run(command: list[str]) -> int:
    """make test: every service the suite needs, or exit status 2 naming the one missing."""
    services = [PostgreSQL(), Redis(), OpenSearch()]

    def bring_up() -> dict[str, str]:
        browser_test_tools()
        for service in services:
            service.up()
        urls = {s.url_variable: s.url for s in services}
        log("running: " + " ".join(command))
        return {"DJANGO_SETTINGS_MODULE": "portal.settings.test", **urls}

    return supervise(services, bring_up, command)


def bench(command: list[str], data_dir: Path) -> int:
    """Benchmarks: durable PostgreSQL, Redis as cache and broker, OpenSearch; data kept."""
    search = OpenSearch(data_dir=data_dir / "opensearch")
    services = [PostgreSQL(data_dir=data_dir / "postgresql", durable=True), Redis(), search]

    def bring_up() -> dict[str, str]:
        for service in services:
            service.up(start_at_set_url=True)
        urls = {s.url_variable: s.url for s in services}
        cache = urlsplit(urls["CELERY_BROKER_URL"])._replace(path="/1").geturl()
        log(f"running with durable PostgreSQL and the Redis cache at {cache}: " + " ".join(command))
        return {
            "DJANGO_SETTINGS_MODULE": "portal.settings.benchmark",
            "CACHE_URL": cache,
            "SEARCH_SNAPSHOT_PATH": str(search.snapshot_root),
            **urls,
        }

    return supervise(services, bring_up, command)


def dev(command: list[str], data_dir: Path) -> int:
    """make run: the OpenSearch node with its data kept, or one line saying why not."""
    search = OpenSearch(data_dir=data_dir)

    def bring_up() -> dict[str, str]:
        try:
            search.up(start_at_set_url=True)
        except ServiceError as error:
            reason = str(error).splitlines()[0]
            log(f"lookup answers from the database: {reason}. For the real engine: {ENGINE_HINT}")
            return {}
        return {"SEARCH_URL": search.url}

    return supervise([search], bring_up, command)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="action", required=True)
    run_parser = sub.add_parser("run", help="bring the services up, run COMMAND, stop them")
    run_parser.add_argument("command", nargs=argparse.REMAINDER)
    dev_parser = sub.add_parser(
        "dev", help="OpenSearch if it can be had, its data kept; run COMMAND either way"
    )
    dev_parser.add_argument(
        "--data-dir",
        type=Path,
        default=CACHE / "opensearch" / "dev-data",
        help="where the node keeps its data between runs (default: .cache/opensearch/dev-data)",
    )
    dev_parser.add_argument("command", nargs=argparse.REMAINDER)
    bench_parser = sub.add_parser(
        "bench", help="durable PostgreSQL, Redis cache, OpenSearch, data kept; run COMMAND"
    )
    bench_parser.add_argument(
        "--data-dir",
        type=Path,
        default=CACHE / "bench",
        help="where the servers keep their data between runs (default: .cache/bench)",
    )
    bench_parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error(f"{args.action} needs a command after --")
    CACHE.joinpath("opensearch").mkdir(parents=True, exist_ok=True)
    if args.action == "dev":
        return dev(command, args.data_dir.resolve())
    if args.action == "bench":
        return bench(command, args.data_dir.resolve())
    return run(command)


if __name__ == "__main__":
    sys.exit(main())
