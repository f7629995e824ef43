"""What citizens type into the lookup: whole and shortened enterprise names, brand + product,
pinyin, credit codes and barcodes, drawn from the registry in the database (Django set up).

Shared by search_bench.py (latency of the lookup alone) and mixed_load.py (lookups among
page and API reads)."""

from __future__ import annotations

import random

SAMPLE = 2000  # names and products to draw from; codes and barcodes: a quarter as many


def realistic_queries(rng: random.Random, count: int) -> list[str]:
    """`count` queries, the six kinds in equal shares, reproducible for a given `rng`."""
    from portal.core.text import core_name, pinyin_forms
    from portal.registry.models import Enterprise, Product, ProductBarcode

    names = list(Enterprise.objects.values_list("name", flat=True)[:SAMPLE])
    products = list(Product.objects.values_list("name", "brand")[:SAMPLE])
    codes = list(Enterprise.objects.exclude(uscc=None).values_list("uscc", flat=True)[:500])
    gtins = list(ProductBarcode.objects.values_list("gtin", flat=True)[:500])

    def query() -> str:
        kind = rng.randrange(6)
        if kind == 0:
            return rng.choice(names)
        if kind == 1:
            return core_name(rng.choice(names))[:4]
        if kind == 2:
            name, brand = rng.choice(products)
            return f"{brand} {name}"
        if kind == 3:
            return (pinyin_forms(core_name(rng.choice(names))) or ["haier"])[0][:8]
        if kind == 4:
            return rng.choice(codes) if codes else rng.choice(names)
        return rng.choice(gtins) if gtins else rng.choice(names)

    return [query() for _ in range(count)]
