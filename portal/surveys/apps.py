from django.apps import AppConfig


class SurveysConfig(AppConfig):
    """知晓度调查: short product-safety quizzes citizens answer anonymously, and their results."""

    name = "portal.surveys"
    label = "surveys"
    verbose_name = "知晓度调查"
