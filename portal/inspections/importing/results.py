"""Diff and revision of results: a sample as the fields of a result, how it differs from what
the batch holds, and the snapshot a changed or removed result keeps of its last version."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from portal.core.text import fold

from ..models import FailedItem, ResultRevision, SpotCheckBatch, SpotCheckResult
from ..spreadsheets import CellError, FailedItemData, ParsedSample
from .matching import Links

# Test items whose failure is a hazard to the user rather than a quality shortfall.
_SAFETY_ITEMS = (
    "邻苯二甲酸酯 绳带 甲醛 可分解致癌芳香胺 燃烧性能 阻燃 电气强度 泄漏电流 接地 过充电保护 "
    "短路保护 过放电保护 总迁移量 重金属 铅 镉 锐利边缘 锐利尖端 小零件 ph值 防触电 耐热 刹车 "
    "制动 爆炸 着火 绝缘 导体电阻"
)
SAFETY_ITEM_KEYWORDS = tuple(fold(word) for word in _SAFETY_ITEMS.split())

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
}
#: What the parser read from the cells, under the result field's name.
PARSED = ("production_date", "lot_number", "producer_disputed", "channel", "outcome", "extra")

#: Fields of a result compared between versions; a change in any makes an update.
RESULT_FIELDS = (*COPIED.values(), *PARSED, "listing_url", *(f.name for f in fields(Links)))

_LENGTH_LIMITS = {
    canonical: limit
    for canonical, model_field in COPIED.items()
    if (limit := SpotCheckResult._meta.get_field(model_field).max_length)
}


def _result_values(sample: ParsedSample, links: Links) -> dict[str, Any]:
    """Every field in `RESULT_FIELDS`, as this file gives it."""
    url = sample.listing_url or sample.values.get("listing_url", "")
    if url and "://" not in url:
        url = "https://" + url
    return {
        **{name: sample.values.get(canonical, "") for canonical, name in COPIED.items()},
        **{name: getattr(sample, name) for name in PARSED},
        "listing_url": url,
        **asdict(links),
    }


def _failed_item(position: int, item: FailedItemData) -> FailedItem:
    folded = fold(item.item)
    return FailedItem(
        position=position,
        item=item.item,
        measured=item.measured,
        limit=item.limit,
        unit=item.unit,
        is_safety_item=any(k in folded for k in SAFETY_ITEM_KEYWORDS),
    )


def length_errors(sample: ParsedSample, columns: dict[str, str]) -> list[CellError]:
    """Values too long for their field: reported like any cell error, never truncated.
    `columns` gives the published name of each canonical column."""
    return [
        CellError(
            row=sample.rows[0],
            column=columns.get(name, name),
            value=value[:50] + "…",
            code="too_long",
            reason_zh=f"内容超过 {limit} 个字符",
            reason_en=f"longer than {limit} characters",
        )
        for name, limit in _LENGTH_LIMITS.items()
        if len(value := sample.values.get(name, "")) > limit
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
    # Results an earlier chunk of this file wrote, listed again further down: more items.
    listed_again: list[tuple[SpotCheckResult, ParsedSample, list[FailedItem]]] = field(
        default_factory=list
    )


def diff(
    batch: SpotCheckBatch, version: int, samples: dict[str, ParsedSample], links: list[Links]
) -> Changes:
    """Compare samples (by key) with the batch's stored results; one query per chunk."""
    stored = SpotCheckResult.objects.filter(batch=batch, sample_key__in=samples)
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
        if result.seen_in_version == version:
            changes.listed_again.append((result, sample, items))
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
