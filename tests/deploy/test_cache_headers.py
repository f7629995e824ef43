"""Cache-Control and validators Django sets for the proxy in front (portal/core/cache_headers.py):
public answers are kept PUBLIC_CACHE_SECONDS with an ETag, personal ones never."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from content.models import WarningIndexPage
from tests.pages import original

NEVER = ("private", "no-store", "max-age=0")


def never_cached(response) -> bool:
    cache_control = response.headers.get("Cache-Control", "")
    return all(part in cache_control for part in NEVER) and "public" not in cache_control


def test_anonymous_page_is_public_for_the_micro_cache_with_an_etag(client, site):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == f"public, max-age={settings.PUBLIC_CACHE_SECONDS}"
    assert "Set-Cookie" not in response.headers
    etag = response.headers["ETag"]

    again = client.get("/", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""


def test_etag_changes_with_the_page(client, site, make_warning):
    warnings = original(WarningIndexPage).url
    before = client.get(warnings).headers["ETag"]
    make_warning(title="关于电动自行车充电器过热的消费提示")
    response = client.get(warnings, headers={"If-None-Match": before})
    assert response.status_code == 200
    assert response.headers["ETag"] != before


def test_missing_page_is_public_too(client, site):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "public" in response.headers["Cache-Control"]


def test_logged_in_reader_gets_private_answers_without_validators(client, site):
    client.force_login(get_user_model().objects.create_user("editor", password="x"))
    for path in ("/", original(WarningIndexPage).url):
        response = client.get(path)
        assert response.status_code == 200
        assert never_cached(response), path
        assert "ETag" not in response.headers


def test_elderly_mode_reader_gets_private_answers(client, site):
    client.cookies[settings.ELDERLY_MODE_COOKIE] = "1"
    assert never_cached(client.get("/"))


@pytest.mark.parametrize("path", ["/admin/login/", "/grader/", "/en/grader/", "/zh-hant/grader/"])
def test_admin_and_grader_are_never_cached_in_any_language(client, site, path):
    assert never_cached(client.get(path))


def test_form_with_a_csrf_token_is_never_cached(client, site):
    response = client.get("/admin/login/")
    assert settings.CSRF_COOKIE_NAME in response.cookies
    assert never_cached(response)


def test_request_with_credentials_is_never_cached(client, site):
    assert never_cached(client.get("/", headers={"Authorization": "Token abc"}))


def test_post_answer_is_not_public(client, site):
    response = client.post("/search/", {"q": "x"})
    assert "public" not in response.headers.get("Cache-Control", "")


def test_api_answer_keeps_its_own_public_headers_and_validators(client, site):
    response = client.get("/api/v1/warnings/")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == f"public, max-age={settings.OPEN_API_MAX_AGE}"
    assert response.headers["ETag"] and response.headers["Last-Modified"]
