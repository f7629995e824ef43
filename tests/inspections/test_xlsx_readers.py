"""XLSX is read with calamine unless a formula or a percent format needs openpyxl; both readers
give the same rows (decision 0031)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from portal.inspections.spreadsheets import parse_spreadsheet, xlsx

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "spreadsheets"
HEADER = ["序号", "产品名称", "标称生产企业名称", "检验结果", "检验机构"]


def rows_of(source) -> list[tuple[int, list[str]]]:
    """The rows with text, trailing empty cells dropped (the readers pad differently)."""
    rows = []
    for number, cells in source.rows:
        while cells and not cells[-1]:
            cells = cells[:-1]
        if cells:
            rows.append((number, cells))
    source.close()
    source.close()  # the parse and the import both close it
    return rows


def workbook(fill) -> bytes:
    book = Workbook()
    fill(book.active)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "reader"),
    [
        ("barcodes.xlsx", "calamine"),
        ("two_row_header.xlsx", "calamine"),
        ("merged_title.xlsx", "openpyxl"),  # 0.35 formatted as a percent
        ("formulas.xlsx", "openpyxl"),
    ],
)
def test_each_fixture_goes_to_the_reader_that_reads_it_right(name, reader):
    data = (FIXTURES / name).read_bytes()
    assert xlsx._needs_openpyxl(io.BytesIO(data)) == (reader == "openpyxl")
    if reader == "calamine":
        fast = rows_of(xlsx._open_with_calamine(io.BytesIO(data)))
        assert fast == rows_of(xlsx._open_with_openpyxl(io.BytesIO(data)))
        assert len(fast) > 3


def test_a_table_away_from_a1_keeps_excel_row_numbers_and_columns_dates_and_numbers():
    from datetime import date

    def fill(sheet):
        sheet["C3"] = "2019年抽查结果"
        for column, text in enumerate(HEADER, start=2):
            sheet.cell(row=5, column=column, value=text)
        for column, value in enumerate(
            [1, "学生书包", "上海某某文具有限公司", 62.5, "上海市质检院"], start=2
        ):
            sheet.cell(row=6, column=column, value=value)
        sheet["G6"] = date(2019, 11, 5)

    data = workbook(fill)
    assert not xlsx._needs_openpyxl(io.BytesIO(data))
    rows = rows_of(xlsx._open_with_calamine(io.BytesIO(data)))
    assert rows == rows_of(xlsx._open_with_openpyxl(io.BytesIO(data)))
    assert rows[0] == (3, ["", "", "2019年抽查结果"])
    assert rows[-1] == (
        6,
        ["", "1", "学生书包", "上海某某文具有限公司", "62.5", "上海市质检院", "2019-11-05"],
    )


def test_a_formula_cell_is_refused_although_calamine_would_read_it_as_empty():
    def fill(sheet):
        sheet.append(HEADER)
        sheet.append([1, "学生书包", "上海某某文具有限公司", "=1+1", "上海市质检院"])

    data = workbook(fill)
    assert xlsx._needs_openpyxl(io.BytesIO(data))
    sheet = parse_spreadsheet(io.BytesIO(data), "结果.xlsx")
    (sample,) = list(sheet.samples())
    assert [(e.code, e.value) for e in sample.errors] == [("formula", "=1+1")]


def test_a_percent_cell_reads_as_excel_shows_it():
    def fill(sheet):
        sheet.append(HEADER)
        sheet.append([1, "儿童雨衣", "浙江某某雨具有限公司", 0.0035, "上海市质检院"])
        sheet["D2"].number_format = "0.00%"

    data = workbook(fill)
    assert xlsx._needs_openpyxl(io.BytesIO(data))
    (row,) = rows_of(xlsx.open_xlsx(io.BytesIO(data)))[1:]
    assert row[1][3] == "0.35%"
