"""What every format reader returns (a `Source` of numbered rows) and the file-level refusals
they share, so that a PDF and a CSV are refused in the same words."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .errors import SpreadsheetError

Row = tuple[int, list[str]]

ACCEPTED_ZH = ".xlsx、.xls、CSV、Word（.docx）或带文字层的 PDF"
ACCEPTED_EN = ".xlsx, .xls, CSV, Word (.docx) or a PDF with a text layer"


@dataclass
class Source:
    """Rows of the first worksheet, the CSV or the document's tables, numbered from 1 as the
    reader counts them (Excel's row numbers; for documents, table rows in reading order)."""

    format: str
    rows: Iterator[Row]
    lines: int | None
    encoding: str | None = None
    delimiter: str | None = None
    close: Callable[[], None] = lambda: None
    count: Callable[[], int] | None = None


def not_a_spreadsheet(what_zh: str, what_en: str) -> SpreadsheetError:
    return SpreadsheetError(
        "not_a_spreadsheet",
        f"上传的文件是{what_zh}，不是可以导入的表格；"
        "请在 Excel 或 WPS 中另存为 .xlsx 或 CSV 后再上传"
        f"（可导入的格式：{ACCEPTED_ZH}）",
        f"The upload is {what_en}, not a spreadsheet that can be imported; save it as .xlsx or "
        f"CSV in Excel or WPS and upload again (accepted: {ACCEPTED_EN})",
    )


def macros() -> SpreadsheetError:
    """Macros are never run, but a file carrying them is refused rather than passed on."""
    return SpreadsheetError(
        "macros",
        "文件含有宏（VBA），为安全起见不予导入；请在 Excel、WPS 或 Word 中另存为不含宏的 "
        ".xlsx 或 .docx 后再上传",
        "The file contains macros (VBA) and is refused for safety; save it in Excel, WPS or "
        "Word as a macro-free .xlsx or .docx and upload again",
    )


def empty() -> SpreadsheetError:
    return SpreadsheetError("empty", "文件是空的", "The file is empty")


def too_large(max_bytes: int) -> SpreadsheetError:
    limit = f"{max_bytes / 1024 / 1024:g} MB"
    return SpreadsheetError(
        "too_large",
        f"文件超过{limit}的上限；请拆分成几个文件分别上传",
        f"The file is larger than the {limit} limit; split it into several files",
    )


def malformed(
    exc: Exception, row: int | None = None, what: tuple[str, str] = ("工作簿", "workbook")
) -> SpreadsheetError:
    where_zh = f"第{row}行附近" if row else ""
    where_en = f" near row {row}" if row else ""
    what_zh, what_en = what
    return SpreadsheetError(
        "malformed",
        f"{what_zh}{where_zh}已损坏，无法读取（{type(exc).__name__}）；"
        "请在 Excel、WPS 或 Word 中打开并重新保存",
        f"The {what_en} is damaged{where_en} and cannot be read ({type(exc).__name__}); open it "
        "in Excel, WPS or Word and save it again",
        row=row,
    )
