from django.urls import path
from django.views.i18n import set_language
from wagtail.contrib.sitemaps.views import sitemap

from .feeds import NoticeFeed, WarningFeed

urlpatterns = [
    path("feeds/warnings/", WarningFeed(), name="feed-warnings"),
    path("feeds/warnings/category/<int:category_id>/", WarningFeed(), name="feed-warnings"),
    path("feeds/notices/", NoticeFeed(), name="feed-notices"),
    path("feeds/notices/category/<int:category_id>/", NoticeFeed(), name="feed-notices"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("i18n/setlang/", set_language, name="set_language"),
]
