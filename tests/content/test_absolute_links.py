"""Absolute links name the portal's configured address: in production the Wagtail site set from
PORTAL_BASE_URL, whatever Host header the reverse proxy forwards; in development the request's
host."""

import re
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import override_settings
from wagtail.models import Site

from portal.core.site import site_address
from tests.factories import EnterpriseFactory, SpotCheckResultFactory

BASE = "https://anxin.example.gov.cn"
#: What a deployment looks like behind a proxy that forwards `Host: localhost` (a common
#: `proxy_pass http://localhost:8000` without `proxy_set_header Host`).
PRODUCTION_LIKE = {
    "PORTAL_BASE_URL": BASE,
    "DEBUG": False,
    "ALLOWED_HOSTS": ["anxin.example.gov.cn", "localhost"],
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
}
#: canonical, og:url and hreflang alternates in HTML; <loc> in the sitemap; href in Atom.
LINKS = re.compile(
    r'<link rel="(?:canonical|alternate)"[^>]* href="([^"]+)"'
    r'|<meta property="og:url" content="([^"]+)"'
    r"|<loc>([^<]+)</loc>"
    r'|<link href="([^"]+)"'
)


def absolute_links(body: str) -> list[str]:
    return [next(filter(None, groups)) for groups in LINKS.findall(body)]


@pytest.fixture
def production_site(site):
    with override_settings(**PRODUCTION_LIKE):
        call_command("sync_site", stdout=StringIO())  # the deployment's step
        yield Site.objects.get(is_default_site=True)


def test_production_links_never_name_the_proxy_host(client, production_site, make_notice):
    notice = make_notice()
    enterprise = EnterpriseFactory(name="上海安心日用品有限公司")
    SpotCheckResultFactory(batch=notice.batch, producer=enterprise)
    paths = [
        "/",
        "/warnings/magnetic-toys/",
        "/en/warnings/magnetic-toys/",
        "/zh-hant/warnings/childrens-clothing-cords/",  # an untranslated alias
        notice.url,
        enterprise.get_absolute_url(),
        "/trace/",
        "/sitemap.xml",
        "/feeds/warnings/",
        "/en/feeds/notices/",
        f"/feeds/results/?enterprise={enterprise.pk}",
    ]
    seen = 0
    for path in paths:
        response = client.get(path, HTTP_HOST="localhost", HTTP_X_FORWARDED_PROTO="https")
        assert response.status_code == 200, path
        body = response.content.decode()
        links = absolute_links(body)
        assert links, f"{path}: no absolute link found"
        for link in links:
            assert link.startswith(BASE + "/"), f"{path}: {link}"
        assert "localhost" not in body, path
        seen += len(links)
    assert production_site.root_url == BASE
    assert seen > 40


def test_the_canonical_link_of_a_production_page(client, production_site):
    html = client.get("/en/warnings/magnetic-toys/", HTTP_HOST="localhost").content.decode()
    assert f'<link rel="canonical" href="{BASE}/en/warnings/magnetic-toys/">' in html
    assert f'<meta property="og:url" content="{BASE}/en/warnings/magnetic-toys/">' in html
    assert f'hreflang="zh-hans" href="{BASE}/warnings/magnetic-toys/"' in html


def test_development_links_follow_the_request(client, site):
    """Without PORTAL_BASE_URL, `make run` on any address links to itself."""
    html = client.get("/warnings/magnetic-toys/", HTTP_HOST="127.0.0.1:8765").content.decode()
    assert '<link rel="canonical" href="http://127.0.0.1:8765/warnings/magnetic-toys/">' in html
    sitemap = client.get("/sitemap.xml", HTTP_HOST="127.0.0.1:8765").content.decode()
    assert "<loc>http://127.0.0.1:8765/laws/product-quality-law/</loc>" in sitemap
    assert "localhost" not in sitemap


@pytest.mark.parametrize(
    ("base_url", "address"),
    [
        ("https://anxin.example.gov.cn", {"hostname": "anxin.example.gov.cn", "port": 443}),
        ("https://anxin.example.gov.cn:443/", {"hostname": "anxin.example.gov.cn", "port": 443}),
        ("http://10.0.0.5:8080", {"hostname": "10.0.0.5", "port": 8080}),
    ],
)
def test_the_site_address_of_a_base_url(base_url, address):
    assert site_address(base_url) == address


@pytest.mark.parametrize(
    "base_url",
    [
        "https://anxin.example.gov.cn:8443",
        "https://example.gov.cn/anxin/",
        "anxin.gov.cn",
        "ftp://x",
    ],
)
def test_a_base_url_wagtail_cannot_reproduce_is_refused_and_the_site_kept(site, base_url):
    before = Site.objects.values("hostname", "port").get(is_default_site=True)
    with override_settings(PORTAL_BASE_URL=base_url), pytest.raises(ImproperlyConfigured):
        call_command("sync_site")
    assert Site.objects.values("hostname", "port").get(is_default_site=True) == before
