from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Operations of the portal itself: health, demo data, development accounts."""

    name = "portal.core"
    label = "core"
    verbose_name = "Anxin core"
