from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.survey_page, name="survey"),
    path("<slug:slug>/results/", views.survey_results, name="results"),
]
