from django.apps import AppConfig


class OpenDataConfig(AppConfig):
    """开放数据: the public read-only API, bulk exports and their data dictionary."""

    name = "portal.opendata"
    label = "opendata"
    verbose_name = "开放数据"

    def ready(self):
        from .conditional import connect_signals

        connect_signals()
