"""The open data page, in every language, and the export files, at one address each."""

from django.urls import path

from . import views

app_name = "opendata"

# Included under the language prefix by `portal.urls`.
urlpatterns = [
    path("data/", views.index, name="index"),
]

# Included once, without a language prefix: the files are the same in every language.
file_urlpatterns = [
    path("manifest.json", views.manifest, name="manifest"),
    path("SHA256SUMS", views.checksums, name="checksums"),
    path("<slug:name>.<str:extension>", views.download, name="download"),
]
