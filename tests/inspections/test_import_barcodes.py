"""Barcodes from published sheets become product barcodes; bad ones are warnings, not errors."""

from datetime import date
from pathlib import Path

import pytest
from stdnum import ean

from portal.inspections.importing import BatchDetails, run_import
from portal.inspections.models import SpotCheckResult
from portal.inspections.spreadsheets.barcodes import read_barcodes
from portal.inspections.spreadsheets.schema import match_header
from portal.registry.models import Product, ProductBarcode
from tests.factories import ProductBarcodeFactory

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "spreadsheets"
NOTICE = BatchDetails(
    notice_number="沪市监质〔2019〕36号",
    title="2019年第二季度本市消费品质量监督抽查结果",
    authority="上海市市场监督管理局",
    year=2019,
    published_on=date(2019, 6, 20),
)
SHEETS = ["barcodes.csv", "barcodes.xlsx"]


def gtin(first: str) -> str:
    return first + ean.calc_check_digit(first)


#: The valid codes of the fixture sheet, by product name, as they are stored.
VALID = {
    ("移动电源", gtin("692371800001")),
    ("电热水壶", gtin("692371800002")),
    ("学生文具盒", gtin("6923718")),
    ("电吹风", "036000291452"),
    ("一次性纸杯", gtin("1692371800009")),
    ("电磁炉", gtin("692371800004")),
    ("电磁炉", gtin("692371800005")),
    ("电饭煲", gtin("692371800006")),
}


def import_sheet(name: str, *, commit: bool = True):
    with (FIXTURES / name).open("rb") as handle:
        return run_import(handle, name, NOTICE, commit=commit)


def registered() -> set[tuple[str, str]]:
    return set(ProductBarcode.objects.values_list("product__name", "gtin"))


@pytest.mark.parametrize(
    "header",
    ["条码", "商品条码", "條形碼", "产品条码", "商品条形码", "条码号", "国际条码", "GTIN",
     "EAN", "EAN13", "ＥＡＮ－１３", "UPC", "商品编码（条码）", " 商品 条码 "],
)  # fmt: skip
def test_barcode_columns_are_recognised(header):
    assert match_header(header) == ("barcode", "")


@pytest.mark.parametrize(
    ("cell", "codes"),
    [
        ("６９０１２３４５６７８９２", ["6901234567892"]),
        ("'6901234567892", ["6901234567892"]),
        ("690 1234 56789-2", ["6901234567892"]),
        ("69012345678 92、96385074\n036000291452；10614141000415", [
            "6901234567892", "96385074", "036000291452", "10614141000415"
        ]),
        ("6901234567892/6901234567892", ["6901234567892"]),
        ("無", []),
        ("—", []),
        ("/", []),
        ("未标注", []),
    ],
)  # fmt: skip
def test_cells_give_their_codes_as_printed(cell, codes):
    assert read_barcodes(cell) == (codes, [])


@pytest.mark.parametrize(
    ("cell", "code", "reason"),
    [
        ("6901234567893", "barcode_check_digit", "条码校验位错误：按前12位应为“2”，而不是“3”"),
        ("6.90123E+12", "barcode_scientific", "条码被电子表格转换成了科学计数法，部分数字已丢失"),
        ("690123456", "barcode_length", "条码应为8、12、13或14位数字，这里是9位"),
        ("6901234567892 6901234567885", "barcode_length", "这里是26位"),
        ("69O1234567892", "barcode_not_digits", "条码只能由数字组成"),
    ],
)
def test_bad_codes_are_reported_with_the_reason(cell, code, reason):
    codes, [problem] = read_barcodes(cell)
    assert codes == []
    assert (problem.value, problem.code) == (cell, code)
    assert reason in problem.reason_zh


@pytest.mark.django_db
@pytest.mark.parametrize("sheet", SHEETS)
def test_the_preview_shows_the_warnings_and_writes_nothing(sheet):
    report = import_sheet(sheet, commit=False)
    assert report.ok and report.error_count == 0
    assert report.created == 12
    assert [(w["row"], w["column"], w["value"], w["code"]) for w in report.warnings] == [
        (8, "商品条码", "6923718000032", "barcode_check_digit"),
        (9, "商品条码", "6.92372E+12", "barcode_scientific"),
    ]
    assert "按前12位应为“9”，而不是“2”" in report.warnings[0]["reason_zh"]
    assert report.barcodes_created == len(VALID)
    assert not ProductBarcode.objects.exists() and not Product.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("sheet", SHEETS)
def test_the_commit_registers_exactly_the_valid_codes(sheet):
    report = import_sheet(sheet)
    assert report.ok and report.created == 12 and report.warning_count == 2
    assert registered() == VALID
    # The results with a bad code still imported, and the column is not kept twice.
    lamp = SpotCheckResult.objects.get(sample_name="LED台灯")
    assert lamp.outcome == "fail" and not lamp.product.barcodes.exists()
    assert not SpotCheckResult.objects.exclude(extra={}).exists()


@pytest.mark.django_db
def test_importing_again_adds_no_barcode_twice():
    import_sheet("barcodes.csv")
    report = import_sheet("barcodes.xlsx")  # the same content again, as a workbook
    assert report.same_content and report.version == 1
    assert report.barcodes_created == 0
    assert ProductBarcode.objects.count() == len(VALID)
    assert registered() == VALID


@pytest.mark.django_db
def test_a_code_on_another_product_stays_there_and_is_a_warning():
    taken = ProductBarcodeFactory(
        gtin=gtin("692371800006"), product__name="电压力锅", product__brand="美廚"
    )
    report = import_sheet("barcodes.xlsx")
    assert report.ok
    [warning] = [w for w in report.warnings if w["code"] == "barcode_taken"]
    assert (warning["row"], warning["value"]) == (14, gtin("692371800006"))
    assert f"另一产品“美廚 电压力锅”（编号{taken.product_id}）" in warning["reason_zh"]
    assert "本行的“美厨 电饭煲”" in warning["reason_zh"]
    taken.refresh_from_db()
    assert taken.product.name == "电压力锅"
    assert registered() == VALID - {("电饭煲", gtin("692371800006"))} | {
        ("电压力锅", gtin("692371800006"))
    }


@pytest.mark.django_db
def test_the_same_code_stored_in_another_length_is_the_same_code():
    """An EAN-13 registered with its GTIN-14 zero is the code the sheet prints."""
    ProductBarcodeFactory(gtin="0" + gtin("692371800001"), product__name="充电宝")
    report = import_sheet("barcodes.csv")
    assert [w["value"] for w in report.warnings if w["code"] == "barcode_taken"] == [
        gtin("692371800001")
    ]
    assert not ProductBarcode.objects.filter(gtin=gtin("692371800001")).exists()


@pytest.mark.search
@pytest.mark.django_db
def test_lookup_finds_a_product_by_a_barcode_the_sheet_added(
    search_prefix, tmp_path, django_capture_on_commit_callbacks
):
    """The first file has no barcode column; the corrected one adds it and changes no result,
    so only the barcodes' products, carried by `results_written`, get re-indexed."""
    from search import engine, indexing
    from search.documents import alias_name
    from search.queries import LookupQuery

    def found(text: str) -> list[tuple[str, int]]:
        engine.get_client().indices.refresh(index=alias_name())
        return [(hit.kind, hit.object_id) for hit in LookupQuery(text).execute().hits]

    lines = (FIXTURES / "barcodes.csv").read_text("utf-8").splitlines(keepends=True)
    without = tmp_path / "without_barcodes.csv"
    without.write_text("".join(_drop_barcode(line) for line in lines), "utf-8")
    indexing.rebuild()
    with without.open("rb") as handle, django_capture_on_commit_callbacks(execute=True):
        assert run_import(handle, without.name, NOTICE, commit=True).ok
    code = gtin("692371800001")
    assert found(code) == []
    with django_capture_on_commit_callbacks(execute=True):
        report = import_sheet("barcodes.csv")
    assert (report.updated, report.barcodes_created) == (0, len(VALID))
    power_bank = Product.objects.get(name="移动电源")
    assert found(code)[0] == ("product", power_bank.pk)
    assert found(gtin("1692371800009"))[0] == ("product", Product.objects.get(name="一次性纸杯").pk)


@pytest.mark.search
@pytest.mark.django_db
def test_lookup_finds_an_imported_barcode_padded_to_gtin_14(
    search_prefix, django_capture_on_commit_callbacks
):
    from search import engine, indexing
    from search.documents import alias_name
    from search.queries import LookupQuery

    indexing.rebuild()
    with django_capture_on_commit_callbacks(execute=True):
        import_sheet("barcodes.csv")
    engine.get_client().indices.refresh(index=alias_name())
    hits = LookupQuery("0" + gtin("692371800001")).execute().hits
    assert [(h.kind, h.object_id) for h in hits][:1] == [
        ("product", Product.objects.get(name="移动电源").pk)
    ]


def _drop_barcode(line: str) -> str:
    """The CSV line without its 8th column (商品条码); the fixture quotes no field."""
    cells = line.rstrip("\r\n").split(",")
    return ",".join(cells[:7] + cells[8:]) + "\r\n" if len(cells) > 8 else line


@pytest.mark.django_db
def test_the_command_prints_the_warnings_and_imports(capsys):
    from django.core.management import call_command

    path = str(FIXTURES / "barcodes.csv")
    call_command("import_spotchecks", path, "--notice", "沪市监质〔2019〕36号", verbosity=0)
    out = capsys.readouterr().out
    assert "row 8, column 商品条码, value '6923718000032': 条码校验位错误" in out
    assert f"{len(VALID)} new barcodes." in out and "Imported as version 1." in out
