"""Products of the demo's manufacturers, each a pure function of (seed, maker, slot).

A result names the product it sampled; recomputing that product from its maker and slot
lets a million results do so while only the products' ids stay in memory.
"""

from __future__ import annotations

import random
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from math import gcd

from django.db import reset_queries

from portal.registry.models import Product, ProductBarcode

from .categories import Profile
from .firms import Firm, apportion
from .identifiers import company_prefix, gtin13
from .names import initials

CHUNK = 5000
MAX_PER_MAKER = 499  # two 3-digit GTIN item references per product


@dataclass(frozen=True, slots=True)
class ProductSpec:
    name: str
    brand: str
    model: str
    gtins: tuple[str, ...]


@dataclass
class ProductIndex:
    """The products of one category, by position: id, maker index, slot."""

    ids: array = field(default_factory=lambda: array("q"))
    makers: array = field(default_factory=lambda: array("l"))
    slots: array = field(default_factory=lambda: array("l"))


@lru_cache(maxsize=64)
def combos(profile: Profile) -> tuple[tuple[tuple[str, str], ...], int]:
    """(name, specification) pairs and a stride coprime with their number.

    A maker's slots walk the pairs with that stride, so its products are all different.
    """
    pairs = tuple((name, v) for name, variants in profile.products for v in variants)
    n = len(pairs)
    step = next(s for s in range(max(1, n // 3), n + 1) if gcd(s, n) == 1)
    return pairs, step


def model_code(firm: Firm, maker: int, slot: int) -> str:
    """A maker's article code, e.g. HY1075: its initials and a number unique per slot."""
    return f"{initials(firm.trade)}{1001 + 37 * slot + maker % 29}"


def format_model(profile: Profile, variant: str, code: str) -> str:
    return " ".join(profile.template.format(variant=variant, code=code).split())


def describe(seed: int, profile: Profile, firm: Firm, maker: int, slot: int) -> ProductSpec:
    """Product number `slot` of maker number `maker`, the same on every call."""
    rng = random.Random(f"{seed}:{maker}:{slot}")  # noqa: S311 - reproducible, not secret
    pairs, step = combos(profile)
    name, variant = pairs[(maker + slot * step) % len(pairs)]
    code = model_code(firm, maker, slot)
    model = format_model(profile, variant, code)
    if "{code}" not in profile.template and slot >= len(pairs):
        model = f"{model} {code}"
    gtins: tuple[str, ...] = ()
    roll = rng.random()
    if not profile.code.startswith("03") and roll > 0.3:
        prefix = company_prefix(maker)
        gtins = tuple(gtin13(prefix, 2 * slot + i) for i in range(1 if roll < 0.9 else 2))
    return ProductSpec(name, rng.choice(firm.brands), model, gtins)


class ProductBuilder:
    def __init__(self, seed: int, rng: random.Random, progress: Callable):
        self.seed = seed
        self.rng = rng
        self.progress = progress
        self.pending: list[tuple[Product, tuple[str, ...], str, int, int]] = []
        self.index: dict[str, ProductIndex] = {}
        self.created = 0
        self.barcodes = 0

    def build(
        self, total: int, makers: list[Firm], profiles: tuple[Profile, ...], categories: dict
    ) -> dict[str, ProductIndex]:
        """`total` products over the makers; `categories` maps codes to category ids."""
        by_profile = {p.code: [] for p in profiles}
        for number, firm in enumerate(makers):
            by_profile[firm.kind].append(number)
        weights = [p.weight if by_profile[p.code] else 0 for p in profiles]
        for profile, count in zip(profiles, apportion(total, weights), strict=True):
            numbers = by_profile[profile.code]
            for number, n in zip(numbers, self._per_maker(count, len(numbers)), strict=True):
                for slot in range(n):
                    self._add(profile, categories[profile.code], makers[number], number, slot)
        self._flush()
        return self.index

    def _per_maker(self, count: int, makers: int) -> list[int]:
        """A few makers make many products, most make a handful."""
        counts = apportion(count, [self.rng.paretovariate(1.4) for _ in range(makers)])
        excess = sum(max(0, n - MAX_PER_MAKER) for n in counts)
        counts = [min(n, MAX_PER_MAKER) for n in counts]
        while excess:
            smallest = counts.index(min(counts))
            counts[smallest] += 1
            excess -= 1
        return counts

    def _add(self, profile: Profile, category_id: int, firm: Firm, maker: int, slot: int) -> None:
        spec = describe(self.seed, profile, firm, maker, slot)
        product = Product(
            name=spec.name,
            brand=spec.brand,
            model_spec=spec.model,
            category_id=category_id,
            manufacturer_id=firm.id,
            identity=Product.identity_for(firm.id, spec.name, spec.brand, spec.model),
        )
        self.pending.append((product, spec.gtins, profile.code, maker, slot))
        if len(self.pending) >= CHUNK:
            self._flush()

    def _flush(self) -> None:
        if not self.pending:
            return
        Product.objects.bulk_create([product for product, *_ in self.pending])
        barcodes = []
        for product, gtins, code, maker, slot in self.pending:
            index = self.index.setdefault(code, ProductIndex())
            index.ids.append(product.pk)
            index.makers.append(maker)
            index.slots.append(slot)
            barcodes += [ProductBarcode(product_id=product.pk, gtin=gtin) for gtin in gtins]
        ProductBarcode.objects.bulk_create(barcodes)
        self.created += len(self.pending)
        self.barcodes += len(barcodes)
        self.pending.clear()
        reset_queries()  # under DEBUG, Django would keep every insert's SQL
        self.progress(f"  products: {self.created:,}")
