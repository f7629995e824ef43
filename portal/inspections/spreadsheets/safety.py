"""Formula (CSV) injection: refuse formulas on import, neutralise them on export.

A published table travels on: staff open exports in Excel or WPS, and a cell such as
`=HYPERLINK("http://evil","x")` or `=cmd|' /C calc'!A0` runs there. See OWASP "CSV Injection".
"""

from __future__ import annotations

import re
from typing import TypeVar

T = TypeVar("T")

# A plain number, as a spreadsheet would read it: "-5", "+0.3", "1,000.5", "1e-3", "12%".
_NUMBER = re.compile(r"[+-]?(?:\d+(?:,\d{3})*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?")
# What turns a leading + or - into something that acts: a call, a DDE pipe, a sheet reference,
# a string literal, a concatenation.
_ACTIVE = re.compile(r"[(|!\"'&]")
# Arithmetic that a spreadsheet evaluates on its own: "-2+3", "+5/-3", "-1*2%".
_ARITHMETIC = re.compile(r"[+-]\s*\d+(?:\.\d+)?%?(?:\s*[-+*/^]\s*[+-]?\s*\d+(?:\.\d+)?%?)+")
# Where a part of a cell begins: a new line, a label ("复检机构："), a list separator, or a
# list marker ("2." "（3）" "④").
_PART_BREAK = re.compile(r"[\n；;：:]")
_LIST_MARKER = re.compile(r"^\s*(?:\d{1,2}\s*[.．、)）]|[(（]\s*\d{1,2}\s*[)）]|[①-⑳])")
_TRIGGER = re.compile(r"[=+\-@]")
_CONTROL_TRIGGERS = ("\t", "\r", "\n")
_SIGN_TRIGGERS = ("=", "+", "-", "@")


def is_formula(text: str) -> bool:
    """Whether imported text would run as a formula: it starts with "=" or "@", or with "+"/"-"
    followed by a name or by call/reference syntax. Plain numbers ("-5", "+0.3") and measured
    values such as "-18℃" are not formulas, so real data is not refused."""
    stripped = text.lstrip()
    if len(stripped) < 2:
        return False
    head = stripped[0]
    if head in "=@":
        return True
    if head not in "+-" or _NUMBER.fullmatch(stripped):
        return False
    if _ARITHMETIC.fullmatch(stripped):
        return True
    rest = stripped[1:].lstrip()
    starts_with_name = rest[:1].isascii() and rest[:1].isalpha()
    return starts_with_name or bool(_ACTIVE.search(stripped))


def has_formula(text: str) -> bool:
    """Whether any part of a cell would run as a formula once it stands alone: the cell, each
    line, each labelled part ("复检机构：=HYPERLINK(…)") and each numbered item ("2.=…"). The
    parts are stored and exported one by one, so each must be as safe as a whole cell."""
    if not _TRIGGER.search(text):
        return False
    if is_formula(text):
        return True
    for part in _PART_BREAK.split(text):
        if is_formula(part) or is_formula(_LIST_MARKER.sub("", part, count=1)):
            return True
    return False


def escape_formula(value: T) -> T | str:
    """A cell value safe to write into an exported CSV/XLSX: a string that a spreadsheet could
    evaluate (leading = + - @ tab CR, after any spaces) gets a leading apostrophe, the OWASP
    advice. Numbers, numeric strings, dates and None pass through unchanged."""
    if not isinstance(value, str) or not value:
        return value
    if value[0] in _CONTROL_TRIGGERS:
        return "'" + value
    stripped = value.lstrip(" ")
    if stripped[:1] in _SIGN_TRIGGERS and not _NUMBER.fullmatch(stripped):
        return "'" + value
    return value
