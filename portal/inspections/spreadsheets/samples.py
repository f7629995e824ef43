"""From rows to a sample: the rows of one sampled batch merged into one `ParsedSample`, with its
outcome, channel, dates, agencies and web-store listing read from the merged cells.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from portal.core.text import fold

from . import cells
from .errors import CellError
from .item_lists import FailedItemData
from .rows import ITEM_FIELDS, Row
from .schema import FIELDS

KEY_FIELDS = ("sample_name", "producer_name", "brand", "model", "lot", "sampled_unit_name")

_OUTCOME_RANK = {cells.PASS: 1, cells.FAIL: 2, cells.REFERRED: 3}
_SHORT_OUTCOME = 10


@dataclass
class ParsedSample:
    """One sampled batch, possibly published over several rows (one per failed item)."""

    rows: list[int]
    values: dict[str, str]
    extra: dict[str, str]
    failed_items: list[FailedItemData]
    production_date: date | None
    lot_number: str
    initial_agency: str
    retest_agency: str
    outcome: str
    channel: str
    listing_url: str
    producer_disputed: bool
    errors: list[CellError]

    def key(self) -> str:
        """Stable identity of the batch: the same product, producer, brand, model, lot and
        sampled unit give the same key however they are spelled (simplified/traditional,
        full-width, spaced), so a re-upload updates instead of duplicating."""
        parts = "\x1f".join(fold(self.values.get(name, "")) for name in KEY_FIELDS)
        return hashlib.sha256(parts.encode()).hexdigest()


def _append(existing: str, value: str) -> str:
    if not value or value in existing.split("\n"):
        return existing
    return f"{existing}\n{value}" if existing else value


@dataclass
class SampleBuilder:
    """A sample being assembled from consecutive rows."""

    first: Row
    channel: str
    rows: list[int] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)
    items: list[FailedItemData] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)
    formulas: set[str] = field(default_factory=set)
    errors: list[CellError] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.values = dict.fromkeys(FIELDS, "")
        self.add(self.first)

    def add(self, row: Row) -> None:
        self.rows.append(row.number)
        for name, value in row.values.items():
            if name in ITEM_FIELDS:
                self.values[name] = f"{self.values[name]}\n{value}".strip("\n")
            elif name in KEY_FIELDS:
                self.values[name] = self.values[name] or value
            else:
                self.values[name] = _append(self.values[name], value)
        for header, value in row.extra.items():
            self.extra[header] = _append(self.extra.get(header, ""), value)
        self.items.extend(row.items)
        self.outcomes.append(row.outcome)
        self.formulas |= row.formulas
        self.errors.extend(row.errors)

    def _listing(self, values: dict[str, str]) -> tuple[str, bool]:
        """The web-store URL, taken out of an address column; whether it marks an online sale."""
        found, online = "", False
        for name in ("listing_url", "sampled_unit_address", "producer_address"):
            if name in self.formulas or not values[name]:
                continue
            url, rest = cells.extract_url(values[name])
            if not url:
                continue
            if name != "listing_url":
                values[name] = rest
            found = found or url
            online = online or name != "producer_address"
        if found:
            values["listing_url"] = found
        return found, online

    def _outcome(self, values: dict[str, str]) -> str:
        stated = [outcome for outcome in self.outcomes if outcome]
        if stated:
            return max(stated, key=_OUTCOME_RANK.__getitem__)
        if cells.mentions_unlicensed(values["remarks"]):
            return cells.REFERRED
        if self.items:
            return cells.FAIL
        measured = values["measured"]
        if measured and len(measured) <= _SHORT_OUTCOME:
            return cells.parse_outcome(measured) or cells.PASS
        return cells.PASS

    def build(self) -> ParsedSample:
        values = dict(self.values)
        url, online = self._listing(values)
        produced, lot_number = cells.parse_lot(values["lot"])
        initial, retest = cells.split_agencies(values["agency"])
        channel = cells.parse_channel(values["channel"]) if values["channel"] else ""
        return ParsedSample(
            rows=self.rows,
            values=values,
            extra=self.extra,
            failed_items=self.items,
            production_date=produced,
            lot_number=lot_number,
            initial_agency=initial,
            retest_agency=retest,
            outcome=self._outcome(values),
            channel=channel or self.channel or (cells.ECOMMERCE if online else ""),
            listing_url=url,
            producer_disputed=cells.producer_disputed(values["remarks"])
            or cells.producer_disputed(values["outcome"]),
            errors=self.errors,
        )
