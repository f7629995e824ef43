"""What the load benchmarks share: wrk as the load generator, and the environment the portal
runs with under load.

wrk (Debian's `wrk`) is the generator: one C process on epoll keeps hundreds of connections
busy on a fraction of one core, which leaves the two cores of this machine to nginx, gunicorn
and the engine; a Python generator (locust) would itself need a core per few thousand
requests/s. Its Lua hooks (wrk_report.lua) replay a list of paths and count statuses and
degraded lookups. Latencies are a closed loop's (a client waits for its answer before the next
request), so a stalled server is under-sampled; the error counts are exact.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from scripts.harness.base import ROOT, apt_install

REPORTER = Path(__file__).with_name("wrk_report.lua")

# The environment of a benchmark's portal processes: the test settings with Redis as the cache
# (portal.settings.benchmark), DEBUG off, persistent database connections as production runs
# (deploy/anxin.env.example), and the anonymous API rate limit lifted — every simulated citizen
# comes from 127.0.0.1, one address that would otherwise be limited as one citizen.
PORTAL_ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.benchmark",
    "DEBUG": "false",
    "DATABASE_CONN_MAX_AGE": "60",
    "OPEN_API_RATE_LIMIT": "1000000/min",
}


def set_portal_environment() -> None:
    """Give this process (and so the processes it starts) `PORTAL_ENVIRONMENT`, where the caller
    has not set a variable itself."""
    for name, value in PORTAL_ENVIRONMENT.items():
        os.environ.setdefault(name, value)


@dataclass
class Figures:
    """One wrk run: throughput, latency percentiles (ms), errors and what the answers said."""

    requests: int
    seconds: float
    p50: float
    p95: float
    p99: float
    max: float
    http_errors: int  # answers with a status of 400 or more
    socket_errors: int  # connections refused, reset or timed out
    timeouts: int
    degraded: int = 0  # lookups answered from the database because the engine failed
    statuses: dict[int, int] = field(default_factory=dict)  # only when the answers were read

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    @property
    def errors(self) -> int:
        return self.http_errors + self.socket_errors

    def line(self) -> str:
        """The columns of `COLUMNS`."""
        return f"{self.rate:8.0f} {self.p50:8.1f} {self.p95:8.1f} {self.p99:8.1f} {self.errors:7d}"


COLUMNS = f"{'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}"


def require_wrk() -> None:
    """Install Debian's wrk when missing, as the deploy harness does nginx."""
    if not shutil.which("wrk"):
        apt_install("wrk")


def run_wrk(
    url: str,
    *,
    connections: int,
    duration: float,
    threads: int = 1,
    timeout: float = 10,
    headers: tuple[str, ...] = (),
    paths: list[str] | None = None,
    inspect: bool = False,
    agent: str = "wrk",
) -> Figures:
    """Drive `url` (or, with `paths`, those paths on its server) with wrk; `inspect` reads every
    answer to count statuses and degraded lookups (costs wrk some CPU). `agent`, the
    User-Agent, tells this run's requests apart in gunicorn's log."""
    command = [
        "wrk",
        f"--threads={min(threads, connections)}",
        f"--connections={connections}",
        f"--duration={max(1, round(duration))}s",
        f"--timeout={timeout:g}s",
        f"--script={REPORTER}",
    ]
    for header in (f"User-Agent: {agent}", *headers):
        command += ["--header", header]
    env = {**os.environ, "WRK_INSPECT": "1"} if inspect else dict(os.environ)
    with tempfile.NamedTemporaryFile("w", suffix=".paths") as listing:
        if paths:
            listing.write("\n".join(paths) + "\n")
            listing.flush()
            env["WRK_PATHS"] = listing.name
        result = subprocess.run(
            [*command, url], capture_output=True, text=True, check=True, env=env
        )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    return Figures(
        requests=report["requests"],
        seconds=report["duration_us"] / 1e6,
        p50=report["p50_us"] / 1000,
        p95=report["p95_us"] / 1000,
        p99=report["p99_us"] / 1000,
        max=report["max_us"] / 1000,
        http_errors=report["http_errors"],
        socket_errors=report["socket_errors"],
        timeouts=report["timeouts"],
        degraded=report["degraded"],
        statuses={int(status): count for status, count in report["statuses"].items()},
    )


def requests_reaching_django(stack, agent: str) -> int:
    """Requests sent with `agent` (run_wrk's) that reached gunicorn: lines of its access log
    (`stack`: a running scripts.harness.deploy.Stack), whose last field is the User-Agent."""
    log = (stack.tmp / "web.log").read_text(errors="replace")
    return log.count(f'"{agent}"\n')


def settled(stack, agent: str) -> int:
    """`requests_reaching_django` once gunicorn has answered all that wrk left queued at its
    end: wrk stops sending, but what is in gunicorn's backlog is still answered."""
    count = requests_reaching_django(stack, agent)
    quiet_since = time.monotonic()
    deadline = quiet_since + 300
    while time.monotonic() - quiet_since < 2 and time.monotonic() < deadline:
        time.sleep(0.5)
        count, previous = requests_reaching_django(stack, agent), count
        if count != previous:
            quiet_since = time.monotonic()
    return count


def prepare_demo(scale: float = 1) -> None:
    """Migrate the database of DATABASE_URL and load the demo data into it unless there."""
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        check=True,
    )
    subprocess.run(
        [sys.executable, "manage.py", "load_demo", "--scale", f"{scale:g}", "-v0"],
        cwd=ROOT,
        check=True,
    )
