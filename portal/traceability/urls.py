from django.urls import path

from . import views

app_name = "traceability"
urlpatterns = [path("trace/", views.trace, name="trace")]
