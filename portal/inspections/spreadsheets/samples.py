"""From rows to a sample: the rows of one sampled batch merged into one `ParsedSample`, with its
outcome, channel, dates, agencies and web-store listing read from the merged cells.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from portal.core.text import fold

from . import cells
from .errors import CellError, warning
from .item_lists import FailedItemData
from .plausibility import sample_warnings
from .rows import ITEM_FIELDS, Row
from .schema import FIELDS, HeaderMap

KEY_FIELDS = ("sample_name", "producer_name", "brand", "model", "lot", "sampled_unit_name")
# Identity cells that make a key only when filled, so that keys of sheets without them stay
# what they were: a device's serial number (出厂编号) and the notice a row links to.
EXTRA_KEY_FIELDS = ("serial_number", "source_url")
# Cells that are not free text, where no note denying the producer can hide.
_NOT_NOTES = frozenset({*KEY_FIELDS, "sequence", "producer_uscc", "sampled_unit_uscc", "barcode"})
_BARE_HOST = re.compile(r"(?:[a-z0-9-]+\.)+[a-z]{2,}(?:/[!-~]*)?", re.IGNORECASE)
_LINK_FIELDS = ("listing_url", "source_url", "sampled_unit_address", "producer_address")

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
    source_url: str = ""
    # The measured and required cells as published, when they could not be split per item.
    measured_text: str = ""
    limit_text: str = ""
    warnings: list[CellError] = field(default_factory=list)
    # 2, 3 … when the same sample is listed again further down (not adjacent): its own result.
    occurrence: int = 1

    @cached_property
    def identity(self) -> str:
        return identity_of(self.values)

    def key(self) -> str:
        return _key(self.identity, self.occurrence)


def identity_of(values: dict[str, str]) -> str:
    """The folded identity cells, however spelled (simplified/traditional, full-width, spaced)."""
    parts = [fold(values.get(name, "")) for name in KEY_FIELDS]
    parts += [fold(value) for name in EXTRA_KEY_FIELDS if (value := values.get(name))]
    return "\x1f".join(parts)


def _key(identity: str, occurrence: int) -> str:
    if occurrence > 1:
        identity += f"\x1f#{occurrence}"
    return hashlib.sha256(identity.encode()).hexdigest()


def sample_key(values: dict[str, str], occurrence: int = 1) -> str:
    """Stable identity of a batch: the same product, producer, brand, model, lot and sampled
    unit (and serial number and notice, when given) give the same key, so a re-upload updates
    instead of duplicating; a sample listed again further down counts its `occurrence`."""
    return _key(identity_of(values), occurrence)


def _append(existing: str, value: str) -> str:
    if not value or value in existing.split("\n"):
        return existing
    return f"{existing}\n{value}" if existing else value


@dataclass
class SampleBuilder:
    """A sample being assembled from consecutive rows."""

    first: Row
    header: HeaderMap
    channel: str
    rows: list[int] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)
    items: list[FailedItemData] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)
    formulas: set[str] = field(default_factory=set)
    errors: list[CellError] = field(default_factory=list)
    warnings: list[CellError] = field(default_factory=list)
    published_values: dict[str, str] = field(default_factory=dict)

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
        if row.items:
            self._add_items(row.items)
        for name, text in row.published_values.items():
            self.published_values[name] = _append(self.published_values.get(name, ""), text)
        self.outcomes.append(row.outcome)
        self.formulas |= row.formulas
        self.errors.extend(row.errors)

    def _add_items(self, items: list[FailedItemData]) -> None:
        """Failed items, each once: merged rows often repeat an item with its values."""
        known = {(fold(i.item), i.measured, i.limit, i.unit) for i in self.items}
        for item in items:
            identity = (fold(item.item), item.measured, item.limit, item.unit)
            if identity not in known:
                known.add(identity)
                self.items.append(item)

    def _links(self, values: dict[str, str]) -> tuple[str, str, bool]:
        """(web-store listing, source link, whether it marks an online sale). A link is a
        listing when its column is headed as one or its host is a known marketplace; any other
        link in a link column is the row's source (the notice); an address keeps its own."""
        listing, source, online = "", "", False
        for name in _LINK_FIELDS:
            if name in self.formulas or not values[name]:
                continue
            url, rest = cells.extract_url(values[name])
            is_link_column = name in ("listing_url", "source_url")
            if not url and is_link_column and _BARE_HOST.fullmatch(values[name]):
                url, rest = "https://" + values[name], ""  # "shop.example.cn/p/1"
            if not url:
                if is_link_column:  # text in a link column is kept, not dropped
                    self.extra[self.header.header_of(name)] = values[name]
                continue
            if name == "listing_url" or cells.is_marketplace(url):
                listing = listing or url
                online = online or name != "producer_address"
            elif name == "source_url":
                source = source or url
            else:
                continue
            if not is_link_column:
                values[name] = rest
        values["listing_url"], values["source_url"] = listing, source
        return listing, source, online

    def _outcome(self, values: dict[str, str]) -> str:
        if stated := self._stated():
            return stated
        if cells.mentions_unlicensed(values["remarks"]):
            return cells.REFERRED
        if self.items:
            return cells.FAIL
        measured = values["measured"]
        if measured and len(measured) <= _SHORT_OUTCOME:
            return cells.parse_outcome(measured) or cells.PASS
        return cells.PASS

    def _agencies(self, values: dict[str, str]) -> tuple[str, str]:
        """The agencies of the agency cell; text that names no testing body (a verification
        note, "[检查]（溶散时限）") is a warning and kept in `extra`, not made an agency."""
        names = []
        for name in cells.split_agencies(values["agency"]):
            if name and not cells.looks_like_agency(name):
                column = self.header.header_of("agency")
                self.warnings.append(warning(self.rows[0], column, name, "not_agency"))
                self.extra[column] = _append(self.extra.get(column, ""), name)
                name = ""
            names.append(name)
        return names[0], names[1]

    def _producer(self, values: dict[str, str]) -> None:
        """ "生产商：甲；经销商：乙": 甲 is the producer, 乙 kept under its label."""
        producer, others = cells.split_parties(values["producer_name"])
        values["producer_name"] = producer
        for label, name in others.items():
            self.extra[label] = _append(self.extra.get(label, ""), name)

    def _disputed(self, values: dict[str, str]) -> bool:
        """A note anywhere in the rows (remarks, outcome, an unnamed column …) saying the named
        producer did not make the batch."""
        texts = [v for name, v in values.items() if name not in _NOT_NOTES]
        return any(cells.producer_disputed(text) for text in (*texts, *self.extra.values()))

    def _stated(self) -> str:
        stated = [outcome for outcome in self.outcomes if outcome]
        return max(stated, key=_OUTCOME_RANK.__getitem__) if stated else ""

    def build(self) -> ParsedSample:
        values = dict(self.values)
        self._producer(values)
        url, source, online = self._links(values)
        produced, lot_number = cells.parse_lot(values["lot"])
        initial, retest = self._agencies(values)
        channel = cells.parse_channel(values["channel"]) if values["channel"] else ""
        if online or (self.header.online and values["sampled_unit_name"]):
            online = True
        self.warnings += sample_warnings(
            self.rows[0], values, self.header, stated=self._stated(), failed=bool(self.items)
        )
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
            producer_disputed=self._disputed(values),
            errors=self.errors,
            source_url=source,
            measured_text=self.published_values.get("measured", ""),
            limit_text=self.published_values.get("limit", ""),
            warnings=self.warnings,
        )
