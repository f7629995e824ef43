from django.urls import path

from . import views

app_name = "security_keys"
# Managing the account's keys: SecondFactorMiddleware guards this namespace.
urlpatterns = [
    path("", views.keys, name="list"),
    path("options/", views.register_options, name="register_options"),
    path("add/", views.register, name="register"),
    path("<int:pk>/remove/", views.remove, name="remove"),
]
# The second step of sign-in with a key: open to a session that has only the password.
sign_in_urlpatterns = [
    path("second-factor/security-key/options/", views.sign_in_options, name="key_options"),
    path("second-factor/security-key/", views.sign_in, name="key"),
]
