from django.apps import AppConfig


class GradingConfig(AppConfig):
    """Third-party quality grades: grader organisations, schemes, the submission API, review."""

    name = "portal.grading"
    label = "grading"
    verbose_name = "第三方质量分级"

    def ready(self) -> None:
        from . import schema  # noqa: F401 (registers the OpenAPI extension)
