"""The feeds, in every language (included under the language prefix by `portal.urls`).

Filters are query parameters (`?category=…&district=…&enterprise=…`); the older
`…/category/<id>/` addresses stay valid.
"""

from django.urls import path

from .feeds import NoticeFeed, ResultFeed, WarningFeed

urlpatterns = [
    path("feeds/warnings/", WarningFeed(), name="feed-warnings"),
    path("feeds/warnings/category/<int:category_id>/", WarningFeed(), name="feed-warnings"),
    path("feeds/notices/", NoticeFeed(), name="feed-notices"),
    path("feeds/notices/category/<int:category_id>/", NoticeFeed(), name="feed-notices"),
    path("feeds/results/", ResultFeed(), name="feed-results"),
]
