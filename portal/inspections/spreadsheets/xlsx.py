"""XLSX workbooks: read with calamine (Rust, python-calamine) when the workbook has no formula
and no percent format, else streamed with openpyxl in read-only mode, which sees formulas' source
and number formats (decision 0031). `render` turns a cell value into the text a reader sees
(shared with the .xls reader). Whether the zip is safe to open is decided before, by
`zips.zip_kind`.
"""

from __future__ import annotations

import contextlib
import re
import warnings
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import BinaryIO

from .sources import Row, Source, empty, malformed, not_a_spreadsheet


def _render_number(value: float, number_format: str) -> str:
    if "%" in number_format:
        return f"{value * 100:.15g}%"
    if isinstance(value, int):
        return str(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.15g}"


def render(value: object, data_type: str = "n", number_format: str = "General") -> str:
    """A cell value as the text a reader sees: 5 not "5.0", dates as 2019-01-25, formulas as
    their "=…" source (so they are caught, not evaluated)."""
    if value is None:
        return ""
    if data_type == "f" and not isinstance(value, str):
        return "=" + str(getattr(value, "text", "") or "").lstrip("=")
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, int | float):
        return _render_number(value, number_format)
    return str(value)


def open_xlsx(file: BinaryIO) -> Source:
    if _needs_openpyxl(file):
        return _open_with_openpyxl(file)
    return _open_with_calamine(file)


# A formula element (<f>, <f t="shared" …/>, <x:f>) in a worksheet part.
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
# A percent number format: built-in 9 (0%) and 10 (0.00%), or a custom code with "%".
_PERCENT = re.compile(rb'numFmtId="(?:9|10)"|formatCode="[^"]*%')
_CHUNK = 1 << 20


def _needs_openpyxl(file: BinaryIO) -> bool:
    """Whether a worksheet holds a formula or the styles a percent format, which calamine
    cannot tell apart from values: its formula's source must be refused (not its last result),
    and 0.35 formatted as a percent reads "35%". A scan of the unpacked parts, without parsing."""
    try:
        with zipfile.ZipFile(file) as archive:
            for member in archive.infolist():
                name = member.filename
                if name == "xl/styles.xml":
                    if _PERCENT.search(archive.read(member)):
                        return True
                elif name.startswith("xl/worksheets/") and _holds(archive, member, _FORMULA):
                    return True
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return True  # openpyxl names the damage
    finally:
        file.seek(0)
    return False


def _holds(archive: zipfile.ZipFile, member: zipfile.ZipInfo, pattern: re.Pattern) -> bool:
    """Whether the unpacked member matches, read a chunk at a time (overlapping the seams)."""
    tail = b""
    with archive.open(member) as part:
        while chunk := part.read(_CHUNK):
            if pattern.search(tail + chunk):
                return True
            tail = chunk[-64:]
    return False


def _open_with_calamine(file: BinaryIO) -> Source:
    from python_calamine import CalamineWorkbook, SheetTypeEnum, WorkbookClosed

    try:
        workbook = CalamineWorkbook.from_filelike(file)
    except Exception as exc:  # calamine raises several types for a file that is not a workbook
        raise not_a_spreadsheet("无法读取的工作簿", "an unreadable workbook") from exc
    worksheets = [m for m in workbook.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
    if not worksheets:
        workbook.close()
        raise empty()
    try:
        sheet = workbook.get_sheet_by_name(worksheets[0].name)
    except Exception as exc:  # a damaged sheet part
        workbook.close()
        raise malformed(exc) from exc
    # calamine's rows start at row 1, its columns at the first one used.
    padding = [""] * (sheet.start or (0, 0))[1]
    lines = sheet.end[0] + 1 if sheet.end else 0

    def rows() -> Iterator[Row]:
        for number, values in enumerate(sheet.iter_rows(), start=1):
            yield number, padding + [render(value) for value in values]

    def close() -> None:
        """Idempotent, as openpyxl's: the parse and the import both close their source."""
        with contextlib.suppress(WorkbookClosed):
            workbook.close()

    return Source("xlsx", rows(), lines, close=close)


def _open_with_openpyxl(file: BinaryIO) -> Source:
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(file, read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
        raise not_a_spreadsheet("无法读取的工作簿", "an unreadable workbook") from exc
    if not workbook.worksheets:
        workbook.close()
        raise empty()
    sheet = workbook.worksheets[0]
    lines = sheet.max_row
    # Dimensions written by some tools are wrong; stream every row the sheet really has.
    sheet.reset_dimensions()

    def rows() -> Iterator[Row]:
        number = 0
        cells_of = sheet.iter_rows()
        while True:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    cells = next(cells_of)
                number += 1
                texts = [
                    render(
                        cell.value,
                        getattr(cell, "data_type", "n"),
                        cell.number_format if isinstance(cell.value, int | float) else "General",
                    )
                    for cell in cells
                ]
            except StopIteration:
                return
            except Exception as exc:  # a damaged sheet part fails inside openpyxl or zipfile
                raise malformed(exc, number or None) from exc
            yield number, texts

    def count() -> int:
        """Rows of a sheet written without (or with wrong) dimensions: one more streaming pass."""
        total = 0
        try:
            for _cells in sheet.iter_rows(values_only=True):
                total += 1
        except Exception as exc:  # same as above: damage found while counting
            raise malformed(exc) from exc
        return total

    return Source("xlsx", rows(), lines, close=workbook.close, count=count)
