"""Formats, encodings, sizes, streaming and row grouping, on files built inside each test."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from portal.inspections.spreadsheets import CellError, SpreadsheetError, parse_spreadsheet

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "spreadsheets"
HEADER = "序号,产品名称,标称生产企业名称,受检单位名称,不合格项目,实测值,抽查结果\n"


def sheet_of(text: str, name: str = "结果.csv", encoding: str = "utf-8", **kwargs):
    return parse_spreadsheet(io.BytesIO(text.encode(encoding)), name, **kwargs)


def samples_of(text: str, **kwargs):
    return list(sheet_of(text, **kwargs).samples())


def error_of(data: bytes, name: str = "结果.csv", **kwargs) -> SpreadsheetError:
    with pytest.raises(SpreadsheetError) as caught:
        list(parse_spreadsheet(io.BytesIO(data), name, **kwargs).samples())
    return caught.value


class StreamOnly(io.RawIOBase):
    """An upload that can only be read forward, like a request body."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def readinto(self, buffer) -> int:
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


class CountingReads(io.BytesIO):
    reads = 0

    def read(self, size: int | None = -1) -> bytes:
        self.reads += 1
        return super().read(size)


def rewrite_zip(data: bytes, change) -> bytes:
    """A copy of a workbook with some parts changed: change(name, content) -> content."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, change(info.filename, source.read(info.filename)))
    return out.getvalue()


# -- formats ---------------------------------------------------------------------------------


def test_format_is_decided_by_content_not_by_name():
    workbook = (FIXTURES / "merged_title.xlsx").read_bytes()
    text = (FIXTURES / "simplified_utf8.csv").read_bytes()
    assert parse_spreadsheet(io.BytesIO(workbook), "结果.csv").format == "xlsx"
    assert parse_spreadsheet(io.BytesIO(text), "结果.xlsx").format == "csv"
    assert parse_spreadsheet(io.BytesIO(text), "结果.xls").format == "csv"


@pytest.mark.parametrize(
    ("members", "what"),
    [
        (
            {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"},
            "a Word document without a table",
        ),
        (
            {"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"},
            "a PowerPoint presentation",
        ),
        (
            {"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\x00"},
            "an Excel binary workbook",
        ),
        (
            {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"},
            "an OpenDocument file",
        ),
        (
            {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"not xml"},
            "an unreadable workbook",
        ),
    ],
)
def test_zips_that_are_not_workbooks(members, what):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as target:
        for name, content in members.items():
            target.writestr(name, content)
    error = error_of(archive.getvalue(), "结果.xlsx")
    assert error.code == "not_a_spreadsheet"
    assert error.message_en.startswith(f"The upload is {what}")


def test_a_truncated_workbook_is_not_a_spreadsheet():
    workbook = (FIXTURES / "merged_title.xlsx").read_bytes()
    assert error_of(workbook[: len(workbook) // 2], "结果.xlsx").code == "not_a_spreadsheet"


def test_a_damaged_sheet_inside_a_workbook_is_malformed():
    workbook = (FIXTURES / "merged_title.xlsx").read_bytes()
    damaged = rewrite_zip(
        workbook,
        lambda name, content: content[:400] if name == "xl/worksheets/sheet1.xml" else content,
    )
    error = error_of(damaged, "结果.xlsx")
    assert error.code == "malformed"
    assert error.message_en.startswith("The workbook is damaged")


def test_a_workbook_that_unpacks_to_far_more_than_the_limit_is_too_large():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr("[Content_Types].xml", b"<Types/>")
        target.writestr("xl/workbook.xml", b" " * 3_000_000)
    data = archive.getvalue()
    assert len(data) < 100_000
    error = error_of(data, "bomb.xlsx", max_bytes=100_000)
    assert error.code == "too_large"
    assert "zip bomb" in error.message_en


def test_sheet_dimensions_are_not_trusted():
    workbook = (FIXTURES / "merged_title.xlsx").read_bytes()

    def dimension(ref: bytes):
        def change(name: str, content: bytes) -> bytes:
            if name != "xl/worksheets/sheet1.xml":
                return content
            return re.sub(rb"<dimension [^>]*/>", ref, content)

        return change

    without = parse_spreadsheet(io.BytesIO(rewrite_zip(workbook, dimension(b""))), "a.xlsx")
    assert without.total_rows == 7
    assert [s.rows for s in without.samples()] == [[4, 5, 6], [7], [8]]

    wrong = parse_spreadsheet(
        io.BytesIO(rewrite_zip(workbook, dimension(b'<dimension ref="A1:C4"/>'))), "a.xlsx"
    )
    assert [s.rows for s in wrong.samples()] == [[4, 5, 6], [7], [8]]
    assert wrong.total_rows == wrong.rows_read == 7


# -- size ------------------------------------------------------------------------------------


def test_too_large_is_refused_before_reading_a_byte():
    upload = CountingReads(b"x" * 2000)
    with pytest.raises(SpreadsheetError) as caught:
        parse_spreadsheet(upload, "big.csv", max_bytes=1000)
    assert caught.value.code == "too_large"
    assert upload.reads == 0
    assert caught.value.message_en.startswith("The file is larger than the")


def test_a_stream_that_cannot_seek_is_spooled_and_measured():
    data = (FIXTURES / "gbk_tab.csv").read_bytes()
    sheet = parse_spreadsheet(StreamOnly(data), "结果.csv")
    assert sheet.sha256 == hashlib.sha256(data).hexdigest()
    assert [s.values["sample_name"] for s in sheet.samples()] == ["学生书包", "儿童服装"]
    with pytest.raises(SpreadsheetError) as caught:
        parse_spreadsheet(StreamOnly(data), "结果.csv", max_bytes=len(data) - 1)
    assert caught.value.code == "too_large"


def test_a_file_of_exactly_the_limit_is_accepted():
    data = (FIXTURES / "result_column.csv").read_bytes()
    assert parse_spreadsheet(io.BytesIO(data), "a.csv", max_bytes=len(data)).header_row == 1


# -- encodings -------------------------------------------------------------------------------


def test_utf16_text_is_refused_with_a_hint():
    error = error_of(("\ufeff" + HEADER).encode("utf-16-le"))
    assert error.code == "encoding"
    assert "UTF-16" in error.message_en


def test_a_line_in_no_known_encoding():
    error = error_of(b"2019 title\n" + HEADER.encode() + b"1,\x80\x80,x,y,,,\n")
    assert (error.code, error.row) == ("encoding", 3)


def test_an_undecodable_row_far_into_the_file_is_found_while_streaming(tmp_path):
    path = tmp_path / "long.csv"
    with path.open("wb") as file:
        file.write(HEADER.encode())
        for number in range(1, 20_000):
            file.write(
                f"{number},电线电缆,上海某某电线电缆有限公司{number},上海某某五金店,,,合格\n".encode()
            )
        file.write("20000,电线电缆,上海某某电缆有限公司,上海某某五金店,,,合格\n".encode("gbk"))
    assert path.stat().st_size > 1024 * 1024  # beyond the part read to sniff the encoding
    with path.open("rb") as file:
        sheet = parse_spreadsheet(file, "long.csv")
        count = 0
        with pytest.raises(SpreadsheetError) as caught:
            for _sample in sheet.samples():
                count += 1
    assert (caught.value.code, caught.value.row) == ("encoding", 20_001)
    assert count == 19_998  # the sample of row 20,000 was still open when the error came


def test_a_utf8_row_that_gb18030_would_silently_garble_is_refused():
    line = "2,电线电缆,上海某某电缆有限公司,上海某某五金商店,,,合格\n".encode()
    line.decode("gb18030")  # decodes without error, into nonsense
    data = (
        HEADER.encode("gbk")
        + "1,电线电缆,上海某某电线电缆有限公司,上海某某五金店,,,合格\n".encode("gbk")
        + line
    )
    error = error_of(data)
    assert (error.code, error.row) == ("encoding", 3)


def test_an_oversized_field_is_malformed_csv():
    error = error_of((HEADER + '1,儿童服装,某公司,某店,"' + "x" * 200_000 + '",,合格\n').encode())
    assert (error.code, error.row) == ("malformed", 2)


# -- header ----------------------------------------------------------------------------------


def test_no_header_in_the_first_rows_names_both_required_columns():
    error = error_of(("说明\n" * 60 + HEADER + "1,儿童服装,某公司,某店,,,合格\n").encode())
    assert (error.code, error.row, error.column) == ("missing_column", None, "sample_name")
    assert error.message_zh.startswith("缺少必需的列：“产品名称”、“标称生产企业名称”。")
    assert error.message_en.startswith("Missing required column: product name, nominal producer.")


def test_a_file_of_blank_lines_is_empty():
    assert error_of(b"\r\n,,,\r\n\r\n").code == "empty"


# -- rows ------------------------------------------------------------------------------------


def test_blank_note_total_and_repeated_header_rows_are_skipped():
    samples = samples_of(
        HEADER
        + "1,儿童服装,上海某某童装有限公司,上海某某童装店,,,合格\n"
        + ",,,,,,\n"
        + HEADER
        + "2,学生书包,浙江某某箱包有限公司,上海某某文具店,,,合格\n"
        + "合计：2批次,,,,,,\n"
        + "备注：以上结果仅对样品负责。\n"
        + "注1. 产品名称按标签。\n"
    )
    assert [(s.rows, s.errors) for s in samples] == [([2], []), ([5], [])]


def test_continuation_rows_without_sequence_numbers_merge_into_one_sample():
    samples = samples_of(
        "产品名称,标称生产企业名称,受检单位名称,不合格项目,实测值,抽查结果\n"
        "儿童外套,广州某某服饰有限公司,上海某某商厦,甲醛含量,120mg/kg,不合格\n"
        ",,,pH值,9.0,\n"
        "儿童外套,广州某某服饰有限公司,上海某某商厦,耐磨性能,3000次,不合格\n"
        "儿童裤子,广州某某服饰有限公司,上海某某商厦,/,/,合格\n"
    )
    assert [(s.rows, [i.item for i in s.failed_items], s.outcome) for s in samples] == [
        ([2, 3, 4], ["甲醛含量", "pH值", "耐磨性能"], "fail"),
        ([5], [], "pass"),
    ]


def test_the_same_sample_listed_at_once_under_the_next_number_is_one_result():
    samples = samples_of(
        HEADER
        + "1,儿童服装,上海某某童装有限公司,上海某某童装店,纤维含量,35%,不合格\n"
        + "2,儿童服装,上海某某童装有限公司,上海某某童装店,pH值,9.5,不合格\n"
    )
    assert [s.rows for s in samples] == [[2, 3]]
    assert [i.item for i in samples[0].failed_items] == ["纤维含量", "pH值"]


def test_rows_sharing_a_sequence_number_but_not_a_product_conflict():
    samples = samples_of(
        HEADER
        + "1,儿童服装,上海某某童装有限公司,上海某某童装店,纤维含量,35%,不合格\n"
        + "1,学生书包,上海某某童装有限公司,上海某某童装店,pH值,9.5,不合格\n"
    )
    assert samples[0].rows == [2, 3]
    assert samples[0].errors == [
        CellError(
            3,
            "产品名称",
            "学生书包",
            "conflict",
            "与同一序号（1）的第2行“儿童服装”不一致",
            "differs from “儿童服装” in row 2, which has the same sequence number (1)",
        )
    ]


def test_a_row_without_a_product_name_and_an_unknown_outcome():
    samples = samples_of(
        HEADER
        + "1,儿童服装,上海某某童装有限公司,上海某某童装店,,,待定\n"
        + "2,/,上海某某童装有限公司,上海某某童装店,,,合格\n"
    )
    assert samples[0].errors == [
        CellError(
            2,
            "抽查结果",
            "待定",
            "outcome",
            "无法识别的抽查结果；应为“合格”“不合格”或“移送”等",
            "unrecognised outcome; expected 合格 (pass), 不合格 (fail) or 移送 (referred)",
        )
    ]
    assert samples[0].outcome == "pass"
    assert samples[1].errors == [
        CellError(
            3,
            "产品名称",
            "",
            "required",
            "缺少产品名称，无法确定是哪一批次",
            "the product name is empty, so the batch cannot be identified",
        )
    ]


def test_formula_text_in_a_csv_is_refused_too():
    samples = samples_of(HEADER + '1,儿童服装,某公司,"=HYPERLINK(""http://evil"",""x"")",,,合格\n')
    assert [(e.row, e.column, e.value, e.code) for e in samples[0].errors] == [
        (2, "受检单位名称", '=HYPERLINK("http://evil","x")', "formula")
    ]


def test_cells_beyond_the_header_are_kept_under_their_column_letter():
    samples = samples_of(HEADER + "1,儿童服装,某公司,某店,,,合格,,已整改\n")
    assert samples[0].extra == {"I": "已整改"}


def test_samples_stream_once_and_report_progress():
    sheet = sheet_of((FIXTURES / "simplified_utf8.csv").read_text(encoding="utf-8"))
    assert sheet.total_rows == 10
    stream = sheet.samples()
    next(stream)
    assert sheet.rows_read == 2  # the first sample ends where the second begins
    list(stream)
    assert sheet.rows_read == 10
    with pytest.raises(RuntimeError):
        next(sheet.samples())


def test_a_parsed_sheet_closes_its_workbook():
    with parse_spreadsheet(
        io.BytesIO((FIXTURES / "merged_title.xlsx").read_bytes()), "a.xlsx"
    ) as sheet:
        first = next(sheet.samples())
    assert first.rows == [4, 5, 6]


# -- memory ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_100000_row_file_streams_in_flat_memory(tmp_path):
    path = tmp_path / "large.csv"
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(
            [
                "序号",
                "产品名称",
                "标称生产企业名称",
                "受检单位名称",
                "受检单位地址",
                "生产日期/批号",
                "不合格项目",
                "检验结果",
                "标准值",
                "检验机构",
                "抽查结果",
            ]
        )
        for number in range(1, 100_001):
            failed = number % 10 == 0
            writer.writerow(
                [
                    number,
                    "儿童服装",
                    f"上海某某服饰{number}有限公司",
                    f"上海某某百货{number % 500}有限公司",
                    "上海市黄浦区南京东路100号",
                    f"2019/{number % 12 + 1}/{number % 28 + 1}",
                    "1.纤维含量；2.pH值" if failed else "/",
                    "1.35%；2.9.0" if failed else "/",
                    "1.≥50%；2.4.0~8.5" if failed else "/",
                    "上海市质量监督检验技术研究院",
                    "不合格" if failed else "合格",
                ]
            )
    tracemalloc.start()
    try:
        with path.open("rb") as file:
            sheet = parse_spreadsheet(file, "large.csv")
            count = failed_count = errors = 0
            for sample in sheet.samples():
                count += 1
                failed_count += sample.outcome == "fail"
                errors += len(sample.errors)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (count, failed_count, errors, sheet.rows_read) == (100_000, 10_000, 0, 100_000)
    assert peak < 30 * 1024 * 1024, f"peak traced memory {peak / 1024 / 1024:.1f} MB"
