"""Accepted partner warnings for citizens, in every language (inside i18n_patterns)."""

from django.urls import path

from . import public

app_name = "partners"
urlpatterns = [
    path("partner-warnings/", public.warning_list, name="warnings"),
    path("partner-warnings/<int:pk>/", public.warning_detail, name="warning"),
]
