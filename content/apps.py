from django.apps import AppConfig


class ContentConfig(AppConfig):
    """The Wagtail pages citizens read: home, notices, warnings, education, campaigns, laws."""

    name = "content"
    verbose_name = "Content"

    def ready(self) -> None:
        from .navigation import connect_signals

        connect_signals()
