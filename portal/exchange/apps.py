from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    """长三角数据交换: signed feeds of warnings and failed results exchanged with partner regions."""

    name = "portal.exchange"
    label = "exchange"
    verbose_name = "区域数据交换"
