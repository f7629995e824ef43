"""/api/v1/: the open-data API (included without a language prefix by `portal.urls`)."""

from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from . import api
from .links import API_NAMESPACE

app_name = API_NAMESPACE

router = SimpleRouter()
for name, viewset in api.VIEWSETS.items():
    router.register(name, viewset, basename=name)

urlpatterns = [
    path("", api.RootView.as_view(), name="root"),
    *router.urls,
    re_path(r"^[\s\S]*$", api.NotFoundView.as_view(), name="not-found"),  # any character
]
