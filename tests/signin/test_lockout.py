"""Staff sign-in through the real forms: lockout per account and per address, the audit trail,
idle sessions, and a password change (in the admin, or by a reset) ending the other sessions."""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from lxml import html
from wagtail.models import ModelLogEntry

from portal.core.second_factor import issue_recovery_codes

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a much longer new passphrase 42"
pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return get_user_model().objects.create_superuser("editor", "editor@example.cn", PASSWORD)


def sign_in(client: Client, url: str, username: str, password: str, address="10.0.0.1"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.parametrize("url", ["/admin/login/", "/grader/login/"])
def test_right_password_after_too_many_failures_is_refused_clearly(client, staff, url):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, url, "editor", "wrong")
        assert response.status_code == 200  # the form again, with its error
    assert sign_in(client, url, "editor", "wrong").status_code == 429  # the failure that locks

    response = sign_in(client, url, "editor", PASSWORD)

    assert response.status_code == 429
    assert "Sign-in locked" in response.text or "登录已锁定" in response.text
    assert "_auth_user_id" not in client.session
    actions = list(
        ModelLogEntry.objects.filter(object_id=str(staff.pk)).values_list("action", flat=True)
    )
    assert actions.count("signin.failed") >= settings.AXES_FAILURE_LIMIT
    assert "signin.locked_out" in actions


def test_account_is_locked_from_every_address(client, staff):
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "/admin/login/", "editor", "wrong", address=f"10.0.1.{n}")

    response = sign_in(client, "/admin/login/", "editor", PASSWORD, address="10.0.2.1")

    assert response.status_code == 429


def test_address_is_locked_for_every_account(client, staff):
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "/admin/login/", f"guess{n}", "wrong", address="10.0.3.1")

    assert (
        sign_in(client, "/admin/login/", "editor", PASSWORD, address="10.0.3.1").status_code == 429
    )
    # another address still signs the same account in
    response = sign_in(Client(), "/admin/login/", "editor", PASSWORD, address="10.0.3.2")
    assert response.status_code == 302


def test_success_before_the_limit_resets_the_count(client, staff):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "/admin/login/", "editor", "wrong")

    assert sign_in(client, "/admin/login/", "editor", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="editor").exists()


@pytest.fixture
def recovery_codes(staff):
    return issue_recovery_codes(staff)


def second_step(client: Client, code: str) -> None:
    assert client.post("/signin/second-factor/", {"code": code}).status_code == 302


def test_idle_session_expires_and_activity_renews_it(client, staff, recovery_codes):
    assert sign_in(client, "/admin/login/", "editor", PASSWORD).status_code == 302
    second_step(client, recovery_codes[0])
    session = Session.objects.get()
    assert (
        abs(
            session.expire_date
            - timezone.now()
            - timezone.timedelta(seconds=settings.SESSION_COOKIE_AGE)
        ).total_seconds()
        < 60
    )

    Session.objects.update(expire_date=timezone.now() + timezone.timedelta(seconds=5))
    assert client.get("/admin/").status_code == 200
    assert Session.objects.get().expire_date > timezone.now() + timezone.timedelta(seconds=60)

    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def signed_in_twice(recovery_codes) -> tuple[Client, Client]:
    """The editor on a laptop and on a phone, both past the second step."""
    laptop, phone = Client(), Client()
    for client, address, code in ((laptop, "10.0.0.1", 0), (phone, "10.0.0.2", 1)):
        assert sign_in(client, "/admin/login/", "editor", PASSWORD, address).status_code == 302
        second_step(client, recovery_codes[code])
        assert client.get("/admin/").status_code == 200
    return laptop, phone


def signed_out(client: Client) -> bool:
    return client.get("/admin/")["Location"].startswith("/admin/login/")


def test_changing_the_password_in_the_admin_ends_the_other_sessions(staff, recovery_codes):
    """Django checks each session's password hash; Wagtail's account page renews the hash of
    the session that made the change (which stays verified), so only the others end."""
    laptop, phone = signed_in_twice(recovery_codes)
    account = html.fromstring(laptop.get("/admin/account/").content)
    form = account.xpath("//form[.//input[@name='password-new_password1']]")[0]
    data = dict(form.form_values())
    data.update(
        {
            "name_email-first_name": "编辑",  # the form requires a name
            "name_email-last_name": "王",
            "password-old_password": PASSWORD,
            "password-new_password1": NEW_PASSWORD,
            "password-new_password2": NEW_PASSWORD,
        }
    )
    assert laptop.post("/admin/account/", data).status_code == 302
    staff.refresh_from_db()
    assert staff.check_password(NEW_PASSWORD)

    assert laptop.get("/admin/").status_code == 200
    assert signed_out(phone)


def test_a_password_reset_ends_every_session(staff, recovery_codes, mailoutbox):
    laptop, phone = signed_in_twice(recovery_codes)
    stranger = Client()
    stranger.post("/admin/password_reset/", {"email": "editor@example.cn"})
    link = re.search(r"/admin/password_reset/confirm/\S+/", mailoutbox[0].body).group()
    form = stranger.get(link, follow=True).redirect_chain[-1][0]
    response = stranger.post(form, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password(NEW_PASSWORD)

    assert signed_out(laptop) and signed_out(phone)
