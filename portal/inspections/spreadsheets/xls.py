"""Legacy Excel workbooks (.xls, BIFF8 in an OLE compound file), read with xlrd.

xlrd parses a whole sheet at once, but a BIFF8 sheet holds at most 65,536 rows and the upload
size limit applies first, so memory stays bounded. Formulas are read as the values Excel last
computed (xlrd cannot see their source); a formula *text* in a cell is still caught later.
A workbook carrying VBA macros is refused, not read: macros are never run here, but a file
that carries them is not what an authority publishes, and an editor should not pass it on.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from .errors import SpreadsheetError
from .sources import Row, Source, empty, macros, not_a_spreadsheet
from .xlsx import render

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# OLE storages that hold VBA macros in Excel (and Word) files, compared in upper case.
_MACRO_STORAGES = frozenset({"_VBA_PROJECT_CUR", "_VBA_PROJECT", "VBA", "MACROS"})


def _entries(data: bytes) -> set[str]:
    """The names in the compound file's directory (streams and storages)."""
    from xlrd.compdoc import CompDoc

    document = CompDoc(data, logfile=_Silent())
    return {entry.name.upper() for entry in document.dirlist}


class _Silent:
    """xlrd writes warnings to a log file; an upload's oddities are reported by our messages."""

    def write(self, _text: str) -> None:
        pass


def _refuse_other_ole(entries: set[str]) -> None:
    if entries & _MACRO_STORAGES:
        raise macros()
    if "WORDDOCUMENT" in entries:
        raise not_a_spreadsheet("旧版 Word 文档（.doc）", "a legacy Word document (.doc)")
    if "WORKBOOK" not in entries and "BOOK" not in entries:
        raise not_a_spreadsheet("不含工作簿的 OLE 文件", "an OLE file without a workbook")


def _unreadable(exc: Exception) -> SpreadsheetError:
    return SpreadsheetError(
        "malformed",
        f"无法读取这个 .xls 工作簿（{exc}）；请在 Excel 或 WPS 中打开并另存为 .xlsx 后再上传",
        f"This .xls workbook cannot be read ({exc}); open it in Excel or WPS, save it as .xlsx "
        "and upload again",
    )


def open_xls(file: BinaryIO) -> Source:
    import xlrd
    from xlrd.compdoc import CompDocError

    data = file.read()
    file.seek(0)
    try:
        _refuse_other_ole(_entries(data))
        book = xlrd.open_workbook(file_contents=data, on_demand=True, logfile=_Silent())
    except (xlrd.XLRDError, CompDocError, AssertionError, IndexError, ValueError) as exc:
        # xlrd signals damaged or encrypted files with these; none is worth a 500.
        raise _unreadable(exc) from exc
    if book.nsheets == 0:
        book.release_resources()
        raise empty()
    try:
        sheet = book.sheet_by_index(0)
    except (xlrd.XLRDError, AssertionError, IndexError, ValueError) as exc:
        book.release_resources()
        raise _unreadable(exc) from exc
    del data

    def text(cell) -> str:
        if cell.ctype == xlrd.XL_CELL_DATE:
            try:
                return render(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
            except (ValueError, OverflowError):
                return render(cell.value)
        if cell.ctype == xlrd.XL_CELL_BOOLEAN:
            return render(bool(cell.value))
        if cell.ctype == xlrd.XL_CELL_ERROR:
            return xlrd.error_text_from_code.get(cell.value, "#ERROR")
        return render(cell.value)

    def rows() -> Iterator[Row]:
        for index in range(sheet.nrows):
            yield index + 1, [text(cell) for cell in sheet.row(index)]

    return Source("xls", rows(), sheet.nrows, close=book.release_resources)
