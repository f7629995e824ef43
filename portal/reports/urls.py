"""The citizen's pages, included under each language prefix by `portal.urls`."""

from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("reports/new/", views.new, name="new"),
    path("reports/thanks/", views.thanks, name="thanks"),
    path("reports/status/", views.status, name="status"),
    # Links from before the token moved out of the path (docs/personal-data.md).
    path("reports/status/<str:token>/", views.legacy_status, name="legacy_status"),
]
