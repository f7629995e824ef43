"""The services the suite needs: PostgreSQL, Redis and an OpenSearch node."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from .base import (
    CACHE,
    INSTALL_TIMEOUT,
    ROOT,
    START_TIMEOUT,
    Service,
    ServiceError,
    apt_install,
    log,
    run_quietly,
    wait_until,
)

DEVNODE = ROOT / "search" / "devnode"


class PostgreSQL(Service):
    name = "PostgreSQL"
    url_variable = "DATABASE_URL"

    def __init__(self, data_dir: Path | None = None, durable: bool = False) -> None:
        super().__init__()
        self.port = self.port or 5432
        self.bindir: Path | None = None
        self.data_dir = data_dir
        #: fsync and synchronous commits as a production server has them (benchmarks);
        #: off for the suite's throwaway data.
        self.durable = durable

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
        if not (self.workdir / "data" / "PG_VERSION").exists():
            self._pg(
                "initdb", "-D", data, "-U", user, "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"
            )
        options = f"-h {self.host} -p {self.port} -k {self.workdir} -c max_connections=200"
        if not self.durable:
            # Throwaway test data: durability off for speed.
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
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

    @property
    def snapshot_root(self) -> Path:
        """The node's `path.repo`: where `manage.py backup` puts engine snapshots
        (`SEARCH_SNAPSHOT_PATH`, docs/operations.md)."""
        return (self.workdir or self.data_dir) / "snapshots"

    def node_settings(self) -> list[str]:
        """Extra `setting=value` arguments for the launcher; a cluster node adds its own."""
        return [f"path.repo={self.snapshot_root}"]

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
                    *self.node_settings(),
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
