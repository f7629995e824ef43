#!/usr/bin/env python3
"""Bring up the services a command needs, run the command against them, stop what was started.

    python scripts/services.py run -- COMMAND...
    python scripts/services.py dev [--data-dir DIR] -- COMMAND...

`run` (make test) brings up PostgreSQL, Redis and OpenSearch. For each, a server already
answering at its URL (`DATABASE_URL`, `CELERY_BROKER_URL`, `SEARCH_URL`, or the loopback
default) is reused. Otherwise it is installed if missing (PostgreSQL and Redis from Debian
packages, OpenSearch jars from Maven Central via `mvn`, cached under .cache/) and started on
loopback with its data in a temporary folder. Every wait has a deadline; a service that cannot
be had is named with a hint on how to point the suite at an existing one.

`dev` (make run) brings up only OpenSearch, the same way, with its data kept in DIR
(.cache/opensearch/dev-data) so the next start finds its index. When no engine can be had
(no Java, no Maven, a port taken) it says so in one line and runs COMMAND anyway: lookup then
answers from the database.

The command's exit status is returned; on Ctrl-C or SIGTERM the command stops first, then the
services that were started.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache"
DEVNODE = ROOT / "search" / "devnode"

DEFAULTS = {
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/anxin",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "SEARCH_URL": "http://127.0.0.1:9200",
}
INSTALL_TIMEOUT = 900
START_TIMEOUT = 180
LOOPBACK = {"127.0.0.1", "localhost"}
ENGINE_HINT = "apt-get install openjdk-17-jre-headless maven"


class ServiceError(RuntimeError):
    """A service could not be reached, installed or started; the message says what to do."""


def log(message: str) -> None:
    print(f"[services] {message}", file=sys.stderr, flush=True)


def port_open(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex((host, port)) == 0


def wait_until(predicate, timeout: float, what: str, process: subprocess.Popen | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if process is not None and process.poll() is not None:
            raise ServiceError(f"{what} exited with status {process.returncode} while starting")
        time.sleep(0.5)
    raise ServiceError(f"{what} did not become ready within {timeout:.0f} s")


def run_quietly(args: list[str], timeout: float, **kwargs) -> None:
    result = subprocess.run(args, capture_output=True, text=True, timeout=timeout, **kwargs)
    if result.returncode != 0:
        raise ServiceError(f"`{' '.join(args)}` failed:\n{result.stdout}{result.stderr}")


def apt_install(*packages: str) -> None:
    """Install Debian packages without starting their services (RUNLEVEL=1 stops invoke-rc.d)."""
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive", "RUNLEVEL": "1"}
    log(f"installing {', '.join(packages)} from Debian packages")
    try:
        run_quietly([*sudo, "apt-get", "update", "-q"], INSTALL_TIMEOUT, env=env)
        run_quietly([*sudo, "apt-get", "install", "-y", "-q", *packages], INSTALL_TIMEOUT, env=env)
    except (ServiceError, subprocess.TimeoutExpired, FileNotFoundError) as error:
        raise ServiceError(f"could not install {', '.join(packages)}: {error}") from error


class Service:
    """One service: reuse it if it answers at its URL, else install and start it on loopback."""

    name = ""
    url_variable = ""
    #: A folder kept across runs for the server's data; None: a temporary one, removed after.
    data_dir: Path | None = None

    def __init__(self) -> None:
        self.url = os.environ.get(self.url_variable) or DEFAULTS[self.url_variable]
        parts = urlsplit(self.url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port
        self.process: subprocess.Popen | None = None
        self.workdir: Path | None = None

    def answers(self) -> bool:
        raise NotImplementedError

    def install(self) -> None:
        raise NotImplementedError

    def start(self) -> None:
        raise NotImplementedError

    def up(self, start_at_set_url: bool = False) -> None:
        """Reuse the server at the URL, else start one. A URL that was set must answer (the user
        meant that server) unless `start_at_set_url` and it is on loopback: then a server is
        started on its port (make run with SEARCH_URL=http://127.0.0.1:9201)."""
        if self.answers():
            log(f"{self.name}: reusing the server at {self.url}")
            return
        hint = f"set {self.url_variable} to a reachable {self.name} to use an existing one"
        startable = start_at_set_url and self.host in LOOPBACK
        if self.url_variable in os.environ and not startable:
            raise ServiceError(f"{self.name} at {self.url} does not answer ({hint})")
        if port_open(self.host, self.port):
            raise ServiceError(
                f"port {self.host}:{self.port} is in use by something that is not a working "
                f"{self.name}; free the port or {hint}"
            )
        try:
            self.install()
            if self.data_dir is None:
                self.workdir = Path(tempfile.mkdtemp(prefix=f"anxin-{self.name.lower()}-"))
            else:
                self.workdir = self.data_dir
                self.workdir.mkdir(parents=True, exist_ok=True)
            log(f"{self.name}: starting on {self.host}:{self.port}")
            self.start()
        except (ServiceError, subprocess.TimeoutExpired, OSError) as error:
            self.down()
            raise ServiceError(f"{self.name}: {error}\n  ({hint})") from error
        log(f"{self.name}: ready at {self.url}")

    def down(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if self.workdir is not None and self.workdir != self.data_dir:
            shutil.rmtree(self.workdir, ignore_errors=True)
        self.workdir = None


class PostgreSQL(Service):
    name = "PostgreSQL"
    url_variable = "DATABASE_URL"

    def __init__(self) -> None:
        super().__init__()
        self.port = self.port or 5432
        self.bindir: Path | None = None

    def answers(self) -> bool:
        import psycopg

        try:
            with psycopg.connect(self._admin_url(), connect_timeout=3) as connection:
                connection.execute("SELECT 1")
        except psycopg.Error:
            return False
        return True

    def _admin_url(self) -> str:
        """The URL with the maintenance database, which exists before ours is created."""
        return urlsplit(self.url)._replace(scheme="postgresql", path="/postgres").geturl()

    def _find_bindir(self) -> Path | None:
        candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), reverse=True)
        return candidates[0].parent if candidates else None

    def install(self) -> None:
        self.bindir = self._find_bindir()
        if self.bindir is None:
            apt_install("postgresql")
            self.bindir = self._find_bindir()
        if self.bindir is None:
            raise ServiceError("PostgreSQL server binaries not found after installing")

    def _pg(self, tool: str, *args: str, timeout: float = START_TIMEOUT) -> None:
        """Run a server tool; as root, as the `postgres` user (PostgreSQL refuses root)."""
        command = [str(self.bindir / tool), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        run_quietly(command, timeout, cwd=self.workdir)

    def start(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.workdir, "postgres", "postgres")
        data = str(self.workdir / "data")
        user = urlsplit(self.url).username or "postgres"
        self._pg("initdb", "-D", data, "-U", user, "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8")
        # Throwaway test data: durability off for speed.
        options = (
            f"-h {self.host} -p {self.port} -k {self.workdir} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        log_file = str(self.workdir / "postgres.log")
        self._pg("pg_ctl", "-D", data, "-o", options, "-l", log_file, "-w", "-t", "120", "start")
        self._create_database()

    def _create_database(self) -> None:
        import psycopg
        from psycopg import sql

        name = urlsplit(self.url).path.lstrip("/") or "anxin"
        with psycopg.connect(self._admin_url(), autocommit=True) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not exists:
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    def down(self) -> None:
        if self.workdir is not None and (self.workdir / "data").exists():
            with contextlib.suppress(ServiceError, subprocess.TimeoutExpired):
                self._pg("pg_ctl", "-D", str(self.workdir / "data"), "-m", "fast", "-w", "stop")
        super().down()


class Redis(Service):
    name = "Redis"
    url_variable = "CELERY_BROKER_URL"

    def __init__(self) -> None:
        super().__init__()
        self.port = self.port or 6379

    def answers(self) -> bool:
        import redis

        try:
            return bool(redis.Redis.from_url(self.url, socket_timeout=3).ping())
        except redis.RedisError:
            return False

    def install(self) -> None:
        if not shutil.which("redis-server"):
            apt_install("redis-server")

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                self.host,
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        wait_until(self.answers, 30, "redis-server", self.process)


class OpenSearch(Service):
    name = "OpenSearch"
    url_variable = "SEARCH_URL"
    # Enough for the test suite; benchmarks at a million products want more.
    heap = os.environ.get("OPENSEARCH_HEAP", "512m")

    def __init__(self, data_dir: Path | None = None) -> None:
        super().__init__()
        self.port = self.port or 9200
        self.lib = CACHE / "opensearch" / "lib"
        self.data_dir = data_dir

    def _get(self, path: str, timeout: float = 3) -> dict | None:
        try:
            with urllib.request.urlopen(self.url.rstrip("/") + path, timeout=timeout) as response:
                return json.load(response)
        except (OSError, ValueError, urllib.error.URLError):
            return None

    def answers(self) -> bool:
        health = self._get("/_cluster/health")
        return bool(health) and health.get("status") in {"yellow", "green"}

    def install(self) -> None:
        """Fetch the node's class path from Maven Central once; the POM's hash keys the cache."""
        for tool in ("java", "mvn"):
            if not shutil.which(tool):
                raise ServiceError(f"`{tool}` is not installed (Java 17 and Maven are needed)")
        pom = DEVNODE / "pom.xml"
        stamp = self.lib / ".pom-sha256"
        digest = hashlib.sha256(pom.read_bytes()).hexdigest()
        if stamp.exists() and stamp.read_text() == digest:
            return
        log("OpenSearch: fetching jars from Maven Central (first run only)")
        shutil.rmtree(self.lib, ignore_errors=True)
        run_quietly(
            [
                "mvn",
                "-B",
                "-q",
                "-f",
                str(pom),
                "dependency:copy-dependencies",
                f"-DoutputDirectory={self.lib}",
                "-DincludeScope=runtime",
            ],
            INSTALL_TIMEOUT,
        )
        stamp.write_text(digest)

    def start(self) -> None:
        node_log = CACHE / "opensearch" / f"node-{self.port}.log"
        with node_log.open("w") as output:
            self.process = subprocess.Popen(
                [
                    "java",
                    f"-Xms{self.heap}",
                    f"-Xmx{self.heap}",
                    "-cp",
                    f"{self.lib}/*",
                    str(DEVNODE / "OpenSearchNode.java"),
                    str(self.workdir),
                    str(self.port),
                ],
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            wait_until(self.answers, START_TIMEOUT, "the OpenSearch node", self.process)
        except ServiceError as error:
            tail = node_log.read_text(errors="replace").splitlines()[-20:]
            raise ServiceError(f"{error}; last lines of {node_log}:\n" + "\n".join(tail)) from error


#: Debian packages the browser tests need, by a file each installs: Chromium itself, and a
#: small CJK font so that screenshots show Chinese rather than empty boxes.
BROWSER_PACKAGES = {
    "chromium": Path("/usr/bin/chromium"),
    "fonts-wqy-microhei": Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
}
AXE_CORE = CACHE / "npm" / "node_modules" / "axe-core" / "axe.min.js"


def browser_test_tools() -> None:
    """What the browser tests (`-m e2e`) need: Debian's Chromium, never a browser that
    Playwright would download, and axe-core from npm, cached under .cache/npm."""
    missing = [name for name, path in BROWSER_PACKAGES.items() if not path.exists()]
    if missing:
        try:
            apt_install(*missing)
        except ServiceError as error:
            raise ServiceError(f"browser tests: {error}") from error
    if AXE_CORE.exists():
        return
    if shutil.which("npm") is None:
        try:
            apt_install("npm")
        except ServiceError as error:
            raise ServiceError(f"browser tests need npm to fetch axe-core: {error}") from error
    log("installing axe-core@4 from npm into .cache/npm")
    try:
        run_quietly(
            [
                "npm",
                "install",
                "--prefix",
                str(CACHE / "npm"),
                "--no-audit",
                "--no-fund",
                "axe-core@4",
            ],
            INSTALL_TIMEOUT,
        )
    except (ServiceError, subprocess.TimeoutExpired) as error:
        raise ServiceError(f"could not install axe-core from npm: {error}") from error


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
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error(f"{args.action} needs a command after --")
    CACHE.joinpath("opensearch").mkdir(parents=True, exist_ok=True)
    if args.action == "dev":
        return dev(command, args.data_dir.resolve())
    return run(command)


if __name__ == "__main__":
    sys.exit(main())
