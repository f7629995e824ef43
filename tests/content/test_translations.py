"""Page translations with wagtail-localize: one tree per language, untranslated pages shown
as aliases that say so, translations made in the admin (by hand or by OpenCC for traditional
Chinese), and every list in one language only."""

import re
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale, Page
from wagtail_localize.models import StringSegment, Translation

from content.locales import synchronise_trees, translate_page
from content.machine_translation import ChineseScriptTranslator
from content.models import (
    DistrictPage,
    EducationArticlePage,
    HomePage,
    RiskWarningPage,
    WarningIndexPage,
)
from portal.registry.models import District
from tests.conftest import verified_login
from tests.factories import UserFactory
from tests.pages import html_of, original

pytestmark = pytest.mark.django_db


def locale(code: str) -> Locale:
    return Locale.objects.get(language_code=code)


def titles_in(html: str) -> list[str]:
    items = html.split('class="item-list"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<li class="item item-\w+">\s*<a href="[^"]+">([^<]+)</a>', items)


def test_every_page_exists_in_every_language(site):
    originals = Page.objects.filter(locale=Locale.get_default(), depth__gt=1)
    for code in ("zh-hant", "en"):
        keys = set(
            Page.objects.filter(locale=locale(code)).values_list("translation_key", flat=True)
        )
        assert keys >= set(originals.values_list("translation_key", flat=True))


def test_translated_page_in_english(client, site):
    html = html_of(client.get("/en/warnings/magnetic-toys/"))
    assert '<html lang="en">' in html
    assert "<h1>Beware of children swallowing small magnetic toy parts</h1>" in html
    assert "Do not buy magnetic beads for children under 14." in html
    assert "Magnetic beads" in html  # an affected product's row is translated with the page
    assert "not been translated" not in html
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html)[1]
    assert canonical == "http://testserver/en/warnings/magnetic-toys/"
    for code, url in (
        ("zh-hans", "/warnings/magnetic-toys/"),
        ("zh-hant", "/zh-hant/warnings/magnetic-toys/"),
        ("en", "/en/warnings/magnetic-toys/"),
    ):
        assert f'<link rel="alternate" hreflang="{code}" href="http://testserver{url}">' in html
        assert f'<a href="{url}" lang="{code}" hreflang="{code}"' in html
    # The original is unchanged.
    assert "<h1>警惕磁性玩具小零件被儿童误吞</h1>" in html_of(
        client.get("/warnings/magnetic-toys/")
    )


def test_traditional_chinese_is_converted_by_opencc(client, site):
    html = html_of(client.get("/zh-hant/warnings/magnetic-toys/"))
    assert "<h1>警惕磁性玩具小零件被兒童誤吞</h1>" in html
    assert "跳到主要內容" in html


def test_untranslated_page_says_so_and_points_to_the_original(client, site):
    html = html_of(client.get("/en/warnings/childrens-clothing-cords/"))
    assert "<h1>关于儿童服装绳带安全风险的消费警示</h1>" in html
    assert "This page has not been translated yet" in html
    assert '<main id="main" class="wrap" tabindex="-1" lang="zh-hans">' in html
    assert (
        '<link rel="canonical" href="http://testserver/warnings/childrens-clothing-cords/">' in html
    )
    assert "Skip to main content" in html  # the interface is still in English


def test_listings_home_and_feeds_show_each_page_once_in_the_language(client, site):
    chinese = titles_in(html_of(client.get("/warnings/")))
    english = titles_in(html_of(client.get("/en/warnings/")))
    assert (
        len(english)
        == len(chinese)
        == RiskWarningPage.objects.filter(locale=Locale.get_default()).live().count()
    )
    assert "Beware of children swallowing small magnetic toy parts" in english
    assert "警惕磁性玩具小零件被儿童误吞" not in english

    home = html_of(client.get("/en/"))
    assert "<h1>Anxin · Product quality safety information</h1>" in home
    assert '<a href="/en/warnings/">Risk warnings</a>' in home  # the English tree's menu
    assert home.count("magnetic-toys/") == 1

    feed = client.get("/en/feeds/warnings/").content.decode()
    assert feed.count("<entry>") == len(english)
    assert "<title>Beware of children swallowing small magnetic toy parts</title>" in feed
    assert 'href="http://testserver/en/warnings/magnetic-toys/"' in feed


def test_non_page_views_link_their_other_languages(client, site):
    html = html_of(client.get("/en/search/?q=%E7%A3%81%E5%8A%9B"))
    assert '<html lang="en">' in html
    assert '<a href="/search/?q=%E7%A3%81%E5%8A%9B" lang="zh-hans"' in html
    assert '<a href="/zh-hant/search/?q=%E7%A3%81%E5%8A%9B" lang="zh-hant"' in html
    assert client.get("/fr/warnings/").status_code == 404


def test_editors_page_is_aliased_into_every_tree_at_once(admin_client, site):
    from tests.content.test_editorial import add_url, warning_form

    response = admin_client.post(
        add_url(original(WarningIndexPage)),
        warning_form("儿童雨衣帽绳", "raincoat", "action-publish"),
    )
    assert response.status_code == 302
    page = original(RiskWarningPage, slug="raincoat")
    alias = page.get_translation(locale("en"))
    assert alias.alias_of_id == page.pk and alias.live
    assert "not been translated" in html_of(admin_client.get("/en/warnings/raincoat/"))


def test_translator_translates_in_the_admin_and_publishes(client, site):
    """An editor submits a warning for translation, fills the strings through
    wagtail-localize's editor endpoint and publishes; the alias becomes the translation."""
    translator = UserFactory(username="translator")
    translator.groups.add(Group.objects.get(name="reviewer"))
    verified_login(client, translator)
    page = original(RiskWarningPage, slug="power-bank-overheating")
    response = client.post(
        reverse("wagtail_localize:submit_page_translation", args=[page.pk]),
        {"locales": [locale("en").pk]},
    )
    assert response.status_code == 302
    translation = Translation.objects.get(
        source__object_id=page.translation_key, target_locale=locale("en")
    )
    segments = {
        s.context.path: s
        for s in StringSegment.objects.filter(source=translation.source).select_related("context")
    }
    for path, text in (("title", "Power banks that overheat"), ("summary", "Stop using it.")):
        response = client.put(
            reverse(
                "wagtail_localize:edit_string_translation",
                args=[translation.pk, segments[path].pk],
            ),
            urlencode({"value": text}),
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 201, response.content
    translated = page.get_translation(locale("en"))
    edit_url = reverse("wagtailadmin_pages:edit", args=[translated.pk])
    assert "wagtail-localize" in html_of(client.get(edit_url))
    assert client.post(edit_url, {"action": "publish"}).status_code == 302

    translated.refresh_from_db()
    assert translated.alias_of_id is None
    html = html_of(client.get("/en/warnings/power-bank-overheating/"))
    assert "<h1>Power banks that overheat</h1>" in html
    assert "not been translated" not in html


def test_opencc_machine_translation_from_the_admin(admin_client, site):
    page = original(RiskWarningPage, slug="power-bank-overheating")
    admin_client.post(
        reverse("wagtail_localize:submit_page_translation", args=[page.pk]),
        {"locales": [locale("zh-hant").pk]},
    )
    translation = Translation.objects.get(
        source__object_id=page.translation_key, target_locale=locale("zh-hant")
    )
    response = admin_client.post(
        reverse("wagtail_localize:machine_translate", args=[translation.pk]),
        {"next": "/admin/"},
    )
    assert response.status_code == 302
    translation.save_target(publish=True)
    html = html_of(admin_client.get("/zh-hant/warnings/power-bank-overheating/"))
    assert page.title not in html
    assert "電" in html and "not been translated" not in html


def test_opencc_translator_keeps_markup_and_refuses_english():
    translator = ChineseScriptTranslator({})
    hans, hant, en = (Locale(language_code=c) for c in ("zh-hans", "zh-hant", "en"))
    assert translator.can_translate(hans, hant) and translator.can_translate(hant, hans)
    assert not translator.can_translate(hans, en)

    class Value:
        data = '发现<a id="a1">产品质量</a>问题'

    value = Value()
    assert translator.translate(hans, hant, [value])[value].data == (
        '發現<a id="a1">產品質量</a>問題'
    )


def test_translate_page_keeps_untranslated_strings_and_can_be_repeated(site):
    page = original(EducationArticlePage, slug="school-supplies")
    english = translate_page(page, locale("en"), {page.title: "School supplies"}.get)
    assert english.title == "School supplies" and english.alias_of_id is None
    assert translate_page(
        page, locale("en"), {page.title: "Choosing school supplies"}.get
    ).title == ("Choosing school supplies")
    assert english.specific.body == page.body  # no translation given: the source's text


def test_one_district_section_per_tree(site):
    minhang = District.objects.get(code="minhang")
    section = DistrictPage(title="闵行区", slug="minhang", district=minhang)
    original(HomePage).add_child(instance=section)
    synchronise_trees()
    assert DistrictPage.objects.filter(district=minhang).count() == 3
    twin = DistrictPage(title="闵行", slug="minhang-2", district=minhang, locale=section.locale)
    with translation.override("en"), pytest.raises(ValidationError, match="already has a section"):
        twin.clean()
