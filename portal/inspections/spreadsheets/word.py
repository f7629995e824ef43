"""Word documents (.docx): the rows of every table, in document order.

The document part is parsed incrementally (ElementTree's iterparse) and each row is dropped once
read, so a 100,000-row table costs no more memory than a short one; python-docx would build the
whole tree first. Paragraphs outside tables (the notice's title and text) are not rows. Merged
cells read like Excel's: the text in the first cell, the cells it covers empty. A cell's
paragraphs and line breaks become line breaks. A table inside a table cell is refused: its
rows cannot be told apart from the outer table's.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from typing import BinaryIO
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from .errors import SpreadsheetError
from .sources import Row, Source, malformed, not_a_spreadsheet

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_TBL, _TR, _TC, _P = f"{_W}tbl", f"{_W}tr", f"{_W}tc", f"{_W}p"
_TEXT = {f"{_W}t": None, f"{_W}tab": " ", f"{_W}br": "\n", f"{_W}cr": "\n"}
_DOCUMENT = "word/document.xml"


def _nested_table(row: int) -> SpreadsheetError:
    return SpreadsheetError(
        "nested_table",
        f"Word 文档第{row}行的单元格里嵌套了表格，无法按行读取；请把嵌套表格的内容改为普通"
        "单元格文字（或另存为 .xlsx）后再上传",
        f"A cell in row {row} of the Word document holds another table, which cannot be read "
        "row by row; replace the inner table with plain cell text (or save as .xlsx) and "
        "upload again",
        row=row,
    )


def _paragraph_text(element: Element) -> str:
    """Text runs, tabs and breaks in document order; a text box's fallback copy is skipped."""
    parts: list[str] = []
    for child in element:
        if child.tag == _FALLBACK:
            continue
        if child.tag in _TEXT:
            parts.append(child.text or "" if _TEXT[child.tag] is None else _TEXT[child.tag])
        else:
            parts.append(_paragraph_text(child))
    return "".join(parts)


def _cells(tc: Element) -> list[str]:
    """One table cell as the grid cells it covers: its text, then "" for each spanned column."""
    properties = tc.find(f"{_W}tcPr")
    span, continued = 1, False
    if properties is not None:
        grid_span = properties.find(f"{_W}gridSpan")
        if grid_span is not None:
            span = max(int(grid_span.get(f"{_W}val", "1") or 1), 1)
        merge = properties.find(f"{_W}vMerge")
        continued = merge is not None and merge.get(f"{_W}val", "continue") == "continue"
    text = "" if continued else "\n".join(_paragraph_text(p) for p in tc.iter(_P))
    return [text, *[""] * (span - 1)]


def _skipped_columns(tr: Element) -> int:
    properties = tr.find(f"{_W}trPr")
    before = properties.find(f"{_W}gridBefore") if properties is not None else None
    return int(before.get(f"{_W}val", "0") or 0) if before is not None else 0


def _forget(table: Element, row: Element) -> None:
    """Drop a row once read, so memory stays flat (one wrapped in a content control is only
    emptied)."""
    try:
        table.remove(row)
    except ValueError:
        row.clear()


def _rows(archive: zipfile.ZipFile) -> Iterator[Row]:
    number = 0
    tables: list[Element] = []
    try:
        with archive.open(_DOCUMENT) as part:
            for event, element in iterparse(part, events=("start", "end")):
                if element.tag != _TBL and not (event == "end" and element.tag in (_TR, _P)):
                    continue
                if element.tag == _TBL:
                    if event == "start":
                        if tables:
                            raise _nested_table(number + 1)
                        tables.append(element)
                    else:
                        tables.pop()
                        element.clear()
                elif element.tag == _TR and tables:
                    cells = [""] * _skipped_columns(element)
                    for tc in element.iter(_TC):  # also cells inside content controls
                        cells.extend(_cells(tc))
                    number += 1
                    _forget(tables[-1], element)
                    yield number, cells
                elif not tables:
                    element.clear()  # a paragraph outside any table: the notice's text
    except (
        ParseError,
        DefusedXmlException,
        zipfile.BadZipFile,
        OSError,
        EOFError,
        ValueError,
    ) as exc:
        raise malformed(exc, number or None, ("Word 文档", "Word document")) from exc
    if number == 0:
        raise not_a_spreadsheet("没有表格的 Word 文档", "a Word document without a table")


def _count_rows(archive: zipfile.ZipFile) -> int:
    """Table rows by their start tags, for progress: one pass over the bytes, no parsing."""
    total, carry = 0, b""
    with archive.open(_DOCUMENT) as part:
        while chunk := part.read(1 << 20):
            data = carry + chunk
            total += data.count(b"<w:tr>") + data.count(b"<w:tr ")
            carry = data[-5:]  # shorter than a tag: never counted twice
    return total


def open_docx(file: BinaryIO) -> Source:
    archive = zipfile.ZipFile(file)  # already opened once by zip_kind, so it is a valid zip

    def count() -> int:
        try:
            return _count_rows(archive)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise malformed(exc, None, ("Word 文档", "Word document")) from exc

    return Source("docx", _rows(archive), None, close=archive.close, count=count)
