"""Requests per second and latency of three public pages through nginx's micro-cache and
straight from gunicorn: home, a risk warning and a spot-check notice.

    (wrk and nginx are installed from Debian when missing, as by make deploy-check)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/anxin_loadbench \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/12 \\
        .venv/bin/python benchmarks/proxy_bench.py --duration 15 --connections 64

Migrates the database of DATABASE_URL and loads the demo data (skipped when there), brings up
deploy/'s gunicorn and nginx on loopback as `make deploy-check` does (scripts/harness/deploy.py;
no Celery workers: nothing here queues tasks), then drives each page with wrk, first through
the proxy, then straight from gunicorn, at the same concurrency. Prints requests/s,
p50/p95/p99, errors, the CPU per request of the server measured (from /proc), the ratios of
requests/s and of CPU per request, and how many of the proxy's requests reached gunicorn.
"""

from __future__ import annotations

import argparse
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.loadgen import (
    COLUMNS,
    Figures,
    prepare_demo,
    requests_reaching_django,
    require_wrk,
    run_wrk,
    set_portal_environment,
    settled,
)
from scripts.harness.deploy import Stack


@dataclass
class Measured:
    cached: Figures  # through nginx
    direct: Figures  # straight from gunicorn
    reached_django: int  # of the requests through nginx
    nginx_cpu_ms: float  # per request through nginx
    gunicorn_cpu_ms: float  # per request straight from gunicorn

    @property
    def ratio(self) -> float:
        """How many times gunicorn's rate the cache answered (wall clock: what load skews)."""
        return self.cached.rate / self.direct.rate if self.direct.rate else float("inf")

    @property
    def cpu_ratio(self) -> float:
        """How many times less CPU a cached answer costs: the ratio load barely moves."""
        return self.gunicorn_cpu_ms / self.nginx_cpu_ms if self.nginx_cpu_ms else float("inf")


def measured_pages() -> dict[str, str]:
    """Home, the demo's first warning and its latest notice, in the default language (Django
    set up, demo loaded)."""
    from wagtail.models import Locale

    from content.models import RiskWarningPage, SpotCheckNoticePage

    default = {"locale": Locale.get_default()}
    notices = SpotCheckNoticePage.objects.live().filter(**default)
    return {
        "home": "/",
        "warning": RiskWarningPage.objects.live().filter(**default).order_by("pk").first().url,
        "notice": notices.order_by("-first_published_at").first().url,
    }


def measure(
    stack: Stack, pages: dict[str, str], *, connections: int, duration: float, threads: int = 1
) -> dict[str, Measured]:
    """Each page through nginx, then from gunicorn. CPU per request counts the measured server
    only (nginx's processes, or gunicorn's master and workers), gunicorn's over every request
    it answered, those wrk left in its backlog included."""
    results = {}
    drive = {"connections": connections, "duration": duration, "threads": threads}
    for name, path in pages.items():
        with urllib.request.urlopen(stack.proxy_url + path, timeout=30) as response:
            response.read()  # the proxy's copy
        # Every gunicorn worker's first answers build caches (templates, URL resolvers,
        # Wagtail's site): not what a running site pays per request.
        warm_up = f"anxin-bench-warm-up-{name}"
        run_wrk(stack.direct_url + path, connections=connections, duration=2, agent=warm_up)
        settled(stack, warm_up)
        nginx_cpu = stack.cpu_seconds("nginx")
        cached = run_wrk(stack.proxy_url + path, agent=f"anxin-bench-cached-{name}", **drive)
        nginx_cpu = stack.cpu_seconds("nginx") - nginx_cpu
        gunicorn_cpu = stack.cpu_seconds("web")
        direct = run_wrk(stack.direct_url + path, agent=f"anxin-bench-direct-{name}", **drive)
        answered = settled(stack, f"anxin-bench-direct-{name}")
        gunicorn_cpu = stack.cpu_seconds("web") - gunicorn_cpu
        results[name] = Measured(
            cached,
            direct,
            reached_django=requests_reaching_django(stack, f"anxin-bench-cached-{name}"),
            nginx_cpu_ms=1000 * nginx_cpu / max(cached.requests, 1),
            gunicorn_cpu_ms=1000 * gunicorn_cpu / max(answered, 1),
        )
    return results


def report(results: dict[str, Measured]) -> None:
    print(f"{'page':24} {COLUMNS} {'CPU ms':>7}  ratio  CPU ratio  reached gunicorn")
    for name, measured in results.items():
        cached, direct = measured.cached, measured.direct
        print(
            f"{name + ', through nginx':24} {cached.line()} {measured.nginx_cpu_ms:7.3f}  "
            f"{measured.ratio:4.0f}x  {measured.cpu_ratio:8.0f}x  "
            f"{measured.reached_django} of {cached.requests}"
        )
        print(f"{name + ', gunicorn alone':24} {direct.line()} {measured.gunicorn_cpu_ms:7.1f}")
        for label, figures in (("through nginx", cached), ("gunicorn alone", direct)):
            if figures.errors:
                print(
                    f"  {name}, {label}: {figures.http_errors} HTTP errors, "
                    f"{figures.socket_errors} socket errors ({figures.timeouts} timeouts)"
                )


def main(argv: list[str] | None = None) -> dict[str, Measured]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=15, help="seconds per page and path")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument(
        "--workers", type=int, default=5, help="gunicorn workers (deploy's 2×cores+1)"
    )
    parser.add_argument("--web-port", type=int, default=8141)
    parser.add_argument("--proxy-port", type=int, default=8142)
    args = parser.parse_args(argv)
    require_wrk()
    set_portal_environment()
    prepare_demo()
    import django

    django.setup()
    pages = measured_pages()
    stack_env = {"GUNICORN_WORKERS": str(args.workers)}
    with Stack(stack_env, args.web_port, args.proxy_port, workers=False) as stack:
        print(
            f"gunicorn {args.workers} workers · nginx 1 worker · wrk {args.threads} thread(s), "
            f"{args.connections} connections, {args.duration:g} s per page and path"
        )
        results = measure(
            stack, pages, connections=args.connections, duration=args.duration, threads=args.threads
        )
    report(results)
    return results


if __name__ == "__main__":
    main()
