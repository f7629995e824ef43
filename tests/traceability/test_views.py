"""/trace/: a plain GET form that works without JavaScript, accessible, with the matches
and their confidence in words, in a fixed number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.inspections.models import Outcome
from tests.factories import ProductBarcodeFactory, SpotCheckBatchFactory, SpotCheckResultFactory

from .conftest import gtin13

pytestmark = pytest.mark.django_db

EAN = gtin13("692000000101")
URL = "/trace/"


@pytest.fixture
def kettle(home):
    barcode = ProductBarcodeFactory(gtin=EAN, product__name="电热水壶", product__brand="美滋")
    SpotCheckResultFactory(
        batch=SpotCheckBatchFactory(
            published_on="2019-06-01", notice_number="沪市监质〔2019〕88号"
        ),
        product=barcode.product,
        sample_name="电热水壶",
        lot_raw="2019-03-01",
        outcome=Outcome.FAIL,
    )
    return barcode.product


def test_the_address_is_trace():
    assert reverse("traceability:trace") == URL


def test_the_empty_page_is_a_labelled_form_that_needs_no_javascript(client, home):
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert '<form class="search-box trace-form" method="get" action="/trace/" role="search"' in html
    assert '<label for="trace-code">' in html
    assert re.search(
        r'<input type="search" id="trace-code" name="code"[^>]*aria-describedby="trace-help"', html
    )
    assert 'role="status" aria-live="polite"' in html
    # The camera is an enhancement: hidden until the script finds a camera and a decoder.
    assert re.search(r"<div class=\"trace-scanner\" data-trace-scanner[^>]* hidden", html)
    assert '<script src="/static/js/trace-scanner.js" defer></script>' in html
    # The fallback decoder is vendored, never from a CDN, and fetched only to scan.
    assert 'data-decoder-src="/static/vendor/zxing-library.min.js"' in html
    assert '<script src="/static/vendor/' not in html
    assert 'aria-current="page">' in html  # the navigation marks where we are


def test_a_barcode_shows_the_matches_with_their_confidence_in_words(client, kettle, make_warning):
    make_warning(products=[{"name": "电热水壶", "brand": "美滋", "gtin": EAN, "batch": "20190301"}])
    html = client.get("/en" + URL, {"code": EAN}).content.decode()
    assert "3 matches for “" + EAN + "”." in html
    assert "Match: certain" in html
    assert "The warning lists this barcode among the affected products." in html
    assert "The warning names a batch: compare it with the batch printed on your product." in html
    assert "Match: high" in html
    assert "The barcode is registered to this product." in html
    assert f'href="{kettle.get_absolute_url()}"' in html
    assert "沪市监质〔2019〕88号" in html
    # Sections in the order of what matters most to a citizen.
    assert html.index('id="trace-warnings"') < html.index('id="trace-results"')
    assert html.index('id="trace-results"') < html.index('id="trace-products"')


def test_the_page_speaks_chinese_by_default(client, kettle):
    html = client.get(URL, {"code": EAN}).content.decode()
    assert "追溯查询" in html
    assert "匹配程度：确定" in html
    assert "该条码登记在此产品名下。" in html


def test_nothing_found_says_so_and_why_that_proves_nothing(client, home):
    html = client.get("/en" + URL, {"code": "ZZ9999"}).content.decode()
    assert "Nothing was found for “ZZ9999”." in html
    assert "That does not prove the product is safe" in html


def test_a_wrong_check_digit_is_explained(client, home):
    typed = EAN[:-1] + str((int(EAN[-1]) + 1) % 10)
    html = client.get("/en" + URL, {"code": typed}).content.decode()
    assert f"{typed} is not a valid barcode: its last digit (the check digit)" in html


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Type or scan a barcode or a batch number."),
        ("A1", "A batch number needs at least 3 letters or digits."),
        ("A" * 65, "That is longer than any barcode or batch number (at most 64 characters)."),
    ],
)
def test_bad_input_gets_a_clear_message_tied_to_the_field(client, home, code, message):
    html = client.get("/en" + URL, {"code": code}).content.decode()
    assert f'<p id="trace-error" class="field-error">{message} </p>' in html
    assert 'aria-describedby="trace-help trace-error" aria-invalid="true" autofocus' in html
    assert f'role="status" aria-live="polite">{message}</p>' in html


def test_typed_text_is_escaped(client, home):
    html = client.get(URL, {"code": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_only_get(client, home):
    assert client.post(URL, {"code": EAN}).status_code == 405


def test_the_page_takes_as_many_queries_for_many_matches_as_for_one(client, kettle, make_warning):
    """No query per match: the notices, products and batches of the rows come with them."""

    def shown() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            html = client.get(URL, {"code": EAN}).content.decode()
        return len(queries), html.count('<li class="item')

    make_warning(products=[{"name": "电热水壶", "gtin": EAN}])
    shown()  # the site's root paths are cached on the first page
    few, rows = shown()
    for n in range(6):
        make_warning(title=f"警示{n}", products=[{"name": "电热水壶", "gtin": EAN}])
        outcome = Outcome.FAIL if n % 2 else Outcome.PASS
        SpotCheckResultFactory(product=kettle, lot_raw=f"批号K{n}", outcome=outcome)
    shown()  # publishing the warnings reset the cached navigation
    many, more_rows = shown()
    assert more_rows == rows + 12
    assert many == few <= 12


def test_failed_results_come_first_marked_in_words_under_a_one_line_summary(client, kettle):
    newer = SpotCheckBatchFactory(published_on="2020-05-01", notice_number="沪市监质〔2020〕5号")
    SpotCheckResultFactory(batch=newer, product=kettle, sample_name="电热水壶（新批次）")
    html = client.get("/en" + URL, {"code": EAN}).content.decode()
    assert '<p class="trace-summary has-failed">2 spot checks, 1 failed</p>' in html
    failed = html.index('<li class="item result-failed">')
    assert html.index("Failed this spot check", failed) < html.index("电热水壶（新批次）")
    assert "2 次抽查，1 次不合格" in client.get(URL, {"code": EAN}).content.decode()
    assert "2 次抽查，1 次不合格" in client.get("/zh-hant" + URL, {"code": EAN}).content.decode()


def test_a_summary_without_failures_says_so(client, home):
    SpotCheckResultFactory(lot_number="PB1812")
    html = client.get("/en" + URL, {"code": "pb1812"}).content.decode()
    assert '<p class="trace-summary">1 spot check, none failed</p>' in html
    assert "result-failed" not in html
    assert "1 次抽查，无不合格" in client.get(URL, {"code": "pb1812"}).content.decode()


def test_traditional_chinese_at_its_own_address(client, kettle):
    html = client.get("/zh-hant" + URL, {"code": EAN}).content.decode()
    assert "追溯查詢" in html
    assert "匹配程度：確定" in html
