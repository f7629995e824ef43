"""The production stack of deploy/ on loopback: gunicorn, one Celery worker per queue, the beat
and nginx, started from the very ExecStart lines and config files a Debian server uses.

systemd itself cannot run here, so `Stack` reads each unit's ExecStart, swaps the server paths
for this checkout's, and starts the command; nginx gets deploy/nginx/anxin.conf with its
placeholders filled in. Used by `make deploy-check` (scripts/deploy_check.py) and tests/deploy.
"""

from __future__ import annotations

import configparser
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from .base import ROOT, ServiceError, apt_install, log, port_open, wait_until

DEPLOY = ROOT / "deploy"
QUEUES = ("indexing", "imports", "email", "exchange")
NGINX_MAIN = """\
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log {tmp}/nginx-access.log;
    client_body_temp_path {tmp}/client;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/anxin.conf;
}}
"""


def exec_start(unit: str, state_dir: Path, instance: str = "") -> list[str]:
    """The ExecStart of a deploy/systemd unit, with the server's paths replaced by this
    checkout's (and `state_dir` for /var/lib/anxin) and systemd's %i/%H specifiers expanded."""
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.read(DEPLOY / "systemd" / unit)
    line = parser["Service"]["ExecStart"]
    line = line.replace("/srv/anxin/app/.venv/bin/", str(Path(sys.executable).parent) + "/")
    line = line.replace("/var/lib/anxin/", f"{state_dir}/")
    line = line.replace("%i", instance).replace("%H", socket.gethostname())
    return shlex.split(line)


def nginx_binary() -> str:
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        apt_install("nginx-light")
    return shutil.which("nginx") or "/usr/sbin/nginx"


class Stack:
    """Start with `with Stack(env, web_port=..., proxy_port=...) as stack:`; stops everything
    it started on exit, in reverse order."""

    def __init__(self, env: dict[str, str], web_port: int, proxy_port: int, workers=True):
        self.tmp = Path(tempfile.mkdtemp(prefix="anxin-deploy-"))
        self.tmp.chmod(0o755)  # nginx workers run as nobody: they read static files, write cache
        self.web_port, self.proxy_port, self.with_workers = web_port, proxy_port, workers
        self.env = {
            **os.environ,
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{web_port}",
            "GUNICORN_WORKERS": env.get("GUNICORN_WORKERS", "2"),
        }
        self.static_root = Path(self.env.get("STATIC_ROOT", self.tmp / "static"))
        self.media_root = Path(self.env.get("MEDIA_ROOT", self.tmp / "media"))
        self.env.update(STATIC_ROOT=str(self.static_root), MEDIA_ROOT=str(self.media_root))
        self.processes: dict[str, subprocess.Popen] = {}

    @property
    def direct_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    @property
    def proxy_url(self) -> str:
        return f"http://127.0.0.1:{self.proxy_port}"

    def _start(self, name: str, command: list[str]) -> subprocess.Popen:
        log(f"starting {name}: {shlex.join(command)}")
        output = open(self.tmp / f"{name}.log", "wb")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes[name] = process
        return process

    def start_web(self) -> None:
        self.static_root.mkdir(parents=True, exist_ok=True)
        self.media_root.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=self.env,
            check=True,
            timeout=600,
        )
        web = self._start("web", exec_start("anxin-web.service", self.tmp))
        wait_until(lambda: port_open("127.0.0.1", self.web_port), 120, "gunicorn", web)

    def start_workers(self) -> None:
        for queue in QUEUES:
            self._start(f"worker-{queue}", exec_start("anxin-worker@.service", self.tmp, queue))
        self._start("beat", exec_start("anxin-beat.service", self.tmp))

    def start_proxy(self) -> None:
        site = (DEPLOY / "nginx" / "anxin.conf").read_text()
        for placeholder, value in {
            "@LISTEN@": f"127.0.0.1:{self.proxy_port}",
            "@UPSTREAM@": f"127.0.0.1:{self.web_port}",
            "@STATIC_ROOT@": str(self.static_root),
            "@MEDIA_ROOT@": str(self.media_root),
            "@CACHE_DIR@": str(self.tmp / "cache"),
            "@DEPLOY_DIR@": str(DEPLOY),
            "@LOG_DIR@": str(self.tmp),
        }.items():
            site = site.replace(placeholder, value)
        (self.tmp / "anxin.conf").write_text(site)
        (self.tmp / "nginx.conf").write_text(NGINX_MAIN.format(tmp=self.tmp))
        proxy = self._start(
            "nginx", [nginx_binary(), "-p", str(self.tmp), "-c", str(self.tmp / "nginx.conf")]
        )
        wait_until(lambda: port_open("127.0.0.1", self.proxy_port), 30, "nginx", proxy)

    def cpu_seconds(self, name: str) -> float:
        """CPU time used so far by a started process with all of its children (gunicorn's
        workers, nginx's), from /proc: unlike wall-clock figures, not inflated by whatever
        else runs on the machine. Children that exited count once their parent reaped them."""
        leader = self.processes[name].pid
        ticks = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rpartition(")")[2].split()
            except OSError:  # exited meanwhile
                continue
            if int(fields[3]) == leader:  # the session the process started
                ticks += int(fields[11]) + int(fields[12])  # its user and system time
                if stat.parent.name == str(leader):
                    ticks += int(fields[13]) + int(fields[14])  # of its reaped children
        return ticks / os.sysconf("SC_CLK_TCK")

    def stop(self, name: str) -> None:
        process = self.processes.pop(name)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def __enter__(self) -> Stack:
        try:
            self.start_web()
            if self.with_workers:
                self.start_workers()
            self.start_proxy()
        except (ServiceError, subprocess.SubprocessError):
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc) -> None:
        for name in reversed(list(self.processes)):
            self.stop(name)
        shutil.rmtree(self.tmp, ignore_errors=True)
