"""The admin speaks one language: every label an editor reads on the main screens, in simplified
Chinese, is Chinese — Wagtail's translation where it has one, ours where it has none."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from content.models import HomePage, RiskWarningPage
from tests.conftest import verified_login
from tests.factories import UserFactory
from tests.pages import original

pytestmark = pytest.mark.django_db

#: A Latin word of three letters or more.
ENGLISH = re.compile(r"[A-Za-z]{3,}")
HAN = re.compile(r"[\u4e00-\u9fff]")
#: Latin words that stay Latin in Chinese text: names, formats and standards.
KEPT = {
    "Wagtail", "Anxin", "CSV", "XLSX", "JSON", "API", "URL", "HMAC", "SHA", "GTIN", "USCC",
    "Atom", "PDF", "OpenCC", "Ed25519", "HTTPS", "HTTP",
}  # fmt: skip
#: Attributes read out or shown as text.
TEXT_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt"}
#: Not labels: code, and the options of long lists (time zones).
SKIPPED = {"script", "style", "template", "svg", "code", "pre", "option"}
#: Screens that list page titles, which are data (the English tree's titles are English): the
#: reports, and the root of the page tree, which shows every language's home page.
DATA_SCREENS = ("/admin/reports/", "/admin/localize/")
ROOT_SCREEN = "/admin/pages/"
CATALOGUE = Path(__file__).resolve().parents[1] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def normalised(text: str) -> str:
    """Without markup, placeholders and numbers: "57 Pages" matches "%(total)s Pages"."""
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"%\(\w+\)[sd]|%[sd]|\{\{[^}]*\}\}|[\d,]+", " ", text)
    return " ".join(text.split())


def our_msgids() -> set[str]:
    """Every English string of our catalogue (and the Wagtail strings it translates)."""
    ids, current = set(), None
    for line in CATALOGUE.read_text(encoding="utf-8").splitlines():
        if line.startswith(("msgid ", "msgid_plural ")):
            current = [json.loads(line.split(" ", 1)[1])]
        elif line.startswith('"') and current is not None:
            current.append(json.loads(line))
        else:
            if current:
                ids.add(normalised("".join(current)))
            current = None
    return {msgid for msgid in ids if ENGLISH.search(msgid)}


#: Where a label is written (data fills table cells and links: a product named "USB 暖手宝").
LABEL_TAGS = {"h1", "h2", "h3", "th", "label", "legend", "button", "caption", "summary"}
VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr", "col", "area", "base"}


class VisibleText(HTMLParser):
    """The texts of a page and attributes read out, each with the tag it stands in."""

    def __init__(self):
        super().__init__()
        self.texts: list[tuple[str, str]] = []
        self.open: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED:
            self.skipping += 1
        if tag not in VOID:
            self.open.append(tag)
        for name, value in attrs:
            if name in TEXT_ATTRIBUTES and value:
                self.texts.append((value, "@" + name))

    def handle_endtag(self, tag):
        if tag in SKIPPED and self.skipping:
            self.skipping -= 1
        if tag in self.open:
            while self.open.pop() != tag:
                pass

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.texts.append((" ".join(data.split()), self.open[-1] if self.open else ""))


def visible_texts(html: str) -> set[str]:
    return {text for text, _ in texts_in(html)}


def texts_in(html: str) -> list[tuple[str, str]]:
    parser = VisibleText()
    parser.feed(html)
    return parser.texts


def english_words(text: str) -> list[str]:
    """Latin words other than names and formats; an example URL is not a label."""
    text = re.sub(r"https?://\S+", " ", text)
    return [word for word in ENGLISH.findall(text) if word not in KEPT]


def untranslated(html: str, msgids: set[str]) -> set[str]:
    """Texts that are one of our English strings, and labels half Chinese, half English."""
    return {
        text
        for text, tag in texts_in(html)
        if normalised(text) in msgids
        or (tag in LABEL_TAGS and HAN.search(text) and english_words(text))
    }


def menu_items(html: str) -> list[dict]:
    """The sidebar's menu items (label, url), from the props Wagtail's sidebar is built from."""
    props = json.loads(
        re.search(
            r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S
        )[1]
    )
    found = []

    def walk(value):
        if isinstance(value, dict):
            if "label" in value and "url" in value:
                found.append(value)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(props)
    return found


@pytest.fixture
def editor(client, db):
    call_command("load_demo", "--scale", "0")
    user = UserFactory(username="管理员", email="", is_staff=True, is_superuser=True)
    verified_login(client, user)
    return client


def get(client, url: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-CN", follow=True)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_menu_is_in_chinese(editor):
    """Every label of the sidebar, Wagtail's and ours: no English, no bilingual label."""
    labels = {item["label"] for item in menu_items(get(editor, reverse("wagtailadmin_home")))}
    assert len(labels) > 15
    assert not {label for label in labels if english_words(label)}
    assert "页面" in labels and "分页" not in labels  # the page tree, not pagination


def test_the_main_admin_screens_show_none_of_our_strings_in_english(editor):
    msgids = our_msgids()
    assert {"Registry", "Pages", "Password", "Spot checks"} <= msgids  # the check can fail
    dashboard = get(editor, reverse("wagtailadmin_home"))
    home = original(HomePage)
    screens = {
        item["url"]
        for item in menu_items(dashboard)
        if item["url"].startswith("/admin/")
        and not item["url"].startswith(DATA_SCREENS)
        and item["url"] != ROOT_SCREEN
    }
    screens |= {
        reverse("wagtailadmin_explore", args=[home.pk]),
        reverse(
            "wagtailadmin_pages:edit", args=[original(RiskWarningPage, slug="magnetic-toys").pk]
        ),
        reverse("wagtailadmin_pages:add_subpage", args=[home.pk]),
        reverse("wagtailadmin_account"),
        reverse("wagtailusers_users:index"),
    }
    assert len(screens) > 20
    found = {"/admin/": untranslated(dashboard, msgids)}
    for url in sorted(screens):
        found[url] = untranslated(get(editor, url), msgids)
    left = {url: sorted(texts) for url, texts in found.items() if texts}
    assert not left, json.dumps(left, ensure_ascii=False, indent=1)


def test_the_login_screen_asks_for_the_password_in_chinese(client, db):
    html = get(client, reverse("wagtailadmin_login"))
    assert not untranslated(html, our_msgids())
    assert "Password" not in visible_texts(html) and "密码" in visible_texts(html)
