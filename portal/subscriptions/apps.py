from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    """订阅提醒: citizens follow a category, district, enterprise, brand or barcode by email."""

    name = "portal.subscriptions"
    label = "subscriptions"
    verbose_name = "订阅提醒"

    def ready(self):
        from . import signals  # noqa: F401
