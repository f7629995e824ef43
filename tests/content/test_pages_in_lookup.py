"""Warnings, notices and articles in /search/, and the cached main navigation."""

import pytest
from django.urls import reverse
from django.utils import translation

from content.models import HomePage
from search.pages import related_pages
from tests.pages import html_of, original

pytestmark = pytest.mark.django_db


@pytest.fixture
def warning(make_warning):
    def make(title: str, summary: str):
        page = make_warning(title=title)
        page.summary = summary
        page.save_revision().publish()
        return page

    return make


@pytest.fixture
def magnets(warning):
    return warning(
        "关于儿童磁性玩具误吞风险的消费警示",
        "小颗粒强磁珠被儿童误吞后，可能在肠道内相互吸引，造成穿孔。",
    )


@pytest.fixture
def on_database(settings):
    settings.WAGTAIL_PAGE_SEARCH = "database"


@pytest.mark.parametrize(
    "typed",
    [
        "磁性玩具",
        "磁性玩具 消费警示",
        "磁性玩具 风险",
        "兒童磁性玩具",
        "误吞 强磁珠",
        "  磁性玩具！",
    ],
)
def test_database_finds_pages_by_words_of_title_or_summary(magnets, on_database, typed):
    assert magnets.pk in [page.pk for page in related_pages(typed)]


def test_database_needs_every_word(magnets, on_database):
    assert magnets.pk not in [page.pk for page in related_pages("磁性玩具 电动车")]
    assert related_pages("！！ ") == []


def test_database_finds_a_translation_in_its_own_script(magnets, on_database):
    translated = magnets.copy_for_translation(
        original(HomePage).get_translations().get(locale__language_code="zh-hant").locale,
        copy_parents=True,
    )
    translated.title = "關於兒童磁性玩具誤吞風險的消費警示"
    translated.save_revision().publish()
    with translation.override("zh-hant"):
        found = [page.pk for page in related_pages("磁性玩具 误吞")]
    assert found[0] == translated.pk and magnets.pk not in found


def test_database_keeps_to_live_pages_and_puts_title_matches_first(warning, on_database):
    in_summary = warning("关于按摩器具的消费提示", "筋膜枪不宜长时间对同一部位使用。")
    in_title = warning("关于筋膜枪电池起火风险的消费警示", "")
    draft = warning("筋膜枪草稿", "")
    draft.unpublish()
    assert [page.pk for page in related_pages("筋膜枪")] == [in_title.pk, in_summary.pk]


def test_search_page_lists_pages_from_the_database_when_the_engine_is_down(
    client, magnets, settings, closed_port
):
    settings.SEARCH_URL = f"http://127.0.0.1:{closed_port}"
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {**settings.WAGTAILSEARCH_BACKENDS["default"], "URLS": [settings.SEARCH_URL]}
    }
    response = client.get(reverse("search"), {"q": "磁性玩具"})
    assert response.status_code == 200
    assert response.context["degraded"]
    pages = response.context["pages"]
    assert pages[0].pk == magnets.pk  # the newest first; the demo has an older one
    assert all("磁性玩具" in page.title for page in pages)
    assert "关于儿童磁性玩具误吞风险的消费警示" in html_of(response)


def test_navigation_is_read_once_and_follows_publishing(client, site):
    warnings = site.get_children().get(slug="warnings").specific
    client.get("/")
    type(warnings).objects.filter(pk=warnings.pk).update(title="改名但未发布")
    assert "改名但未发布" not in html_of(client.get("/"))  # served from the cache

    warnings.title = "风险提示（新）"
    warnings.save_revision().publish()
    assert "风险提示（新）" in html_of(client.get("/"))

    warnings.unpublish()
    assert f'href="{warnings.url}"' not in html_of(client.get("/"))
