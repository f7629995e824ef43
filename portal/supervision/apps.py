from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    """Double-random draws (双随机、一公开) and third-party capability assessments."""

    name = "portal.supervision"
    label = "supervision"
    verbose_name = "双随机监管"

    def ready(self) -> None:
        from . import signals  # noqa: F401 (refuses scope changes to committed draws)
