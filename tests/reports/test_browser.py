"""The report form in a real browser, without JavaScript of ours: accessibility (axe-core),
the error summary, and the whole flow from the form to the private status page."""

from __future__ import annotations

import pytest

from portal.reports import challenge
from portal.reports.models import ConsumerReport

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def answer_question(page) -> None:
    token = page.locator('input[name="challenge"]').get_attribute("value")
    page.get_by_label(challenge.read(token).question).fill(str(challenge.read(token).answer))


def test_reporting_a_problem_from_form_to_status_page(
    live_server, page, axe_violations, quick_fill
):
    problems = []
    page.goto(live_server.url + "/reports/new/")
    problems += axe_violations(page)

    page.get_by_role("button", name="提交举报").click()  # nothing filled in
    summary = page.locator(".error-summary")
    assert summary.get_by_role("link").count() >= 3
    problems += axe_violations(page)
    summary.get_by_role("link", name="产品：必需字段").click()
    assert page.evaluate("document.activeElement.id") == "id_product_text"

    page.get_by_label("产品", exact=True).fill("贝乐儿童保温杯 350ml")
    page.get_by_label("安全隐患或造成伤害").check()
    page.get_by_label("问题经过").fill("杯盖的硅胶密封圈使用一周后脱落，孩子差点误吞。")
    page.get_by_label("电话（选填）").fill("13812345678")
    answer_question(page)
    page.get_by_role("button", name="提交举报").click()

    page.wait_for_url("**/reports/thanks/")
    problems += axe_violations(page)
    link = page.locator(".private-link a")
    assert ConsumerReport.objects.get().reference in page.content()
    link.click()
    page.wait_for_url("**/reports/status/")  # the script took the token out of the address
    page.get_by_text("已收到").first.wait_for()  # and posted it
    assert "已收到" in page.content() and "13812345678" not in page.content()
    problems += axe_violations(page)
    assert not problems, "\n".join(problems)
