"""Scanning at /trace/ in a browser without BarcodeDetector (iOS Safari, WeChat, Firefox): the
vendored ZXing decoder reads an EAN-13 from a real (fake-device) camera stream, fills the form
and shows the product's record. The camera is Chromium's fake device playing a Y4M video of a
barcode drawn here with python-barcode, so the decoder sees pixels, not a string."""

from __future__ import annotations

import barcode
import pytest
from barcode.writer import ImageWriter
from django.core.management import call_command
from PIL import Image

from portal.inspections.models import Outcome
from tests.factories import ProductBarcodeFactory, SpotCheckBatchFactory, SpotCheckResultFactory

from .conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDTH, HEIGHT, FRAMES = 640, 480, 30
NO_BARCODE_DETECTOR = "delete window.BarcodeDetector;"


def write_y4m(image: Image.Image, path) -> None:
    """A few seconds of one grey picture as raw YUV 4:2:0, the format Chromium's fake camera
    plays (in a loop): the luma plane is the picture, the colour planes neutral."""
    luma = image.convert("L").tobytes()
    chroma = bytes([128]) * (WIDTH // 2 * HEIGHT // 2)
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(FRAMES):
            video.write(b"FRAME\n" + luma + chroma + chroma)


def barcode_video(digits: str, path) -> str:
    """An EAN-13 as a shopper's phone would film it: black bars on white, in the middle of the
    picture with a margin around. Returns the full code, check digit included."""
    code = barcode.get("ean13", digits, writer=ImageWriter())
    drawn = code.render(
        {"module_width": 0.35, "module_height": 14, "quiet_zone": 4, "dpi": 300, "text_distance": 3}
    )
    frame = Image.new("RGB", (WIDTH, HEIGHT), "white")
    frame.paste(drawn, ((WIDTH - drawn.width) // 2, (HEIGHT - drawn.height) // 2))
    write_y4m(frame, path)
    return code.get_fullcode()


@pytest.fixture
def scanned(transactional_db, tmp_path):
    """A registered product whose barcode the camera shows, with a failed spot check."""
    call_command("load_demo", "--scale", "0")
    gtin = barcode_video("692000000101", tmp_path / "ean13.y4m")
    product = ProductBarcodeFactory(
        gtin=gtin, product__name="儿童保温杯", product__brand="乐扣扣", product__model_spec=""
    ).product
    SpotCheckResultFactory(
        batch=SpotCheckBatchFactory(published_on="2020-03-02"),
        product=product,
        sample_name="儿童保温杯",
        outcome=Outcome.FAIL,
    )
    return {"gtin": gtin, "product": product, "video": tmp_path / "ean13.y4m"}


@pytest.fixture
def camera_phone(monkeypatch, scanned, request):
    """A phone-sized page in a Chromium whose camera is the barcode video, without
    BarcodeDetector, so the ZXing fallback must do the reading."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    camera = [
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={scanned['video']}",
    ]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS + camera
        )
        context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
        context.add_init_script(NO_BARCODE_DETECTOR)
        page = context.new_page()
        page.set_default_timeout(20_000)
        yield page
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
        browser.close()


def test_the_camera_reads_an_ean13_without_barcode_detector(
    live_server, camera_phone, scanned, axe_violations
):
    page = camera_phone
    decoder_requests = []
    page.on("request", lambda r: "zxing-library" in r.url and decoder_requests.append(r.url))
    page.goto(live_server.url + "/trace/")
    assert page.evaluate("!('BarcodeDetector' in window)")
    assert not decoder_requests  # loaded only when the camera is asked for
    problems = axe_violations(page)
    page.get_by_role("button", name="用摄像头扫描").click()
    page.wait_for_url(f"**/trace/?code={scanned['gtin']}")
    assert decoder_requests
    assert page.get_by_label("条码或批号").input_value() == scanned["gtin"]
    products = page.get_by_role("region", name="产品")
    link = products.get_by_role("link", name="乐扣扣 儿童保温杯")
    assert link.get_attribute("href") == scanned["product"].get_absolute_url()
    assert "1 次抽查，1 次不合格" in page.locator(".trace-summary").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    problems += axe_violations(page)
    assert not problems, "\n".join(problems)


def test_without_javascript_the_code_is_typed(live_server, browser, scanned):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(live_server.url + "/trace/")
    assert not page.get_by_role("button", name="用摄像头扫描").is_visible()
    page.get_by_label("条码或批号").fill(scanned["gtin"])
    page.get_by_role("button", name="查询").click()
    page.wait_for_url(f"**/trace/?code={scanned['gtin']}")
    assert page.get_by_role("link", name="乐扣扣 儿童保温杯").is_visible()
    context.close()
