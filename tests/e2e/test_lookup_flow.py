"""A citizen's lookup in a real browser: home → search → enterprise, on the real engine."""

import pytest
from django.core.management import call_command

from portal.inspections.models import FailedItem, Outcome
from search import indexing
from tests.factories import (
    EnterpriseFactory,
    ProductFactory,
    SpotCheckBatchFactory,
    SpotCheckResultFactory,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.search,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def registry(transactional_db, search_prefix):
    call_command("load_demo", "--scale", "0")
    firm = EnterpriseFactory(name="上海童乐服饰有限公司", supervision_class="C")
    dress = ProductFactory(name="儿童连衣裙", brand="童乐", manufacturer=firm)
    result = SpotCheckResultFactory(
        batch=SpotCheckBatchFactory(published_on="2019-04-15"),
        producer=firm,
        product=dress,
        outcome=Outcome.FAIL,
    )
    FailedItem.objects.create(result=result, item="绳带要求", is_safety_item=True)
    indexing.rebuild()
    return firm


def test_home_search_enterprise(live_server, page, registry, axe_violations):
    page.goto(live_server.url + "/")
    page.get_by_role("searchbox").first.fill("童樂服飾")  # traditional characters
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?*")
    link = page.get_by_role("link", name="上海童乐服饰有限公司")
    assert link.count() == 1
    problems = axe_violations(page)
    link.click()
    page.wait_for_url(f"**/enterprises/{registry.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "上海童乐服饰有限公司"
    assert page.get_by_text("绳带要求").is_visible()
    problems += axe_violations(page)
    assert not problems, "\n".join(problems)
