"""What the demo knows about each product type: what is made, tested against what, and how
it fails.

The test items, limits and standards are the ones real notices cite for these products, so
the demo's failures read like real ones; measured values are drawn beyond the limit. The
profiles themselves are data, in `data/profiles.json` (one object per catalogue leaf, with
the fields of `Profile`; fields left out take the defaults below).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .data import load

YEARS = (2017, 2018, 2019, 2020)


@dataclass(frozen=True)
class TestItem:
    """A test item and how a failing measurement of it looks.

    kind "max"/"min": `limit` is a number and a failing value lies beyond it; "range":
    `limit` is (low, high); "text": `limit` is the requirement and `outcomes` the findings.
    """

    item: str
    kind: str
    limit: float | tuple[float, float] | str
    unit: str = ""
    safety: bool = False
    decimals: int = 1
    outcomes: tuple[str, ...] = ()
    applies_to: str = ""
    years: tuple[int, int] = (2017, 2020)

    def applies(self, product: str, year: int) -> bool:
        """Whether the item is tested on `product` (its name and model) in `year`."""
        return self.applies_to in product and self.years[0] <= year <= self.years[1]

    def failing(self, rng: random.Random) -> tuple[str, str]:
        """A failing (measured, required) pair."""
        if self.kind == "text":
            return rng.choice(self.outcomes), str(self.limit)
        if self.kind == "range":
            low, high = self.limit
            value = (
                low - rng.uniform(0.3, 1.2) if rng.random() < 0.3 else high + rng.uniform(0.2, 1.6)
            )
            return self._number(value), f"{self._number(low)}～{self._number(high)}"
        if self.kind == "max":
            # Most failures are near the limit, a few far beyond it.
            factor = min(1.05 + rng.expovariate(1 / 0.35), 6)
            return self._number(self.limit * factor), f"≤{self._number(self.limit)}"
        return self._number(self.limit * rng.uniform(0.5, 0.95)), f"≥{self._number(self.limit)}"

    def _number(self, value: float) -> str:
        return f"{value:.{self.decimals}f}"


@dataclass(frozen=True)
class Profile:
    """A leaf of the catalogue as the demo fills it.

    `products` pairs a product name with its specifications; `template` builds the model
    from one of them and the maker's code. `weight` sets the category's share of products,
    batches and results; `base_rate` its non-conformity rate before year and channel.
    `channels` weighs production, retail and e-commerce sampling.
    """

    code: str
    weight: int
    base_rate: float
    lab: str
    industry: tuple[str, ...]
    products: tuple[tuple[str, tuple[str, ...]], ...]
    template: str
    standards: tuple[tuple[str, int, int], ...]
    items: tuple[TestItem, ...]
    regions: tuple[tuple[str, str, str], ...]
    channels: tuple[float, float, float] = (0.4, 0.35, 0.25)
    retail_trade: str = "商超"
    licence: tuple[str, str] | None = None

    def standards_for(self, year: int) -> list[str]:
        return [text for text, first, last in self.standards if first <= year <= last]


def _profile(fields: dict) -> Profile:
    return Profile(**{**fields, "items": tuple(TestItem(**item) for item in fields["items"])})


PROFILES: tuple[Profile, ...] = tuple(_profile(fields) for fields in load("profiles.json"))
