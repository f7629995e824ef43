from django.urls import path

from . import views

# The namespace stays "registry": every link to a profile (the models' get_absolute_url, the
# API's links) reverses `registry:enterprise` / `registry:product`, which predate this app.
app_name = "registry"
urlpatterns = [
    path("enterprises/<int:pk>/", views.enterprise, name="enterprise"),
    path("products/<int:pk>/", views.product, name="product"),
]
