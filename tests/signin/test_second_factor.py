"""The second factor through the real forms: enrolment at first sign-in, codes from the app,
recovery codes, and the bad input (wrong, replayed and used codes) refused without a 500."""

from __future__ import annotations

import io
import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils.translation import gettext
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import ModelLogEntry

from portal.core.second_factor import issue_recovery_codes
from portal.grading.models import GraderOrganisation

PASSWORD = "correct horse battery staple"
VERIFY = "/signin/second-factor/"
WRONG = "That code is wrong, expired or already used."  # shown in the active language
pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return get_user_model().objects.create_superuser("editor", "editor@example.cn", PASSWORD)


@pytest.fixture
def app(staff):
    """The editor's paired authenticator app."""
    return TOTPDevice.objects.create(user=staff, name="app", confirmed=True)


def code_now(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def password_step(client: Client, url="/admin/login/", username="editor"):
    response = client.post(url, {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def refused(client: Client) -> bool:
    return client.get("/admin/").url.startswith(VERIFY)


def test_password_alone_does_not_open_the_admin(client, app):
    password_step(client)
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response.url == f"{VERIFY}?next=%2Fadmin%2Fpages%2F"


def test_first_sign_in_pairs_an_app_and_gives_recovery_codes(client, staff, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the wrong code below must not delay the right one
    password_step(client)
    enrol = client.get(client.get("/admin/").url, follow=True)
    assert enrol.redirect_chain[-1][0].startswith("/signin/second-factor/enrol/")
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    assert re.search(r"<code data-key>([A-Z2-7]+)</code>", enrol.text)

    wrong = client.post(enrol.redirect_chain[-1][0], {"code": "000000", "next": "/admin/"})
    assert wrong.status_code == 200 and gettext(WRONG) in wrong.text
    device.refresh_from_db()
    assert not device.confirmed and not StaticToken.objects.exists()
    assert ModelLogEntry.objects.filter(action="signin.second_factor_failed").count() == 1

    done = client.post(
        "/signin/second-factor/enrol/", {"code": code_now(device), "next": "/admin/"}
    )
    codes = re.findall(r"<code data-recovery-code>(\w+)</code>", done.text)
    assert len(codes) == 10
    assert client.get("/admin/").status_code == 200


def test_an_enrolled_account_cannot_pair_another_app(client, app):
    password_step(client)
    response = client.get("/signin/second-factor/enrol/")
    assert response.status_code == 302 and response.url.startswith(VERIFY)
    assert TOTPDevice.objects.count() == 1


def test_code_from_the_app_opens_the_admin_and_goes_back_where_asked(client, app):
    password_step(client)
    response = client.post(VERIFY, {"code": code_now(app), "next": "/admin/pages/"})
    assert response.status_code == 302 and response.url == "/admin/pages/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("code", ["000000", "abc", "12345678901234567"])
def test_wrong_code_is_refused_clearly(client, app, code):
    password_step(client)
    response = client.post(VERIFY, {"code": code, "next": "/admin/"})
    assert response.status_code == 200
    assert "errorlist" in response.text
    assert refused(client)


def test_replayed_code_is_refused(client, app):
    code = code_now(app)
    password_step(client)
    assert client.post(VERIFY, {"code": code, "next": "/admin/"}).status_code == 302

    other = Client()
    password_step(other)
    response = other.post(VERIFY, {"code": code, "next": "/admin/"})
    assert response.status_code == 200 and gettext(WRONG) in response.text
    assert refused(other)


def test_recovery_code_works_once(client, staff, app):
    codes = issue_recovery_codes(staff)
    password_step(client)
    response = client.post(VERIFY, {"code": codes[0], "next": "/admin/"}, follow=True)
    assert response.status_code == 200
    assert "9 are left" in response.text or "9" in str(list(response.context["messages"]))
    assert StaticToken.objects.count() == 9

    other = Client()
    password_step(other)
    response = other.post(VERIFY, {"code": codes[0], "next": "/admin/"})
    assert response.status_code == 200 and gettext(WRONG) in response.text
    assert refused(other)


def test_next_elsewhere_is_not_followed(client, app):
    password_step(client)
    response = client.post(VERIFY, {"code": code_now(app), "next": "https://example.com/"})
    assert response.url == "/admin/"


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_grader_portal_asks_for_the_second_factor(client, app, prefix):
    organisation = GraderOrganisation.objects.create(name="上海市消费者权益保护委员会")
    organisation.users.add(app.user)
    password_step(client, url=f"{prefix}/grader/login/")
    submissions = f"{prefix}/grader/"
    response = client.get(submissions)
    assert response.status_code == 302 and response.url.startswith(VERIFY)

    assert client.post(VERIFY, {"code": code_now(app), "next": submissions}).url == submissions
    assert client.get(submissions).status_code == 200


def test_citizen_pages_do_not_ask_for_it(client, staff):
    password_step(client)
    assert client.get("/healthz").status_code == 200


def test_reset_second_factor_lets_the_person_enrol_again(client, staff, app):
    issue_recovery_codes(staff)
    out = io.StringIO()
    call_command("reset_second_factor", "editor", stdout=out)
    assert "Deleted 2" in out.getvalue()
    password_step(client)
    assert client.get(VERIFY).url.startswith("/signin/second-factor/enrol/")


def test_reset_second_factor_names_an_unknown_account(db):
    with pytest.raises(CommandError, match="No account named 'nobody'"):
        call_command("reset_second_factor", "nobody")
