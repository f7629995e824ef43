"""The citizen's pages, included under each language prefix by `portal.urls`."""

from django.urls import path

from . import views

app_name = "subscriptions"
urlpatterns = [
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscribe/sent/", views.sent, name="sent"),
    path("subscribe/confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("subscriptions/<str:token>/", views.manage, name="manage"),
]
