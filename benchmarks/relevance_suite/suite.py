"""The whole suite: the enterprise and product kinds, and the kinds that mix both."""

from __future__ import annotations

from .judged import Judged
from .names import NameKinds
from .products import ProductKinds
from .writing import full_width

PUNCTUATION = ("【{}】", "“{}”", "{}。", "{}！！", "《{}》", "{}？", "·{}·", "（{}）")


class Suite(NameKinds, ProductKinds):
    """Builds the judged queries of every kind from a `Registry`."""

    def kind_traditional(self, rng):
        """Half full names, half brand + product, in traditional characters."""
        from portal.core.text import to_traditional

        firms, items = self._firms(rng), self._items(rng)
        while True:
            firm, item = next(firms, None), next(items, None)
            if firm is None or item is None:
                return
            yield Judged("traditional", to_traditional(firm.name), self._same_name(firm))
            text = to_traditional(f"{item.brand} {item.name}")
            yield Judged(
                "traditional", text, self._brand_and(item, lambda i, n=item.name: i.name == n)
            )

    def kind_punctuation(self, rng):
        """Names in brackets, quotes or with a stop, as copied from a notice or a chat; ASCII
        parts in full width."""
        firms, items = self._firms(rng), self._items(rng)
        while True:
            firm, item = next(firms, None), next(items, None)
            if firm is None or item is None:
                return
            yield Judged(
                "punctuation, full width",
                rng.choice(PUNCTUATION).format(firm.core),
                self._same_core(firm),
            )
            text = rng.choice(PUNCTUATION).format(item.brand) + full_width(item.name)
            yield Judged(
                "punctuation, full width",
                text,
                self._brand_and(item, lambda i, n=item.name: i.name == n),
            )
