from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("draws/", views.DrawListView.as_view(), name="draws"),
    path("draws/anxin_draw.py", views.algorithm_source, name="algorithm"),
    path("draws/<int:pk>/", views.draw_detail, name="draw"),
    path("draws/<int:pk>/draw.json", views.draw_document, name="document"),
]
