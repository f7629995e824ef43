"""Lookup from the database when the engine cannot be reached: simpler matching (substrings
of folded names, exact identifiers), no facets, no highlights, but an answer."""

from __future__ import annotations

from django.db.models import Q

from portal.core.text import fold
from portal.registry.models import Enterprise, Product
from portal.registry.validators import compact
from search.analysis import clean_query
from search.queries import MAX_PAGE, PAGE_SIZE, Hit, LookupResults


def database_lookup(text: str, page: int = 1) -> LookupResults:
    text = clean_query(text)
    page = min(max(page, 1), MAX_PAGE)
    if not text:
        return LookupResults(text, 0, [], page=page)
    code, folded = compact(text), fold(text)
    enterprises = (
        Enterprise.objects.filter(
            Q(name_folded__contains=folded) | Q(uscc=code) | Q(licences__number=code)
        )
        .distinct()
        .order_by("name")
        .values_list("pk", flat=True)
    )
    products = (
        Product.objects.filter(
            Q(name__icontains=text)
            | Q(brand__icontains=text)
            | Q(model_spec__iexact=text)
            | Q(barcodes__gtin=code)
            | Q(manufacturer__name_folded__contains=folded)
        )
        .distinct()
        .order_by("name")
        .values_list("pk", flat=True)
    )
    n_enterprises, n_products = enterprises.count(), products.count()
    start, end = (page - 1) * PAGE_SIZE, page * PAGE_SIZE
    hits = [Hit("enterprise", pk, None, {}) for pk in enterprises[start:end]]
    if len(hits) < PAGE_SIZE:
        offset = max(start - n_enterprises, 0)
        hits += [
            Hit("product", pk, None, {}) for pk in products[offset : offset + PAGE_SIZE - len(hits)]
        ]
    return LookupResults(text, n_enterprises + n_products, hits, page=page)
