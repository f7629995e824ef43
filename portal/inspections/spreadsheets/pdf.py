"""PDF tables with a text layer, page by page with pdfplumber (ruled tables, as Excel, WPS and
Word print them).

Each page's tables are found from their ruling lines; each character is placed in the cell it
sits in, so a merged cell reads like Excel's (text in its first cell, the cells it covers
empty). Lines inside a cell are joined back when the text merely wrapped at the cell's edge
(the next word would not have fitted) and kept as line breaks otherwise ("1.纤维含量" over
"2.绳带要求"). Text above the table is ignored; a header repeated on every page is skipped by
the row reader like any repeated header. A page is released once read, and a file of more than
`MAX_PAGES` pages is refused before any page is read, so memory and time stay bounded. A PDF
with no text (a scan) is refused: its table could only be guessed by OCR.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from typing import BinaryIO

from .errors import SpreadsheetError
from .sources import Row, Source, malformed, not_a_spreadsheet

MAX_PAGES = 1000
# Pages read without finding a table before the file is refused as having none.
PAGES_BEFORE_A_TABLE = 20
_WHAT = ("PDF 文件", "PDF file")
_ITEM = re.compile(r"(?:(\d{1,2})[.、．]|[（(](\d{1,2})[)）])")


def _too_many_pages(pages: int) -> SpreadsheetError:
    return SpreadsheetError(
        "too_many_pages",
        f"PDF 有{pages}页，超过{MAX_PAGES}页的上限；请拆分成几个文件，或上传原始的 Excel 表格",
        f"The PDF has {pages} pages, more than the limit of {MAX_PAGES}; split it into "
        "several files or upload the original Excel sheet",
    )


def _scanned() -> SpreadsheetError:
    return SpreadsheetError(
        "scanned_pdf",
        "PDF 是扫描件（页面上没有可读取的文字），无法读取表格；请上传原始的 Excel、Word "
        "文件或带文字层的 PDF",
        "The PDF is a scan (its pages carry no text that can be read), so its table cannot "
        "be read; upload the original Excel or Word file, or a PDF with a text layer",
    )


def _no_table(pages: int) -> SpreadsheetError:
    return not_a_spreadsheet(
        f"PDF 文件，但前{pages}页中没有带边框线的表格",
        f"a PDF without a ruled table in its first {pages} pages",
    )


def _is_wide(char: str) -> bool:
    return "\u2e80" <= char <= "\u9fff" or "\uf900" <= char <= "\uffef"


def _item_number(line: str) -> int | None:
    """The number of a list item that starts the line ("2." "2、" "（2）"), if any."""
    match = _ITEM.match(line)
    return int(match.group(1) or match.group(2)) if match else None


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _lines(chars: list[dict]) -> list[list[dict]]:
    """Characters grouped into lines (top to bottom), each line left to right."""
    lines: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        if lines and char["top"] - lines[-1][0]["top"] < char["size"] * 0.5:
            lines[-1].append(char)
        else:
            lines.append([char])
    return [sorted(line, key=lambda c: c["x0"]) for line in lines]


def _line_text(line: list[dict]) -> str:
    parts = [line[0]["text"]]
    for before, char in itertools.pairwise(line):
        gap = char["x0"] - before["x1"]
        if gap > char["size"] * 0.25 and " " not in (before["text"], char["text"]):
            parts.append(" ")
        parts.append(char["text"])
    return "".join(parts).strip()


def _first_word_width(line: list[dict]) -> float:
    """Width of what would have had to fit on the line before: one wide character, or a word."""
    first = line[0]
    if _is_wide(first["text"]):
        return first["x1"] - first["x0"]
    end = first
    for char in line:
        if char["text"].isspace() or _is_wide(char["text"]):
            break
        end = char
    return end["x1"] - first["x0"]


def cell_text(chars: list[dict], left: float, right: float) -> str:
    """A cell's text: wrapped lines joined, real line breaks kept."""
    lines = [line for line in _lines(chars) if _line_text(line)]
    if not lines:
        return ""
    padding = max(min(line[0]["x0"] for line in lines) - left, 0)
    text = _line_text(lines[0])
    item = _item_number(text)
    for before, line in itertools.pairwise(lines):
        room = right - padding - max(char["x1"] for char in before)
        following = _line_text(line)
        next_item = _item_number(following)
        if item is not None and next_item == item + 1:  # "1.58.2kg" over "2.28.6km/h"
            text += "\n" + following
            item = next_item
        elif room < _first_word_width(line):
            # A word wraps at a space, unless it alone was wider than the cell: then it was
            # cut where the line was full, with no room left for one more character.
            first = line[0]
            cut = room < first["x1"] - first["x0"]
            between = not cut and _latin(text[-1]) and _latin(following[0])
            text += (" " if between else "") + following
        else:
            text += "\n" + following
            item = next_item
    return text


def _middle(char: dict) -> float:
    return (char["x0"] + char["x1"]) / 2


def _height(char: dict) -> float:
    """Where a character sits vertically: its middle."""
    return (char["top"] + char["bottom"]) / 2


def _table_rows(table, chars: list[dict]) -> list[list[str]]:
    """The table's rows as grid cells; a merged cell's text goes to its top-left position."""
    cells = table.cells
    x0, top, x1, bottom = table.bbox
    chars = [
        char
        for char in chars
        if x0 <= (char["x0"] + char["x1"]) / 2 <= x1
        and top <= (char["top"] + char["bottom"]) / 2 <= bottom
    ]
    tops = sorted({cell[1] for cell in cells})
    lefts = sorted({cell[0] for cell in cells})
    owner: dict[tuple[int, int], int] = {}
    for index, (x0, top, x1, bottom) in enumerate(cells):
        for r in range(bisect_left(tops, top), bisect_left(tops, bottom - 0.5)):
            for c in range(bisect_left(lefts, x0), bisect_left(lefts, x1 - 0.5)):
                owner.setdefault((r, c), index)
    inside: dict[int, list[dict]] = {}
    for char in chars:
        r = bisect_right(tops, _height(char)) - 1
        c = bisect_right(lefts, _middle(char)) - 1
        index = owner.get((r, c))
        if index is not None:
            inside.setdefault(index, []).append(char)
    rows = [[""] * len(lefts) for _ in tops]
    for index, (x0, top, x1, _bottom) in enumerate(cells):
        if index in inside:
            rows[tops.index(top)][lefts.index(x0)] = cell_text(inside[index], x0, x1)
    return rows


def _page_count(document) -> int:
    from pdfminer.pdftypes import resolve1

    pages = resolve1(document.catalog.get("Pages"))
    return int(resolve1(pages.get("Count", 0))) if isinstance(pages, dict) else 0


def open_pdf(file: BinaryIO) -> Source:
    import pdfplumber
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException
    from pdfplumber.page import Page

    failures = (PDFSyntaxError, PSException, ValueError, KeyError, TypeError, AttributeError)
    try:
        pdf = pdfplumber.open(file)
        pages = _page_count(pdf.doc)
    except Exception as exc:  # pdfminer raises many kinds for damaged or encrypted files
        raise malformed(exc, None, _WHAT) from exc
    if pages > MAX_PAGES or pages == 0:
        pdf.close()
        if pages:
            raise _too_many_pages(pages)
        raise not_a_spreadsheet("没有页面的 PDF 文件", "a PDF without pages")

    def rows() -> Iterator[Row]:
        number = 0
        text_seen = False
        objects = itertools.islice(PDFPage.create_pages(pdf.doc), MAX_PAGES + 1)
        try:
            for page_number, page_object in enumerate(objects, start=1):
                if page_number > MAX_PAGES:  # the page tree has more pages than it declared
                    raise _too_many_pages(page_number)
                page = Page(pdf, page_object, page_number=page_number, initial_doctop=0)
                chars = page.chars
                text_seen = text_seen or any(not char["text"].isspace() for char in chars)
                if not text_seen and page_number >= 3:
                    raise _scanned()
                tables = sorted(page.find_tables(), key=lambda table: table.bbox[1])
                found = [row for table in tables for row in _table_rows(table, chars)]
                page.close()
                if not number and not found and page_number >= PAGES_BEFORE_A_TABLE:
                    raise _no_table(page_number)
                for cells in found:
                    number += 1
                    yield number, cells
        except SpreadsheetError:
            raise
        except failures as exc:
            raise malformed(exc, number or None, _WHAT) from exc
        if not number:
            raise _no_table(pages) if text_seen else _scanned()

    return Source("pdf", rows(), None, close=pdf.close)
