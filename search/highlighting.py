"""Highlights on the name as it was published, not as it was indexed.

The engine marks the folded text it holds ("led台灯", "hongda"); the citizen must read what the
publisher wrote ("LED台灯", "Hongda"). Folding works character by character in all but rare
cases (NFKC expansions such as ㈱, OpenCC phrase conversions), so the marks are carried back
by character position; where that does not line up, the published name is shown unmarked.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from portal.core.text import normalise

_MARK = re.compile(r"(</?mark>)")


@lru_cache(maxsize=20_000)
def _fold_char(char: str) -> str:
    return " " if char.isspace() else normalise(char) or char


def _positions(original: str, folded: str) -> list[int] | None:
    """For each character of `folded`, the index of the original character it came from."""
    positions: list[int] = []
    out = ""
    for index, char in enumerate(original):
        piece = _fold_char(char)
        if piece == " " and (not out or out.endswith(" ")):
            continue  # runs of spaces fold to one, leading spaces to none
        out += piece
        positions += [index] * len(piece)
    while out.endswith(" "):
        out, positions = out[:-1], positions[:-1]
    return positions if out == folded else None


def restore(original: str, highlighted: str) -> SafeString:
    """`original`, HTML-escaped, with `<mark>` where the engine marked its folded form."""
    folded, spans, start = "", [], 0
    for part in _MARK.split(highlighted):
        if part == "<mark>":
            start = len(folded)
        elif part == "</mark>":
            spans.append((start, len(folded)))
        else:
            folded += html.unescape(part)
    positions = _positions(original, folded)
    if positions is None or not spans:
        return escape(original)
    marked = [False] * len(original)
    for begin, end in spans:
        for position in positions[begin:end]:
            marked[position] = True
    pieces, inside = [], False
    for char, mark in zip(original, marked, strict=True):
        if mark != inside:
            pieces.append("<mark>" if mark else "</mark>")
            inside = mark
        pieces.append(escape(char))
    if inside:
        pieces.append("</mark>")
    return mark_safe("".join(pieces))  # noqa: S308 — every character was escaped above
