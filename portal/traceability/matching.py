"""Traceability (追溯): what a barcode or a batch/lot string finds, and how sure each match is.

Scoring table. A match's kind fixes its confidence (`SCORES`); the kinds are listed best
first, and a row that meets several conditions takes the first one it meets:

=================  ===========================================================  ==========
kind               when                                                         confidence
=================  ===========================================================  ==========
registered_gtin    the code is a barcode registered to the product              certain
warning_gtin       the code is listed on one of a warning's affected products   certain
product_result     the result was recorded against a product the code names     high
lot_exact          a result's lot (as printed, or its lot number) or a          high
                   warning's affected batch is exactly the text as typed
lot_normalised     the same once case, full/half width, separators and a        medium
                   leading label ("批号:", "Lot No.") are ignored
cites_result       the warning cites a spot-check result found above            the result's
name_only          an affected product *without* a barcode has the name (and    low
                   brand) of a product the barcode names
=================  ===========================================================  ==========

Lists are sorted by confidence, then by date (newest first, undated last); spot-check results
that failed come before all others.

Barcodes are compared as GTIN-14: spaces and hyphens dropped, full-width digits folded, and
left-padded with zeros, so an EAN-13, its UPC-A and its GTIN-14 form are one code. Registered
barcodes are looked up on their unique index in every length they can be stored in; warnings'
affected products (typed by editors, not normalised on save) with a pattern that allows
separators and leading zeros.

The database does the matching, the classification and the ranking (`_ranked`): each
condition is a `Q`, the kind is a `CASE` over them in table order. Python only maps kinds to
confidences and keeps the best match of each warning and product.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from content.models import AffectedProduct, RiskWarningPage, WarningRelatedResult, live_in
from portal.inspections.lots import CHINESE_LABELS, LATIN_LABELS, SEPARATORS, escaped, lot_key
from portal.inspections.models import Outcome, SpotCheckResult
from portal.registry.models import Product, ProductBarcode
from portal.registry.validators import barcode_digits, check_digit_ok, stored_forms

MAX_LENGTH = 64  # longer than any barcode or lot number printed on a product
MIN_LOT_KEY = 3  # shorter lot keys ("12", "A") would match half the register
LIMIT = 50  # matches shown per list


class Confidence(models.IntegerChoices):
    LOW = 1, _("low")
    MEDIUM = 2, _("medium")
    HIGH = 3, _("high")
    CERTAIN = 4, _("certain")


class Kind(models.TextChoices):
    """Why a row matched; the label is the explanation shown beside it."""

    REGISTERED_GTIN = "registered_gtin", _("The barcode is registered to this product.")
    WARNING_GTIN = "warning_gtin", _("The warning lists this barcode among the affected products.")
    PRODUCT_RESULT = (
        "product_result",
        _("This spot check sampled the product the barcode belongs to; your batch may differ."),
    )
    LOT_EXACT = "lot_exact", _("The batch number is exactly the one you typed.")
    LOT_NORMALISED = (
        "lot_normalised",
        _("The batch number is the one you typed, written differently (case, width, separators)."),
    )
    CITES_RESULT = "cites_result", _("The warning cites a spot-check result found above.")
    NAME_ONLY = (
        "name_only",
        _("Only the product name and brand are the same; the warning gives no barcode."),
    )


#: The scoring table, best first. `None`: the match takes the confidence of what it cites.
SCORES: dict[Kind, Confidence | None] = {
    Kind.REGISTERED_GTIN: Confidence.CERTAIN,
    Kind.WARNING_GTIN: Confidence.CERTAIN,
    Kind.PRODUCT_RESULT: Confidence.HIGH,
    Kind.LOT_EXACT: Confidence.HIGH,
    Kind.LOT_NORMALISED: Confidence.MEDIUM,
    Kind.CITES_RESULT: None,
    Kind.NAME_ONLY: Confidence.LOW,
}


# --- What was typed ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """The text as typed, and what it can be looked up as."""

    text: str
    gtin14: str = ""  # a barcode with a valid check digit, as GTIN-14
    lot_key: str = ""  # the batch/lot comparison form
    barcode_problem: str = ""  # why a barcode-shaped text is not a valid barcode


_NOT_PRINTABLE = re.compile(r"[\x00-\x1f\x7f]")


def parse(text: str) -> Query:
    """What the text can be looked up as; `ValidationError` when it can be nothing."""
    text = _NOT_PRINTABLE.sub("", text or "").strip()
    if not text:
        raise ValidationError(_("Type or scan a barcode or a batch number."), code="empty")
    if len(text) > MAX_LENGTH:
        raise ValidationError(
            _("That is longer than any barcode or batch number (at most %(max)d characters)."),
            code="too_long",
            params={"max": MAX_LENGTH},
        )
    digits, code14, problem = barcode_digits(text), "", ""
    if digits and check_digit_ok(digits.zfill(14)):
        code14 = digits.zfill(14)
    elif len(digits) in (12, 13, 14):  # a barcode's length (8 digits is often a lot number)
        problem = gettext(
            "%(code)s is not a valid barcode: its last digit (the check digit) does not match "
            "the others. Check the digits or scan the code; it was looked up as a batch number."
        ) % {"code": text}
    key = lot_key(text)
    if len(key) < MIN_LOT_KEY:
        key = ""
    if not code14 and not key:
        raise ValidationError(
            _("A batch number needs at least %(min)d letters or digits."),
            code="too_short",
            params={"min": MIN_LOT_KEY},
        )
    return Query(text=text, gtin14=code14, lot_key=key, barcode_problem=problem)


# --- Patterns for text stored as it was typed --------------------------------------------------


def _forms(ch: str) -> set[str]:
    """The characters that fold to `ch` under `lot_key`: its cases and full-width forms."""
    forms = {ch, ch.lower(), ch.upper()}
    return forms | {chr(ord(c) + 0xFEE0) for c in forms if "!" <= c <= "~"}


def _any_of(chars) -> str:
    return f"[{escaped(set(chars))}]"


_ONE_SEPARATOR = _any_of(set().union(*map(_forms, SEPARATORS)))
_LOOSE_SEPARATOR = _ONE_SEPARATOR + "*"


def _loose(text: str) -> str:
    """A regular expression for `text` written in any case and width, with separators
    anywhere between its characters. Only the syntax PostgreSQL and Python share (bracket
    classes, `(?:)`, `*`, `^$`), so it runs on PostgreSQL and on SQLite (`make run`)."""
    return _LOOSE_SEPARATOR.join(_any_of(_forms(ch)) for ch in text)


def lot_pattern(key: str) -> str:
    """Matches stored text whose `lot_key` is `key`: an optional label, then the key."""
    latin = "|".join(_loose(label) for label in LATIN_LABELS)
    label = (
        f"(?:{'|'.join(CHINESE_LABELS)}|(?:{latin})(?:{_LOOSE_SEPARATOR}{_loose('NO')})?"
        f"{_ONE_SEPARATOR})?"
    )
    return f"^{_LOOSE_SEPARATOR}{label}{_LOOSE_SEPARATOR}{_loose(key)}{_LOOSE_SEPARATOR}$"


def gtin_pattern(code14: str) -> str:
    """Matches a stored barcode of this GTIN in any length, width and spacing."""
    zeros = f"(?:{_any_of(_forms('0'))}{_LOOSE_SEPARATOR})*"
    return f"^{_LOOSE_SEPARATOR}{zeros}{_loose(code14.lstrip('0'))}{_LOOSE_SEPARATOR}$"


# --- Looking up --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    item: Product | SpotCheckResult | RiskWarningPage
    kind: Kind
    confidence: Confidence
    date: datetime.date | None
    evidence: object = None  # what matched: the barcode, the affected product, the result

    @property
    def explanation(self) -> str:
        return self.kind.label


@dataclass
class Findings:
    query: Query
    warnings: list[Match] = field(default_factory=list)
    results: list[Match] = field(default_factory=list)
    products: list[Match] = field(default_factory=list)
    limit: int = LIMIT

    @property
    def total(self) -> int:
        return len(self.warnings) + len(self.results) + len(self.products)

    @property
    def failed(self) -> int:
        """How many of the spot-check results found are failures (listed first)."""
        return sum(match.item.outcome == Outcome.FAIL for match in self.results)


def find(query: Query, locale_id: int) -> Findings:
    """Everything the query finds, in a fixed number of queries whatever it finds: the
    products, the public spot-check results and the live warnings of one language's tree."""
    barcodes = []
    if query.gtin14:
        barcodes = list(
            ProductBarcode.objects.filter(gtin__in=stored_forms(query.gtin14)).select_related(
                "product__manufacturer"
            )
        )
    products: dict[int, Match] = {}
    for barcode in barcodes:
        match = Match(barcode.product, Kind.REGISTERED_GTIN, Confidence.CERTAIN, None, barcode)
        _keep_best(products, barcode.product_id, match)
    lot = lot_pattern(query.lot_key) if query.lot_key else ""
    results = _results(query, set(products))
    for match in results:
        if match.item.product_id and match.kind in (Kind.LOT_EXACT, Kind.LOT_NORMALISED):
            found = Match(match.item.product, match.kind, match.confidence, match.date, match.item)
            _keep_best(products, match.item.product_id, found)
    warnings = _warnings(query, lot, [b.product for b in barcodes], results, locale_id)
    return Findings(
        query=query,
        warnings=_sorted(warnings)[:LIMIT],
        results=results,
        products=_sorted(products.values())[:LIMIT],
    )


def _results(query: Query, product_ids: set[int]) -> list[Match]:
    """Results are matched on their stored lot keys (indexed): a lot written exactly as typed
    has the typed text's key too, so the keys find every candidate and the kinds sort them."""
    by_product = Q(product_id__in=product_ids) if product_ids else Q()
    conditions = {Kind.PRODUCT_RESULT: by_product}
    if key := query.lot_key:
        conditions[Kind.LOT_EXACT] = Q(lot_number=query.text) | Q(lot_raw=query.text)
        conditions[Kind.LOT_NORMALISED] = Q(lot_number_key=key) | Q(lot_raw_key=key)
    rows = _ranked(
        SpotCheckResult.public.select_related("batch", "product__manufacturer"),
        conditions,
        "batch__published_on",
        where=by_product | conditions.get(Kind.LOT_NORMALISED, Q()),
        first=[Case(When(outcome=Outcome.FAIL, then=Value(0)), default=Value(1))],
    )
    return [_match(row, row.batch.published_on) for row in rows[:LIMIT]]


def _warnings(query, lot, products, results, locale_id) -> list[Match]:
    live = live_in(RiskWarningPage, locale_id)
    same_name = [Q(name__iexact=p.name, brand__iexact=p.brand) for p in products]
    conditions = {
        Kind.WARNING_GTIN: Q(gtin__regex=gtin_pattern(query.gtin14)) if query.gtin14 else Q(),
        Kind.NAME_ONLY: Q(gtin="") & reduce(or_, same_name) if same_name else Q(),
    }
    if lot:
        conditions[Kind.LOT_EXACT] = Q(batch=query.text)
        conditions[Kind.LOT_NORMALISED] = Q(batch__regex=lot)
    found: dict[int, Match] = {}
    rows = _ranked(
        AffectedProduct.objects.filter(page__in=live).select_related("page"),
        conditions,
        "page__first_published_at",
    )
    for row in rows[: LIMIT * 4]:  # a page may list several affected products
        _keep_best(found, row.page_id, _match(row, _day(row.page.first_published_at), row.page))
    cited = {match.item.pk: match for match in results}
    if cited:
        links = WarningRelatedResult.objects.filter(result_id__in=cited, page__in=live)
        for link in links.select_related("page"):
            result = cited[link.result_id]
            day = _day(link.page.first_published_at)
            match = Match(link.page, Kind.CITES_RESULT, result.confidence, day, result.item)
            _keep_best(found, link.page_id, match)
    return list(found.values())


def _ranked(queryset, conditions: dict[Kind, Q], date_field: str, where=None, first=()):
    """The rows meeting any condition (or `where`, when the caller knows an indexed condition
    that holds for all of them), annotated with the kind of their best match (`match_kind`:
    the first condition they meet, in table order) and sorted by `first`, then its
    confidence, then date."""
    whens = [(kind, conditions[kind]) for kind in SCORES if conditions.get(kind)]
    if not whens:
        return queryset.none()
    return (
        queryset.filter(where or reduce(or_, (q for _kind, q in whens)))
        .annotate(
            match_kind=Case(
                *(When(q, then=Value(kind.value)) for kind, q in whens),
                output_field=models.CharField(),
            ),
            match_confidence=Case(
                *(When(q, then=Value(int(SCORES[kind]))) for kind, q in whens),
                output_field=models.IntegerField(),
            ),
        )
        .order_by(*first, "-match_confidence", F(date_field).desc(nulls_last=True), "-pk")
    )


def _match(row, day: datetime.date | None, item=None) -> Match:
    kind = Kind(row.match_kind)
    return Match(item or row, kind, SCORES[kind], day, row)


def _day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


def _keep_best(found: dict[int, Match], key: int, match: Match) -> None:
    """Keep one match per warning or product: the surest (the first of equals)."""
    if key not in found or match.confidence > found[key].confidence:
        found[key] = match


def _sorted(matches) -> list[Match]:
    """By confidence, then newest first; undated last."""
    return sorted(
        matches,
        key=lambda m: (-m.confidence, m.date is None, -(m.date.toordinal() if m.date else 0)),
    )
