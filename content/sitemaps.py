"""The sitemap: Wagtail's, with every location on the portal's address (`portal.core.site`).

Wagtail writes each page's URL on its `Site`; without `PORTAL_BASE_URL` (development) that
site is a placeholder, so the locations are moved onto the request's host, as canonical links
are.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from wagtail.contrib.sitemaps import Sitemap

from portal.core.site import absolute_url


class PageSitemap(Sitemap):
    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            url["location"] = absolute_url(self.request, urlsplit(url["location"]).path)
        return urls
