"""Cells that list several items ("1.外觀；2.配合性能", "1、纤维含量 2、pH值", "①…②…", "甲、乙"),
and the failed items of a row paired with their measured and required values.

Kept apart from `cells` because numbering and alignment rules are their own puzzle; like `cells`,
everything here is a pure function of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARKER = re.compile(
    r"[(（]\s*(?P<paren>\d{1,2})\s*[)）]"
    r"|(?P<num>\d{1,2})\s*(?:[、)）:：]|[.．](?!\d))"
    r"|(?P<circled>[①-⑳])"
)
_SEPARATORS = frozenset("；;\n、，")
_OPENERS = "(（[【〔{"
_CLOSERS = ")）]】〕}"
_EDGE_PUNCTUATION = " \t\n；;，,、。.．:："


def _marker_number(match: re.Match[str]) -> int:
    if match["circled"]:
        return ord(match["circled"]) - ord("①") + 1
    return int(match["paren"] or match["num"])


def _numbered(text: str) -> list[tuple[int, str]] | None:
    """Split at the markers 1, 2, 3 … in order, the first at the very start; None when the text
    is not numbered that way (so "GB/T 2912.1" or "pH值 4.0" are never cut)."""
    cuts: list[tuple[int, int, int]] = []
    expected = 1
    for match in _MARKER.finditer(text):
        if _marker_number(match) != expected:
            continue
        start = match.start()
        if expected == 1 and start != 0:
            return None
        before = text[start - 1] if start else ""
        if (
            not match["circled"]
            and before
            and ((before.isascii() and before.isalnum()) or before in ".．")
        ):
            continue
        cuts.append((expected, start, match.end()))
        expected += 1
    if not cuts:
        return None
    pieces = []
    for index, (number, _start, end) in enumerate(cuts):
        stop = cuts[index + 1][1] if index + 1 < len(cuts) else len(text)
        pieces.append((number, text[end:stop].strip(_EDGE_PUNCTUATION)))
    return pieces


def _unnumbered(text: str) -> list[str]:
    """Split at ；; 、， and line breaks that are outside brackets, and at commas not inside a
    number, so "邻苯二甲酸酯（DBP、BBP）" stays one item."""
    pieces: list[str] = []
    depth = 0
    current: list[str] = []
    for index, char in enumerate(text):
        if char in _OPENERS:
            depth += 1
        elif char in _CLOSERS:
            depth = max(depth - 1, 0)
        is_comma = char == "," and not (
            0 < index < len(text) - 1 and text[index - 1].isdigit() and text[index + 1].isdigit()
        )
        if depth == 0 and (char in _SEPARATORS or is_comma):
            pieces.append("".join(current))
            current = []
        else:
            current.append(char)
    pieces.append("".join(current))
    return [piece.strip(_EDGE_PUNCTUATION) for piece in pieces if piece.strip(_EDGE_PUNCTUATION)]


_LEADING_MARKER = re.compile(r"[(（]\s*(\d{1,2})\s*[)）]\s*|(\d{1,2})\s*[.．、)）:：]\s*")


def _numbered_values(text: str) -> list[tuple[int, str]] | None:
    """Values numbered like their items, where the number may run into a digit: "1.35%；2.9.0"
    reads 35% and 9.0 when every piece between separators starts with a rising number (values
    of passing items may be left out: "1.不符合；3.9.5")."""
    pieces = _unnumbered(text)
    if len(pieces) < 2:
        return None
    out: list[tuple[int, str]] = []
    for piece in pieces:
        match = _LEADING_MARKER.match(piece)
        if match is None or match.end() == len(piece):
            return None
        number = int(match[1] or match[2])
        if number < 1 or (out and number <= out[-1][0]):
            return None
        out.append((number, piece[match.end() :]))
    return out


def split_list(text: str, *, values: bool = False) -> tuple[list[str], list[int] | None]:
    """The pieces of a multi-value cell, and their numbers when the cell is numbered. With
    `values`, numbering that runs into the value ("1.35%") is recognised too."""
    if not text:
        return [], None
    numbered = (_numbered_values(text) if values else None) or _numbered(text)
    if numbered is not None:
        return [piece for _number, piece in numbered], [number for number, _piece in numbered]
    return _unnumbered(text), None


@dataclass
class FailedItemData:
    """One failed test item with its measured and required value, as published."""

    item: str
    measured: str = ""
    limit: str = ""
    unit: str = ""


_QUANTITY = re.compile(
    r"(?P<number>(?:[<>≤≥＜＞]=?\s*)?[+-]?\d+(?:\.\d+)?)\s*"
    r"(?P<unit>%|‰|℃|°C|[a-zA-ZμµΩ][a-zA-ZμµΩ/·²³0-9]*)"
)
_BARE_NUMBER = re.compile(r"(?:[<>≤≥＜＞]=?\s*)?[+-]?\d+(?:\.\d+)?")


def _split_unit(measured: str, limit: str, header_unit: str) -> tuple[str, str, str]:
    """ "0.35%" against "≤0.1%" reads measured 0.35, limit ≤0.1, unit %. A bare number takes the
    unit named in the header ("检验结果(mg/kg)"). Values whose units disagree stay as published,
    with no unit."""
    quantity = _QUANTITY.fullmatch(measured)
    if quantity is None:
        return measured, limit, header_unit if _BARE_NUMBER.fullmatch(measured) else ""
    unit = quantity["unit"]
    bound = _QUANTITY.fullmatch(limit)
    if bound is not None:
        if bound["unit"] != unit:
            return measured, limit, ""
        limit = bound["number"]
    return quantity["number"], limit, unit


def _aligned(
    values: list[str], numbers: list[int] | None, items: list[str], item_numbers: list[int] | None
) -> list[str]:
    if not values:
        return [""] * len(items)
    if item_numbers is not None and numbers is not None:
        by_number = dict(zip(numbers, values, strict=True))
        return [by_number.get(number, "") for number in item_numbers]
    if len(values) == len(items):
        return values
    return [""] * len(items)


def failed_items(
    items_text: str, measured: str, limit: str, unit: str = ""
) -> list[FailedItemData]:
    """The failed items of one row. Measured and required values are given to items one to one
    when they are numbered the same way or listed in the same count; otherwise (ambiguous) the
    items carry none and the cells stay whole in `values`. A lone item takes the whole cells."""
    items, item_numbers = split_list(items_text)
    if not items:
        return []
    if len(items) == 1:
        measures, limits = [measured], [limit]
    else:
        measures = _aligned(*split_list(measured, values=bool(item_numbers)), items, item_numbers)
        limits = _aligned(*split_list(limit, values=bool(item_numbers)), items, item_numbers)
    out = []
    for item, value, bound in zip(items, measures, limits, strict=True):
        value, bound, item_unit = _split_unit(value, bound, unit)
        out.append(FailedItemData(item, value, bound, item_unit))
    return out
