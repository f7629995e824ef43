"""The public pages in a real browser: accessibility (axe-core), keyboard, small screens."""

import pytest
from django.core.management import call_command

from content.models import NoticeIndexPage, SpotCheckNoticePage
from portal.inspections.models import FailedItem, Outcome
from tests.factories import SpotCheckBatchFactory, SpotCheckResultFactory
from tests.pages import original

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def demo_pages(transactional_db):
    call_command("load_demo", "--scale", "0")
    batch = SpotCheckBatchFactory(standards_cited="GB 31701-2015", follow_up="已责令整改。")
    failed = SpotCheckResultFactory(batch=batch, outcome=Outcome.FAIL, producer=None)
    FailedItem.objects.create(result=failed, item="绳带要求", is_safety_item=True)
    SpotCheckResultFactory(batch=batch, producer=None)
    notice = SpotCheckNoticePage(title=batch.title, slug="notice-e2e", batch=batch)
    original(NoticeIndexPage).add_child(instance=notice)
    notice.save_revision().publish()
    return notice


PAGES = [
    "/",
    "/notices/",
    "/notices/notice-e2e/",
    "/warnings/",
    "/warnings/childrens-clothing-cords/",
    "/warnings/power-bank-overheating/",
    "/education/choosing-childrens-clothing/",
    "/campaigns/children-students/",
    "/laws/",
    "/laws/product-quality-law/",
    "/en/",
    "/en/warnings/magnetic-toys/",
    "/en/warnings/childrens-clothing-cords/",  # untranslated: original text, marked lang
    "/zh-hant/warnings/",
    "/data/",
    "/en/data/",
    "/subscribe/",
    "/partner-warnings/",
]


def test_main_page_types_have_no_serious_accessibility_violations(
    live_server, page, demo_pages, axe_violations
):
    problems = []
    for path in PAGES:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        problems += axe_violations(page)
    assert not problems, "\n".join(problems)


def test_keyboard_user_skips_to_content_and_switches_language(live_server, page, demo_pages):
    page.goto(live_server.url + "/warnings/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"

    page.keyboard.press("Shift+Tab")  # back into the header, to the language links
    page.locator(".language-switcher a[lang='en']").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/en/warnings/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Risk warnings"
    assert page.locator(".skip-link").inner_text() == "Skip to main content"


def test_phone_layout_has_no_horizontal_scroll(live_server, browser, demo_pages):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    phone = context.new_page()
    try:
        for path in ("/", "/notices/notice-e2e/", "/warnings/childrens-clothing-cords/", "/data/"):
            phone.goto(live_server.url + path)
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, f"{path} is {width}px wide"
    finally:
        context.close()


def test_notice_downloads_from_the_page(live_server, page, demo_pages):
    page.goto(live_server.url + "/notices/notice-e2e/")
    with page.expect_download() as download:
        page.click("text=CSV")
    assert download.value.suggested_filename == f"notice-{demo_pages.pk}.csv"
    assert SpotCheckNoticePage.objects.filter(pk=demo_pages.pk).exists()
