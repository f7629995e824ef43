"""Every public page type on a 390 px phone, in the normal and the elderly-friendly mode (适老化):
no sideways scrolling of the page, no table squeezed to a character per line, and no serious
axe-core violation in either mode."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.core.management import call_command

from content.models import EducationArticlePage, RegulationPage, SpotCheckNoticePage
from portal.demo.surveys import SLUG
from portal.inspections.models import SpotCheckResult
from portal.supervision.models import Draw
from tests.pages import original

from .conftest import ARTIFACTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}
#: Each visible table cell's content box in characters of its own font (0 = none).
NARROWEST_CELL = """() => Math.min(Infinity, ...[...document.querySelectorAll('td, th')]
    .filter(cell => cell.getClientRects().length && cell.textContent.trim())
    .map(cell => {
        const style = getComputedStyle(cell);
        const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
        const inner = cell.clientWidth - padding;
        return inner / parseFloat(style.fontSize);
    }))"""


@pytest.fixture
def public_paths(transactional_db) -> list[str]:
    """One address of every public page type, on the demo data."""
    call_command("load_demo", "--scale", "0.01")
    notice = SpotCheckNoticePage.objects.live().filter(locale__language_code="zh-hans").first()
    result = SpotCheckResult.public.filter(producer__isnull=False, product__isnull=False).first()
    draw = Draw.objects.exclude(drawn_at=None).first()
    return [
        "/",
        "/notices/",
        notice.url,
        "/warnings/",
        "/warnings/childrens-clothing-cords/",  # the affected-products table
        "/education/",
        original(EducationArticlePage, slug="choosing-childrens-clothing").url,
        "/campaigns/",
        "/campaigns/children-students/",
        "/laws/",
        original(RegulationPage, slug="product-quality-law").url,
        "/search/?q=童装",
        f"/trace/?code={quote(result.lot_raw or result.nominal_model)}",
        result.producer.get_absolute_url(),
        result.product.get_absolute_url(),
        "/grades/",
        "/draws/",
        draw.get_absolute_url(),
        "/reports/new/",
        "/surveys/",
        f"/surveys/{SLUG}/",
        f"/surveys/{SLUG}/results/",
        "/subscribe/",
        "/data/",
        "/partner-warnings/",
        "/en/warnings/magnetic-toys/",
        "/zh-hant/notices/",
        "/no-such-page/",  # the 404 page
    ]


def elderly(context, live_server):
    context.add_cookies([{"name": "anxin_elderly", "value": "1", "url": live_server.url}])


@pytest.mark.parametrize("mode", ["normal", "elderly"])
def test_every_page_type_fits_a_phone(live_server, browser, public_paths, mode):
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True)
    if mode == "elderly":
        elderly(context, live_server)
    phone = context.new_page()
    phone.set_default_timeout(20_000)
    problems = []
    try:
        for path in public_paths:
            response = phone.goto(live_server.url + path)
            assert response.status < 500, path
            if mode == "elderly":
                assert phone.locator("html.elderly").count() == 1, path
            width = phone.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                problems.append(f"{path}: the page is {width}px wide")
            narrowest = phone.evaluate(NARROWEST_CELL)
            if narrowest < 3:
                problems.append(f"{path}: a table cell is {narrowest:.1f} characters wide")
        ARTIFACTS.mkdir(exist_ok=True)
        phone.goto(live_server.url + "/warnings/childrens-clothing-cords/")
        phone.screenshot(path=str(ARTIFACTS / f"phone-warning-{mode}.png"), full_page=True)
    finally:
        context.close()
    assert len(public_paths) >= 25
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("mode", ["normal", "elderly"])
def test_every_page_type_is_accessible_in_both_modes(
    live_server, browser, public_paths, axe_violations, mode
):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    if mode == "elderly":
        elderly(context, live_server)
    page = context.new_page()
    page.set_default_timeout(20_000)
    problems = []
    try:
        for path in public_paths:
            page.goto(live_server.url + path)
            problems += axe_violations(page)
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def test_the_elderly_mode_by_keyboard_alone(live_server, page, public_paths):
    page.goto(live_server.url + "/warnings/")
    normal_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    switch = page.get_by_role("link", name="长者模式")
    for _ in range(30):  # Tab from the top of the page until the switch has the focus
        page.keyboard.press("Tab")
        if switch.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("the elderly-friendly switch cannot be reached with Tab")
    with page.expect_navigation():  # to /elderly-mode, redirected back to /warnings/
        page.keyboard.press("Enter")
    page.wait_for_selector("html.elderly")
    assert page.url == live_server.url + "/warnings/"
    larger = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert larger >= normal_size * 1.2
    page.goto(live_server.url + "/en/laws/")  # remembered on the next visit, in any language
    assert page.locator("html.elderly").count() == 1
    with page.expect_navigation():
        page.get_by_role("link", name="Standard view").click()
    page.wait_for_selector("html:not(.elderly)")
    assert page.url == live_server.url + "/en/laws/"
