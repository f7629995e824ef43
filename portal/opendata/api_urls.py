"""URL patterns (work in progress)."""

urlpatterns = []
