"""The citizen's pages, included under each language prefix by `portal.urls`."""

from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("reports/new/", views.new, name="new"),
    path("reports/thanks/", views.thanks, name="thanks"),
    path("reports/status/<str:token>/", views.status, name="status"),
]
