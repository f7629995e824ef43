"""Cells that list several items ("1.外觀；2.配合性能", "1、纤维含量 2、pH值", "①…②…", "甲、乙"),
and the failed items of a row paired with their measured and required values.

Kept apart from `cells` because numbering and alignment rules are their own puzzle; like `cells`,
everything here is a pure function of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from portal.core.text import with_unit

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


def _unnumbered(text: str, *, commas: bool = True) -> list[str]:
    """Split at ；; 、， and line breaks that are outside brackets, and at commas not inside a
    number, so "邻苯二甲酸酯（DBP、BBP）" stays one item. Without `commas`, ，and , do not
    split."""
    pieces: list[str] = []
    depth = 0
    current: list[str] = []
    for index, char in enumerate(text):
        if char in _OPENERS:
            depth += 1
        elif char in _CLOSERS:
            depth = max(depth - 1, 0)
        is_comma = char == "，" or (
            char == ","
            and not (
                0 < index < len(text) - 1
                and text[index - 1].isdigit()
                and text[index + 1].isdigit()
            )
        )
        if depth == 0 and ((char in _SEPARATORS and char != "，") or (commas and is_comma)):
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
_QUANTITY_OR_NUMBER = re.compile(_QUANTITY.pattern + "|" + _BARE_NUMBER.pattern)
# Notes written into the failed-items cell: "经核查，标称生产企业否认生产该批次产品", "注：…".
_ITEM_NOTE = re.compile(
    r"(?:^|(?<=[；;。\n]))[ \t]*(?:(?:注|备注|備註|说明|說明)\d*\s*[:：]"
    r"|[经經](?:核查|核实|核實|确认|確認|调查|調查|查实|查實)"
    r"|[(（]?(?:标称|標稱)?生[产產](?:企[业業]|商|者)(?:否[认認]|不承[认認])).*$",
    re.MULTILINE,
)


def split_notes(text: str) -> tuple[str, list[str]]:
    """A failed-items cell without the notes written into it, and those notes."""
    if not text:
        return text, []
    notes = [match.group().strip() for match in _ITEM_NOTE.finditer(text)]
    if not notes:
        return text, []
    return _ITEM_NOTE.sub("", text).strip(_EDGE_PUNCTUATION), notes


def _quantity(text: str, header_unit: str) -> tuple[str, str] | None:
    """(number, unit) of "0.35%" or of a bare "13.4" under a header unit; None for text."""
    quantity = _QUANTITY.fullmatch(text)
    if quantity is not None:
        return quantity["number"], quantity["unit"]
    return (text, header_unit) if _BARE_NUMBER.fullmatch(text) else None


def _split_unit(measured: str, limit: str, units: tuple[str, str]) -> tuple[str, str, str]:
    """ "0.35%" against "≤0.1%" reads measured 0.35, limit ≤0.1, unit %. A bare number takes the
    unit of the other value or the one its header names ("检验结果(mg/kg)"). Values whose units
    disagree keep each its own unit in the text, and the item has none."""
    value, bound = _quantity(measured, units[0]), _quantity(limit, units[1] or units[0])
    if value and bound:
        if value[1] and bound[1] and value[1] != bound[1]:
            as_published = (
                text if _QUANTITY.fullmatch(text) else with_unit(*quantity)
                for text, quantity in ((measured, value), (limit, bound))
            )
            return *as_published, ""
        return value[0], bound[0], value[1] or bound[1]
    if value:
        return value[0], limit, value[1]
    if bound:
        return measured, bound[0], bound[1]
    return measured, limit, ""


def _aligned(
    values: list[str], numbers: list[int] | None, items: list[str], item_numbers: list[int] | None
) -> tuple[list[str], bool]:
    """The values given to the items one to one, and whether every value found its item."""
    if not values:
        return [""] * len(items), True
    if item_numbers is not None and numbers is not None:
        by_number = dict(zip(numbers, values, strict=True))
        return [by_number.get(number, "") for number in item_numbers], set(numbers) <= set(
            item_numbers
        )
    if len(values) == len(items):
        return values, True
    return [""] * len(items), False


# What follows a comma inside one item name: its unit ("大肠菌群，CFU/g", "铅（以Pb计），mg/kg",
# "耐光色牢度，级") or a qualifier ("以Pb计").
_ITEM_TAIL = re.compile(r"[a-zA-Zμµ%‰℃°][a-zA-Zμµ%‰℃°/·²³0-9.]*|级|級|以.{1,8}计|以.{1,8}計")


def _items(items_text: str, measured: str, limit: str) -> tuple[list[str], list[int] | None]:
    """The item names. A comma does not split one item from its unit ("大肠菌群，CFU/g"), nor
    one item when the cells give it one number ("标签，使用说明" measured "3")."""
    items, numbers = split_list(items_text)
    if numbers is not None or len(items) < 2 or len(_unnumbered(items_text, commas=False)) > 1:
        return items, numbers
    joined = [items[0]]
    for piece in items[1:]:
        if _ITEM_TAIL.fullmatch(piece):
            joined[-1] += "，" + piece
        else:
            joined.append(piece)
    values = [split_list(cell)[0] for cell in (measured, limit) if cell]
    one_number = values and all(len(v) == 1 and _QUANTITY_OR_NUMBER.fullmatch(v[0]) for v in values)
    if len(joined) > 1 and one_number:
        return [items_text.strip(_EDGE_PUNCTUATION)], None
    return joined, None


@dataclass
class ItemList:
    """The failed items of a row, and whether its measured and required cells were wholly
    given to them (when not, the cells are kept as published text)."""

    items: list[FailedItemData]
    values_carried: bool


def failed_items(
    items_text: str, measured: str, limit: str, units: tuple[str, str] = ("", "")
) -> ItemList:
    """The failed items of one row. Measured and required values are given to items one to one
    when they are numbered the same way or listed in the same count; otherwise (ambiguous) the
    items carry none and `values_carried` is False. A lone item takes the whole cells."""
    items, item_numbers = _items(items_text, measured, limit)
    if not items:
        return ItemList([], not (measured or limit))
    if len(items) == 1:
        measures, limits, carried = [measured], [limit], True
    else:
        numbered = bool(item_numbers)
        measures, measured_ok = _aligned(
            *split_list(measured, values=numbered), items, item_numbers
        )
        limits, limit_ok = _aligned(*split_list(limit, values=numbered), items, item_numbers)
        carried = measured_ok and limit_ok
    out = []
    for item, value, bound in zip(items, measures, limits, strict=True):
        value, bound, item_unit = _split_unit(value, bound, units)
        out.append(FailedItemData(item, value, bound, item_unit))
    return ItemList(out, carried)
