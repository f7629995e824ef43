"""Which subscriptions a publication concerns, in a fixed number of queries.

Every item is described by the keys it touches (`category:0101`, `district:3`, `enterprise:7`,
`brand:<folded>`, `gtin:<GTIN-14>`); a subscription stores its own key, so the subscriptions
an item concerns are one indexed `key IN (…)` query however many there are.

- A warning touches its category's type and the types above it (by catalogue code, so in
  every edition), the brands and barcodes of its affected products, the manufacturers (and
  their districts) of registered products with those barcodes, the district whose section it
  is written in, and the producers, sampled units and districts of the results it cites.
- A failed result (not passed: failed or referred as unlicensed, as the notice's "failed"
  table) touches its category (else its batch's) and those above, its nominal brand and its
  product's brand and barcodes, and the enterprises and districts in
  `content.feeds.RESULT_ENTERPRISE_FIELDS` / `RESULT_DISTRICT_FIELDS` (the results feed
  filters on the same fields).

Only subscriptions confirmed before the item was published are alerted: a new subscriber
hears of what is published from then on, not of the archive.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from content.feeds import RESULT_DISTRICT_FIELDS, RESULT_ENTERPRISE_FIELDS
from content.models import AffectedProduct, DistrictPage, RiskWarningPage, WarningRelatedResult
from portal.core.text import fold
from portal.inspections.models import Outcome, SpotCheckResult
from portal.registry.catalogue import CategoryTree
from portal.registry.models import ProductBarcode
from portal.traceability.matching import barcode_digits, stored_forms

from .models import Alert, Publication, Subscription

KEYS_PER_QUERY = 2000


def key(target: str, value) -> str:
    return f"{target}:{value}"


def gtin14(code: str) -> str:
    """A barcode as GTIN-14 (how subscriptions store it), or "" for anything else."""
    digits = barcode_digits(code or "")
    return digits.zfill(14) if digits else ""


def brand_key(brand: str) -> str:
    folded = fold(brand)
    return key("brand", folded) if folded else ""


def subscription_key(target: str, value) -> str:
    """The key a subscription to `value` stores: a registry row, a brand or a barcode."""
    if target == Subscription.Target.BRAND:
        return brand_key(value)
    if target == Subscription.Target.GTIN:
        return key(target, gtin14(value))
    if target == Subscription.Target.CATEGORY:
        return key(target, value.code)  # every edition's row of the type
    return key(target, value.pk)


def match_pending(limit: int = 100) -> int:
    """Match publications not matched yet, oldest first; each in its own transaction, locked
    so two workers never match the same one. Returns how many were matched."""
    done = 0
    for pk in Publication.objects.filter(matched_at=None).values_list("pk", flat=True)[:limit]:
        with transaction.atomic():
            publication = (
                Publication.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, matched_at=None)
                .first()
            )
            if publication is None:
                continue
            match(publication)
            publication.matched_at = timezone.now()
            publication.save(update_fields=["matched_at"])
            done += 1
    return done


def match(publication: Publication) -> None:
    if publication.warning_id:
        _match_warning(publication.warning)
    else:
        _match_results(publication)


def _match_warning(page: RiskWarningPage) -> None:
    pages = list(
        RiskWarningPage.objects.live().public().filter(translation_key=page.translation_key)
    )
    if not pages or any(p.withdrawn_on for p in pages):
        return
    published = min(p.first_published_at for p in pages)
    keys = warning_keys(pages)
    alerts = [
        Alert(subscription_id=pk, warning_key=page.translation_key)
        for pk, _key in _subscribers(keys, published)
    ]
    Alert.objects.bulk_create(alerts, ignore_conflicts=True)


def warning_keys(pages: list[RiskWarningPage]) -> set[str]:
    """Every key one warning touches (its pages in all languages: a translation may name a
    brand differently)."""
    tree = CategoryTree()
    keys = {key("category", code) for p in pages for code in tree.lineage(p.category_id)}
    gtins = set()
    for brand, code in AffectedProduct.objects.filter(page__in=pages).values_list("brand", "gtin"):
        keys.add(brand_key(brand))
        gtins.add(gtin14(code))
    gtins.discard("")
    keys |= {key("gtin", code) for code in gtins}
    forms = [form for code in gtins for form in stored_forms(code)]
    enterprises, districts = set(), set()
    for maker, district in ProductBarcode.objects.filter(gtin__in=forms).values_list(
        "product__manufacturer_id", "product__manufacturer__district_id"
    ):
        enterprises.add(maker)
        districts.add(district)
    step = DistrictPage.steplen
    ancestors = {p.path[:end] for p in pages for end in range(step, len(p.path), step)}
    districts |= set(
        DistrictPage.objects.filter(path__in=ancestors).values_list("district_id", flat=True)
    )
    cited = WarningRelatedResult.objects.filter(page__in=pages)
    for row in cited.values(*(f"result__{f}" for f in RESULT_ENTERPRISE_FIELDS)):
        enterprises |= set(row.values())
    for row in cited.values(*(f"result__{f}" for f in RESULT_DISTRICT_FIELDS)):
        districts |= set(row.values())
    keys |= {key("enterprise", pk) for pk in enterprises if pk}
    keys |= {key("district", pk) for pk in districts if pk}
    keys.discard("")
    return keys


def _match_results(publication: Publication) -> None:
    results = SpotCheckResult.public.filter(batch_id=publication.batch_id).exclude(
        outcome=Outcome.PASS
    )
    if not publication.whole_batch:
        results = results.filter(version=publication.version)
    touched = result_keys(results)
    by_key: dict[str, list[int]] = defaultdict(list)
    for result_id, keys in touched.items():
        for k in keys:
            by_key[k].append(result_id)
    alerts = [
        Alert(subscription_id=pk, result_id=result_id)
        for pk, k in _subscribers(by_key, publication.created_at)
        for result_id in by_key[k]
    ]
    Alert.objects.bulk_create(alerts, ignore_conflicts=True, batch_size=1000)


def result_keys(results) -> dict[int, set[str]]:
    """The keys each result touches, in two queries whatever the number of results."""
    fields = (*RESULT_ENTERPRISE_FIELDS, *RESULT_DISTRICT_FIELDS)
    rows = list(
        results.values(
            "pk",
            "category_id",
            "batch__category_id",
            "nominal_brand",
            "product_id",
            "product__brand",
            *fields,
        )
    )
    barcodes = defaultdict(set)
    for product, code in ProductBarcode.objects.filter(
        product_id__in={r["product_id"] for r in rows if r["product_id"]}
    ).values_list("product_id", "gtin"):
        barcodes[product].add(key("gtin", gtin14(code)))
    tree = CategoryTree()
    touched = {}
    for row in rows:
        category = row["category_id"] or row["batch__category_id"]
        keys = {key("category", code) for code in tree.lineage(category)}
        keys |= {brand_key(row["nominal_brand"]), brand_key(row["product__brand"] or "")}
        keys |= {key("enterprise", row[f]) for f in RESULT_ENTERPRISE_FIELDS if row[f]}
        keys |= {key("district", row[f]) for f in RESULT_DISTRICT_FIELDS if row[f]}
        keys |= barcodes.get(row["product_id"], set())
        keys.discard("")
        touched[row["pk"]] = keys
    return touched


def _subscribers(keys: Iterable[str], published) -> list[tuple[int, str]]:
    """(subscription id, key) of the subscriptions confirmed by `published` that follow any
    of the keys: one query per `KEYS_PER_QUERY` keys."""
    keys = sorted(keys)
    found = []
    for start in range(0, len(keys), KEYS_PER_QUERY):
        found += Subscription.objects.filter(
            confirmed_at__lte=published, key__in=keys[start : start + KEYS_PER_QUERY]
        ).values_list("pk", "key")
    return found
