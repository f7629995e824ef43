"""Every public page type and the main admin screens under the real Content-Security-Policy:
a violation the browser writes to its console fails the test."""

import pytest
from django.contrib.auth import get_user_model

from content.models import RiskWarningPage
from tests.e2e.test_public_pages import PAGES, demo_pages  # noqa: F401 (fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

MORE_PUBLIC_PAGES = [
    "/search/?q=%E5%84%BF%E7%AB%A5",
    "/reports/new/",
    "/trace/",
    "/grades/",
    "/draws/",
    "/surveys/",
    "/grader/login/",
]


def watch_for_violations(page) -> list[str]:
    """The CSP violations the browser reports in the console, as they come."""
    seen = []
    page.on(
        "console",
        lambda message: (
            seen.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return seen


def test_public_pages_run_without_csp_violations(live_server, page, demo_pages):  # noqa: F811
    violations = watch_for_violations(page)
    for path in PAGES + MORE_PUBLIC_PAGES:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-" not in policy, path
        page.wait_for_load_state("networkidle")
    assert not violations, "\n".join(violations)


def test_main_admin_screens_run_without_csp_violations(live_server, page, demo_pages):  # noqa: F811
    get_user_model().objects.create_superuser("cspadmin", "csp@example.com", "secret-password")
    warning = RiskWarningPage.objects.live().first()
    violations = watch_for_violations(page)
    base = live_server.url
    page.goto(base + "/admin/login/")
    page.fill("#id_username", "cspadmin")
    page.fill("#id_password", "secret-password")
    page.click("button[type=submit]")
    page.wait_for_url(base + "/admin/")
    for path in [
        "/admin/",
        "/admin/pages/",
        f"/admin/pages/{warning.get_parent().pk}/",
        f"/admin/pages/{warning.pk}/edit/",
        f"/admin/pages/{warning.get_parent().pk}/add_subpage/",
        "/admin/images/",
        "/admin/documents/",
        "/admin/snippets/",
        "/admin/users/",
    ]:
        response = page.goto(base + path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
    # The editor's side panels and menus run their scripts too.
    page.goto(base + f"/admin/pages/{warning.pk}/edit/")
    page.get_by_role("button", name="发布").or_(
        page.locator("[data-side-panel-toggle]")
    ).first.wait_for()
    assert not violations, "\n".join(violations)
