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
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.urls import reverse

from portal.inspections.importing import BatchDetails, run_import
from portal.inspections.models import ImportJob, SpotCheckResult
from portal.inspections.spreadsheets import pdf as pdf_reader
from tests.conftest import verified_login
from tests.inspections.test_import import table_counts
from tests.inspections.test_import_admin import FORM, importer

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
FORMATS = ROOT / "tests" / "fixtures" / "spreadsheets" / "formats"
MB = 2**20
CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
needs_cjk_font = pytest.mark.skipif(
    not CJK_FONT.exists(), reason="fonts-wqy-microhei is not installed (make test installs it)"
)


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


def _chars(lines: list[str], left: float = 106.0, width: float = 7.0) -> list[dict]:
    """Characters as pdfminer gives them: one line of text per 9 pt, each `width` wide (CJK
    7 pt at 7 pt type, Latin narrower), starting 6 pt inside a cell whose edge is at 100."""
    chars = []
    for number, text in enumerate(lines):
        x = left
        for char in text:
            wide = width if "\u4e00" <= char <= "\u9fff" else width / 2
            top = 200 + number * 9
            chars.append(
                {"text": char, "x0": x, "x1": x + wide, "top": top, "bottom": top + 7, "size": 7}
            )
            x += wide
    return chars


@pytest.mark.parametrize(
    ("lines", "right", "text"),
    [
        # A name wider than the cell wraps: one name again.
        (["上海市松江区某某", "路1号"], 168.0, "上海市松江区某某路1号"),
        # Two short lines in a wide cell: the publisher pressed Enter.
        (["纤维含量", "绳带要求"], 200.0, "纤维含量\n绳带要求"),
        # Latin words wrap at the space that was between them.
        (["Power", "Bank"], 140.0, "Power Bank"),
        # One word longer than the cell is cut where the line was full: no space is added.
        (["2018.12.061", "2"], 151.0, "2018.12.0612"),
        # Numbered items stay apart even when the next would not have fitted.
        (["1.58.2kg", "2.28.6km/h"], 140.0, "1.58.2kg\n2.28.6km/h"),
    ],
)
def test_pdf_cell_lines_are_joined_when_wrapped_and_kept_when_broken(lines, right, text):
    assert pdf_reader.cell_text(_chars(lines), 100.0, right) == text


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


def _table_pdf(pages: int) -> bytes:
    """A table split over `pages` pages, its header repeated on each, one sample a page,
    drawn as ruling lines and text like any office suite's PDF export."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    font = _fixtures().cjk_font()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1)
    header = ["序号", "产品名称", "标称生产企业名称", "受检单位名称"]
    for page in range(1, pages + 1):
        canvas.setFont(font, 9)
        canvas.drawString(72, 800, "2019年儿童服装产品质量监督抽查结果（续表）")
        row = [str(page), "儿童连衣裙", f"上海第{page}服饰有限公司", "上海某某百货有限公司"]
        for r, texts in enumerate([header, row]):
            for c, text in enumerate(texts):
                canvas.drawString(76 + c * 120, 766 - r * 20, text)
        for r in range(3):
            canvas.line(72, 780 - r * 20, 552, 780 - r * 20)
        for c in range(5):
            canvas.line(72 + c * 120, 780, 72 + c * 120, 740)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _fixtures():
    spec = importlib.util.spec_from_file_location(
        "make_import_fixtures", ROOT / "scripts" / "make_import_fixtures.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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


@pytest.mark.slow
@needs_cjk_font
def test_a_pdf_of_500_pages_is_read_page_by_page_in_bounded_memory():
    data = _table_pdf(500)
    tracemalloc.start()
    try:
        report = import_bytes(data, "抽查结果.pdf")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert report.ok, (report.file_error, report.errors[:3])
    # 500 samples, and the header read once plus repeated on 499 pages.
    assert (report.samples, report.created, report.rows) == (500, 500, 999)
    assert peak < 32 * MB  # one page at a time, whatever the page count


def test_a_pdf_over_the_page_limit_is_refused_before_any_page_is_read():
    data = _text_pdf(pdf_reader.MAX_PAGES + 1)
    report, peak = refused(data, "抽查结果.pdf", "too_many_pages")
    assert f"{pdf_reader.MAX_PAGES + 1}页" in report.file_error["reason_zh"]
    assert f"more than the limit of {pdf_reader.MAX_PAGES}" in report.file_error["reason_en"]
    assert peak < 16 * MB


def test_a_pdf_whose_pages_have_text_but_no_table_is_refused():
    report, _peak = refused(_text_pdf(3), "通知.pdf", "not_a_spreadsheet")
    assert "没有带边框线的表格" in report.file_error["reason_zh"]


def test_an_xls_with_macros_is_refused():
    report, _peak = refused((FORMATS / "macros.xls").read_bytes(), "抽查结果.xls", "macros")
    assert "宏" in report.file_error["reason_zh"]
    assert "macros (VBA)" in report.file_error["reason_en"]


@pytest.mark.parametrize(
    ("name", "part"), [("结果.xlsm", "xl/vbaProject.bin"), ("结果.docm", "word/vbaProject.bin")]
)
def test_macro_enabled_workbooks_and_documents_are_refused_the_same_way(name, part):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as target:
        target.writestr("[Content_Types].xml", b"<Types/>")
        target.writestr(part, b"\xd0\xcf\x11\xe0 VBA project")
    refused(archive.getvalue(), name, "macros")


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


@needs_cjk_font
def test_the_format_fixtures_are_reproducible(tmp_path):
    written = _fixtures().write(tmp_path)
    assert sorted(path.name for path in written) == sorted(p.name for p in FORMATS.iterdir())
    for path in written:
        assert path.read_bytes() == (FORMATS / path.name).read_bytes(), path.name


def test_the_admin_upload_takes_a_pdf_through_preview_and_confirm(
    client, django_capture_on_commit_callbacks
):
    verified_login(client, importer())
    page = client.get(reverse("inspections_import_upload")).content.decode()
    assert 'accept=".csv,.docx,.pdf,.txt,.xls,.xlsx"' in page
    data = (FORMATS / "published.pdf").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("inspections_import_upload"),
            {**FORM, "file": SimpleUploadedFile("2019年第一批抽查结果.pdf", data)},
        )
    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.PREVIEWED
    assert SpotCheckResult.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response.url)
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE
    assert SpotCheckResult.objects.count() == 40


def test_the_upload_form_refuses_a_name_no_reader_takes(client):

    verified_login(client, importer())
    response = client.post(
        reverse("inspections_import_upload"),
        {**FORM, "file": SimpleUploadedFile("结果.doc", b"\xd0\xcf\x11\xe0 not a table")},
    )
    assert "请上传 XLSX、XLS、CSV、Word（.docx）或 PDF 文件。" in str(
        response.context["form"].errors["file"]
    )
    assert ImportJob.objects.count() == 0
