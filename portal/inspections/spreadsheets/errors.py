"""The two kinds of problem a spot-check spreadsheet can have, each told in Chinese and English.

A `SpreadsheetError` stops the whole file (it cannot be read at all). `CellError`s are collected
row by row, so that an uploader sees every problem of a file at once instead of fixing them one
upload at a time; the import refuses a file that has any.
"""

from __future__ import annotations

from dataclasses import dataclass

_PREVIEW = 60


def preview(value: str) -> str:
    """A value short enough to quote in a message; the full value stays in `CellError.value`."""
    value = value.replace("\n", " ")
    return value if len(value) <= _PREVIEW else value[: _PREVIEW - 1] + "…"


class SpreadsheetError(Exception):
    """A file-level problem: nothing in the file can be imported."""

    def __init__(
        self,
        code: str,
        message_zh: str,
        message_en: str,
        *,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        super().__init__(f"{message_zh} / {message_en}")
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en
        self.row = row
        self.column = column

    def __str__(self) -> str:
        return f"{self.message_zh} / {self.message_en}"

    def __repr__(self) -> str:
        return f"SpreadsheetError({self.code!r}, row={self.row!r}, column={self.column!r})"


@dataclass(frozen=True)
class CellError:
    """A row-level problem, located as the uploader sees it: Excel row number, published header."""

    row: int
    column: str
    value: str
    code: str
    reason_zh: str
    reason_en: str

    @property
    def message_zh(self) -> str:
        where = f"第{self.row}行"
        if self.column:
            where += f"“{self.column}”列"
        if self.value:
            where += f"（值“{preview(self.value)}”）"
        return f"{where}：{self.reason_zh}"

    @property
    def message_en(self) -> str:
        where = f"Row {self.row}"
        if self.column:
            where += f", column “{self.column}”"
        if self.value:
            where += f" (value “{preview(self.value)}”)"
        return f"{where}: {self.reason_en}"

    def __str__(self) -> str:
        return f"{self.message_zh} / {self.message_en}"


_WARNINGS = {
    "not_agency": (
        "不像检验机构名称（可能是核查说明或错列的内容），未作为检验机构登记，原文保留在其他列中",
        "does not name a testing body (perhaps a verification note or a misplaced value); "
        "not recorded as an agency, the text is kept with the other columns",
    ),
    "organisation_as_product": (
        "产品名称像是机构或企业名称，可能错列",
        "the product name looks like the name of an organisation; the columns may be shifted",
    ),
    "product_as_enterprise": (
        "企业名称不像企业名称（可能是产品名称），可能错列",
        "the enterprise name does not look like one (perhaps a product name); "
        "the columns may be shifted",
    ),
    "date_after_year": (
        "日期晚于抽查年度",
        "the date is after the year of the check",
    ),
    "date_outside_year": (
        "抽样日期不在抽查年度内",
        "the sampling date is outside the year of the check",
    ),
    "pass_with_items": (
        "结论为合格，但列有不合格项目",
        "the verdict is a pass, yet failed items are listed",
    ),
    "fail_without_items": (
        "结论为不合格，但不合格项目为空",
        "the verdict is a fail, yet no failed item is listed",
    ),
}


def warning(row: int, column: str, value: str, code: str) -> CellError:
    """A problem that does not stop the import (`_WARNINGS`), told in both languages."""
    return CellError(row, column, value, code, *_WARNINGS[code])
