"""An editor drafts a warning and submits it; a reviewer publishes it; citizens see it on
the home page and in the feed — all through the browser."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from content.models import RiskWarningPage, WarningIndexPage
from portal.core.second_factor import issue_recovery_codes
from tests.factories import UserFactory
from tests.pages import original

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "secret-password"  # UserFactory's
TITLE = "儿童雨衣帽绳勒颈风险提示"


@pytest.fixture
def newsroom(transactional_db):
    call_command("load_demo", "--scale", "0")
    people = {}
    for role, username in (("editor", "wangbianji"), ("reviewer", "lishenhe")):
        user = UserFactory(username=username)
        user.groups.add(Group.objects.get(name=role))
        people[role] = user
    return people


def log_in(page, base, user):
    """The password, then a recovery code as the second factor."""
    code = issue_recovery_codes(user)[0]  # before the password: with no device, it asks to enrol
    page.goto(base + "/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.fill("#id_code", code)
    page.click("form:has(#id_code) button[type=submit]")  # not the language switcher's
    page.wait_for_url(base + "/admin/")


def test_editor_drafts_reviewer_publishes(live_server, page, newsroom):
    base = live_server.url
    index = original(WarningIndexPage)

    log_in(page, base, newsroom["editor"])
    page.goto(f"{base}/admin/pages/add/content/riskwarningpage/{index.pk}/")
    page.fill("#id_title", TITLE)
    page.fill("#id_summary", "部分儿童雨衣帽绳过长，存在勒颈风险。")
    page.select_option("select[name='hazards-0-hazard']", "strangulation")
    page.select_option("#id_risk_level", "high")
    page.click("footer [data-w-dropdown-target='toggle']")
    page.click("button[name='action-submit']")
    page.wait_for_url(f"{base}/admin/pages/{index.pk}/")
    warning = original(RiskWarningPage, title=TITLE)
    assert not warning.live
    assert TITLE not in page.context.request.get(base + "/").text()

    page.context.clear_cookies()
    log_in(page, base, newsroom["reviewer"])
    page.goto(f"{base}/admin/pages/{warning.pk}/edit/")
    page.click("footer [data-w-dropdown-target='toggle']")
    page.click("button[data-workflow-action-name='approve']:not([data-launch-modal])")
    page.wait_for_load_state()
    warning.refresh_from_db()
    assert warning.live

    page.goto(base + "/")
    assert page.locator(f"text={TITLE}").is_visible()
    feed = page.context.request.get(base + "/feeds/warnings/")
    assert feed.ok and TITLE in feed.text()
