"""What every service shares: reuse the server at its URL or install and start one on
loopback, with deadlines, and errors that say what to do."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache"

DEFAULTS = {
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/anxin",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "SEARCH_URL": "http://127.0.0.1:9200",
}
INSTALL_TIMEOUT = 900
START_TIMEOUT = 180
LOOPBACK = {"127.0.0.1", "localhost"}


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
