"""A passkey in a real browser: Chromium's virtual authenticator (through the DevTools protocol)
plays the person's key. An editor signed in with a recovery code adds it, signs out, and signs in
again with the password and the key alone, into /admin/."""

import pytest
from django.contrib.auth import get_user_model

from portal.core.second_factor import issue_recovery_codes
from portal.core.security_keys.models import SecurityKey

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct horse battery staple"
KEY_BUTTON = "form[data-security-keys] button[type=submit]"
ACCOUNT_MENU = "#wagtail-sidebar button:has-text('editor')"


@pytest.fixture
def editor(transactional_db):
    return get_user_model().objects.create_superuser("editor", "editor@example.cn", PASSWORD)


def give_password(page, base):
    page.goto(base + "/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("form:has(#id_password) button[type=submit]")
    page.wait_for_url("**/signin/second-factor/**")


def test_add_a_passkey_then_sign_in_with_it(live_server, page, editor):
    base = live_server.url  # http://localhost:…: WebAuthn needs a host name, not an address
    assert base.startswith("http://localhost:")
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    authenticator = devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    code = issue_recovery_codes(editor)[0]
    give_password(page, base)
    page.fill("#id_code", code)
    page.click("form:has(#id_code) button[type=submit]")
    page.wait_for_url(base + "/admin/")

    page.goto(base + "/signin/security-keys/")
    assert page.locator("[data-security-keys-unsupported]").is_hidden()
    page.fill("#id_key_name", "笔记本电脑")
    page.click(KEY_BUTTON)
    page.locator("tr[data-security-key]", has_text="笔记本电脑").wait_for()
    key = SecurityKey.objects.get(user=editor)
    stored = devtools.send("WebAuthn.getCredentials", authenticator)["credentials"]
    assert [c["isResidentCredential"] for c in stored] == [True]  # a passkey

    page.goto(base + "/admin/")
    page.click(ACCOUNT_MENU)
    page.click("#wagtail-sidebar :text-is('注销')")  # sign out
    page.wait_for_url("**/admin/login/**")

    give_password(page, base)
    page.click(KEY_BUTTON)
    page.wait_for_url(base + "/admin/")
    page.locator(ACCOUNT_MENU).wait_for()  # the admin itself, not the second step
    key.refresh_from_db()
    assert key.sign_count >= 1 and key.last_used_at is not None


def test_a_browser_without_webauthn_is_told_so(live_server, page, editor):
    base = live_server.url
    page.add_init_script("delete window.PublicKeyCredential")
    SecurityKey.objects.create(user=editor, name="old", credential_id="AAAA", public_key=b"")
    issue_recovery_codes(editor)
    give_password(page, base)
    fallback = page.locator("[data-security-keys-unsupported]")
    assert fallback.is_visible()
    assert page.locator(KEY_BUTTON).is_hidden()
