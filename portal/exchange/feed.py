"""Our outgoing feed (format anxin-exchange/1): published warnings and failed results.

Items are ordered by when they last changed — a warning when it was last published, a result
when its batch was last imported or edited — and paged with an opaque keyset cursor, so a
partner that passes back `next` as `since` gets every change once, however many items share
one timestamp (all results of a batch do). docs/exchange.md describes every field.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from wagtail.models import Locale
from wagtail.rich_text import expand_db_html

from content.models import RiskWarningPage, live_in
from portal.inspections.models import FailedItem, Outcome, SpotCheckResult

FORMAT = "anxin-exchange/1"
WARNING, FAILED_RESULT = "warning", "failed_result"
_RANK = {WARNING: 0, FAILED_RESULT: 1}  # orders items of one timestamp across the two kinds


@dataclass(frozen=True, order=True)
class Cursor:
    modified: datetime.datetime
    rank: int
    pk: int

    def encode(self) -> str:
        text = f"{self.modified.isoformat()}|{self.rank}|{self.pk}"
        return base64.urlsafe_b64encode(text.encode()).decode()

    @classmethod
    def decode(cls, value: str) -> Cursor:
        """Raises ValueError for anything that is not a cursor this feed handed out."""
        try:
            modified, rank, pk = base64.urlsafe_b64decode(value.encode()).decode().split("|")
            cursor = cls(datetime.datetime.fromisoformat(modified), int(rank), int(pk))
        except (binascii.Error, UnicodeError, ValueError) as error:
            raise ValueError("not a cursor") from error
        if cursor.modified.tzinfo is None or cursor.rank not in _RANK.values():
            raise ValueError("not a cursor")
        return cursor


def _after(items: QuerySet, field: str, rank: int, cursor: Cursor | None) -> QuerySet:
    """Rows of one kind that sort after the cursor by (field, rank, pk)."""
    items = items.order_by(field, "pk")
    if cursor is None:
        return items
    if rank > cursor.rank:
        return items.filter(**{f"{field}__gte": cursor.modified})
    if rank < cursor.rank:
        return items.filter(**{f"{field}__gt": cursor.modified})
    return items.filter(
        Q(**{f"{field}__gt": cursor.modified}) | Q(**{field: cursor.modified, "pk__gt": cursor.pk})
    )


def public_warnings() -> QuerySet:
    """Our own live warnings in the original language; never those copied from partners. (A
    page made live without a publication has no publication time, so no place in the feed.)"""
    return (
        live_in(RiskWarningPage, Locale.get_default().pk)
        .filter(first_published_at__isnull=False, last_published_at__isnull=False)
        .exclude(kind=RiskWarningPage.Kind.PARTNER)
    )


def failed_results() -> QuerySet:
    return SpotCheckResult.public.exclude(outcome=Outcome.PASS)


def page(since: Cursor | None, size: int) -> tuple[list[tuple[Cursor, object]], bool]:
    """Up to `size` changed items after `since`, in cursor order, and whether more follow."""
    warnings = _after(public_warnings(), "last_published_at", _RANK[WARNING], since)
    warnings = warnings.select_related("category").prefetch_related(
        "hazards", "affected_products", "updates"
    )
    results = _after(failed_results(), "batch__updated_at", _RANK[FAILED_RESULT], since)
    results = results.select_related("batch", "producer", "category").prefetch_related(
        Prefetch("failed_items", queryset=FailedItem.objects.order_by("position"))
    )
    found = [(Cursor(w.last_published_at, _RANK[WARNING], w.pk), w) for w in warnings[: size + 1]]
    found += [
        (Cursor(r.batch.updated_at, _RANK[FAILED_RESULT], r.pk), r) for r in results[: size + 1]
    ]
    found.sort(key=lambda pair: pair[0])
    return found[:size], len(found) > size


def document(request, since: Cursor | None, size: int, audience: str | None) -> bytes:
    """The feed page as the exact bytes that are signed and sent."""
    items, has_more = page(since, size)
    region = settings.EXCHANGE_REGION_CODE
    body = {
        "format": FORMAT,
        "issuer": {
            "code": region,
            "name": settings.EXCHANGE_REGION_NAME,
            "name_en": settings.EXCHANGE_REGION_NAME_EN,
        },
        "audience": audience,
        "issued_at": timezone.now().isoformat(),
        "since": since.encode() if since else None,
        "next": items[-1][0].encode() if items else (since.encode() if since else None),
        "has_more": has_more,
        "items": [
            _warning(request, region, item)
            if isinstance(item, RiskWarningPage)
            else _result(region, item)
            for _cursor, item in items
        ],
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def _category(category) -> str:
    return category.name if category else ""


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _warning(request, region: str, page: RiskWarningPage) -> dict:
    return {
        "id": f"{region}:warning:{page.pk}",
        "type": WARNING,
        "modified": page.last_published_at.isoformat(),
        "published_at": page.first_published_at.isoformat(),
        "url": page.get_full_url(request),
        "language": settings.LANGUAGE_CODE,  # the original tree: public_warnings()
        "title": page.title,
        "summary": page.summary,
        "kind": page.kind,
        "risk_level": page.risk_level,
        "hazards": [h.hazard for h in page.hazards.all()],
        "category": _category(page.category),
        "body_html": expand_db_html(page.body),
        "consumer_advice_html": expand_db_html(page.consumer_advice),
        "affected_products": [
            {
                "name": p.name,
                "brand": p.brand,
                "model": p.model_spec,
                "batch": p.batch,
                "gtin": p.gtin,
            }
            for p in page.affected_products.all()
        ],
        "updates": [{"date": _date(u.date), "text": u.text} for u in page.updates.all()],
        "withdrawn_on": _date(page.withdrawn_on),
        "withdrawal_reason": page.withdrawal_reason,
    }


def _result(region: str, result: SpotCheckResult) -> dict:
    batch = result.batch
    return {
        "id": f"{region}:result:{result.pk}",
        "type": FAILED_RESULT,
        "modified": batch.updated_at.isoformat(),
        "notice_number": batch.notice_number,
        "batch_title": batch.title,
        "authority": batch.authority,
        "published_on": _date(batch.published_on),
        "outcome": result.outcome,
        "sample_name": result.sample_name,
        "brand": result.nominal_brand,
        "model": result.nominal_model,
        "lot": result.lot_raw,
        "producer_name": result.producer_name,
        "producer_address": result.producer_address,
        "producer_credit_code": result.producer.uscc if result.producer else "",
        "category": _category(result.category),
        "failed_items": [
            {
                "item": f.item,
                "measured": f.measured,
                "limit": f.limit,
                "unit": f.unit,
                "safety": f.is_safety_item,
            }
            for f in result.failed_items.all()
        ],
    }
