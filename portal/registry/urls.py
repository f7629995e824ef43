from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("enterprises/<int:pk>/", views.enterprise, name="enterprise"),
    path("products/<int:pk>/", views.product, name="product"),
]
