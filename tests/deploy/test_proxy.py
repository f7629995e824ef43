"""The cache in front, through the real nginx and gunicorn of deploy/ (scripts/harness/deploy.py):
personal pages are never cached, a new warning shows within 5 s while repeated reads stay in
the proxy, and with the proxy down gunicorn still answers.

Marked `deploy` (the stack takes tens of seconds to start): `make deploy-check` runs these,
plain `pytest` leaves them out."""

from __future__ import annotations

import time
import urllib.error
import urllib.request

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from content.models import RiskWarningPage, WarningHazard, WarningIndexPage
from scripts.harness.deploy import Stack
from tests.conftest import verified_login
from tests.pages import original

pytestmark = pytest.mark.deploy
VISIBLE_WITHIN = 5.0


def get(url: str, cookie: str = "") -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310 (loopback http)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture(scope="module")
def stack(committed):
    call_command("load_demo", "--scale", "0", verbosity=0)
    env = {"DATABASE_URL": committed, "DJANGO_SETTINGS_MODULE": "portal.settings.test"}
    with Stack(env, web_port=8202, proxy_port=8282, workers=False) as running:
        yield running


@pytest.fixture(scope="module")
def editor_cookie(stack) -> tuple[str, str]:
    """An editor's session cookie (saved in the database gunicorn reads), and the name."""
    editor = get_user_model().objects.create_superuser("proxy-editor", password="x")
    client = Client()
    verified_login(client, editor)  # the admin asks for the second factor
    return f"sessionid={client.cookies['sessionid'].value}", editor.username


def requests_reaching_django(stack: Stack, path: str) -> int:
    """GETs of `path` in gunicorn's access log."""
    log = (stack.tmp / "web.log").read_text(errors="replace")
    return log.count(f'"GET {path} HTTP/1.')


def test_anonymous_page_is_served_from_the_cache(stack):
    get(stack.proxy_url + "/")
    status, headers, _ = get(stack.proxy_url + "/")
    assert status == 200 and headers["X-Cache-Status"] == "HIT"
    assert headers["Cache-Control"] == "public, max-age=3"


def test_logged_in_pages_are_never_cached(stack, editor_cookie):
    cookie, name = editor_cookie
    for _ in range(2):
        status, headers, body = get(stack.proxy_url + "/admin/", cookie)
        assert status == 200 and name in body
        assert "X-Cache-Status" not in headers and "no-store" in headers["Cache-Control"]
        status, headers, _ = get(stack.proxy_url + "/", cookie)
        assert status == 200 and headers["X-Cache-Status"] == "BYPASS"
        assert "private" in headers["Cache-Control"]
    # Nor does an anonymous reader get the editor's copy afterwards.
    status, headers, body = get(stack.proxy_url + "/admin/")
    assert status == 302 and name not in body


def test_new_warning_is_visible_within_5_s_while_reads_stay_in_the_cache(stack):
    listing = original(WarningIndexPage).url
    get(stack.proxy_url + listing)
    before = requests_reaching_django(stack, listing)
    for _ in range(30):
        get(stack.proxy_url + listing)
    assert requests_reaching_django(stack, listing) - before <= 2  # one per 3 s at most

    title = "关于儿童电话手表电池鼓包风险的消费提示"
    page = RiskWarningPage(title=title, summary="电池鼓包，存在起火风险。")
    page.hazards = [WarningHazard(hazard="fire")]
    original(WarningIndexPage).add_child(instance=page)
    page.save_revision().publish()
    published = time.monotonic()
    while title not in get(stack.proxy_url + listing)[2]:
        assert time.monotonic() - published < VISIBLE_WITHIN, "the new warning is not shown"
        time.sleep(0.2)
    assert time.monotonic() - published < VISIBLE_WITHIN


def test_with_the_proxy_down_the_portal_answers_directly(stack):
    stack.stop("nginx")
    try:
        with pytest.raises(urllib.error.URLError):
            get(stack.proxy_url + "/")
        status, headers, body = get(stack.direct_url + "/")
        assert status == 200 and "<html" in body
        assert headers["Cache-Control"] == "public, max-age=3"
    finally:
        stack.start_proxy()
    assert get(stack.proxy_url + "/")[0] == 200
