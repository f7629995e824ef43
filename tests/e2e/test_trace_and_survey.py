"""Traceability and the awareness survey in a real browser: typed lookup without a camera,
answering and reading the results, on a phone-sized screen, with no serious axe-core
violations."""

import pytest
from django.core.management import call_command
from stdnum import ean

from portal.demo.surveys import SLUG

from .conftest import ARTIFACTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WARNED_GTIN = "692000000101" + ean.calc_check_digit("692000000101")  # on a demo warning


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", "--scale", "0")


@pytest.fixture
def phone(browser, request):
    context = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_typed_barcode_finds_the_warning(live_server, phone, demo, axe_violations):
    phone.goto(live_server.url + "/trace/")
    problems = axe_violations(phone)
    # Chromium on Linux has no BarcodeDetector: the ZXing fallback offers the camera anyway.
    assert phone.get_by_role("button", name="用摄像头扫描").is_visible()
    phone.get_by_label("条码或批号").fill(f" {WARNED_GTIN[:7]} {WARNED_GTIN[7:]} ")
    phone.keyboard.press("Enter")
    phone.wait_for_url("**/trace/?code=*")
    status = phone.get_by_role("status")
    assert "条结果" in status.inner_text()
    warnings = phone.get_by_role("region", name="风险警示")
    assert warnings.get_by_role("link", name="关于儿童服装绳带安全风险的消费警示").is_visible()
    assert "匹配程度：确定" in warnings.inner_text()
    assert fits(phone)
    problems += axe_violations(phone)
    phone.get_by_label("条码或批号").fill("1")
    phone.keyboard.press("Enter")
    phone.wait_for_url("**/trace/?code=1")
    field = phone.get_by_label("条码或批号")
    assert field.get_attribute("aria-invalid") == "true"
    assert field.evaluate("el => el === document.activeElement")
    problems += axe_violations(phone)
    assert not problems, "\n".join(problems)


def test_a_citizen_answers_the_survey_and_reads_the_results(
    live_server, phone, demo, axe_violations
):
    phone.goto(f"{live_server.url}/surveys/{SLUG}/")
    problems = axe_violations(phone)
    phone.get_by_role("button", name="提交答案").click()  # nothing chosen
    assert phone.get_by_role("alert").is_visible()
    problems += axe_violations(phone)
    for group in phone.locator("fieldset").all():
        group.get_by_role("radio").first.check()
    phone.get_by_role("button", name="提交答案").click()
    phone.wait_for_selector("#answers-title")
    assert "道题中，您答对了" in phone.get_by_role("status").inner_text()
    assert fits(phone)
    problems += axe_violations(phone)
    phone.get_by_role("link", name="查看全体作答结果").click()
    phone.wait_for_url(f"**/surveys/{SLUG}/results/")
    charts = phone.get_by_role("img")
    assert charts.count() == 7  # six questions and the months
    assert phone.get_by_role("img", name="每月答对的比例").is_visible()
    assert fits(phone)
    problems += axe_violations(phone)
    assert not problems, "\n".join(problems)
