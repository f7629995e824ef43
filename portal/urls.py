from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from content.sitemaps import PageSitemap
from portal.core import second_factor
from portal.core.csp import csp_report
from portal.core.security_keys import urls as security_keys_urls
from portal.core.views import elderly_mode, healthz
from portal.grading import urls as grading_urls
from portal.opendata import urls as opendata_urls
from search import views as search_views

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("csp-report", csp_report, name="csp-report"),
    path("elderly-mode", elderly_mode, name="elderly-mode"),
    path("admin/", include(wagtailadmin_urls)),
    path(
        "signin/",
        include(
            (
                [
                    path("second-factor/", second_factor.verify, name="verify"),
                    path("second-factor/enrol/", second_factor.enrol, name="enrol"),
                    *security_keys_urls.sign_in_urlpatterns,
                ],
                "second_factor",
            )
        ),
    ),
    path("signin/security-keys/", include(security_keys_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", include("portal.opendata.api_urls")),
    path("exchange/", include("portal.exchange.urls")),
    path("data/files/", include((opendata_urls.file_urlpatterns, "opendata_files"))),
    path("api/grading/v1/", include((grading_urls.api_urlpatterns, "grading_api"))),
    path(
        "api/schema/",
        SpectacularAPIView.as_view(permission_classes=[AllowAny], authentication_classes=[]),
        name="api-schema",
    ),
    path(
        "api/docs/",
        SpectacularSwaggerView.as_view(url_name="api-schema", permission_classes=[AllowAny]),
        name="api-docs",
    ),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": PageSitemap}}, name="sitemap"),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# What citizens read, in each language: simplified Chinese without a prefix, /zh-hant/… and
# /en/… for the others, so every translation has its own address (see docs/content.md).
urlpatterns += i18n_patterns(
    path("grades/", include((grading_urls.public_urlpatterns, "grading"))),
    path("grader/", include((grading_urls.portal_urlpatterns, "grader"))),
    path("search/", search_views.search, name="search"),
    path("search/autocomplete", search_views.autocomplete_view, name="search-autocomplete"),
    path("", include("portal.profiles.urls")),
    path("", include("content.urls")),
    path("", include("portal.reports.urls")),
    path("", include("portal.traceability.urls")),
    path("surveys/", include("portal.surveys.urls")),
    path("", include("portal.supervision.urls")),
    path("", include("portal.exchange.public_urls")),
    path("", include("portal.opendata.urls")),
    path("", include("portal.subscriptions.urls")),
    # Wagtail serves every other path from the page tree of the language; keep it last.
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
