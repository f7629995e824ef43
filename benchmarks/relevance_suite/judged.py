"""Judged queries and what their rules share: the seeded sampling of firms and products,
the answers a judge accepts for a name or a brand, and the building of every kind."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .data import Firm, Item, Registry, fold
from .writing import syllables

SEED = 13
MAX_ACCEPTED = 5
SHEET_SHARE = 4  # one query in four of the product kinds is about the imported sheet


@dataclass(frozen=True)
class Judged:
    kind: str
    text: str
    accept: frozenset[tuple[str, int]]  # ("enterprise" | "product", id)


def spread(rng: random.Random, candidates: list, group: Callable) -> Iterable:
    """Candidates in a seeded order that takes one of each group in turn (categories,
    districts), so a kind is not all about the largest category."""
    groups: dict = defaultdict(list)
    for candidate in candidates:
        groups[group(candidate)].append(candidate)
    queues = [groups[key] for key in sorted(groups)]
    for queue in queues:
        rng.shuffle(queue)
    rng.shuffle(queues)
    while any(queues):
        for queue in queues:
            if queue:
                yield queue.pop()


class Rules:
    """The registry's indexes and samplers the kinds draw on; `build` runs every kind_ method."""

    def __init__(self, registry: Registry, per_kind: int, seed: int = SEED):
        self.r = registry
        self.per_kind = per_kind
        self.seed = seed
        makers = {item.maker for item in registry.items}
        self.makers = [f for f in registry.firms if f.id in makers]
        self.by_core: dict[str, set[int]] = defaultdict(set)
        self.by_pinyin: dict[str, set[int]] = defaultdict(set)
        self.by_initials: dict[str, set[int]] = defaultdict(set)
        for firm in registry.firms:
            parts = syllables(firm.core)
            self.by_core[fold(firm.core)].add(firm.id)
            self.by_pinyin["".join(parts)].add(firm.id)
            self.by_initials["".join(p[0] for p in parts)].add(firm.id)

    def build(self) -> list[Judged]:
        kinds = [name for name in dir(self) if name.startswith("kind_")]
        judged: list[Judged] = []
        for name in kinds:
            rng = random.Random(f"{self.seed}:{name}")
            made: list[Judged] = []
            for query in getattr(self, name)(rng):
                if query and query.accept and len(query.accept) <= self._limit(name):
                    made.append(query)
                if len(made) == self.per_kind:
                    break
            judged += made
        return judged

    @staticmethod
    def _limit(kind: str) -> int:
        """Ambiguous-by-nature kinds must leave a few acceptable answers; the product kinds
        that filter (verdict, year, brand) may accept every product of a brand."""
        filtering = ("kind_name_verdict", "kind_name_year", "kind_brand_only")
        return 50 if kind in filtering else MAX_ACCEPTED

    # enterprises -----------------------------------------------------------------------

    def _firms(self, rng):
        return spread(rng, self.makers, lambda f: f.district)

    def _same_core(self, firm: Firm) -> frozenset:
        return frozenset(("enterprise", pk) for pk in self.by_core[fold(firm.core)])

    def _same_pinyin(self, firm: Firm) -> frozenset:
        """Homophone names cannot be told apart by their pinyin: a judge accepts them all."""
        return frozenset(("enterprise", pk) for pk in self.by_pinyin["".join(syllables(firm.core))])

    def _same_name(self, firm: Firm) -> frozenset:
        wanted = fold(firm.name)
        return frozenset(("enterprise", f.id) for f in self.r.firms if fold(f.name) == wanted)

    def _items(self, rng, usable: Callable[[Item], bool] = lambda item: True):
        """Products spread over categories, one in SHEET_SHARE from the imported sheet."""
        usable_items = [i for i in self.r.items if usable(i) and i.brand]
        sheet = list(spread(rng, [i for i in usable_items if i.from_sheet], lambda i: i.maker))
        demo = spread(rng, [i for i in usable_items if not i.from_sheet], lambda i: i.category)
        for count, item in enumerate(demo):
            if count % SHEET_SHARE == 0 and sheet:
                yield sheet.pop(0)
            yield item
        yield from sheet

    def _brand_and(self, item: Item, rule: Callable[[Item], bool]) -> frozenset:
        """Every product of the same brand (any maker: brands are shared) the rule accepts."""
        return frozenset(("product", i.id) for i in self.r.by_brand[fold(item.brand)] if rule(i))
