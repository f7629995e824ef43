"""Machine-facing exchange endpoints, without a language prefix: /exchange/v1/…"""

from django.urls import path

from . import views

app_name = "exchange"
urlpatterns = [
    path("v1/keys.json", views.keys, name="keys"),
    path("v1/feed.json", views.feed_ed25519, name="feed"),
    path("v1/feed/<slug:code>.json", views.feed_hmac, name="feed-hmac"),
]
