""".xls, Word and PDF tables import exactly like the CSV of the same table (same header crosswalk,
preview and atomic commit); scans, macros, nested tables, zip bombs, page floods and empty
sheets are refused with a clear message, nothing written and memory bounded."""

from __future__ import annotations

import importlib.util
import io
import tracemalloc
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.forms.models import model_to_dict

from portal.inspections.importing import BatchDetails, run_import
from portal.inspections.models import SpotCheckResult
from portal.inspections.spreadsheets import pdf as pdf_reader
from tests.inspections.test_import import table_counts

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
FORMATS = ROOT / "tests" / "fixtures" / "spreadsheets" / "formats"
MB = 2**20


def details(notice: str) -> BatchDetails:
    return BatchDetails(
        notice_number=notice,
        title="2019年上海市儿童用品及电器产品质量监督抽查结果（第一批）",
        authority="上海市市场监督管理局",
        year=2019,
        published_on=date(2019, 4, 15),
    )


def import_bytes(data: bytes, name: str, notice: str = "沪市监质〔2019〕30号", commit=True):
    return run_import(io.BytesIO(data), name, details(notice), commit=commit)


def import_fixture(name: str, notice: str, commit: bool = True):
    return import_bytes((FORMATS / name).read_bytes(), name, notice, commit)


def stored(notice: str) -> list[tuple[dict, list[dict]]]:
    """Every result of a notice's batch as its stored values and failed items, minus what
    says where it came from (batch, rows) and how its producer was linked (the first import
    created the enterprises that the second finds)."""
    results = SpotCheckResult.objects.filter(batch__notice_number=notice).order_by("sample_key")
    skip = ["id", "batch", "row_numbers", "producer_match"]
    return [
        (
            model_to_dict(result, exclude=skip),
            [model_to_dict(item, exclude=["id", "result"]) for item in result.failed_items.all()],
        )
        for result in results.prefetch_related("failed_items")
    ]


@pytest.mark.parametrize(
    ("name", "format_"),
    [("published.xls", "xls"), ("published.docx", "docx"), ("published.pdf", "pdf")],
)
def test_a_format_imports_the_same_results_as_the_csv_of_the_same_table(name, format_):
    csv_report = import_fixture("published.csv", "CSV-1")
    assert csv_report.ok and csv_report.created == 40

    before = table_counts()
    preview = import_fixture(name, "OTHER-1", commit=False)
    assert preview.ok, (preview.file_error, preview.errors[:3])
    assert (preview.samples, preview.created) == (40, 40)
    assert table_counts() == before  # the preview wrote nothing

    report = import_fixture(name, "OTHER-1")
    assert report.ok
    assert (report.samples, report.created, report.enterprises_created) == (40, 40, 0)
    assert stored("OTHER-1") == stored("CSV-1")
    coat = SpotCheckResult.objects.get(batch__notice_number="OTHER-1", sample_name="儿童外套")
    assert [item.item for item in coat.failed_items.all()] == ["纤维含量", "绳带要求"]
    bike = SpotCheckResult.objects.get(batch__notice_number="OTHER-1", sample_name="电动自行车")
    assert [item.item for item in bike.failed_items.all()] == ["整车质量", "最高车速"]
    # Wrapped over two lines in the PDF; one line again once read.
    assert bike.producer_address == "天津市静海区某某工业园区大丰堆镇某某路8号"


def test_a_pdf_table_over_three_pages_skips_the_repeated_headers():
    report = import_fixture("published.pdf", "PDF-1")
    assert report.ok and report.samples == 40
    # 1 header + 40 data rows + the header again at the top of pages 2 and 3.
    assert report.rows == 43


def _text_pdf(pages: int) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1)
    for page in range(1, pages + 1):
        canvas.drawString(72, 760, f"Page {page}")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def refused(data: bytes, name: str, code: str):
    """Import `data`: refused with `code` in both languages, nothing written; returns the
    report and the peak of memory allocated by Python while reading it."""
    before = table_counts()
    tracemalloc.start()
    try:
        report = import_bytes(data, name)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert report.file_error is not None, report.errors[:3]
    assert report.file_error["code"] == code, report.file_error
    assert report.file_error["reason_zh"] and report.file_error["reason_en"]
    assert table_counts() == before
    return report, peak


def test_a_scanned_pdf_is_refused_in_chinese_and_english():
    report, _peak = refused((FORMATS / "scanned.pdf").read_bytes(), "抽查结果.pdf", "scanned_pdf")
    assert "扫描件" in report.file_error["reason_zh"]
    assert "is a scan" in report.file_error["reason_en"]


def test_a_pdf_of_500_pages_is_refused_before_any_page_is_read():
    data = _text_pdf(500)
    report, peak = refused(data, "抽查结果.pdf", "too_many_pages")
    assert "500页" in report.file_error["reason_zh"]
    assert f"more than the limit of {pdf_reader.MAX_PAGES}" in report.file_error["reason_en"]
    assert peak < 16 * MB


def test_a_pdf_whose_pages_have_text_but_no_table_is_refused():
    report, _peak = refused(_text_pdf(3), "通知.pdf", "not_a_spreadsheet")
    assert "没有带边框线的表格" in report.file_error["reason_zh"]


def test_an_xls_with_macros_is_refused():
    report, _peak = refused((FORMATS / "macros.xls").read_bytes(), "抽查结果.xls", "macros")
    assert "宏" in report.file_error["reason_zh"]
    assert "macros (VBA)" in report.file_error["reason_en"]


def test_the_macro_fixture_is_otherwise_a_readable_workbook():
    """So the refusal above is about the macros, not a broken file."""
    import xlrd

    book = xlrd.open_workbook(file_contents=(FORMATS / "macros.xls").read_bytes())
    assert book.sheet_by_index(0).cell_value(1, 1) == "产品名称"


def test_a_docx_with_a_table_nested_in_a_cell_is_refused():
    report, _peak = refused(
        (FORMATS / "nested_table.docx").read_bytes(), "抽查结果.docx", "nested_table"
    )
    assert "嵌套" in report.file_error["reason_zh"]


def test_a_zip_bomb_renamed_xlsx_is_refused_before_it_is_inflated(settings):
    settings.IMPORT_MAX_BYTES = 1 * MB  # so a 40 MB part is a bomb; the check is a ratio
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr("[Content_Types].xml", b"<Types/>")
        with target.open("xl/worksheets/sheet1.xml", "w") as part:
            for _ in range(40):
                part.write(bytes(MB))
    data = archive.getvalue()
    assert len(data) < 100_000
    report, peak = refused(data, "抽查结果.xlsx", "too_large")
    assert "压缩炸弹" in report.file_error["reason_zh"]
    assert "zip bomb" in report.file_error["reason_en"]
    assert peak < 8 * MB


def _empty_rows(format_: str, rows: int) -> bytes:
    """A sheet with `rows` rows whose every cell is empty or blank, as each writer makes it."""
    out = io.BytesIO()
    if format_ == "csv":
        return (",  ,\t,\r\n" * rows).encode()
    if format_ == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        for _ in range(rows):
            sheet.append(["", " ", None, "\u3000"])
        book.save(out)
    elif format_ == "xls":
        import xlwt

        book = xlwt.Workbook(encoding="utf-8")
        sheet = book.add_sheet("Sheet1")
        for r in range(rows):
            for c, text in enumerate(["", " ", "\u3000"]):
                sheet.write(r, c, text)
        book.save(out)
    else:
        from docx import Document

        document = Document()
        document.add_table(rows=rows, cols=4)
        document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("format_", ["csv", "xlsx", "xls", "docx"])
def test_a_sheet_where_every_row_is_empty_is_refused(format_):
    report, peak = refused(_empty_rows(format_, 5_000), f"抽查结果.{format_}", "empty")
    assert report.file_error["reason_en"] == "The file has no content"
    assert peak < 64 * MB


def test_the_format_fixtures_are_reproducible(tmp_path):
    if not Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc").exists():
        pytest.skip("fonts-wqy-microhei is not installed (make test installs it)")
    spec = importlib.util.spec_from_file_location(
        "make_import_fixtures", ROOT / "scripts" / "make_import_fixtures.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.write(tmp_path)
    assert sorted(path.name for path in written) == sorted(p.name for p in FORMATS.iterdir())
    for path in written:
        assert path.read_bytes() == (FORMATS / path.name).read_bytes(), path.name
