"""/trace/ finds a product by a barcode that came in with a published spot-check sheet."""

from datetime import date
from pathlib import Path

import pytest

from portal.inspections.importing import BatchDetails, run_import
from portal.registry.models import Product

from .conftest import gtin13

pytestmark = pytest.mark.django_db

SHEET = Path(__file__).resolve().parent.parent / "fixtures" / "spreadsheets" / "barcodes.xlsx"


@pytest.mark.parametrize(
    "typed",
    [
        gtin13("692371800004"),  # the second of two codes in one cell
        "０" + gtin13("692371800004"),  # full width, padded to GTIN-14
        "6 923718 00002 2",  # printed full width with spaces in the sheet
    ],
)
def test_trace_finds_the_product_by_a_barcode_from_the_sheet(client, home, typed):
    details = BatchDetails(
        notice_number="沪市监质〔2019〕36号",
        title="2019年第二季度本市消费品质量监督抽查结果",
        authority="上海市市场监督管理局",
        year=2019,
        published_on=date(2019, 6, 20),
    )
    with SHEET.open("rb") as handle:
        assert run_import(handle, SHEET.name, details, commit=True).ok
    product = Product.objects.get(barcodes__gtin=typed.replace(" ", "").lstrip("０"))
    html = client.get("/en/trace/", {"code": typed}).content.decode()
    assert "The barcode is registered to this product." in html
    assert f'href="{product.get_absolute_url()}"' in html
