"""The lookup page's layout in a real browser, on the real engine: results first in reading
order and on the first screen of a desktop, the filters beside them; on a 390 px phone the
filters folded behind one "筛选" button, nothing wider than the screen; every filter in force
a chip that removes it. axe-core on each state. Also the other pages a newcomer meets first
at 390 px."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from portal.inspections.models import Outcome
from portal.registry.models import District
from search import indexing
from tests.factories import (
    EnterpriseFactory,
    ProductCategoryFactory,
    ProductFactory,
    SpotCheckBatchFactory,
    SpotCheckResultFactory,
)

from .conftest import ARTIFACTS

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.search,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RESULTS_FIRST = """() => {
  const results = document.querySelector("section.results");
  const filters = document.querySelector("aside.facets");
  return Boolean(results.compareDocumentPosition(filters) & Node.DOCUMENT_POSITION_FOLLOWING);
}"""


@pytest.fixture
def catalogue(transactional_db, search_prefix):
    """Children's clothing makers and their products, some failed: enough for every facet."""
    call_command("load_demo", "--scale", "0")
    clothing = ProductCategoryFactory(name="儿童服装")
    districts = list(District.objects.order_by("code")[:3])
    batch = SpotCheckBatchFactory(year=2019, published_on="2019-04-15")
    for n, (firm, brand) in enumerate(
        [
            ("上海童乐服饰有限公司", "童乐"),
            ("上海双星童装有限公司", "双星"),
            ("上海小海豚童装厂", "小海豚"),
        ]
    ):
        maker = EnterpriseFactory(name=firm, district=districts[n], supervision_class="ABC"[n])
        for item in ("儿童连衣裙", "儿童外套", "儿童卫衣", "儿童衬衫"):
            product = ProductFactory(name=item, brand=brand, manufacturer=maker, category=clothing)
            SpotCheckResultFactory(
                batch=batch,
                product=product,
                producer=maker,
                category=clothing,
                outcome=Outcome.FAIL if item == "儿童卫衣" else Outcome.PASS,
            )
    indexing.rebuild()


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_on_a_desktop_the_results_come_first_beside_the_filters(
    live_server, browser, catalogue, axe_violations
):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/search/?q=儿童")
    assert page.evaluate(RESULTS_FIRST)
    first = page.locator(".result-list a").first.bounding_box()
    assert first["y"] + first["height"] <= 800  # on the first screen
    filters = page.locator("aside.facets")
    assert page.locator("details.facets-panel").get_attribute("open") is not None
    assert filters.bounding_box()["y"] < 800
    assert filters.bounding_box()["x"] + 200 < first["x"]  # a sidebar, not below
    results_bar = page.locator(".results-bar")
    assert "条结果" in results_bar.get_by_role("heading").inner_text()
    assert results_bar.get_by_label("排序").is_visible()
    problems = axe_violations(page)

    page.get_by_role("checkbox", name="产品").check()
    page.get_by_role("checkbox", name="不合格").check()
    page.get_by_role("button", name="应用筛选").click()
    page.wait_for_url("**/search/?*kind=product*")
    chips = page.get_by_role("list", name="已选筛选条件")
    assert chips.get_by_text("类型：产品").is_visible()
    assert chips.get_by_text("最近抽查结论：不合格").is_visible()
    assert page.locator(".result-list li").count() == 3  # the three failed products
    problems += axe_violations(page)

    page.get_by_role("link", name="移除“类型：产品”").click()
    page.wait_for_load_state()
    assert "kind=" not in page.url and "latest_outcome=fail" in page.url
    page.get_by_label("排序").select_option("date")
    page.get_by_role("button", name="重新排序").click()
    page.wait_for_url("**sort=date*")
    assert "latest_outcome=fail" in page.url  # sorting keeps the filters
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "lookup_desktop.png"))
    context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("javascript", [True, False])
def test_on_a_phone_the_filters_fold_behind_one_button(
    live_server, browser, catalogue, axe_violations, javascript
):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, java_script_enabled=javascript
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/search/?q=儿童 不合格")
    assert page.evaluate(RESULTS_FIRST) and fits(page)
    toggle = page.locator("details.facets-panel > summary")
    assert toggle.inner_text().startswith("筛选")
    assert toggle.bounding_box()["y"] < page.locator("#results-title").bounding_box()["y"]
    assert not page.get_by_role("checkbox", name="产品").is_visible()
    assert page.get_by_role("link", name="移除“抽检结果：不合格”").is_visible()
    problems = axe_violations(page) if javascript else []
    toggle.click()
    assert page.get_by_role("checkbox", name="产品").is_visible()
    assert fits(page)
    if javascript:
        problems += axe_violations(page)
    page.get_by_role("checkbox", name="产品").check()
    page.get_by_role("button", name="应用筛选").click()
    page.wait_for_url("**kind=product*")
    assert page.locator(".result-list li").count() == 3
    assert fits(page)
    context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "address", ["/reports/new/", "/trace/?code=6920000001019", "/en/search/?q=儿童"]
)
def test_first_pages_fit_a_390_px_phone(live_server, browser, catalogue, address):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server.url + address)
    assert fits(page), address
    context.close()
