"""Server time of the public pages on the demo data: home, a listing, a notice, a warning,
the grade comparison of the category with the most graded products (160 e-bikes) and a
side-by-side view of four of them, and /trace/ with a barcode (the one with most spot checks,
one on a warning) and a batch number.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/anxin_pages_bench \\
        .venv/bin/python benchmarks/pages_bench.py --iterations 200

Migrates the database named in DATABASE_URL, runs `load_demo` (skipped when already
loaded), then requests each page ITERATIONS times through Django's test client (the whole
middleware and template stack, no network) after a few warm-up requests, and prints p50,
p95 and the query count per page. Use a throw-away database.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.benchmark")

WARM_UP = 5


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=200)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from stdnum import ean
    from wagtail.models import Locale

    from content.models import RiskWarningPage, SpotCheckNoticePage
    from portal.grading.comparison import published_comparisons
    from portal.inspections.models import SpotCheckResult
    from portal.registry.models import ProductBarcode

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    from portal.core.startup import load_and_freeze

    load_and_freeze()  # as portal/wsgi.py does in a web process
    originals = {"locale": Locale.get_default()}
    notice = (
        SpotCheckNoticePage.objects.live()
        .filter(**originals)
        .order_by("-first_published_at")
        .first()
    )
    warning = RiskWarningPage.objects.live().get(slug="childrens-clothing-cords", **originals)
    largest = max(published_comparisons(), key=lambda c: c.products)
    compare = f"/grades/compare/{largest.scheme.pk}/{largest.category.pk}/"
    picked = "&".join(
        f"product={pk}"
        for pk in largest.scheme.submissions.filter(
            status="approved", product__category=largest.category
        ).values_list("product_id", flat=True)[:4]
    )
    pages = {
        "home": "/",
        "home (English)": "/en/",
        "listing (notices, page 1)": "/notices/",
        "listing (warnings, hazard filter)": "/warnings/?hazard=strangulation",
        f"notice ({notice.batch.results.count()} results)": notice.url,
        "warning": warning.url,
        "warning (English translation)": "/en/warnings/magnetic-toys/",
        f"grade comparison ({largest.products} products)": compare,
        "grade comparison (sorted, filtered)": f"{compare}?sort=c-{_first_criterion(largest)}"
        "&grade=A",
        "grade comparison (side by side, 4)": f"{compare}side-by-side/?{picked}",
    }
    busiest = (
        ProductBarcode.objects.annotate(checks=Count("product__results"))
        .order_by("-checks", "gtin")
        .first()
    )
    lots = SpotCheckResult.public.exclude(lot_number="").order_by("pk")
    warned = "692000000101" + ean.calc_check_digit("692000000101")  # on a demo warning
    pages.update(
        {
            f"trace: barcode ({busiest.checks} checks)": f"/trace/?code={busiest.gtin}",
            "trace: barcode on a warning": f"/trace/?code={warned}",
            "trace: batch number": f"/trace/?code={lots.values_list('lot_number', flat=True)[0]}",
        }
    )
    client = Client(HTTP_HOST="localhost")
    print(f"{'page':40} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for name, url in pages.items():
        for _ in range(WARM_UP):
            assert client.get(url).status_code == 200, url
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        count = len(queries)  # before the next requests reset Django's query log
        timings = []
        for _ in range(args.iterations):
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        print(
            f"{name:40} {statistics.median(timings):8.1f} {percentile(timings, 0.95):8.1f} "
            f"{count:8d}"
        )


def _first_criterion(comparison) -> str:
    return comparison.scheme.criteria.first().code


if __name__ == "__main__":
    main()
