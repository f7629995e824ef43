"""The errors of the fixture spreadsheets: row-level (duplicates, credit codes) and file-level
(missing column, not a spreadsheet, empty, badly encoded)."""

from __future__ import annotations

import pytest

from portal.inspections.spreadsheets import FailedItemData, SpreadsheetError, parse_spreadsheet
from tests.inspections.spreadsheet_files import FIXTURES, code, parse, parse_error

# -- row-level errors ------------------------------------------------------------------------


def test_duplicate_rows_are_reported_with_the_earlier_row():
    _sheet, samples = parse("duplicate_rows.csv")
    assert [sample.rows for sample in samples] == [[2], [3], [5], [6, 7], [8, 9]]
    errors = [error for sample in samples for error in sample.errors]
    assert [(e.row, e.column, e.code, e.reason_zh, e.reason_en) for e in errors] == [
        (4, "", "duplicate_row", "与第3行重复", "duplicate of row 3"),
        (5, "", "duplicate_row", "与第2行重复", "duplicate of row 2"),
    ]
    assert errors[0].value == "2 | 学生书包 | 浙江某某箱包有限公司 | 上海某某文具店 | 大号 | 合格"
    assert errors[0].message_zh == (
        "第4行（值“2 | 学生书包 | 浙江某某箱包有限公司 | 上海某某文具店 | 大号 | 合格”）："
        "与第3行重复"
    )
    # The same item under two different samples (rows 7 and 9) is not a duplicate.
    assert samples[4].failed_items[1] == FailedItemData("pH值", "9.0", "4.0~8.5", "")


def test_invalid_credit_codes_name_row_column_and_value():
    _sheet, samples = parse("invalid_uscc.csv")
    valid = code("91310115MA1H00007")
    mistyped = valid[:-1] + ("1" if valid[-1] != "1" else "2")
    assert samples[0].values["producer_uscc"] == code("91310117MA1FL0001")
    assert samples[0].errors == []
    errors = [error for sample in samples for error in sample.errors]
    assert [(e.row, e.column, e.value, e.code) for e in errors] == [
        (3, "生产企业统一社会信用代码", mistyped, "invalid_uscc"),
        (3, "受检单位统一社会信用代码", "91310101MA1FP000", "invalid_uscc"),
        (4, "生产企业统一社会信用代码", "9.13101E+17", "invalid_uscc"),
        (
            4,
            "受检单位统一社会信用代码",
            code("91310101MA1FP0002").replace("MA1", "MAI"),
            "invalid_uscc",
        ),
    ]
    assert (
        errors[0].reason_zh
        == f"统一社会信用代码校验位错误：按前17位应为“{valid[-1]}”，而不是“{mistyped[-1]}”"
    )
    assert errors[1].reason_en == "a credit code has 18 characters, this one has 16"
    assert str(errors[1]) == (
        "第3行“受检单位统一社会信用代码”列（值“91310101MA1FP000”）：统一社会信用代码应为18位，这里是16位"
        " / Row 3, column “受检单位统一社会信用代码” (value “91310101MA1FP000”): "
        "a credit code has 18 characters, this one has 16"
    )


# -- file-level errors -----------------------------------------------------------------------


def test_missing_required_column_is_named_in_both_languages():
    error = parse_error("missing_column.csv")
    assert (error.code, error.row, error.column) == ("missing_column", 2, "producer_name")
    assert error.message_zh.startswith(
        "缺少必需的列：“标称生产企业名称”（第2行像是表头，但没有这一列）"
    )
    assert error.message_en.startswith(
        "Missing required column: nominal producer (row 2 looks like the header but lacks it)"
    )
    assert str(error) == f"{error.message_zh} / {error.message_en}"


@pytest.mark.parametrize(
    ("name", "what"),
    [
        ("notice.pdf", "a PDF without pages"),
        ("photo.png", "a PNG image"),
        ("random.bin", "a binary file"),
        ("html_export.xls", "a web page (HTML) or XML file"),
        ("archive.zip", "a zip archive"),
    ],
)
def test_files_that_are_not_spreadsheets(name, what):
    error = parse_error(name)
    assert error.code == "not_a_spreadsheet"
    assert error.message_en.startswith(f"The upload is {what}")
    assert "另存为 .xlsx 或 CSV" in error.message_zh


def test_an_ole_file_that_is_not_a_readable_workbook_is_refused():
    error = parse_error("legacy.xls")
    assert error.code == "malformed"
    assert error.message_en.startswith("This .xls workbook cannot be read")
    assert "另存为 .xlsx" in error.message_zh


@pytest.mark.parametrize(
    ("name", "code_", "row"),
    [("empty.csv", "empty", None), ("header_only.csv", "empty", 2)],
)
def test_empty_files(name, code_, row):
    error = parse_error(name)
    assert (error.code, error.row) == (code_, row)


def test_mixed_encoding_fails_lazily_at_the_row():
    with (FIXTURES / "mixed_encoding.csv").open("rb") as file:
        sheet = parse_spreadsheet(file, "mixed_encoding.csv")
        samples = sheet.samples()
        assert [next(samples).rows, next(samples).rows] == [[3], [4]]
        with pytest.raises(SpreadsheetError) as caught:
            next(samples)
    error = caught.value
    assert (error.code, error.row) == ("encoding", 6)
    assert error.message_en.startswith("Row 6 cannot be decoded as UTF-8 (bytes B5 E7 CF DF)")


def test_a_utf8_row_in_a_gbk_file_is_refused_instead_of_garbled():
    error = parse_error("mixed_gbk_utf8.csv")
    assert (error.code, error.row) == ("encoding", 4)
    assert error.message_en.startswith("Row 4 is UTF-8 while the rest of the file is GB18030/GBK")
