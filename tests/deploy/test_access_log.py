"""The report-status token never reaches an access log: the portal runs under deploy/'s
gunicorn (its config, access log format and logger) behind deploy/'s nginx, a reporter follows
the link as the link's script does (GET the form, POST the token), an old link with the token
in the path is followed too, and the real log files are read.

Marked `deploy`: `make deploy-check` runs it, plain `pytest` leaves it out."""

from __future__ import annotations

import http.cookiejar
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from scripts.harness.deploy import Stack
from tests.reports.factories import ConsumerReportFactory

pytestmark = pytest.mark.deploy
TOKEN = "c3RhdHVzLXRva2VuLW5ldmVyLWluLWEtbG9n"


def logged(log: Path, line: str, times: int = 1, within: float = 5.0) -> str:
    """The log once it holds `line` `times` times (nginx and gunicorn write it after the answer
    is sent), or as it is after `within` seconds."""
    deadline = time.monotonic() + within
    while (text := log.read_text(errors="replace")).count(line) < times:
        if time.monotonic() > deadline:
            break
        time.sleep(0.1)
    return text


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture(scope="module")
def stack(committed):
    env = {"DATABASE_URL": committed, "DJANGO_SETTINGS_MODULE": "portal.settings.test"}
    with Stack(env, web_port=8111, proxy_port=8112, workers=False) as running:
        yield running


@pytest.fixture(scope="module")
def report(committed):
    return ConsumerReportFactory(token=TOKEN)


def test_the_status_token_is_not_in_the_access_log(stack, report):
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect
    )
    base = stack.direct_url

    # The link /reports/status/#TOKEN: the browser asks for the form only, the script posts.
    with opener.open(f"{base}/reports/status/", timeout=30) as response:
        assert 'name="token"' in response.read().decode()
    body = urllib.parse.urlencode({"token": TOKEN}).encode()
    request = urllib.request.Request(f"{base}/reports/status/", data=body)  # noqa: S310 (loopback)
    request.add_header("Origin", "null")  # what a browser sends from a no-referrer page
    with opener.open(request, timeout=30) as response:
        assert response.status == 200
        assert report.reference in response.read().decode()

    # An old link, token in the path (through nginx too): sent on to the fragment.
    for url in (base, stack.proxy_url):
        with pytest.raises(urllib.error.HTTPError) as redirect:
            opener.open(f"{url}/reports/status/{TOKEN}/", timeout=30)
        assert redirect.value.code == 302
        assert redirect.value.headers["Location"] == f"/reports/status/#{TOKEN}"

    redacted = '"GET /reports/status/[redacted]/ HTTP/1.'
    web = logged(stack.tmp / "web.log", redacted, times=2)
    assert '"POST /reports/status/ HTTP/1.1" 200' in web  # the log is the one written
    assert web.count(redacted) == 2  # direct, via nginx
    assert TOKEN not in web
    redirected = '"GET /reports/status/[redacted]/ HTTP/1.1" 302'
    proxy = logged(stack.tmp / "anxin-access.log", redirected)
    assert redirected in proxy
    assert TOKEN not in proxy
