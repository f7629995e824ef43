"""A citizens' mix through the proxy at 200 concurrent clients, with lookups on a three-node
search cluster; optionally one node lost in the middle of it.

    (wrk and nginx are installed from Debian when missing, as by make deploy-check)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/anxin_loadbench \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/12 \\
        .venv/bin/python benchmarks/mixed_load.py --clients 200 --duration 60 --node-loss

Loads the demo (skipped when there), starts the cluster of scripts/harness/cluster.py (ports
9401-9403, 9411-9413), indexes the demo there with one replica, brings up deploy/'s gunicorn
and nginx (scripts/harness/deploy.py), and replays with wrk a shuffled list of requests:

- 70 % anonymous pages: home in the three languages, every live page (listings, warnings,
  notices, campaigns, articles; the newest read most), enterprise and product profiles and
  /trace/ by barcode (the long tail, mostly past the micro-cache);
- 20 % lookups: /search/ with what citizens type (benchmarks/lookups.py), a quarter of them
  autocomplete;
- 10 % open-data API: lists and details of every dataset.

Prints throughput, latency, statuses and degraded lookups (answered from the database because
the engine failed). With --node-loss, a second run of the same length kills the node holding
the lookup index's primary shard KILL_AFTER seconds in, restarts it DOWN_FOR seconds later, and
reports the seconds from the kill until the cluster is green again.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.loadgen import (
    COLUMNS,
    ROOT,
    Figures,
    prepare_demo,
    require_wrk,
    run_wrk,
    set_portal_environment,
    settled,
)
from benchmarks.lookups import realistic_queries
from scripts.harness.cluster import Cluster
from scripts.harness.deploy import Stack

# Shares of the mix, in per cent.
PAGES = {"home": 12, "live pages": 28, "enterprises": 12, "products": 10, "trace": 8}
LOOKUPS = {"search": 15, "autocomplete": 5}
API = {"api list": 4, "api detail": 6}
SIZES = (20, 50, 100)  # API list pages (cursor-paginated: first pages only)
LANGUAGE_PREFIXES = ("", "", "", "", "", "", "", "", "/zh-hant", "/en")  # readers: 8:1:1


def build_mix(rng: random.Random, size: int) -> list[str]:
    """`size` request paths in the shares above, shuffled (Django set up, demo loaded)."""
    from wagtail.models import Page

    from portal.opendata.datasets import DATASETS
    from portal.registry.models import Enterprise, Product, ProductBarcode

    live = Page.objects.live().public().filter(depth__gt=2).order_by("-first_published_at")
    pages = [page.url for page in live.specific()]
    newest_first = [1 / (rank + 1) for rank in range(len(pages))]  # Zipf: news is read most
    enterprises = list(Enterprise.objects.values_list("pk", flat=True))
    products = list(Product.objects.values_list("pk", flat=True))
    barcodes = list(ProductBarcode.objects.values_list("gtin", flat=True))
    details = {
        name: list(dataset.queryset().values_list("pk", flat=True)[:5000])
        for name, dataset in DATASETS.items()
    }
    datasets = [name for name, pks in details.items() if pks]
    queries = iter(realistic_queries(rng, size))

    def language() -> str:
        return rng.choice(LANGUAGE_PREFIXES)

    def api_detail() -> str:
        name = rng.choice(datasets)
        return f"/api/v1/{name}/{rng.choice(details[name])}/"

    makers = {
        "home": lambda: f"{language()}/",
        "live pages": lambda: rng.choices(pages, newest_first)[0],
        "enterprises": lambda: f"{language()}/enterprises/{rng.choice(enterprises)}/",
        "products": lambda: f"{language()}/products/{rng.choice(products)}/",
        "trace": lambda: f"/trace/?{urlencode({'code': rng.choice(barcodes)})}",
        "search": lambda: f"{language()}/search/?{urlencode({'q': next(queries)})}",
        "autocomplete": lambda: f"/search/autocomplete?{urlencode({'q': next(queries)[:2]})}",
        "api list": lambda: f"/api/v1/{rng.choice(list(DATASETS))}/?page_size={rng.choice(SIZES)}",
        "api detail": api_detail,
    }
    shares = {**PAGES, **LOOKUPS, **API}
    kinds = rng.choices(list(shares), list(shares.values()), k=size)
    return [makers[kind]() for kind in kinds]


class NodeLoss(threading.Thread):
    """Kill the node holding `index`'s primary after `kill_after` s, start it again
    `down_for` s later, and time the cluster's return to green from the kill."""

    def __init__(self, cluster: Cluster, index: str, kill_after: float, down_for: float):
        super().__init__(daemon=True)
        self.cluster, self.index = cluster, index
        self.kill_after, self.down_for = kill_after, down_for
        self.victim = ""
        self.back_to_green: float | None = None
        self.error: Exception | None = None

    def run(self) -> None:
        try:
            time.sleep(self.kill_after)
            victim = self.cluster.primary_holder(self.index)
            self.victim = victim.node_name
            victim.kill()
            killed_at = time.monotonic()
            time.sleep(self.down_for)
            victim.start()
            self.cluster.wait_for("green")
            self.back_to_green = time.monotonic() - killed_at
        except Exception as error:  # reported by the main thread, which waits for wrk
            self.error = error


@dataclass
class MixRun:
    figures: Figures
    reached_django: int  # requests past the micro-cache
    gunicorn_cpu_ms: float  # per request that reached it: what the machine's load barely moves


def run_mix(stack: Stack, paths: list[str], agent: str, **drive) -> MixRun:
    """The mix through the proxy, reading every answer. Gunicorn's CPU is counted until it has
    answered the backlog wrk leaves behind (start from a quiet gunicorn: see `settled`)."""
    cpu = stack.cpu_seconds("web")
    figures = run_wrk(stack.proxy_url, paths=paths, inspect=True, agent=agent, **drive)
    reached = settled(stack, agent)
    cpu = stack.cpu_seconds("web") - cpu
    return MixRun(figures, reached, gunicorn_cpu_ms=1000 * cpu / max(reached, 1))


def report(title: str, run: MixRun) -> None:
    figures = run.figures
    print(f"\n{title}")
    print(f"  {COLUMNS}  timeouts  degraded lookups")
    print(f"  {figures.line()}  {figures.timeouts:8d}  {figures.degraded:16d}")
    statuses = ", ".join(f"{status}: {n:,}" for status, n in sorted(figures.statuses.items()))
    print(f"  {figures.requests:,} requests in {figures.seconds:.1f} s; statuses {statuses}")
    print(f"  error rate {figures.errors / max(figures.requests, 1):.2%}")
    print(
        f"  {run.reached_django:,} reached gunicorn, {run.gunicorn_cpu_ms:.1f} ms of its CPU each"
    )


def index_demo() -> None:
    """The lookup index and Wagtail's page index, built on the engine of SEARCH_URL, with
    the patience of a deploy script (the portal's own lookup timeout is 2 s)."""
    env = {**os.environ, "SEARCH_TIMEOUT": "60"}
    for command in ("search_rebuild", "update_index"):
        subprocess.run([sys.executable, "manage.py", command, "-v0"], cwd=ROOT, env=env, check=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200, help="concurrent connections")
    parser.add_argument("--duration", type=float, default=60, help="seconds per run")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=5, help="gunicorn workers")
    parser.add_argument("--requests", type=int, default=20_000, help="size of the mix")
    parser.add_argument("--node-loss", action="store_true", help="a second run, losing a node")
    parser.add_argument("--kill-after", type=float, default=20)
    parser.add_argument("--down-for", type=float, default=10)
    parser.add_argument("--web-port", type=int, default=8143)
    parser.add_argument("--proxy-port", type=int, default=8144)
    args = parser.parse_args(argv)
    require_wrk()
    set_portal_environment()
    prepare_demo()
    cluster = Cluster()
    try:
        cluster.up()
        os.environ.update(SEARCH_URL=cluster.urls, SEARCH_REPLICAS="1")
        index_demo()
        cluster.wait_for("green")
        import django

        django.setup()
        from search.documents import alias_name

        paths = build_mix(random.Random(2019), args.requests)
        drive = {
            "connections": args.clients,
            "duration": args.duration,
            "threads": args.threads,
            "timeout": 30,  # a citizen's patience; gunicorn's own limit is 30 s too
        }
        stack_env = {"GUNICORN_WORKERS": str(args.workers)}
        with Stack(stack_env, args.web_port, args.proxy_port, workers=False) as stack:
            print(
                f"{len(paths):,} requests in the mix · gunicorn {args.workers} workers · "
                f"nginx 1 worker · cluster of 3 nodes, 1 replica · wrk {args.threads} threads, "
                f"{args.clients} connections, {args.duration:g} s"
            )
            # Warm-up: every worker's first answers build caches (templates, URL resolvers).
            warm_up = "anxin-bench-warm-up"
            run_wrk(
                stack.proxy_url,
                paths=paths,
                connections=args.workers * 2,
                duration=10,
                agent=warm_up,
            )
            settled(stack, warm_up)
            report("steady", run_mix(stack, paths, "anxin-bench-steady", **drive))
            if args.node_loss:
                loss = NodeLoss(cluster, alias_name(), args.kill_after, args.down_for)
                loss.start()
                run = run_mix(stack, paths, "anxin-bench-node-loss", **drive)
                loss.join()
                if loss.error:
                    raise loss.error
                report(
                    f"node {loss.victim} killed at {args.kill_after:g} s, restarted "
                    f"{args.down_for:g} s later; green {loss.back_to_green:.1f} s after the kill",
                    run,
                )
    finally:
        cluster.down()


if __name__ == "__main__":
    main()
