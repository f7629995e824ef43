"""Diff and revision of results: a sample as the fields of a result, how it differs from what
the batch holds, and the snapshot a changed or removed result keeps of its last version."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from portal.registry.models import Product

from ..models import FailedItem, InspectionAgency, ResultRevision, SpotCheckBatch, SpotCheckResult
from ..safety_items import is_safety_item
from ..spreadsheets import CellError, FailedItemData, ParsedSample
from .matching import Links

#: Columns stored as published: canonical column → result field.
COPIED = {
    "sample_name": "sample_name",
    "brand": "nominal_brand",
    "model": "nominal_model",
    "lot": "lot_raw",
    "producer_name": "producer_name",
    "producer_address": "producer_address",
    "sampled_unit_name": "sampled_unit_name",
    "sampled_unit_address": "sampled_unit_address",
    "remarks": "remarks",
    "serial_number": "serial_number",
}
#: What the parser read from the cells, under the result field's name.
PARSED = (
    "production_date",
    "lot_number",
    "producer_disputed",
    "channel",
    "outcome",
    "extra",
    "measured_text",
    "limit_text",
)

#: What matching gives a result, under the result field's name.
LINKED = tuple(f.name for f in fields(Links))

#: Fields of a result compared between versions; a change in any makes an update.
RESULT_FIELDS = (*COPIED.values(), *PARSED, "listing_url", "source_url", *LINKED)


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


_LENGTH_LIMITS = {
    canonical: limit
    for canonical, model_field in COPIED.items()
    if (limit := _max_length(SpotCheckResult, model_field))
}
# The brand is also the product's, whose field is shorter.
_LENGTH_LIMITS["brand"] = min(_LENGTH_LIMITS["brand"], _max_length(Product, "brand"))
_URL_LIMITS = {name: _max_length(SpotCheckResult, name) for name in ("listing_url", "source_url")}
_ITEM_LIMITS = {
    name: _max_length(FailedItem, name) for name in ("item", "measured", "limit", "unit")
}
_AGENCY_LIMIT = _max_length(InspectionAgency, "name")
_LOT_NUMBER_LIMIT = _max_length(SpotCheckResult, "lot_number")


def _result_values(sample: ParsedSample, links: Links) -> dict[str, Any]:
    """Every field in `RESULT_FIELDS`, as this file gives it."""
    return {
        **{name: sample.values.get(canonical, "") for canonical, name in COPIED.items()},
        **{name: getattr(sample, name) for name in PARSED},
        "listing_url": sample.listing_url,
        "source_url": sample.source_url,
        **{name: getattr(links, name) for name in LINKED},  # not asdict: no deep copies
    }


def _failed_item(position: int, item: FailedItemData) -> FailedItem:
    return FailedItem(
        position=position,
        item=item.item,
        measured=item.measured,
        limit=item.limit,
        unit=item.unit,
        is_safety_item=is_safety_item(item.item),
    )


def _too_long(row: int, column: str, value: str, limit: int) -> CellError:
    return CellError(
        row=row,
        column=column,
        value=value[:50] + "…",
        code="too_long",
        reason_zh=f"内容超过 {limit} 个字符",
        reason_en=f"longer than {limit} characters",
    )


def length_errors(sample: ParsedSample, columns: dict[str, str]) -> list[CellError]:
    """Values too long for their field — cells, links, each failed item and its values, the
    agencies' names — reported like any cell error, never truncated. `columns` gives the
    published name of each canonical column."""
    row = sample.rows[0]
    checked = [
        (columns.get(name, name), sample.values.get(name, ""), limit)
        for name, limit in _LENGTH_LIMITS.items()
    ]
    checked += [
        (columns.get(name, name), getattr(sample, name), limit)
        for name, limit in _URL_LIMITS.items()
    ]
    checked.append((columns.get("lot", "lot"), sample.lot_number, _LOT_NUMBER_LIMIT))
    checked += [
        (columns.get("agency", "agency"), name, _AGENCY_LIMIT)
        for name in (sample.initial_agency, sample.retest_agency)
    ]
    item_columns = {"item": "failed_items", "measured": "measured", "limit": "limit"}
    checked += [
        (columns.get(item_columns.get(name, "measured"), name), getattr(item, name), limit)
        for item in sample.failed_items
        for name, limit in _ITEM_LIMITS.items()
    ]
    return [
        _too_long(row, column, value, limit)
        for column, value, limit in checked
        if len(value) > limit
    ]


ResultWithItems = tuple[SpotCheckResult, list[FailedItem]]


@dataclass
class Changes:
    """What one chunk does to the batch, ready to be written in bulk."""

    results: dict[str, SpotCheckResult]  # every result the chunk lists, by sample key
    new: list[ResultWithItems] = field(default_factory=list)
    changed: list[ResultWithItems] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    revisions: list[ResultRevision] = field(default_factory=list)


def diff(
    batch: SpotCheckBatch, version: int, samples: dict[str, ParsedSample], links: list[Links]
) -> Changes:
    """Compare samples (by key) with the batch's stored results; one query per chunk."""
    stored = SpotCheckResult.objects.filter(batch=batch, sample_key__any=samples)
    changes = Changes(results={r.sample_key: r for r in stored.prefetch_related("failed_items")})
    for (key, sample), sample_links in zip(samples.items(), links, strict=True):
        values = _result_values(sample, sample_links)
        items = [_failed_item(n, item) for n, item in enumerate(sample.failed_items)]
        result = changes.results.get(key)
        if result is None:
            result = SpotCheckResult(
                batch=batch,
                sample_key=key,
                version=version,
                seen_in_version=version,
                row_numbers=sample.rows,
                **values,
            )
            changes.results[key] = result
            changes.new.append((result, items))
            continue
        if result.producer_id and values["producer_id"] is None and not sample.producer_disputed:
            # A link made earlier (or by an editor resolving an ambiguity) is kept.
            values.update(
                producer_id=result.producer_id,
                producer_match=result.producer_match,
                producer_candidates=result.producer_candidates,
            )
        if _same(result, values, items) and result.removed_in_version is None:
            changes.unchanged.append(result.pk)
        else:
            changes.revisions.append(revision_of(result))
            for name, value in values.items():
                setattr(result, name, value)
            result.row_numbers, result.version = sample.rows, version
            result.seen_in_version, result.removed_in_version = version, None
            changes.changed.append((result, items))
    return changes


def _same(result: SpotCheckResult, values: dict[str, Any], items: list[FailedItem]) -> bool:
    """Whether the file says the same as the stored result (how a producer was matched aside)."""
    if any(
        getattr(result, name) != value
        for name, value in values.items()
        if name not in ("producer_match", "producer_candidates")
    ):
        return False
    before = [(i.item, i.measured, i.limit, i.unit) for i in result.failed_items.all()]
    return before == [(i.item, i.measured, i.limit, i.unit) for i in items]


def revision_of(result: SpotCheckResult) -> ResultRevision:
    """The result as it stands, kept before a new version changes or removes it."""
    data = {name: getattr(result, name) for name in RESULT_FIELDS}
    data["production_date"] = result.production_date.isoformat() if result.production_date else None
    data["row_numbers"] = result.row_numbers
    data["failed_items"] = [
        {"item": i.item, "measured": i.measured, "limit": i.limit, "unit": i.unit}
        for i in result.failed_items.all()
    ]
    return ResultRevision(result=result, version=result.version, data=data)
