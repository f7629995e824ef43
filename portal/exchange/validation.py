"""Checks a partner's feed page (already signature-verified) against anxin-exchange/1.

Partner data is untrusted even when signed: a partner's system can be wrong or compromised.
Every field has a type, a length and, where it is a code, a fixed vocabulary; text is stored
as plain text (`plain_text`), HTML only as `sanitize_html` leaves it. One bad item refuses
the whole page, so a broken sender is noticed instead of half-imported. Unknown fields are
ignored, so a partner may add fields without breaking us.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from content.models import Hazard, RiskLevel
from content.sanitize import sanitize_html
from portal.core.text import plain_text
from portal.registry.validators import validate_gtin

from .feed import FAILED_RESULT, FORMAT, WARNING
from .signing import ED25519

MAX_ITEMS = 1000
CLOCK_SKEW = datetime.timedelta(seconds=60)
WARNING_KINDS = ("warning", "advice", "recall")
OUTCOMES = ("fail", "referred")
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
_url = URLValidator(schemes=["http", "https"])


class Invalid(Exception):
    """The feed is not acceptable; the message names the field."""


@dataclass(frozen=True)
class Item:
    remote_id: str
    kind: str
    title: str
    modified: datetime.datetime
    published_at: datetime.datetime
    data: dict


@dataclass(frozen=True)
class Page:
    issued_at: datetime.datetime
    next: str | None
    has_more: bool
    items: list[Item]


def parse(body: bytes) -> object:
    """Strict JSON: UTF-8, no NaN or Infinity, no repeated keys."""

    def no_duplicates(pairs):
        keys = [key for key, _value in pairs]
        if len(keys) != len(set(keys)):
            raise Invalid(_("The feed repeats a key in one object."))
        return dict(pairs)

    def no_constant(name):
        raise Invalid(_("The feed contains %(name)s, which JSON does not allow.") % {"name": name})

    try:
        return json.loads(
            body.decode("utf-8"), object_pairs_hook=no_duplicates, parse_constant=no_constant
        )
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise Invalid(_("The feed is not valid JSON: %(error)s") % {"error": error}) from error


def page(document: object, partner, since: str | None, last_issued_at, now=None) -> Page:
    """The checked page, or Invalid. `since` is the cursor we asked with; the page must say it
    answers that question, and be fresh and newer than the last page accepted from the partner
    (a replayed or delayed feed is refused)."""
    now = now or timezone.now()
    feed = _object(document, "feed")
    if feed.get("format") != FORMAT:
        raise Invalid(_("format must be %(format)s.") % {"format": FORMAT})
    issuer = _object(feed.get("issuer"), "issuer")
    if issuer.get("code") != partner.region_code:
        raise Invalid(_("issuer.code is not this partner's region code."))
    # An HMAC feed is made for one reader; a public Ed25519 feed may name none.
    audience, ours = feed.get("audience"), settings.EXCHANGE_REGION_CODE
    if audience != ours and not (audience is None and partner.algorithm == ED25519):
        raise Invalid(_("audience must be %(code)s.") % {"code": ours})
    issued_at = _timestamp(feed.get("issued_at"), "issued_at")
    if issued_at > now + CLOCK_SKEW:
        raise Invalid(_("issued_at is in the future."))
    if now - issued_at > datetime.timedelta(seconds=settings.EXCHANGE_MAX_AGE):
        raise Invalid(_("The feed is too old (issued_at %(at)s).") % {"at": issued_at.isoformat()})
    if last_issued_at and issued_at < last_issued_at:
        raise Invalid(_("The feed is older than one accepted before: a replay."))
    if feed.get("since") != since:
        raise Invalid(_("since does not echo the cursor that was asked for."))
    next_cursor = feed.get("next")
    if next_cursor is not None:
        next_cursor = _text(next_cursor, "next", 200, required=True)
    has_more = feed.get("has_more")
    if not isinstance(has_more, bool):
        raise Invalid(_("has_more must be true or false."))
    raw_items = _list(feed.get("items"), "items", MAX_ITEMS)
    items = [check_item(raw, f"items[{n}]", partner.region_code) for n, raw in enumerate(raw_items)]
    if len({item.remote_id for item in items}) != len(items):
        raise Invalid(_("An id appears twice in one page."))
    return Page(issued_at, next_cursor, has_more, items)


def check_item(raw: object, path: str, region: str) -> Item:
    item = _object(raw, path)
    remote_id = _text(item.get("id"), f"{path}.id", 200)
    if not remote_id.startswith(f"{region}:"):
        raise Invalid(_("%(path)s.id must start with the partner's region code.") % {"path": path})
    kind = _choice(item.get("type"), f"{path}.type", (WARNING, FAILED_RESULT))
    modified = _timestamp(item.get("modified"), f"{path}.modified")
    if kind == WARNING:
        data = _warning(item, path)
        published_at = _timestamp(item.get("published_at"), f"{path}.published_at")
    else:
        data = _result(item, path)
        published_at = modified
    data.update(id=remote_id, type=kind, modified=modified.isoformat())
    return Item(remote_id, kind, data["title"], modified, published_at, data)


def _warning(item: dict, path: str) -> dict:
    url = _text(item.get("url"), f"{path}.url", 500, required=False)
    if url:
        try:
            _url(url)
        except ValidationError as error:
            raise Invalid(_("%(path)s.url is not an http(s) URL.") % {"path": path}) from error
    hazards = _list(item.get("hazards"), f"{path}.hazards", len(Hazard.values))
    return {
        "url": url,
        "language": _choice(item.get("language"), f"{path}.language", LANGUAGES),
        "title": _text(item.get("title"), f"{path}.title", 255),
        "summary": _text(item.get("summary"), f"{path}.summary", 2000, required=False),
        "kind": _choice(item.get("kind"), f"{path}.kind", WARNING_KINDS),
        "risk_level": _choice(item.get("risk_level"), f"{path}.risk_level", RiskLevel.values),
        "hazards": [
            _choice(h, f"{path}.hazards[{n}]", Hazard.values) for n, h in enumerate(hazards)
        ],
        "category": _text(item.get("category"), f"{path}.category", 200, required=False),
        "published_at": _timestamp(item.get("published_at"), f"{path}.published_at").isoformat(),
        "body_html": _html(item.get("body_html"), f"{path}.body_html", 100_000),
        "consumer_advice_html": _html(
            item.get("consumer_advice_html"), f"{path}.consumer_advice_html", 50_000
        ),
        "affected_products": [
            _product(p, f"{path}.affected_products[{n}]")
            for n, p in enumerate(
                _list(item.get("affected_products"), f"{path}.affected_products", 200)
            )
        ],
        "updates": [
            _update(u, f"{path}.updates[{n}]")
            for n, u in enumerate(_list(item.get("updates"), f"{path}.updates", 100))
        ],
        "withdrawn_on": _date(item.get("withdrawn_on"), f"{path}.withdrawn_on"),
        "withdrawal_reason": _text(
            item.get("withdrawal_reason"), f"{path}.withdrawal_reason", 2000, required=False
        ),
    }


def _product(raw: object, path: str) -> dict:
    product = _object(raw, path)
    gtin = _text(product.get("gtin"), f"{path}.gtin", 20, required=False)
    if gtin:
        try:
            validate_gtin(gtin)
        except ValidationError as error:
            raise Invalid(_("%(path)s.gtin is not a valid GTIN.") % {"path": path}) from error
    return {
        "name": _text(product.get("name"), f"{path}.name", 200),
        **{
            field: _text(product.get(field), f"{path}.{field}", 200, required=False)
            for field in ("brand", "model", "batch")
        },
        "gtin": gtin,
    }


def _update(raw: object, path: str) -> dict:
    update = _object(raw, path)
    return {
        "date": _date(update.get("date"), f"{path}.date", required=True),
        "text": _text(update.get("text"), f"{path}.text", 2000),
    }


def _result(item: dict, path: str) -> dict:
    def text(field, limit, required=False):
        return _text(item.get(field), f"{path}.{field}", limit, required=required)

    sample, producer = text("sample_name", 200, required=True), text("producer_name", 200)
    return {
        "title": (f"{sample}（{producer}）" if producer else sample)[:300],  # the list's title
        "notice_number": text("notice_number", 100, required=True),
        "batch_title": text("batch_title", 300),
        "authority": text("authority", 200, required=True),
        "published_on": _date(item.get("published_on"), f"{path}.published_on"),
        "outcome": _choice(item.get("outcome"), f"{path}.outcome", OUTCOMES),
        "sample_name": sample,
        "brand": text("brand", 200),
        "model": text("model", 200),
        "lot": text("lot", 200),
        "producer_name": producer,
        "producer_address": text("producer_address", 300),
        "producer_credit_code": text("producer_credit_code", 18),
        "category": text("category", 200),
        "failed_items": [
            _failed_item(f, f"{path}.failed_items[{n}]")
            for n, f in enumerate(_list(item.get("failed_items"), f"{path}.failed_items", 50))
        ],
    }


def _failed_item(raw: object, path: str) -> dict:
    failed = _object(raw, path)
    safety = failed.get("safety", False)
    if not isinstance(safety, bool):
        raise Invalid(_("%(path)s.safety must be true or false.") % {"path": path})
    return {
        "item": _text(failed.get("item"), f"{path}.item", 200),
        "measured": _text(failed.get("measured"), f"{path}.measured", 200, required=False),
        "limit": _text(failed.get("limit"), f"{path}.limit", 200, required=False),
        "unit": _text(failed.get("unit"), f"{path}.unit", 40, required=False),
        "safety": safety,
    }


# --- Field checks ----------------------------------------------------------------------------


def _object(value: object, path: str) -> dict:
    if not isinstance(value, dict):
        raise Invalid(_("%(path)s must be an object.") % {"path": path})
    return value


def _list(value: object, path: str, limit: int) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise Invalid(_("%(path)s must be a list.") % {"path": path})
    if len(value) > limit:
        raise Invalid(
            _("%(path)s has more than %(limit)d entries.") % {"path": path, "limit": limit}
        )
    return value


def _text(value: object, path: str, limit: int, required: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise Invalid(_("%(path)s must be a string.") % {"path": path})
    text = plain_text(value)
    if len(text) > limit:
        raise Invalid(_("%(path)s is longer than %(limit)d.") % {"path": path, "limit": limit})
    if required and not text:
        raise Invalid(_("%(path)s is required.") % {"path": path})
    return text


def _html(value: object, path: str, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Invalid(_("%(path)s must be a string.") % {"path": path})
    if len(value) > limit:
        raise Invalid(_("%(path)s is longer than %(limit)d.") % {"path": path, "limit": limit})
    return str(sanitize_html(value))


def _choice(value: object, path: str, choices) -> str:
    if value not in choices:
        raise Invalid(_("%(path)s has an unknown value.") % {"path": path})
    return value


def _timestamp(value: object, path: str) -> datetime.datetime:
    try:
        moment = datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError) as error:
        raise Invalid(_("%(path)s must be an ISO 8601 time.") % {"path": path}) from error
    if moment.tzinfo is None:
        raise Invalid(_("%(path)s must name its time zone.") % {"path": path})
    return moment


def _date(value: object, path: str, required: bool = False) -> str | None:
    if value is None and not required:
        return None
    try:
        return datetime.date.fromisoformat(value).isoformat()
    except (TypeError, ValueError) as error:
        raise Invalid(_("%(path)s must be a date (YYYY-MM-DD).") % {"path": path}) from error
