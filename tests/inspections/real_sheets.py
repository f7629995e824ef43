"""Sheets written the way real publishers write them, generated with openpyxl for the tests:
a merged title row, a two-word header, merged cells over the rows of one sample, notes in odd
columns, full-width punctuation, blank sample rows left by an export and links to notices."""

from __future__ import annotations

import io

from openpyxl import Workbook

from portal.inspections.spreadsheets import parse_spreadsheet

TITLE = "2019年国家监督抽查产品质量不合格及企业名单"
HEADER = [
    "序号",
    "产品名称",
    "标称生产企业名称",
    "受检单位名称",
    "规格型号",
    "生产日期/批号",
    "出厂编号",
    "不合格项目",
    "检验结果",
    "标准值",
    "检验机构",
    "抽查结果",
    "公告链接",
    "备注",
]
NOTICE_A = "http://www.samr.gov.cn/zljds/zlgg/201907/t20190712_303456.html"
NOTICE_B = "http://www.samr.gov.cn/zljds/zlgg/201911/t20191120_308812.html"
INSTITUTE = "国家日用金属制品质量监督检验中心"


def row(**cells: object) -> list[object]:
    """A data row by header name; unnamed cells stay empty (None, as openpyxl reads them)."""
    return [cells.get(name) for name in HEADER]


def xlsx(rows: list[list[object]], *, header: list[str] = HEADER, merge_rows=()) -> bytes:
    """An .xlsx with a merged title row, the header, the rows; `merge_rows` are (first, last)
    data-row indexes whose identity columns are merged, as publishers merge one sample."""
    book = Workbook()
    sheet = book.active
    sheet.append([TITLE])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append(header)
    for values in rows:
        sheet.append(values)
    for first, last in merge_rows:
        for column in range(1, 7):
            sheet.merge_cells(
                start_row=first + 3, start_column=column, end_row=last + 3, end_column=column
            )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def parsed(data: bytes, name: str = "2019年国抽结果.xlsx"):
    sheet = parse_spreadsheet(io.BytesIO(data), name)
    return sheet, list(sheet.samples())
