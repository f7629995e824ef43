"""The feeds, in every language (included under the language prefix by `portal.urls`)."""

from django.urls import path

from .feeds import NoticeFeed, WarningFeed

urlpatterns = [
    path("feeds/warnings/", WarningFeed(), name="feed-warnings"),
    path("feeds/warnings/category/<int:category_id>/", WarningFeed(), name="feed-warnings"),
    path("feeds/notices/", NoticeFeed(), name="feed-notices"),
    path("feeds/notices/category/<int:category_id>/", NoticeFeed(), name="feed-notices"),
]
