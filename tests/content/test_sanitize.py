"""The sanitiser against an XSS payload corpus: what comes out holds only allowed markup."""

import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from content.sanitize import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    ALLOWED_URL_SCHEMES,
    sanitize_html,
)

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "xss" / "payloads.txt"
PAYLOADS = [
    line
    for line in CORPUS.read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("# ")
]
FORBIDDEN_TEXT = ("<script", "<svg", "<style", "<iframe", "<img", "<math", "javascript:")


class Markup(HTMLParser):
    """Every tag and attribute in the output, as a browser's tokenizer would see them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def parsed(html: str) -> Markup:
    parser = Markup()
    parser.feed(html)
    parser.close()
    return parser


def scheme(url: str) -> str | None:
    """The scheme a browser would act on: whitespace and control characters inside it are
    ignored; anything not shaped like a scheme (e.g. percent-encoded) makes a relative URL."""
    compact = "".join(c for c in unescape(url) if c > " ").lower()
    match = re.match(r"([a-z][a-z0-9+.-]*):", compact)
    return match.group(1) if match else None


def test_corpus_is_substantial():
    assert len(PAYLOADS) >= 60


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_leaves_only_allowed_markup(payload):
    cleaned = sanitize_html(payload)
    for tag, attrs in parsed(cleaned).tags:
        assert tag in ALLOWED_TAGS, cleaned
        for name, value in attrs:
            allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
            assert name in allowed, cleaned
            if name == "href":
                assert scheme(value or "") in {*ALLOWED_URL_SCHEMES, None}, cleaned
    lowered = cleaned.lower()
    for forbidden in FORBIDDEN_TEXT:
        assert forbidden not in lowered, cleaned


@pytest.mark.parametrize("payload", PAYLOADS)
def test_sanitising_twice_changes_nothing(payload):
    """Mutation XSS lives in markup that re-parses differently; clean output is a fixed point."""
    once = sanitize_html(payload)
    assert sanitize_html(once) == once


def test_ordinary_remarks_survive():
    html = (
        "<p>经核实，该批次产品<strong>并非</strong>由上海童乐服饰有限公司生产。</p>"
        '<a href="https://www.samr.gov.cn/">国家市场监督管理总局</a>'
    )
    cleaned = sanitize_html(html)
    assert "<p>经核实，该批次产品<strong>并非</strong>由上海童乐服饰有限公司生产。</p>" in cleaned
    assert 'href="https://www.samr.gov.cn/"' in cleaned
    assert 'rel="noopener noreferrer nofollow"' in cleaned


def test_none_and_plain_text():
    assert sanitize_html(None) == ""
    assert sanitize_html("1 < 2 & 3 > 2") == "1 &lt; 2 &amp; 3 &gt; 2"


@pytest.mark.parametrize(
    "href",
    [
        "//evil.example/phish",
        "/\\evil.example/phish",
        " //evil.example",
        "/\t/evil.example",
        "http://plain.example/",
        "relative/page",
        "?next=//evil.example",
        "javascript:alert(1)",
        "ftp://files.example/",
    ],
)
def test_links_off_site_or_unencrypted_lose_their_target(href):
    cleaned = sanitize_html(f'<a href="{href}">链接</a>')
    assert "href" not in cleaned, cleaned
    assert "链接" in cleaned


@pytest.mark.parametrize(
    "href", ["https://www.samr.gov.cn/", "mailto:info@example.cn", "/zh-hans/products/"]
)
def test_https_mailto_and_same_site_paths_are_kept(href):
    assert f'href="{href}"' in sanitize_html(f'<a href="{href}">链接</a>')
