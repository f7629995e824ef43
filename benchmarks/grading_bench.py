"""Grading API benchmark: records per second accepted over HTTP in batches of 1,000.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/anxin_bench \\
        .venv/bin/python benchmarks/grading_bench.py --batches 20

Migrates the database named in DATABASE_URL, creates a grader organisation, a token, the
small-appliance scheme and BATCHES × 1,000 products with barcodes, starts Django's threaded
WSGI server on a free loopback port and POSTs the batches one after another with `requests`
(each a fresh Idempotency-Key, all records valid). Prints records/s over the POSTs only.
Leaves its rows behind: use a throw-away database.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.benchmark")

BATCH = 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    import requests
    from django.conf import settings
    from django.core.management import call_command
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application
    from stdnum import ean

    from portal.grading.models import ApiToken, GraderOrganisation
    from portal.registry.models import Enterprise, Product, ProductBarcode
    from tests.factories import GradingSchemeFactory, valid_uscc

    settings.GRADING_RATE_LIMIT = "100000/min"
    call_command("migrate", verbosity=0)
    run = uuid.uuid4().hex[:8]
    organisation = GraderOrganisation.objects.create(name=f"上海市消费者权益保护委员会 {run}")
    _, secret = ApiToken.issue(organisation, "benchmark")
    scheme = GradingSchemeFactory(code=f"bench-{run}")
    maker = Enterprise.objects.create(
        name=f"上海电器有限公司{run}", uscc=valid_uscc(int(run, 16) % 10**10)
    )
    total = args.batches * BATCH
    products = Product.objects.bulk_create(
        [
            Product(
                name="电热水壶",
                brand="安心",
                model_spec=f"{run}-{i}",
                manufacturer=maker,
                identity=Product.identity_for(maker.pk, "电热水壶", "安心", f"{run}-{i}"),
            )
            for i in range(total)
        ]
    )
    offset = int(run, 16) % 10**6 * 10**3
    bases = [f"69{offset + i:010d}" for i in range(total)]
    gtins = [base + ean.calc_check_digit(base) for base in bases]
    ProductBarcode.objects.bulk_create(
        [ProductBarcode(product=p, gtin=g) for p, g in zip(products, gtins, strict=True)]
    )

    server = ThreadedWSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
    server.set_app(get_wsgi_application())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/api/grading/v1/submissions/"
    headers = {"Authorization": f"Bearer {secret}"}

    elapsed = 0.0
    session = requests.Session()
    for b in range(args.batches):
        records = [
            {
                "reference": f"{run}-{b}-{i}",
                "product": {"gtin": gtins[b * BATCH + i]},
                "scheme": scheme.code,
                "scheme_version": 1,
                "tested_on": "2026-10-12",
                "report_number": f"CPC-2026-{b}-{i}",
                "scores": {"safety": 95, "performance": 88, "energy": 90, "labelling": 80},
                "overall_score": 90.4,
                "grade": "A+",
                "comment": "样品购自某电商平台旗舰店。",
            }
            for i in range(BATCH)
        ]
        body = json.dumps({"records": records}, ensure_ascii=False).encode()
        started = time.perf_counter()
        response = session.post(
            url,
            data=body,
            headers={
                **headers,
                "Idempotency-Key": f"{run}-{b}",
                "Content-Type": "application/json",
            },
            timeout=120,
        )
        elapsed += time.perf_counter() - started
        answer = response.json()
        assert response.status_code == 201 and answer["accepted"] == BATCH, answer
    server.shutdown()
    print(
        f"{total} records in {args.batches} batches of {BATCH}: {elapsed:.1f} s, "
        f"{total / elapsed:,.0f} records/s, {elapsed / args.batches * 1000:.0f} ms per batch "
        f"of {len(body) // 1024} KB "
        f"({settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]})"
    )


if __name__ == "__main__":
    main()
