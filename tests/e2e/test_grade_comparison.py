"""The grade comparison in a real browser: axe-clean, usable at 390 px (the table scrolls in
its own box, the page does not), and picking products by ticking boxes without JavaScript."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.grading.comparisons import graded_kettles, kettle_category, kettle_scheme

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def comparison(transactional_db):
    call_command("load_demo", "--scale", "0")
    scheme, category = kettle_scheme(), kettle_category()
    kettles = graded_kettles(12, scheme, category)
    picked = "&".join(f"product={k.product_id}" for k in kettles[:4])
    url = reverse("grading:compare", args=[scheme.pk, category.pk])
    return {"table": url, "side": f"{url}side-by-side/?{picked}"}


def test_comparison_pages_have_no_serious_accessibility_violations(
    live_server, page, comparison, axe_violations
):
    problems = []
    table = comparison["table"]
    for path in ("/grades/", table, table + "?sort=c-energy&grade=B", "/en" + table):
        assert page.goto(live_server.url + path).status == 200, path
        problems += axe_violations(page)
    page.goto(live_server.url + table)
    boxes = page.locator("input[name=product]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.get_by_role("button", name="比较勾选的产品").click()
    page.wait_for_url("**/side-by-side/**")
    assert page.locator("table.side-by-side thead th").count() == 3  # the label column + two
    problems += axe_violations(page)
    assert not problems, "\n".join(problems)


def test_comparison_works_at_phone_width(live_server, browser, comparison, axe_violations):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = context.new_page()
    try:
        for path in (comparison["table"], comparison["side"]):
            phone.goto(live_server.url + path)
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{path} is {width}px wide"
        phone.goto(live_server.url + comparison["table"])
        box = phone.locator(".table-wrap").first
        assert box.evaluate("el => el.scrollWidth > el.clientWidth")  # the table scrolls inside
        assert phone.locator("select[name=brand]").is_visible()
        assert not axe_violations(phone)
    finally:
        context.close()
