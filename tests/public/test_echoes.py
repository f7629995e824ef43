"""Bounded echoes: a 5,000-character query makes no page more than a few KB larger than a
short one, and the page says the query was cut; odd paths answer 404, never 500."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.test import Client

from . import routes

LONG = "磁性玩具小零件被儿童误吞" * 420  # 5,040 characters, 45 KB percent-encoded
ECHOED = ("q", "code", "category", "region", "brand", "x")


def query(value: str) -> str:
    return "&".join(f"{name}={quote(value)}" for name in ECHOED)


def test_no_page_grows_with_the_query(site):
    client = Client(raise_request_exception=False)
    grown = []
    for address in routes.public_addresses():
        short = len(client.get(f"{address}?{query('磁性玩具')}").content)
        long = len(client.get(f"{address}?{query(LONG)}").content)
        if long - short >= 5_000:
            grown.append(f"{address}: {short:,} → {long:,} bytes")
    assert not grown, "\n".join(grown)


@pytest.mark.parametrize("language", routes.LANGUAGE_PREFIXES)
def test_the_search_page_says_the_query_was_cut(site, client, language):
    html = client.get(f"/{language}search/?q={quote(LONG)}").content.decode()
    assert 'class="params-note' in html
    assert "100" in html.split('class="params-note', 1)[1].split("</div>", 1)[0]
    assert quote(LONG[:101]) not in html  # no link repeats more than the part that was read


def test_a_short_query_has_no_note(site, client):
    assert b"params-note" not in client.get("/search/?q=%E7%A3%81%E6%80%A7").content


def test_the_trace_box_shows_a_long_code_cut_and_says_it_is_too_long(site, client):
    html = client.get(f"/trace/?code={quote(LONG)}").content.decode()
    assert 'aria-invalid="true"' in html
    assert LONG[:101] not in html


@pytest.mark.parametrize(
    "path",
    [
        "/xx/notices/",
        "/zz-yy/warnings/",
        "/notices/%00/",
        "/%00",
        "/en/notices%00/",
        "/zh-hant/warnings/%00abc/",
        "/enterprises/%00/",
        "/" + "a" * 10_000,
        "/" + "a" * 10_000 + "/",
        "/en/" + "警" * 10_000 + "/",
        "/notices/" + "x/" * 5_000,
    ],
)
def test_odd_paths_answer_404(site, path):
    response = Client(raise_request_exception=False).get(path, follow=True)
    assert response.status_code == 404, (path[:40], response.status_code)
    assert len(response.content) < 20_000  # a 404 page does not repeat the path
