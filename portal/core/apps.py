from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Operations of the portal itself: health, demo data, development accounts."""

    name = "portal.core"
    label = "core"
    verbose_name = "Anxin core"

    def ready(self) -> None:
        from . import health

        # Registered first, so `/healthz` lists the database before the apps' services.
        health.register_check("database", health.check_database)
        health.register_check("broker", health.check_broker)
