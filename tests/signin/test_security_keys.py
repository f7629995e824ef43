"""Security keys and passkeys (WebAuthn) through the real views, with a software key that signs
real answers: adding a key only from a verified session, signing in with it, and the bad
answers (wrong or used challenge, replayed assertion, an unknown key, another person's key, a
counter that went back, malformed JSON) refused with a clear error, nothing stored, no 500."""

from __future__ import annotations

import json
import random

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils.translation import gettext
from wagtail.models import ModelLogEntry
from webauthn import base64url_to_bytes

from portal.core.security_keys.models import SecurityKey
from portal.core.site import sync_default_site
from tests.conftest import verified_login

from .soft_key import SoftKey, b64url

PASSWORD = "correct horse battery staple"
KEYS = "/signin/security-keys/"
VERIFY = "/signin/second-factor/"
KEY_OPTIONS = "/signin/second-factor/security-key/options/"
KEY_SIGN_IN = "/signin/second-factor/security-key/"
pytestmark = pytest.mark.django_db


def make_staff(username: str):
    return get_user_model().objects.create_superuser(username, f"{username}@example.cn", PASSWORD)


@pytest.fixture
def staff():
    return make_staff("editor")


def post_json(client: Client, url: str, body=None, **extra):
    data = body if isinstance(body, str | bytes) else json.dumps(body or {})
    return client.post(url, data, content_type="application/json", **extra)


def add_key(client: Client, key: SoftKey, name="蓝色 USB 密钥"):
    options = post_json(client, f"{KEYS}options/").json()
    return post_json(client, f"{KEYS}add/", {"credential": key.create(options), "name": name})


@pytest.fixture
def registered(staff):
    """The editor's software key, added from a verified session."""
    key = SoftKey()
    setup = Client()
    verified_login(setup, staff)
    assert add_key(setup, key).status_code == 200
    return key


@pytest.fixture
def after_password(client):
    """A client that has given the editor's password, and no second factor yet."""
    assert (
        client.post("/admin/login/", {"username": "editor", "password": PASSWORD}).status_code
        == 302
    )
    return client


def error_of(response) -> str:
    assert response.status_code == 400, response.content
    return response.json()["error"]


def not_verified(client: Client) -> bool:
    return client.get("/admin/").url.startswith(VERIFY)


def test_a_key_added_from_a_verified_session_signs_in(staff, registered, after_password):
    stored = SecurityKey.objects.get()
    assert (stored.user, stored.name, stored.transports) == (staff, "蓝色 USB 密钥", ["usb"])
    assert ModelLogEntry.objects.filter(action="signin.security_key_added").count() == 1

    verify_page = after_password.get(f"{VERIFY}?next=/admin/pages/")
    assert b'data-security-keys="sign-in"' in verify_page.content
    options = post_json(after_password, KEY_OPTIONS).json()
    assert [c["id"] for c in options["allowCredentials"]] == [registered.id]
    response = post_json(
        after_password, f"{KEY_SIGN_IN}?next=/admin/pages/", {"credential": registered.get(options)}
    )
    assert response.status_code == 200 and response.json() == {"next": "/admin/pages/"}
    assert after_password.get("/admin/").status_code == 200
    stored.refresh_from_db()
    assert stored.sign_count == 1 and stored.last_used_at is not None


def test_a_password_alone_cannot_add_a_key(staff, after_password):
    assert after_password.get(KEYS).url.startswith(VERIFY)
    assert post_json(after_password, f"{KEYS}options/").url.startswith(VERIFY)
    forged = {"credential": SoftKey().create({"challenge": "AAAA"}), "name": "x"}
    assert post_json(after_password, f"{KEYS}add/", forged).url.startswith(VERIFY)
    assert not SecurityKey.objects.exists()


def test_no_key_section_for_an_account_without_keys(staff, after_password):
    assert b"data-security-keys" not in after_password.get(VERIFY).content
    assert error_of(post_json(after_password, KEY_OPTIONS)) == gettext(
        "No security key is registered to your account."
    )


@pytest.fixture
def verified(client, staff):
    verified_login(client, staff)
    return client


def test_registration_with_a_wrong_challenge_is_refused(verified):
    post_json(verified, f"{KEYS}options/")
    key = SoftKey()
    response = post_json(verified, f"{KEYS}add/", {"credential": key.create({"challenge": "AAAA"})})
    assert error_of(response) == gettext("The security key's answer was not accepted.")
    assert not SecurityKey.objects.exists()


def test_registration_answer_cannot_be_used_twice(verified):
    options = post_json(verified, f"{KEYS}options/").json()
    answer = {"credential": SoftKey().create(options)}
    assert post_json(verified, f"{KEYS}add/", answer).status_code == 200
    assert error_of(post_json(verified, f"{KEYS}add/", answer)) == gettext(
        "This request has expired or was already used. Try again."
    )
    assert SecurityKey.objects.count() == 1


def test_a_key_from_another_site_is_refused(verified):
    options = post_json(verified, f"{KEYS}options/").json()
    phished = SoftKey(rp_id="evil.example", origin="https://evil.example")
    response = post_json(verified, f"{KEYS}add/", {"credential": phished.create(options)})
    assert error_of(response) == gettext("The security key's answer was not accepted.")
    assert not SecurityKey.objects.exists()


def test_a_too_long_name_is_refused_and_the_challenge_kept(verified):
    options = post_json(verified, f"{KEYS}options/").json()
    key = SoftKey()
    response = post_json(
        verified, f"{KEYS}add/", {"credential": key.create(options), "name": "钥" * 65}
    )
    assert "64" in error_of(response)
    assert not SecurityKey.objects.exists()
    response = post_json(verified, f"{KEYS}add/", {"credential": key.create(options), "name": "钥"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "body", ["", "not json", "[]", '{"credential": "x"}', '{"credential": {}}']
)
def test_malformed_registration_is_refused(verified, body):
    post_json(verified, f"{KEYS}options/")
    error = error_of(post_json(verified, f"{KEYS}add/", body))
    assert error in {
        gettext("The security key's answer could not be read."),
        gettext("The security key's answer was not accepted."),
    }
    assert not SecurityKey.objects.exists()


def test_a_key_registered_twice_is_refused(verified, staff):
    key = SoftKey()
    assert add_key(verified, key).status_code == 200
    assert error_of(add_key(verified, key)) == gettext("This security key is already registered.")
    assert SecurityKey.objects.count() == 1


def refused_sign_in(client: Client, answer, error: str, query="") -> None:
    """The answer is refused with `error`; the session stays unverified, the key's counter
    unchanged, and the refusal is in the audit log."""
    counts = list(SecurityKey.objects.values_list("sign_count", flat=True))
    failures = ModelLogEntry.objects.filter(action="signin.second_factor_failed").count()
    assert error_of(post_json(client, KEY_SIGN_IN + query, answer)) == gettext(error)
    assert not_verified(client)
    assert list(SecurityKey.objects.values_list("sign_count", flat=True)) == counts
    assert (
        ModelLogEntry.objects.filter(action="signin.second_factor_failed").count() == failures + 1
    )


NOT_ACCEPTED = "The security key's answer was not accepted."
USED = "This request has expired or was already used. Try again."


def test_sign_in_with_a_wrong_challenge_is_refused(registered, after_password):
    post_json(after_password, KEY_OPTIONS)
    refused_sign_in(
        after_password, {"credential": registered.get({"challenge": "AAAA"})}, NOT_ACCEPTED
    )


def test_sign_in_without_asking_for_options_is_refused(registered, after_password):
    refused_sign_in(after_password, {"credential": registered.get({"challenge": "AAAA"})}, USED)


def test_a_replayed_assertion_is_refused(registered, after_password):
    options = post_json(after_password, KEY_OPTIONS).json()
    answer = {"credential": registered.get(options)}
    thief = Client()
    assert (
        thief.post("/admin/login/", {"username": "editor", "password": PASSWORD}).status_code == 302
    )

    assert post_json(after_password, KEY_SIGN_IN, answer).status_code == 200
    refused_sign_in(thief, answer, USED)  # no challenge issued to the thief's session
    post_json(thief, KEY_OPTIONS)
    refused_sign_in(thief, answer, NOT_ACCEPTED)  # a challenge, but not the one signed


def test_a_counter_that_did_not_move_is_refused(registered, after_password):
    options = post_json(after_password, KEY_OPTIONS).json()
    assert (
        post_json(after_password, KEY_SIGN_IN, {"credential": registered.get(options)}).status_code
        == 200
    )
    again = Client()
    again.post("/admin/login/", {"username": "editor", "password": PASSWORD})
    options = post_json(again, KEY_OPTIONS).json()
    cloned = registered.get(options, count_up=False)  # a copy of the key that signed before
    refused_sign_in(again, {"credential": cloned}, NOT_ACCEPTED)


def test_an_unknown_key_is_refused(registered, after_password):
    options = post_json(after_password, KEY_OPTIONS).json()
    refused_sign_in(
        after_password,
        {"credential": SoftKey().get(options)},
        "This security key is not registered to your account.",
    )


def test_another_persons_key_is_refused(registered, after_password):
    colleague = make_staff("colleague")
    their_key = SoftKey()
    setup = Client()
    verified_login(setup, colleague)
    assert add_key(setup, their_key).status_code == 200

    options = post_json(after_password, KEY_OPTIONS).json()
    refused_sign_in(
        after_password,
        {"credential": their_key.get(options)},
        "This security key is not registered to your account.",
    )


@pytest.mark.parametrize(
    "body", ["", "{}", '{"credential": {"id": 5}}', '{"credential": {"id": "x"}}']
)
def test_malformed_sign_in_is_refused(registered, after_password, body):
    post_json(after_password, KEY_OPTIONS)
    assert post_json(after_password, KEY_SIGN_IN, body).status_code == 400
    assert not_verified(after_password)


def test_anonymous_requests_get_no_options(client):
    assert post_json(client, KEY_OPTIONS).status_code == 403
    assert post_json(client, KEY_SIGN_IN, {}).status_code == 403
    assert client.get(KEYS).url.startswith("/admin/login/")
    assert client.get(f"{KEYS}options/").status_code == 405


def test_removing_a_key_only_ones_own(staff, registered):
    owner, colleague = Client(), Client()
    verified_login(owner, staff)
    verified_login(colleague, make_staff("colleague"))
    key = SecurityKey.objects.get()
    assert colleague.post(f"{KEYS}{key.pk}/remove/").status_code == 404
    assert SecurityKey.objects.exists()

    page = owner.get(KEYS)
    assert "蓝色 USB 密钥" in page.text
    removed = owner.post(f"{KEYS}{key.pk}/remove/", {"next": "/grader/"})
    assert removed.url == f"{KEYS}?next=%2Fgrader%2F"
    assert not SecurityKey.objects.exists()
    assert ModelLogEntry.objects.filter(action="signin.security_key_removed").count() == 1


def test_the_relying_party_is_the_portals_address(verified, settings):
    settings.PORTAL_BASE_URL = "https://portal.example.cn"
    settings.ALLOWED_HOSTS = ["portal.example.cn"]
    sync_default_site()
    options = post_json(verified, f"{KEYS}options/", HTTP_HOST="portal.example.cn").json()
    assert options["rp"]["id"] == "portal.example.cn"

    key = SoftKey(rp_id="portal.example.cn", origin="https://portal.example.cn")
    response = post_json(
        verified,
        f"{KEYS}add/",
        {"credential": key.create(options)},
        HTTP_HOST="portal.example.cn",
        secure=True,
    )
    assert response.status_code == 200


def test_the_account_page_links_to_the_keys(admin_client):
    assert f'href="{KEYS}"' in admin_client.get("/admin/account/").text


def corrupted(answer: dict, rng: random.Random) -> dict:
    """`answer` with one of its binary fields damaged: a byte changed, or cut short."""
    answer = json.loads(json.dumps(answer))
    field = rng.choice([name for name, value in answer["response"].items() if value])
    if field == "transports":
        field = "clientDataJSON"
    data = bytearray(base64url_to_bytes(answer["response"][field]))
    if rng.random() < 0.5:
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    else:
        del data[rng.randrange(len(data)) :]
    answer["response"][field] = b64url(bytes(data))
    return answer


def test_damaged_answers_never_give_a_500(staff, registered, after_password):
    """A seeded sample of damaged registrations and assertions: each is refused (or, if the
    damage missed everything that is checked, accepted), never an error page."""
    rng = random.Random(19)
    verified = Client()
    verified_login(verified, staff)
    for _attempt in range(40):
        options = post_json(verified, f"{KEYS}options/").json()
        damaged = corrupted(SoftKey().create(options), rng)
        assert post_json(verified, f"{KEYS}add/", {"credential": damaged}).status_code in (200, 400)
        options = post_json(after_password, KEY_OPTIONS).json()
        damaged = corrupted(registered.get(options), rng)
        response = post_json(after_password, KEY_SIGN_IN, {"credential": damaged})
        assert response.status_code in (200, 400)
        assert response.status_code == 400 or not not_verified(after_password)
