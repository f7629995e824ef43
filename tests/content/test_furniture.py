"""A government portal's furniture: the authority's footer from settings, the elderly-friendly
mode (适老化) remembered in a cookie, and error pages in the visitor's language."""

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.test import Client, RequestFactory, override_settings
from django.urls import path
from django.utils import translation
from django.views.defaults import server_error

from portal.core.context_processors import site_identity
from tests.pages import html_of

IDENTITY = {
    "authority": "上海市市场监督管理局",
    "authority_en": "Shanghai Administration for Market Regulation",
    "sponsor": "上海市市场监督管理局",
    "sponsor_en": "",  # blank: the Chinese name stands on the English pages
    "operator": "上海市市场监督管理局信息中心",
    "operator_en": "SAMR Information Centre",
    "address": "上海市徐汇区肇嘉浜路301号",
    "address_en": "301 Zhaojiabang Road, Xuhui District, Shanghai",
    "hotline": "021-12315",
    "icp_filing": "沪ICP备12345678号-1",
    "psb_filing": "沪公网安备 31010402001234号",
    "site_code": "3100000052",
}


def test_the_development_footer_shows_nothing_unset(client, site):
    html = html_of(client.get("/"))
    assert "site-identity" in html and "市场监督管理局" in html  # the generic name
    for absent in ("主办单位", "beian.miit.gov.cn", "beian.mps.gov.cn", "网站标识码"):
        assert absent not in html


@override_settings(PORTAL_IDENTITY=IDENTITY)
def test_the_footer_names_the_authority_and_links_its_filings(client, site):
    html = html_of(client.get("/warnings/"))
    assert '<p class="site-authority">上海市市场监督管理局 · ' in html
    assert "<li>主办单位：上海市市场监督管理局</li>" in html
    assert "<li>承办单位：上海市市场监督管理局信息中心</li>" in html
    assert "<li>联系电话：021-12315</li>" in html
    assert (
        '<a href="https://beian.miit.gov.cn/" rel="noopener noreferrer" lang="zh-hans">'
        "沪ICP备12345678号-1</a>" in html
    )
    assert 'href="https://beian.mps.gov.cn/#/query/webSearch?code=31010402001234"' in html
    assert "<li>网站标识码：3100000052</li>" in html


@override_settings(PORTAL_IDENTITY=IDENTITY)
def test_the_footer_in_english_and_traditional(client, site):
    english = html_of(client.get("/en/warnings/"))
    assert "Shanghai Administration for Market Regulation · " in english
    assert "<li>Sponsor: 上海市市场监督管理局</li>" in english
    assert "<li>Address: 301 Zhaojiabang Road, Xuhui District, Shanghai</li>" in english
    assert "<li>Website identification code: 3100000052</li>" in english
    traditional = html_of(client.get("/zh-hant/warnings/"))
    assert "<li>主辦單位：上海市市場監督管理局</li>" in traditional
    assert "沪ICP备12345678号-1" in traditional  # a filing number is shown as filed


def test_identity_follows_the_language():
    with override_settings(PORTAL_IDENTITY=IDENTITY):
        assert site_identity("zh-hant")["operator"] == "上海市市場監督管理局信息中心"
        assert site_identity("en")["sponsor"] == "上海市市场监督管理局"
        assert site_identity("zh-hans")["psb_code"] == "31010402001234"


def test_the_elderly_mode_is_switched_by_a_link_and_remembered(client, site):
    html = html_of(client.get("/warnings/?page=1"))
    assert 'class="elderly"' not in html
    assert 'href="/elderly-mode?on=1&amp;next=%2Fwarnings%2F%3Fpage%3D1"' in html
    switched = client.get("/elderly-mode?on=1&next=/warnings/")
    assert switched.status_code == 302 and switched["Location"] == "/warnings/"
    assert switched.cookies["anxin_elderly"].value == "1"
    assert switched.cookies["anxin_elderly"]["max-age"] == 365 * 24 * 3600
    html = html_of(client.get("/en/warnings/"))
    assert '<html lang="en" class="elderly">' in html
    assert ">Standard view</a>" in html and "on=0" in html
    off = client.get("/elderly-mode?on=0&next=/en/warnings/")
    assert off["Location"] == "/en/warnings/" and off.cookies["anxin_elderly"].value == ""
    assert 'class="elderly"' not in html_of(client.get("/en/warnings/"))


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"]
)
def test_the_switch_goes_back_only_to_this_site(client, target):
    response = Client().get("/elderly-mode", {"on": "1", "next": target})
    assert response.status_code == 302 and response["Location"] == "/"


def test_the_switch_link_does_not_echo_a_huge_query(client, site):
    html = html_of(client.get("/search/", {"q": "童装" * 2000}))
    switch = html.split('class="mode-switch" href="', 1)[1].split('"', 1)[0]
    assert switch == "/elderly-mode?on=1&amp;next=%2Fsearch%2F"


@pytest.mark.parametrize(
    ("prefix", "lang", "heading"),
    [
        ("", "zh-hans", "页面不存在"),
        ("/zh-hant", "zh-hant", "頁面不存在"),
        ("/en", "en", "Page not found"),
    ],
)
def test_not_found_in_the_visitors_language(client, site, prefix, lang, heading):
    response = client.get(f"{prefix}/warnings/no-such-warning/")
    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{lang}"' in html and f"<h1>{heading}</h1>" in html
    assert 'class="site-footer"' in html and 'action="' in html  # the site's frame and a search


def broken(request):
    raise RuntimeError("the database went away")


urlpatterns = i18n_patterns(path("broken/", broken), prefix_default_language=False)


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize(
    ("path", "lang", "heading"),
    [
        ("/broken/", "zh-hans", "网站出现故障"),
        ("/en/broken/", "en", "Something went wrong on our side"),
    ],
)
def test_server_error_in_the_visitors_language(path, lang, heading):
    response = Client(raise_request_exception=False).get(path)
    assert response.status_code == 500
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html and f"<h1>{heading}</h1>" in html


def test_the_server_error_page_needs_no_database():
    """No `db` fixture: pytest-django fails any query, so the page must render without one."""
    with translation.override("zh-hant"):
        response = server_error(RequestFactory().get("/zh-hant/"))
    html = response.content.decode()
    assert response.status_code == 500 and "網站出現故障" in html and 'href="/zh-hant/"' in html
